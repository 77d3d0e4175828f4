package definition_test

import (
	"errors"
	"testing"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/definition"
)

// FuzzParse feeds arbitrary bytes to the loader, as YAML and as JSON,
// with no registry and with the tests' one: it never panics, every mistake has a position, and whatever loads is a
// wizard that passes Check and starts a journey.
func FuzzParse(f *testing.F) {
	f.Add([]byte(fishing), false)
	f.Add([]byte(`{"version": 1, "title": "T", "steps": [{"name": "a", "title": "A", "fields": [{"name": "n", "label": "N", "kind": "number"}], "next": [{"when": {"all": [{"field": "n", "lt": 3}, {"not": {"field": "n", "answered": false}}]}, "exit": "x"}]}], "exits": [{"name": "x", "title": "X"}]}`), true)
	f.Add([]byte("version: 1\ntitle: T\nsteps: [{name: a, title: A, fields: [{name: k, kind: checkboxes, label: K, options: [{value: o, label: O}]}, {name: w, label: W, show_when: {field: k, contains: o}}]}]\n"), false)
	f.Add([]byte(party), false)
	f.Add([]byte(`{"version": 1, "title": "T", "steps": [{"name": "g", "title": "G", "repeat": {"min": 1, "max": 5, "noun": "guest", "plural": "guests"}, "fields": [{"name": "n", "label": "N", "required": true}], "next": [{"when": {"field": "count", "ge": 2}, "goto": "c"}]}, {"name": "b", "title": "B"}, {"name": "c", "title": "C", "fields": [{"name": "x", "label": "X", "show_when": {"field": "g.count", "lt": 4}}]}]}`), true)
	f.Add([]byte("version: 1\ntitle: T\nsteps: [{name: a, title: A, view: summary, checks: [deliverable], fields: [{name: p, kind: dob, label: P, checks: [email-free]}, {name: q, kind: custom, label: Q}]}]\n"), false)
	f.Fuzz(func(t *testing.T, data []byte, asJSON bool) {
		file := "f.yaml"
		if asJSON {
			file = "f.json"
		}
		fuzzOne(t, file, data, definition.Parse)
		fuzzOne(t, file, data, registry().Parse)
	})
}

// fuzzOne parses data with parse and wants what FuzzParse says.
func fuzzOne(t *testing.T, file string, data []byte, parse func(string, []byte) (*wizard.Wizard, error)) {
	t.Helper()
	w, err := parse(file, data)
	if err != nil {
		var errs definition.Errors
		if !errors.As(err, &errs) || len(errs) == 0 {
			t.Fatalf("error %v (%T) is not a non-empty Errors", err, err)
		}
		for _, e := range errs {
			if e.File != file || e.Line < 1 || e.Column < 1 || e.Message == "" {
				t.Fatalf("error without a position or a message: %+v", e)
			}
		}
		if w != nil {
			t.Fatal("a wizard and an error")
		}
		return
	}
	if err := w.Check(); err != nil {
		t.Fatalf("loaded wizard fails Check: %v", err)
	}
	j := w.Journey(wizard.Answers{})
	if j.FirstOpen() == nil && !j.Complete() && j.Exited() == nil {
		t.Fatal("a fresh journey is neither open, complete nor exited")
	}
}
