package definition_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/definition"
)

// fishing is the example, complete.
const fishing = `version: 1
title: Fishing licence
intro: Buy a licence.
done: "Thank you, {angler.name}."
review_title: Check your answers
ref_prefix: FSH
steps:
  - name: angler
    title: About you
    help: Some help.
    submit: Continue
    fields:
      - {name: name, label: Full name, noun: your full name, required: true, max_len: 200, autocomplete: name}
      - {name: age, kind: number, label: Age, noun: your age, required: true, min: 0, max: 120, min_message: "Too young"}
  - name: water
    title: "{angler.name}, where will you fish?"
    fields:
      - name: country
        kind: radio
        label: Country
        required: true
        options: [{value: england, label: England}, {value: wales, label: Wales}, {value: elsewhere, label: Somewhere else}]
      - {name: river, label: River, required: true, show_when: {field: country, in: [england, wales]}}
    next:
      - {when: {field: country, eq: elsewhere}, exit: outside}
      - {when: {any: [{field: angler.age, lt: 16}, {field: angler.age, ge: 65}]}, goto: concession}
      - {goto: pay}
  - name: concession
    title: Concession
    fields:
      - {name: proof, kind: yes_no, label: "Can you show proof of age?", required: true}
  - name: pay
    title: Payment
    fields:
      - {name: card, label: Card, pattern: "[0-9]{16}", pattern_message: Sixteen digits}
exits:
  - {name: outside, title: You cannot buy this licence, body: "This licence covers England and Wales only."}
`

func mustParse(t *testing.T, file, src string) *wizard.Wizard {
	t.Helper()
	w, err := definition.Parse(file, []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return w
}

func TestParseBuildsTheWizard(t *testing.T) {
	w := mustParse(t, "forms/fishing.yaml", fishing)
	if w.Name != "fishing" || w.Title != "Fishing licence" || w.RefPrefix != "FSH" || w.ReviewTitle != "Check your answers" {
		t.Errorf("wizard: got name %q title %q prefix %q review %q", w.Name, w.Title, w.RefPrefix, w.ReviewTitle)
	}
	age := w.Step("angler").Field("age")
	if age.Kind != wizard.Number || *age.Min != 0 || *age.Max != 120 || !age.Required || age.MinMessage != "Too young" {
		t.Errorf("age field: %+v", age)
	}
	if w.Step("pay").Field("card").Pattern.String() != "[0-9]{16}" {
		t.Error("pattern not read")
	}
	water := w.Step("water")
	if got := water.Field("river").ShowWhen; got == nil || got.Test != wizard.In || !reflect.DeepEqual(got.Values, []string{"england", "wales"}) {
		t.Errorf("river show_when: %+v", got)
	}
	if len(water.Routes) != 3 || water.Routes[0].Exit != "outside" || water.Routes[1].Goto != "concession" || len(water.Routes[1].When.Any) != 2 {
		t.Errorf("routes: %+v", water.Routes)
	}
	if e := w.Exit("outside"); e == nil || e.Title != "You cannot buy this licence" {
		t.Errorf("exit: %+v", e)
	}

	// The journeys the routes describe.
	answers := func(age, country string) wizard.Answers {
		return wizard.Answers{
			"angler": {"name": {"Ada"}, "age": {age}},
			"water":  {"country": {country}, "river": {"Wye"}},
		}
	}
	for _, tt := range []struct {
		age, country string
		steps        []string
		exit         string
	}{
		{"30", "england", []string{"angler", "water", "pay"}, ""},
		{"12", "wales", []string{"angler", "water", "concession", "pay"}, ""},
		{"70", "england", []string{"angler", "water", "concession", "pay"}, ""},
		{"30", "elsewhere", []string{"angler", "water"}, "outside"},
	} {
		j := w.Journey(answers(tt.age, tt.country))
		var got []string
		for _, s := range j.Steps() {
			got = append(got, s.Name)
		}
		if !reflect.DeepEqual(got, tt.steps) {
			t.Errorf("age %s, %s: steps %v, want %v", tt.age, tt.country, got, tt.steps)
		}
		exit := ""
		if e := j.Exited(); e != nil {
			exit = e.Name
		}
		if exit != tt.exit {
			t.Errorf("age %s, %s: exit %q, want %q", tt.age, tt.country, exit, tt.exit)
		}
	}
}

// TestMistakesPointAtTheLine runs one broken definition per case and
// wants exactly the listed errors, in order.
func TestMistakesPointAtTheLine(t *testing.T) {
	tests := []struct {
		name string
		file string
		src  string
		want []string
	}{
		{"typo in a goto", "forms/f.yaml", strings.Replace(fishing, "goto: concession", "goto: concesion", 1),
			[]string{`forms/f.yaml:26:89: steps[1].next[1].goto: unknown step "concesion"`}},
		{"unknown key, with a suggestion", "f.yaml", "version: 1\ntitle: T\nsteps:\n  - name: a\n    title: A\n    feilds: []\n",
			[]string{`f.yaml:6:5: steps[0].feilds: unknown key "feilds" (did you mean "fields"?)`}},
		{"a typo of a required key is one mistake", "f.yaml", "version: 1\ntitel: T\nsteps: [{name: a, title: A}]\n",
			[]string{`f.yaml:2:1: titel: unknown key "titel" (did you mean "title"?)`}},
		{"a file name that cannot name a wizard", "forms/My Pets.yaml", "version: 1\ntitle: T\nsteps: [{name: a, title: A}]\n",
			[]string{`forms/My Pets.yaml:1:1: name: the file's name "My Pets" cannot name a wizard (it is part of its address): rename the file, or set name: to lowercase letters, digits, '-' and '_'`}},
		{"an unknown version beside other mistakes", "f.yaml", "version: 2\ntitle: T\ncolour: red\nsteps: [{name: a, title: A}]\n",
			[]string{`f.yaml:1:10: version: unknown version 2: this server reads version 1`, `f.yaml:3:1: colour: unknown key "colour"`}},
		{"key twice", "f.yaml", "version: 1\ntitle: T\ntitle: U\nsteps: [{name: a, title: A}]\n",
			[]string{`f.yaml:3:1: title: key "title" given twice`}},
		{"missing version and steps", "f.yaml", "title: T\n",
			[]string{`f.yaml:1:1: version: missing "version"`, `f.yaml:1:1: steps: missing "steps"`}},
		{"unknown version", "f.yaml", "version: 2\ntitle: T\nsteps: [{name: a, title: A}]\n",
			[]string{`f.yaml:1:10: version: unknown version 2: this server reads version 1`}},
		{"wrong types", "f.yaml", "version: 1\ntitle: T\nsteps:\n  - name: a\n    title: A\n    fields:\n      - {name: n, label: N, required: yes, max_len: ten, min: 1}\n",
			[]string{
				`f.yaml:7:39: steps[0].fields[0].required: want true or false, not "yes"`,
				`f.yaml:7:53: steps[0].fields[0].max_len: want a whole number, not "ten"`,
				`f.yaml:7:63: steps[0].fields[0].min: min and max bound number fields only, and "n" is a text field`,
			}},
		{"unknown kind", "f.yaml", "version: 1\ntitle: T\nsteps:\n  - name: a\n    title: A\n    fields:\n      - {name: n, label: N, kind: yesno}\n",
			[]string{`f.yaml:7:35: steps[0].fields[0].kind: unknown kind "yesno" (did you mean "yes_no"?): use text, email, number, date, textarea, select, radio, checkboxes or yes_no; no field type of that name is registered by the program, which registers none`}},
		{"bad pattern", "f.yaml", "version: 1\ntitle: T\nsteps:\n  - name: a\n    title: A\n    fields:\n      - {name: n, label: N, pattern: \"[a-\"}\n",
			[]string{`f.yaml:7:38: steps[0].fields[0].pattern: not a regular expression: missing closing ]: ` + "`[a-`"}},
		{"goto backwards", "f.yaml", "version: 1\ntitle: T\nsteps:\n  - {name: a, title: A}\n  - name: b\n    title: B\n    next: [{goto: a}]\n",
			[]string{`f.yaml:7:19: steps[1].next[0].goto: step "a" comes before "b": journeys only go forward`}},
		{"condition on a later field, lt on text, eq with no such option", "f.yaml", `version: 1
title: T
steps:
  - name: a
    title: A
    fields:
      - {name: t, label: T}
      - {name: r, label: R, kind: radio, options: [{value: x, label: X}]}
    next:
      - {when: {field: b.n, eq: "1"}, goto: b}
      - {when: {field: t, lt: 3}, goto: b}
      - {when: {field: r, eq: y}, goto: b}
  - name: b
    title: B
    fields: [{name: n, label: N, kind: number}]
`, []string{
			`f.yaml:10:24: steps[0].next[0].when.field: "b.n" is not asked before step "a" on any journey`,
			`f.yaml:11:31: steps[0].next[1].when.lt: lt compares numbers and dates, and "t" is a text field`,
			`f.yaml:12:31: steps[0].next[2].when.eq: "y" is not one of the options of "r"`,
		}},
		{"template naming a later field", "f.yaml", "version: 1\ntitle: T\nsteps:\n  - {name: a, title: \"Hi {b.n}\"}\n  - {name: b, title: B, fields: [{name: n, label: N}]}\n",
			[]string{`f.yaml:4:22: steps[0].title: {b.n}: not asked before this text is shown`}},
		{"reserved and duplicate names", "f.yaml", "version: 1\ntitle: T\nsteps:\n  - {name: review, title: A}\n  - {name: b, title: B}\n  - {name: b, title: C}\n",
			[]string{`f.yaml:4:12: steps[0].name: step name "review" is reserved`, `f.yaml:6:12: steps[2].name: duplicate step "b"`}},
		{"two tests in one condition", "f.yaml", "version: 1\ntitle: T\nsteps:\n  - name: a\n    title: A\n    fields: [{name: n, label: N, kind: number}]\n    next: [{when: {field: n, lt: 1, gt: 5}, goto: b}]\n  - {name: b, title: B}\n",
			[]string{`f.yaml:7:41: steps[0].next[0].when: one test or combination per condition, and this one also has "lt": combine conditions with all or any`}},
		{"alias", "f.yaml", "version: 1\ntitle: &t T\nintro: *t\nsteps: [{name: a, title: A}]\n",
			[]string{`f.yaml:3:8: intro: want a value, not an alias`}},
		{"two documents", "f.yaml", "version: 1\ntitle: T\nsteps: [{name: a, title: A}]\n---\nversion: 1\n",
			[]string{`f.yaml:4:1: syntax: a file holds one wizard: remove the second document (---)`}},
		{"YAML syntax", "f.yaml", "version: 1\ntitle: [T\nsteps: []\n",
			[]string{`f.yaml:2:1: syntax: did not find expected ',' or ']' in what begins on this line (in a value inside { } or [ ], put text holding ":", "#", "?" or "," in quotes)`}},
		{"a flow mapping's plain text ending in '?,'", "f.yaml", "version: 1\ntitle: T\nsteps:\n  - name: a\n    title: A\n    fields:\n      - {name: shade, label: Which shade?, required: true}\n",
			[]string{`f.yaml:7:1: syntax: did not find expected ',' or '}' in what begins on this line (in a value inside { } or [ ], put text holding ":", "#", "?" or "," in quotes)`}},
		{"a line indented wrongly", "f.yaml", "version: 1\ntitle: T\nsteps:\n  - name: a\n    title: A\n   help: H\n",
			[]string{`f.yaml:4:1: syntax: did not find expected '-' indicator in what begins on this line`}},
		{"a scanner error", "f.yaml", "version: 1\ntitle: T\nsteps: a: b\n",
			[]string{`f.yaml:3:1: syntax: mapping values are not allowed in this context`}},
		{"empty file", "f.yaml", "# nothing\n",
			[]string{`f.yaml:1:1: empty file: a definition starts with "version: 1"`}},
		{"not a mapping", "f.yaml", "- a\n",
			[]string{`f.yaml:1:1: want a mapping of keys to values, not a list`}},
		{"JSON syntax", "f.json", "{\n  \"version\": 1,\n  \"title\": \"T\"\n  \"steps\": []\n}\n",
			[]string{`f.json:4:3: syntax: invalid character '"' after object key:value pair`}},
		{"JSON unknown key", "f.json", "{\"version\": 1, \"title\": \"T\",\n \"steps\": [{\"name\": \"a\", \"title\": \"A\", \"submitt\": \"Go\"}]}\n",
			[]string{`f.json:2:40: steps[0].submitt: unknown key "submitt" (did you mean "submit"?)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := definition.Parse(tt.file, []byte(tt.src))
			wantErrors(t, w, err, tt.want)
		})
	}
}

// wantErrors wants a broken file's result: no wizard, and Errors that
// read exactly want, in order.
func wantErrors(tb testing.TB, w *wizard.Wizard, err error, want []string) {
	tb.Helper()
	var errs definition.Errors
	if !errors.As(err, &errs) {
		tb.Fatalf("got %v (%T), want Errors", err, err)
	}
	if w != nil {
		tb.Error("got a wizard from a broken file")
	}
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	if !reflect.DeepEqual(got, want) {
		tb.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

func TestJSONGivesTheSameWizardAsYAML(t *testing.T) {
	src := `{
	"version": 1, "title": "T", "done": "Bye {a.n}\/",
	"steps": [
		{"name": "a", "title": "A", "fields": [{"name": "n", "label": "N", "kind": "number", "min": 1.5, "required": true}],
		 "next": [{"when": {"not": {"field": "n", "answered": true}}, "exit": "out"}]},
		{"name": "b", "title": "B"}
	],
	"exits": [{"name": "out", "title": "Out"}]
}`
	yml := "version: 1\ntitle: T\ndone: Bye {a.n}/\nsteps:\n  - {name: a, title: A, fields: [{name: n, label: N, kind: number, min: 1.5, required: true}], next: [{when: {not: {field: n, answered: true}}, exit: out}]}\n  - {name: b, title: B}\nexits: [{name: out, title: Out}]\n"
	if a, b := mustParse(t, "x.json", src), mustParse(t, "x.yaml", yml); !reflect.DeepEqual(a, b) {
		t.Errorf("JSON and YAML differ:\n%+v\n%+v", a, b)
	}
}

func TestByteOrderMarkIsSkipped(t *testing.T) {
	for _, tt := range []struct{ file, src string }{
		{"bom.json", "\ufeff" + `{"version": 1, "title": "T", "steps": [{"name": "a", "title": "A"}]}`},
		{"bom.yaml", "\ufeffversion: 1\ntitle: T\nsteps: [{name: a, title: A}]\n"},
	} {
		if w := mustParse(t, tt.file, tt.src); w.Name != "bom" {
			t.Errorf("%s: got %q", tt.file, w.Name)
		}
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("b-second.yaml", "version: 1\ntitle: B\nsteps: [{name: s, title: S}]\n")
	write("a-first.json", `{"version": 1, "title": "A", "steps": [{"name": "s", "title": "S"}]}`)
	write("notes.txt", "not a definition")
	ws, err := definition.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 2 || ws[0].Name != "a-first" || ws[1].Name != "b-second" {
		t.Fatalf("got %d wizards, want a-first then b-second", len(ws))
	}

	// Mistakes in two files, and a name taken twice: all reported, no wizard.
	write("c.yaml", "version: 1\nname: a-first\ntitle: C\nsteps: [{name: s, title: S}]\n")
	write("d.yml", "version: 1\ntitle: D\nsteps: [{name: s, title: S, bad: 1}]\n")
	ws, err = definition.LoadDir(dir)
	if ws != nil {
		t.Error("got wizards from a directory with mistakes")
	}
	want := []string{
		filepath.Join(dir, "c.yaml") + `:2:7: name: wizard name "a-first" is taken by ` + filepath.Join(dir, "a-first.json"),
		filepath.Join(dir, "d.yml") + `:3:29: steps[0].bad: unknown key "bad"`,
	}
	if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, want) {
		t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}

	if _, err := definition.LoadDir(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no definition files") {
		t.Errorf("empty directory: got %v", err)
	}
}

func TestEveryMistakeOfAFile(t *testing.T) {
	src := `version: 1
title: T
steps:
  - name: a
    title: A
    fields:
      - {name: k, label: K, kind: checkboxes, options: [{value: x, label: X}]}
      - {name: o, label: O, show_when: {field: k, eq: x}}
    next: [{goto: nowhere}, {exit: gone}]
  - {name: b, title: "{a.zz}"}
exits: [{name: a, title: Clash}]
`
	_, err := definition.Parse("f.yaml", []byte(src))
	var errs definition.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("got %v", err)
	}
	for _, want := range []string{
		`f.yaml:8:55: steps[0].fields[1].show_when.eq: eq does not test checkboxes`,
		`f.yaml:9:19: steps[0].next[0].goto: unknown step "nowhere"`,
		`f.yaml:9:29: steps[0].next[1]: never tried`,
		`f.yaml:9:36: steps[0].next[1].exit: unknown exit "gone"`,
		`f.yaml:10:22: steps[1].title: {a.zz}: step "a" has no field "zz"`,
		`f.yaml:11:16: exits[0].name: exit "a" has the name of a step`,
	} {
		found := false
		for _, e := range errs {
			found = found || strings.HasPrefix(e.Error(), want)
		}
		if !found {
			t.Errorf("missing %s\ngot:\n%v", want, errs)
		}
	}
}
