// Package export writes stored submissions in the forms their owners open:
// CSV for a spreadsheet, one wizard at a time, and JSONL as the sinks
// store them.
package export

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"maps"
	"slices"
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
	key
	header string
}

// key names a question: a step's field, and for a repeating step's the
// item's number (from 1; 0 for any other step).
type key struct {
	step, field string
	item        int
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
// values of a checkboxes field are joined with Separator.
//
// A repeating step has one set of columns per item number, from 1 to the
// most items any of the submissions has (none when none has any), each
// set its fields in order, headed "Step title: Guest 2: Field label"
// (wizard.Repeat.ItemLabel): item 2 of every submission is in the same
// columns, and a submission with fewer items leaves the rest empty.
//
// Answers to questions the wizard no longer has get extra columns at the
// end, headed "step.field" ("step.2.field" for an item's) in the order
// first met, so that nothing stored is lost.
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
	index := make(map[key]int, len(cols))
	header := []string{"Reference", "Submitted at (UTC)"}
	for i, c := range cols {
		index[c.key] = i
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
			for k, vs := range cells(a) {
				i := index[k]
				values[i] = append(values[i], vs...)
			}
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
	most := map[string]int{} // a step's most items in one submission
	for _, s := range subs {
		for _, a := range s.Answers {
			if a.Items != nil {
				most[a.Step] = max(most[a.Step], len(a.Items))
			}
		}
	}
	var cols []column
	known := map[key]bool{}
	add := func(k key, header string) {
		cols = append(cols, column{k, header})
		known[k] = true
	}
	for _, st := range wz.Steps {
		title := plain(st.Title, st.Name)
		if st.Repeat != nil {
			for n := 1; n <= most[st.Name]; n++ {
				for _, f := range st.Fields {
					add(key{st.Name, f.Name, n}, title+": "+st.Repeat.ItemLabel(n)+": "+plain(f.Label, f.Name))
				}
			}
			continue
		}
		for _, f := range st.Fields {
			add(key{st.Name, f.Name, 0}, title+": "+plain(f.Label, f.Name))
		}
	}
	for _, s := range subs {
		for _, a := range s.Answers {
			for k := range cells(a) {
				if known[k] {
					continue
				}
				header := k.step + "." + k.field
				if k.item > 0 {
					header = fmt.Sprintf("%s.%d.%s", k.step, k.item, k.field)
				}
				add(k, header)
			}
		}
	}
	return cols
}

// cells yields the questions of an answer with their values: its field's,
// or for a repeating step's each item's fields, item by item and, within
// one, in the order of their names (an item is a map, and the columns of
// questions the wizard no longer has must come out the same every time).
func cells(a wizard.Answer) iter.Seq2[key, []string] {
	return func(yield func(key, []string) bool) {
		if a.Items == nil {
			yield(key{a.Step, a.Field, 0}, a.Values)
			return
		}
		for i, item := range a.Items {
			for _, field := range slices.Sorted(maps.Keys(item)) {
				if !yield(key{a.Step, field, i + 1}, item[field]) {
					return
				}
			}
		}
	}
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
