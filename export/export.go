// Package export writes stored submissions in the forms their owners open:
// CSV for a spreadsheet, one wizard at a time, and JSONL as the sinks
// store them.
package export

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/wizard/wizard"
)

// bom starts a CSV file so that spreadsheets read it as UTF-8 (Excel
// otherwise guesses the system's legacy code page and garbles non-ASCII).
const bom = "\ufeff"

// Separator joins the values of a field that takes several (checkboxes)
// in one CSV cell.
const Separator = "; "

// column is one question's place in a CSV row.
type column struct {
	step, field string
	header      string
}

// CSV writes the submissions of wz as CSV (RFC 4180, CRLF line ends,
// UTF-8 after a byte order mark): a header row, then one row per
// submission in the order given. A line break inside a value is written
// as CRLF, as browsers send a textarea's; a carriage return alone is
// dropped (encoding/csv's CRLF mode).
//
// The columns are the reference, the time submitted (RFC 3339, UTC) and
// one per question of every step in the wizard's order, headed "Step
// title: Field label" (the step's or field's name where it has no title
// or label, or one that names an answer), whether or not a submission's
// journey went through that step: a question a submission did not answer
// is an empty cell. The
// values of a checkboxes field are joined with Separator. Answers to
// questions the wizard no longer has get extra columns at the end, headed
// "step.field" in the order first met, so that nothing stored is lost.
//
// A cell that starts with '=', '+', '-', '@', a tab or a carriage return
// is prefixed with a single quote, so that a spreadsheet shows it as text
// instead of running it as a formula ("-2" reads "'-2").
//
// Every submission must be of wz (its Wizard is wz.Name); CSV writes
// nothing and returns an error otherwise.
func CSV(w io.Writer, wz *wizard.Wizard, subs []wizard.Submission) error {
	for _, s := range subs {
		if s.Wizard != wz.Name {
			return fmt.Errorf("submission %q is of wizard %q, not %q", s.Reference, s.Wizard, wz.Name)
		}
	}
	cols := columns(wz, subs)
	index := make(map[[2]string]int, len(cols))
	header := []string{"Reference", "Submitted at (UTC)"}
	for i, c := range cols {
		index[[2]string{c.step, c.field}] = i
		header = append(header, c.header)
	}
	if _, err := io.WriteString(w, bom); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(neutralise(header)); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	for _, s := range subs {
		values := make([][]string, len(cols))
		for _, a := range s.Answers {
			i := index[[2]string{a.Step, a.Field}]
			values[i] = append(values[i], a.Values...)
		}
		row := []string{s.Reference, s.Time.UTC().Format(time.RFC3339)}
		for _, v := range values {
			row = append(row, strings.Join(v, Separator))
		}
		if err := cw.Write(neutralise(row)); err != nil {
			return fmt.Errorf("write csv: submission %q: %w", s.Reference, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// columns lists the wizard's questions in order, then those only
// submissions know.
func columns(wz *wizard.Wizard, subs []wizard.Submission) []column {
	var cols []column
	known := map[[2]string]bool{}
	for _, st := range wz.Steps {
		title := plain(st.Title, st.Name)
		for _, f := range st.Fields {
			cols = append(cols, column{step: st.Name, field: f.Name, header: title + ": " + plain(f.Label, f.Name)})
			known[[2]string{st.Name, f.Name}] = true
		}
	}
	for _, s := range subs {
		for _, a := range s.Answers {
			k := [2]string{a.Step, a.Field}
			if !known[k] {
				cols = append(cols, column{step: a.Step, field: a.Field, header: a.Step + "." + a.Field})
				known[k] = true
			}
		}
	}
	return cols
}

// plain returns text, or name when text is empty or names an answer
// ("{details.name}, which ticket?"): a column heads every submission's
// answer, and each would fill the reference in differently.
func plain(text, name string) string {
	if text == "" || wizard.Expand(text, nil) != text {
		return name
	}
	return text
}

// neutralise prefixes with a single quote every cell a spreadsheet would
// take for a formula (OWASP's "CSV injection" advice), in place.
func neutralise(row []string) []string {
	for i, c := range row {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			row[i] = "'" + c
		}
	}
	return row
}

// JSONL writes each submission as one JSON object per line, the encoding
// the JSONL sink stores.
func JSONL(w io.Writer, subs []wizard.Submission) error {
	enc := json.NewEncoder(w)
	for _, s := range subs {
		if err := enc.Encode(s); err != nil {
			return fmt.Errorf("write jsonl: submission %q: %w", s.Reference, err)
		}
	}
	return nil
}
