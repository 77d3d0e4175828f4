package definition_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/definition"
)

// party asks for the host, then up to three guests, then parking only for
// two guests or more: its routes and a later field test guests.count.
const party = `version: 1
title: Party
steps:
  - name: host
    title: Host
    fields: [{name: name, label: Name, required: true}]
  - name: guests
    title: Your guests
    repeat: {min: 0, max: 3, noun: guest, plural: guests}
    fields:
      - {name: name, label: Name, required: true, autocomplete: "off"}
      - {name: diet, kind: select, label: Dietary needs, options: [{value: vegan, label: Vegan}, {value: none, label: None}]}
    next:
      - {when: {field: count, lt: 2}, goto: end}
  - name: parking
    title: Parking
    fields: [{name: cars, kind: number, label: Cars}]
  - name: end
    title: End
    fields:
      - {name: note, label: Note, show_when: {field: guests.count, ge: 1}}
`

func TestRepeatBuildsTheStep(t *testing.T) {
	w := mustParse(t, "party.yaml", party)
	got := w.Step("guests").Repeat
	want := &wizard.Repeat{Min: 0, Max: 3, Noun: "guest", Plural: "guests"}
	if got == nil || got.Min != want.Min || got.Max != want.Max || got.Noun != want.Noun || got.Plural != want.Plural {
		t.Fatalf("repeat: got %+v, want %+v", got, want)
	}
	if w.Step("host").Repeat != nil {
		t.Error("a step without repeat repeats")
	}
	// min defaults to 0, noun and plural to the engine's defaults.
	w = mustParse(t, "p.yaml", strings.Replace(party, "{min: 0, max: 3, noun: guest, plural: guests}", "{max: 3}", 1))
	if r := w.Step("guests").Repeat; r == nil || r.Min != 0 || r.Max != 3 || r.Noun != "" || r.Plural != "" {
		t.Errorf("repeat with max alone: got %+v", r)
	}
}

// TestRepeatCountInConditions follows the journeys the count decides:
// the route of the repeating step itself (count) and a later field's
// show_when (guests.count).
func TestRepeatCountInConditions(t *testing.T) {
	w := mustParse(t, "party.yaml", party)
	list := func(names ...string) wizard.Values {
		v := wizard.Values{}
		for _, n := range names {
			v = v.WithItem(wizard.NewItemID(), wizard.Values{"name": {n}})
		}
		return v.WithDone(true)
	}
	for _, tt := range []struct {
		guests wizard.Values
		steps  []string
		note   bool // whether end asks for a note
	}{
		{list(), []string{"host", "guests", "end"}, false},
		{list("Ann"), []string{"host", "guests", "end"}, true},
		{list("Ann", "Bob"), []string{"host", "guests", "parking", "end"}, true},
	} {
		j := w.Journey(wizard.Answers{"host": {"name": {"Hal"}}, "guests": tt.guests})
		var got []string
		for _, s := range j.Steps() {
			got = append(got, s.Name)
		}
		n := len(tt.guests.Items())
		if !reflect.DeepEqual(got, tt.steps) {
			t.Errorf("%d guests: steps %v, want %v", n, got, tt.steps)
		}
		if note := len(j.Form(w.Step("end"), nil, nil).Fields) == 1; note != tt.note {
			t.Errorf("%d guests: note asked %v, want %v", n, note, tt.note)
		}
	}
}

func TestRepeatJSONGivesTheSameWizardAsYAML(t *testing.T) {
	src := `{"version": 1, "title": "T", "steps": [
	{"name": "guests", "title": "G", "repeat": {"min": 1, "max": 50, "noun": "guest"},
	 "fields": [{"name": "name", "label": "Name", "required": true}],
	 "next": [{"when": {"field": "guests.count", "gt": 2}, "goto": "c"}]},
	{"name": "b", "title": "B"},
	{"name": "c", "title": "C"}
]}`
	yml := "version: 1\ntitle: T\nsteps:\n  - {name: guests, title: G, repeat: {min: 1, max: 50, noun: guest}, fields: [{name: name, label: Name, required: true}], next: [{when: {field: guests.count, gt: 2}, goto: c}]}\n  - {name: b, title: B}\n  - {name: c, title: C}\n"
	a, b := mustParse(t, "x.json", src), mustParse(t, "x.yaml", yml)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("JSON and YAML differ:\n%+v\n%+v", a.Steps[0], b.Steps[0])
	}
	if r := a.Step("guests").Repeat; r == nil || r.Min != 1 || r.Max != 50 || r.Noun != "guest" {
		t.Errorf("repeat: got %+v", r)
	}
}

// TestRepeatMistakes wants each mistake of a repeating step, the loader's
// and the engine's, at its place in the file.
func TestRepeatMistakes(t *testing.T) {
	for _, tt := range []struct {
		name, old, new string
		want           []string
	}{
		{"max above 50", "max: 3,", "max: 60,",
			[]string{`f.yaml:9:27: steps[1].repeat.max: a repeating step collects 1 to 50 items at most, not 60`}},
		{"max 0", "max: 3,", "max: 0,",
			[]string{`f.yaml:9:27: steps[1].repeat.max: a repeating step collects 1 to 50 items at most, not 0`}},
		{"min above max", "min: 0,", "min: 4,",
			[]string{`f.yaml:9:19: steps[1].repeat.min: min 4 must be between 0 and max 3`}},
		{"negative min", "min: 0,", "min: -1,",
			[]string{`f.yaml:9:19: steps[1].repeat.min: min -1 must be between 0 and max 3`}},
		{"max missing", "max: 3, ", "",
			[]string{`f.yaml:9:13: steps[1].repeat.max: missing "max"`}},
		{"max not a whole number", "max: 3,", "max: three,",
			[]string{`f.yaml:9:27: steps[1].repeat.max: want a whole number, not "three"`}},
		{"a typo in repeat", "plural: guests", "plurals: guests",
			[]string{`f.yaml:9:43: steps[1].repeat.plurals: unknown key "plurals" (did you mean "plural"?)`}},
		{"repeat not a mapping", "{min: 0, max: 3, noun: guest, plural: guests}", "yes",
			[]string{`f.yaml:9:13: steps[1].repeat: want a mapping of keys to values, not "yes"`}},
		{"no fields", "    fields:\n      - {name: name, label: Name, required: true, autocomplete: \"off\"}\n      - {name: diet, kind: select, label: Dietary needs, options: [{value: vegan, label: Vegan}, {value: none, label: None}]}\n", "",
			[]string{`f.yaml:7:5: steps[1].fields: a repeating step needs fields: each item is one set of them`}},
		{"its routes test an item's field", "{field: count, lt: 2}", "{field: diet, eq: vegan}",
			[]string{`f.yaml:14:24: steps[1].next[0].when.field: step "guests" repeats, so its routes can test only its number of items: guests.count`}},
		{"count compared with a word", "{field: count, lt: 2}", "{field: count, lt: two}",
			[]string{`f.yaml:14:35: steps[1].next[0].when.lt: "two" is not a number, and "count" is a number field`}},
		{"a later condition on an item's field", "{field: guests.count, ge: 1}", "{field: guests.name, answered: true}",
			[]string{`f.yaml:21:54: steps[3].fields[0].show_when.field: step "guests" repeats: its fields have one answer per item, so test its number of items, guests.count`}},
		{"a template naming an item's field", "title: End", "title: \"{guests.name}\"",
			[]string{`f.yaml:19:12: steps[3].title: {guests.name}: step "guests" repeats, with one answer per item`}},
		{"count before the step is asked", "fields: [{name: name, label: Name, required: true}]", "fields: [{name: name, label: Name, required: true, show_when: {field: guests.count, gt: 0}}]",
			[]string{`f.yaml:6:75: steps[0].fields[0].show_when.field: "guests.count" is not asked before step "host" on any journey`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(party, tt.old) {
				t.Fatalf("party has no %q", tt.old)
			}
			w, err := definition.Parse("f.yaml", []byte(strings.Replace(party, tt.old, tt.new, 1)))
			wantErrors(t, w, err, tt.want)
		})
	}
}
