package definition_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/definition"
)

// postcode and dob are field types of a program's own.
var (
	postcode = &wizard.FieldType{
		Name:  "postcode",
		Parse: func(vs []string) (string, string) { return strings.ToUpper(vs[0]), "" },
	}
	dob = &wizard.FieldType{
		Name:  "dob",
		Parts: []string{"day", "month", "year"},
		Parse: func(vs []string) (string, string) { return strings.Join(vs, "/"), "" },
		Split: func(a string) []string { return strings.Split(a, "/") },
	}
)

// says is a check that finds one message, its own name, so that a test
// can tell which function a step got.
func says(name string) wizard.CheckFunc {
	return func(context.Context, wizard.Values, wizard.Answers) ([]wizard.FieldError, error) {
		return []wizard.FieldError{{Message: name}}, nil
	}
}

// registry lends the tests' types, checks and views.
func registry() *definition.Registry {
	return &definition.Registry{
		Types:  []*wizard.FieldType{postcode, dob},
		Checks: map[string]wizard.CheckFunc{"deliverable": says("deliverable"), "email-free": says("email-free"), "after-start": says("after-start")},
		Views:  []string{"address-card", "summary"},
	}
}

// apply names every sort of thing a program registers.
const apply = `version: 1
title: Apply
steps:
  - name: address
    title: Your address
    view: address-card
    checks: [deliverable]
    fields:
      - {name: postcode, kind: postcode, label: Postcode, required: true}
      - {name: email, kind: email, label: Email, checks: [email-free, after-start]}
      - {name: born, kind: dob, label: Date of birth}
  - name: more
    title: More
`

// mustFuncName calls a check and returns the name it says, which is the
// name of the registered check it is.
func mustFuncName(tb testing.TB, f wizard.CheckFunc) string {
	tb.Helper()
	if f == nil {
		tb.Fatal("check without a function")
	}
	errs, err := f(context.Background(), nil, nil)
	if err != nil || len(errs) != 1 {
		tb.Fatalf("check: %v, %v", errs, err)
	}
	return errs[0].Message
}

func TestRegistryLendsTypesChecksAndViews(t *testing.T) {
	w, err := registry().Parse("apply.yaml", []byte(apply))
	if err != nil {
		t.Fatal(err)
	}
	got := w.Step("address")
	for i, c := range got.Checks {
		if name := mustFuncName(t, c.Func); name != c.Name {
			t.Errorf("check %d, %q, has the function of %q", i, c.Name, name)
		}
		got.Checks[i].Func = nil // functions are never DeepEqual
	}
	want := &wizard.Step{
		Name:  "address",
		Title: "Your address",
		View:  "address-card",
		Fields: []*wizard.Field{
			{Name: "postcode", Kind: wizard.Custom, Type: postcode, Label: "Postcode", Required: true},
			{Name: "email", Kind: wizard.Email, Label: "Email"},
			{Name: "born", Kind: wizard.Custom, Type: dob, Label: "Date of birth"},
		},
		Checks: []wizard.Check{{Name: "deliverable"}, {Name: "email-free", Field: "email"}, {Name: "after-start", Field: "email"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n\t%+v\nwant\n\t%+v", got, want)
	}
	if more := w.Step("more"); more.View != "" || more.Checks != nil {
		t.Errorf("a step that names none: view %q, checks %v", more.View, more.Checks)
	}
}

func TestRegistryJSONAndLoadFS(t *testing.T) {
	const src = `{"version": 1, "title": "Apply", "steps": [{"name": "address", "title": "Your address", "view": "address-card", "checks": ["deliverable"],
		"fields": [{"name": "postcode", "kind": "postcode", "label": "Postcode", "required": true}, {"name": "email", "kind": "email", "label": "Email", "checks": ["email-free", "after-start"]}, {"name": "born", "kind": "dob", "label": "Date of birth"}]},
		{"name": "more", "title": "More"}]}`
	fsys := fstest.MapFS{"forms/apply.json": {Data: []byte(src)}, "forms/apply2.yaml": {Data: []byte("name: apply2\n" + apply)}}
	ws, err := registry().LoadFS(fsys, "forms")
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 2 {
		t.Fatalf("got %d wizards, want 2", len(ws))
	}
	a, b := ws[0].Step("address"), ws[1].Step("address")
	for _, s := range []*wizard.Step{a, b} {
		for i := range s.Checks {
			s.Checks[i].Func = nil
		}
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("JSON and YAML differ:\n%+v\n%+v", a, b)
	}
	if _, err := definition.LoadFS(fsys, "forms"); err == nil {
		t.Error("the package's LoadFS, with no registry, loads a file that names a check")
	}
}

func TestRegistryLoadDir(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, dir, "apply.yaml", apply)
	ws, err := registry().LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s := ws[0].Step("address"); s.View != "address-card" || len(s.Checks) != 3 || s.Field("born").Type != dob {
		t.Errorf("got %+v", s)
	}
	if _, err := definition.LoadDir(dir); err == nil {
		t.Error("the package's LoadDir, with no registry, loads a file that names a check")
	}
}

// TestRegistryBuiltInKindsWin registers types named like the format's
// kinds: a file's kind: date is still the format's date, and kind: custom
// is still a mistake.
func TestRegistryBuiltInKindsWin(t *testing.T) {
	reg := &definition.Registry{Types: []*wizard.FieldType{
		{Name: "date", Parse: postcode.Parse},
		{Name: "custom", Parse: postcode.Parse},
	}}
	w, err := reg.Parse("f.yaml", []byte("version: 1\ntitle: T\nsteps: [{name: a, title: A, fields: [{name: d, label: D, kind: date}]}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if f := w.Step("a").Field("d"); f.Kind != wizard.Date || f.Type != nil {
		t.Errorf("kind: date gives kind %s and type %v, want the format's date", f.Kind, f.Type)
	}
	_, err = reg.Parse("f.yaml", []byte("version: 1\ntitle: T\nsteps: [{name: a, title: A, fields: [{name: c, label: C, kind: custom}]}]\n"))
	want := `f.yaml:3:64: steps[0].fields[0].kind: kind "custom" is not written in files: name the field type itself, one registered by the program, which registers custom and date`
	if err == nil || err.Error() != want {
		t.Errorf("kind: custom: got\n\t%v\nwant\n\t%s", err, want)
	}
}

// TestRegistryMistakes runs one broken use of the registry per case and
// wants exactly the listed errors, in order.
func TestRegistryMistakes(t *testing.T) {
	step := func(s string) string { return "version: 1\ntitle: T\nsteps:\n  - name: a\n    title: A\n" + s }
	tests := []struct {
		name string
		reg  *definition.Registry
		src  string
		want []string
	}{
		{"unknown view", registry(), step("    view: adress-card\n"),
			[]string{`f.yaml:6:11: steps[0].view: view "adress-card" (did you mean "address-card"?) is not registered by the program, which registers address-card and summary`}},
		{"unknown check of a step", registry(), step("    checks: [deliverable, delivrable]\n"),
			[]string{`f.yaml:6:27: steps[0].checks[1]: check "delivrable" (did you mean "deliverable"?) is not registered by the program, which registers after-start, deliverable and email-free`}},
		{"unknown check of a field", registry(), step("    fields:\n      - {name: e, label: E, checks: [nope]}\n"),
			[]string{`f.yaml:7:38: steps[0].fields[0].checks[0]: check "nope" is not registered by the program, which registers after-start, deliverable and email-free`}},
		{"unknown kind, near a registered type", registry(), step("    fields: [{name: p, label: P, kind: postcod}]\n"),
			[]string{`f.yaml:6:40: steps[0].fields[0].kind: unknown kind "postcod" (did you mean "postcode"?): use text, email, number, date, textarea, select, radio, checkboxes or yes_no; no field type of that name is registered by the program, which registers dob and postcode`}},
		{"kind custom", registry(), step("    fields: [{name: p, label: P, kind: custom}]\n"),
			[]string{`f.yaml:6:40: steps[0].fields[0].kind: kind "custom" is not written in files: name the field type itself, one registered by the program, which registers dob and postcode`}},
		{"a check named by the step and a field", registry(), step("    checks: [deliverable]\n    fields:\n      - {name: e, label: E}\n      - {name: f, label: F, checks: [after-start, deliverable]}\n"),
			[]string{`f.yaml:9:51: steps[0].fields[1].checks[1]: duplicate check "deliverable"`}},
		{"a check that is not a name", registry(), step("    checks: [{name: deliverable}]\n"),
			[]string{`f.yaml:6:14: steps[0].checks[0]: want a value, not a mapping`}},
		{"checks not a list", registry(), step("    checks: deliverable\n"),
			[]string{`f.yaml:6:13: steps[0].checks: want a list, not "deliverable"`}},
		{"view not a name", registry(), step("    view: [summary]\n"),
			[]string{`f.yaml:6:11: steps[0].view: want a value, not a list`}},
		{"a rule of typed text on a registered type", registry(), step("    fields: [{name: p, label: P, kind: postcode, max_len: 8}]\n"),
			[]string{`f.yaml:6:59: steps[0].fields[0].max_len: field "p" is of type "postcode", whose Parse checks its answer: max_len does not apply`}},
		{"an empty registry: a view", &definition.Registry{}, step("    view: summary\n"),
			[]string{`f.yaml:6:11: steps[0].view: view "summary" is not registered by the program, which registers no views`}},
		{"an empty registry: a check", nil, step("    checks: [deliverable]\n"),
			[]string{`f.yaml:6:14: steps[0].checks[0]: check "deliverable" is not registered by the program, which registers no checks`}},
		{"an empty registry: a kind", nil, step("    fields: [{name: p, label: P, kind: postcode}]\n"),
			[]string{`f.yaml:6:40: steps[0].fields[0].kind: unknown kind "postcode": use text, email, number, date, textarea, select, radio, checkboxes or yes_no; no field type of that name is registered by the program, which registers none`}},
		{"an empty registry: kind custom", nil, step("    fields: [{name: p, label: P, kind: custom}]\n"),
			[]string{`f.yaml:6:40: steps[0].fields[0].kind: kind "custom" is not written in files: name the field type itself, one registered by the program, which registers none`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := tt.reg.Parse("f.yaml", []byte(tt.src))
			if tt.reg == nil {
				// A nil registry is the empty one, which the package's
				// Parse uses.
				_, pkgErr := definition.Parse("f.yaml", []byte(tt.src))
				if !reflect.DeepEqual(pkgErr, err) {
					t.Errorf("Parse says\n\t%v\nand a nil registry's Parse\n\t%v", pkgErr, err)
				}
			}
			wantErrors(t, w, err, tt.want)
		})
	}
}

// TestRegistryItselfWrong wants a plain error, not one of the file, for a
// registry that cannot be used.
func TestRegistryItselfWrong(t *testing.T) {
	for _, tt := range []struct {
		name string
		reg  *definition.Registry
		want string
	}{
		{"nil type", &definition.Registry{Types: []*wizard.FieldType{postcode, nil}}, "definition registry: field type 1 is nil"},
		{"two types of one name", &definition.Registry{Types: []*wizard.FieldType{postcode, {Name: "postcode"}}}, `definition registry: two field types named "postcode"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.reg.Parse("f.yaml", []byte(apply))
			var errs definition.Errors
			if err == nil || errors.As(err, &errs) || err.Error() != tt.want {
				t.Errorf("Parse: got %v (%T), want %q", err, err, tt.want)
			}
			if _, err := tt.reg.LoadFS(fstest.MapFS{"f.yaml": {Data: []byte(apply)}}, "."); err == nil || err.Error() != tt.want {
				t.Errorf("LoadFS: got %v, want %q", err, tt.want)
			}
		})
	}
}

// mustWrite writes a file of dir.
func mustWrite(tb testing.TB, dir, name, src string) {
	tb.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
		tb.Fatal(err)
	}
}
