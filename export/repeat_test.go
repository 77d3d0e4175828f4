package export_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/export"
)

// partyWizard asks for a host, then up to five guests, then a note.
func partyWizard() *wizard.Wizard {
	return &wizard.Wizard{Name: "party", Title: "Party", Steps: []*wizard.Step{
		{Name: "host", Title: "About you", Fields: []*wizard.Field{{Name: "name", Label: "Your name"}}},
		{Name: "guests", Title: "Your guests", Repeat: &wizard.Repeat{Max: 5, Noun: "guest"}, Fields: []*wizard.Field{
			{Name: "name", Label: "Name"},
			{Name: "diet", Label: "Dietary needs", Kind: wizard.Checkboxes},
		}},
		{Name: "end", Title: "Last", Fields: []*wizard.Field{{Name: "note", Label: "Note"}}},
	}}
}

// guests is a repeating step's answer with the given items.
func guests(items ...wizard.Values) wizard.Answer {
	return wizard.Answer{Step: "guests", Values: []string{}, Items: append([]wizard.Values{}, items...)}
}

func TestCSVRepeat(t *testing.T) {
	subs := []wizard.Submission{
		{Reference: "PAR-AAAAA", Wizard: "party", Time: at, Answers: []wizard.Answer{
			{Step: "host", Field: "name", Values: []string{"Hal"}},
			guests(wizard.Values{"name": {"Ann"}, "diet": {"vegan", "nuts"}}, wizard.Values{"name": {"=Bob"}, "diet": {}}),
			{Step: "end", Field: "note", Values: []string{"hi"}},
		}},
		{Reference: "PAR-BBBBB", Wizard: "party", Time: at, Answers: []wizard.Answer{
			{Step: "host", Field: "name", Values: []string{"Ida"}},
			guests(), // none
			{Step: "end", Field: "note", Values: []string{"bye"}},
		}},
		{Reference: "PAR-CCCCC", Wizard: "party", Time: at, Answers: []wizard.Answer{
			{Step: "host", Field: "name", Values: []string{"Jo"}},
			guests(wizard.Values{"name": {"Cy"}}, wizard.Values{"name": {"Di"}}, wizard.Values{"name": {"Ed"}, "diet": {"halal"}}),
		}},
	}
	got := mustCSV(t, partyWizard(), subs)
	want := [][]string{
		{"Reference", "Submitted at (UTC)", "About you: Your name",
			"Your guests: Guest 1: Name", "Your guests: Guest 1: Dietary needs",
			"Your guests: Guest 2: Name", "Your guests: Guest 2: Dietary needs",
			"Your guests: Guest 3: Name", "Your guests: Guest 3: Dietary needs",
			"Last: Note"},
		{"PAR-AAAAA", "2026-03-01T08:30:00Z", "Hal", "Ann", "vegan; nuts", "'=Bob", "", "", "", "hi"},
		{"PAR-BBBBB", "2026-03-01T08:30:00Z", "Ida", "", "", "", "", "", "", "bye"},
		{"PAR-CCCCC", "2026-03-01T08:30:00Z", "Jo", "Cy", "", "Di", "", "Ed", "halal", ""},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}

	// Without items in any submission, the step has no columns.
	got = mustCSV(t, partyWizard(), subs[1:2])
	if want := []string{"Reference", "Submitted at (UTC)", "About you: Your name", "Last: Note"}; !reflect.DeepEqual(got[0], want) {
		t.Errorf("header with no items: got %q, want %q", got[0], want)
	}
}

// TestCSVRepeatChangedDefinition keeps what the wizard no longer asks: a
// field an item had, the items of a step that no longer repeats, and the
// one answer of a step that repeats now.
func TestCSVRepeatChangedDefinition(t *testing.T) {
	wz := partyWizard()
	wz.Steps[1].Fields = wz.Steps[1].Fields[:1]                                 // "diet" left the items
	wz.Steps[0].Repeat = &wizard.Repeat{Max: 2}                                 // "host" repeats now
	wz.Steps[0].Fields = append(wz.Steps[0].Fields, &wizard.Field{Name: "age"}) // (with two fields)
	subs := []wizard.Submission{{Reference: "PAR-AAAAA", Wizard: "party", Time: at, Answers: []wizard.Answer{
		{Step: "host", Field: "name", Values: []string{"Hal"}},
		guests(wizard.Values{"name": {"Ann"}, "diet": {"vegan"}, "age": {"9"}}, wizard.Values{"name": {"Bob"}, "diet": {"none"}}),
		{Step: "gone", Items: []wizard.Values{{"x": {"1"}}}},
	}}}
	got := mustCSV(t, wz, subs)
	want := [][]string{
		{"Reference", "Submitted at (UTC)", "Your guests: Guest 1: Name", "Your guests: Guest 2: Name", "Last: Note",
			"host.name", "guests.1.age", "guests.1.diet", "guests.2.diet", "gone.1.x"},
		{"PAR-AAAAA", "2026-03-01T08:30:00Z", "Ann", "Bob", "", "Hal", "9", "vegan", "none", "1"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

// TestJSONLRepeat keeps a repeating step's items as the list they are,
// an empty one too.
func TestJSONLRepeat(t *testing.T) {
	subs := []wizard.Submission{
		{Reference: "PAR-AAAAA", Wizard: "party", Time: at.UTC(), Answers: []wizard.Answer{
			guests(wizard.Values{"name": {"Ann"}, "diet": {"vegan", "nuts"}}, wizard.Values{"name": {"Bob"}, "diet": {}}),
		}},
		{Reference: "PAR-BBBBB", Wizard: "party", Time: at.UTC(), Answers: []wizard.Answer{guests()}},
	}
	var b bytes.Buffer
	if err := export.JSONL(&b, subs); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %q, want two lines", b.String())
	}
	for i, want := range []string{
		`{"step":"guests","field":"","values":[],"items":[{"diet":["vegan","nuts"],"name":["Ann"]},{"diet":[],"name":["Bob"]}]}`,
		`{"step":"guests","field":"","values":[],"items":[]}`,
	} {
		if !strings.Contains(lines[i], want) {
			t.Errorf("line %d is %s, want it to hold %s", i+1, lines[i], want)
		}
		var s wizard.Submission
		if err := json.Unmarshal([]byte(lines[i]), &s); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(s, subs[i]) {
			t.Errorf("line %d reads back as %+v, want %+v", i+1, s, subs[i])
		}
	}
}
