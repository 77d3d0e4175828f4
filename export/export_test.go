package export_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/export"
)

// testWizard has two steps, the second one a branch some journeys skip,
// whose title names an answer.
func testWizard() *wizard.Wizard {
	return &wizard.Wizard{Name: "pets", Title: "Pets", Steps: []*wizard.Step{
		{Name: "you", Title: "About you", Fields: []*wizard.Field{
			{Name: "name", Label: "Your name"},
			{Name: "note", Label: "Anything else"},
		}},
		{Name: "pets", Title: "{you.name}, your pets", Fields: []*wizard.Field{
			{Name: "kinds", Label: "Kinds", Kind: wizard.Checkboxes},
			{Name: "count"},
		}},
	}}
}

var at = time.Date(2026, 3, 1, 9, 30, 0, 0, time.FixedZone("CET", 3600))

// mustCSV returns the records of export.CSV's output, checking its BOM.
func mustCSV(tb testing.TB, wz *wizard.Wizard, subs []wizard.Submission) [][]string {
	tb.Helper()
	var b bytes.Buffer
	if err := export.CSV(&b, wz, subs); err != nil {
		tb.Fatal(err)
	}
	out, ok := strings.CutPrefix(b.String(), "\ufeff")
	if !ok {
		tb.Fatalf("output starts %q, want a UTF-8 byte order mark", b.String()[:min(10, b.Len())])
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		tb.Fatalf("output does not parse as CSV: %v\n%s", err, out)
	}
	return recs
}

func TestCSV(t *testing.T) {
	subs := []wizard.Submission{
		{ID: "aaaaaaaaaa", Reference: "PET-AAAAA", Wizard: "pets", Time: at, Answers: []wizard.Answer{
			{Step: "you", Field: "name", Values: []string{`Zoë "Z", Ångström`}},
			{Step: "you", Field: "note", Values: []string{"line one,\r\nline two\n日本語"}},
			{Step: "pets", Field: "kinds", Values: []string{"cat", "dog, big", "=cmd|' /C calc'!A0"}},
			{Step: "pets", Field: "count", Values: []string{"-2"}},
		}},
		// This journey skipped the pets step.
		{ID: "bbbbbbbbbb", Reference: "PET-BBBBB", Wizard: "pets", Time: at.Add(time.Hour), Answers: []wizard.Answer{
			{Step: "you", Field: "name", Values: []string{"=cmd"}},
			{Step: "you", Field: "note", Values: []string{"+1"}},
		}},
		{ID: "cccccccccc", Reference: "PET-CCCCC", Wizard: "pets", Time: at.Add(2 * time.Hour), Answers: []wizard.Answer{
			{Step: "you", Field: "name", Values: []string{"@x"}},
			{Step: "you", Field: "note", Values: []string{"\tTab"}},
			{Step: "pets", Field: "kinds", Values: []string{}},
			{Step: "pets", Field: "count", Values: []string{"\rCR"}},
		}},
	}
	got := mustCSV(t, testWizard(), subs)
	want := [][]string{
		{"Reference", "Submitted at (UTC)", "About you: Your name", "About you: Anything else", "pets: Kinds", "pets: count"},
		{"PET-AAAAA", "2026-03-01T08:30:00Z", `Zoë "Z", Ångström`, "line one,\nline two\n日本語", "cat; dog, big; =cmd|' /C calc'!A0", "'-2"},
		{"PET-BBBBB", "2026-03-01T09:30:00Z", "'=cmd", "'+1", "", ""},
		{"PET-CCCCC", "2026-03-01T10:30:00Z", "'@x", "'\tTab", "", "'CR"},
	}
	// encoding/csv reads a quoted \r\n as \n; TestCSVQuotesRaw checks
	// the bytes written.
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

func TestCSVQuotesRaw(t *testing.T) {
	subs := []wizard.Submission{{Reference: "PET-AAAAA", Wizard: "pets", Time: at, Answers: []wizard.Answer{
		{Step: "you", Field: "name", Values: []string{`a "b", c`}},
		{Step: "you", Field: "note", Values: []string{"one\r\ntwo"}},
	}}}
	var b bytes.Buffer
	if err := export.CSV(&b, testWizard(), subs); err != nil {
		t.Fatal(err)
	}
	if want := `"a ""b"", c"`; !strings.Contains(b.String(), want) {
		t.Errorf("output %q does not hold %s", b.String(), want)
	}
	if want := "\"one\r\ntwo\""; !strings.Contains(b.String(), want) {
		t.Errorf("output %q does not hold %q", b.String(), want)
	}
	if !strings.HasSuffix(b.String(), "\r\n") || strings.Count(b.String(), "\r\n") != 3 {
		t.Errorf("output %q: want two rows and a line break in a value, all CRLF", b.String())
	}
}

func TestCSVRemovedField(t *testing.T) {
	wz := testWizard()
	wz.Steps[0].Fields = wz.Steps[0].Fields[:1] // "note" left the definition
	subs := []wizard.Submission{
		{Reference: "PET-AAAAA", Wizard: "pets", Time: at, Answers: []wizard.Answer{
			{Step: "you", Field: "name", Values: []string{"Ann"}},
			{Step: "you", Field: "note", Values: []string{"kept"}},
			{Step: "gone", Field: "why", Values: []string{"a", "b"}},
		}},
		{Reference: "PET-BBBBB", Wizard: "pets", Time: at, Answers: []wizard.Answer{
			{Step: "you", Field: "name", Values: []string{"Bob"}},
		}},
	}
	got := mustCSV(t, wz, subs)
	want := [][]string{
		{"Reference", "Submitted at (UTC)", "About you: Your name", "pets: Kinds", "pets: count", "you.note", "gone.why"},
		{"PET-AAAAA", "2026-03-01T08:30:00Z", "Ann", "", "", "kept", "a; b"},
		{"PET-BBBBB", "2026-03-01T08:30:00Z", "Bob", "", "", "", ""},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

func TestCSVNoSubmissions(t *testing.T) {
	got := mustCSV(t, testWizard(), nil)
	if len(got) != 1 || len(got[0]) != 6 {
		t.Errorf("got %q, want the header row alone", got)
	}
}

func TestCSVOtherWizard(t *testing.T) {
	var b bytes.Buffer
	err := export.CSV(&b, testWizard(), []wizard.Submission{{Reference: "REG-AAAAA", Wizard: "register"}})
	if err == nil || !strings.Contains(err.Error(), `"register"`) {
		t.Errorf("got %v, want an error naming the other wizard", err)
	}
	if b.Len() != 0 {
		t.Errorf("wrote %q, want nothing", b.String())
	}
}

func TestJSONLRoundTrip(t *testing.T) {
	subs := []wizard.Submission{
		{ID: "aaaaaaaaaa", Reference: "PET-AAAAA", Wizard: "pets", Time: at.UTC(), Answers: []wizard.Answer{
			{Step: "you", Field: "name", Values: []string{"Zoë \"Z\"\n<b>&"}},
		}},
		{ID: "bbbbbbbbbb", Reference: "PET-BBBBB", Wizard: "pets", Time: at.Add(time.Second).UTC(), Answers: []wizard.Answer{
			{Step: "pets", Field: "kinds", Values: []string{"cat", "dog"}},
		}},
	}
	var b bytes.Buffer
	if err := export.JSONL(&b, subs); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(b.String(), "\n")
	if len(lines) != 3 || lines[2] != "" {
		t.Fatalf("got %q, want two lines", b.String())
	}
	var got []wizard.Submission
	for i, l := range lines[:2] {
		stored, err := json.Marshal(subs[i])
		if err != nil {
			t.Fatal(err)
		}
		if l != string(stored)+"\n" {
			t.Errorf("line %d is %s, want it as the sink stores it: %s", i+1, l, stored)
		}
		var s wizard.Submission
		if err := json.Unmarshal([]byte(l), &s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	if !reflect.DeepEqual(got, subs) {
		t.Errorf("got %+v, want %+v", got, subs)
	}
}
