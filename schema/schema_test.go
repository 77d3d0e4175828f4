// Package schema_test holds the checks that keep wizard.schema.json true
// to the loader: it compiles, every example and demo definition passes it
// (and loads), its keys are exactly those definition.Keys lists, and it
// refuses the mistakes editors should underline.
package schema_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/definition"
)

const (
	schemaFile = "wizard.schema.json"
	schemaID   = "https://github.com/wizard/wizard/schema/wizard.schema.json"
	// examplesDir must hold definitions; demoDir holds them when it exists.
	examplesDir = "../examples"
	demoDir     = "../demo/forms"
)

func TestSchemaCompiles(t *testing.T) {
	mustSchema(t)
	doc := mustSchemaDoc(t)
	for key, want := range map[string]string{"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": schemaID} {
		if got := doc[key]; got != want {
			t.Errorf("%s = %v, want %q", key, got, want)
		}
	}
}

// TestDefinitionsValidate checks that every example and demo definition
// passes the schema and loads: a schema that refuses a good file would
// underline it in every editor.
func TestDefinitionsValidate(t *testing.T) {
	sch := mustSchema(t)
	for _, dir := range []string{examplesDir, demoDir} {
		files, exists := definitionFiles(t, dir)
		switch {
		case len(files) > 0:
		case exists || dir == examplesDir:
			t.Errorf("%s: no definition files (*.yaml, *.yml, *.json)", dir)
			continue
		default:
			t.Logf("%s: no such directory, nothing to check there", dir)
			continue
		}
		for _, file := range files {
			t.Run(filepath.ToSlash(file), func(t *testing.T) {
				data, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				v, err := instance(file, data)
				if err != nil {
					t.Fatal(err)
				}
				if err := sch.Validate(v); err != nil {
					t.Errorf("schema refuses it:\n%v", err)
				}
			})
		}
		if _, err := definition.LoadDir(dir); err != nil {
			t.Errorf("definition.LoadDir(%q):\n%v", dir, err)
		}
	}
}

// definitionFiles lists the definition files of dir, every file LoadDir
// would read, and whether dir exists.
func definitionFiles(tb testing.TB, dir string) ([]string, bool) {
	tb.Helper()
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false
	}
	if err != nil {
		tb.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		if !e.IsDir() && definition.IsDefinition(e.Name()) {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	return files, true
}

// TestKeysMatchLoader checks that each object of the schema has exactly the
// keys the loader accepts, so that an editor neither underlines a good key
// nor completes one the loader refuses.
func TestKeysMatchLoader(t *testing.T) {
	defs, ok := mustSchemaDoc(t)["$defs"].(map[string]any)
	if !ok {
		t.Fatal("the schema has no $defs")
	}
	loader := definition.Keys()
	if got, want := slices.Sorted(maps.Keys(defs)), slices.Sorted(maps.Keys(loader)); !slices.Equal(got, want) {
		t.Errorf("$defs are %q, want one per kind of object the loader reads: %q", got, want)
	}
	for kind, keys := range loader {
		def, _ := defs[kind].(map[string]any)
		props, _ := def["properties"].(map[string]any)
		if props == nil {
			t.Errorf("$defs.%s: no properties", kind)
			continue
		}
		var missing, extra []string
		for _, k := range keys {
			if _, ok := props[k]; !ok {
				missing = append(missing, k)
			}
		}
		for k := range props {
			if !slices.Contains(keys, k) {
				extra = append(extra, k)
			}
		}
		if len(missing) > 0 {
			t.Errorf("$defs.%s.properties lacks %q, which the loader accepts", kind, missing)
		}
		if len(extra) > 0 {
			slices.Sort(extra)
			t.Errorf("$defs.%s.properties has %q, which the loader refuses", kind, extra)
		}
		if def["additionalProperties"] != false {
			t.Errorf("$defs.%s: additionalProperties = %v, want false: unknown keys are mistakes", kind, def["additionalProperties"])
		}
		for k, p := range props {
			if d, _ := p.(map[string]any)["description"].(string); d == "" {
				t.Errorf("$defs.%s.properties.%s: no description, which editors show", kind, k)
			}
		}
	}
}

// valid is a wizard that passes both the schema and the loader; the cases
// of TestSchemaRefuses change one thing in it.
const valid = `
version: 1
title: Test
steps:
  - name: one
    title: One
    fields:
      - {name: pick, kind: radio, label: Pick, options: [{value: a, label: A}, {value: b, label: B}]}
      - {name: age, kind: number, label: Age, min: 0}
      - {name: other, label: Other, show_when: {field: pick, eq: b}}
    next:
      - {when: {field: pick, eq: a}, exit: out}
      - {when: {any: [{field: age, lt: 16}, {not: {field: age, answered: true}}]}, goto: three}
  - name: two
    title: Two
  - name: three
    title: Three
exits:
  - {name: out, title: Out}
`

// variant is the valid wizard with the first old changed to new.
type variant struct {
	name, old, new string
}

// judge returns the schema's and the loader's verdicts on a variant.
func judge(tb testing.TB, sch *jsonschema.Schema, v variant) (schemaErr, loaderErr error) {
	tb.Helper()
	if !strings.Contains(valid, v.old) {
		tb.Fatalf("the valid wizard has no %q to change", v.old)
	}
	doc := []byte(strings.Replace(valid, v.old, v.new, 1))
	inst, err := instance("test.yaml", doc)
	if err != nil {
		tb.Fatal(err)
	}
	_, loaderErr = lent.Parse("test.yaml", doc)
	return sch.Validate(inst), loaderErr
}

// lent is what a program lends the variants: a field type, checks and a
// view, which the schema cannot know and takes by their names' shape.
var lent = &definition.Registry{
	Types: []*wizard.FieldType{{Name: "postcode", Parse: func(vs []string) (string, string) { return vs[0], "" }}},
	Checks: map[string]wizard.CheckFunc{
		"free":  func(context.Context, wizard.Values, wizard.Answers) ([]wizard.FieldError, error) { return nil, nil },
		"after": func(context.Context, wizard.Values, wizard.Answers) ([]wizard.FieldError, error) { return nil, nil },
	},
	Views: []string{"card"},
}

// TestSchemaRefuses checks that the schema refuses the mistakes an editor
// should underline, and that the loader refuses them too: the schema must
// not be stricter or looser than the loader on any of these.
func TestSchemaRefuses(t *testing.T) {
	sch := mustSchema(t)
	for _, v := range []variant{
		{"unknown key in a wizard", "title: Test", "title: Test\ntitel: Test"},
		{"unknown key in a field", "label: Age,", "label: Age, lable: Age,"},
		{"unknown key in a condition", "{field: pick, eq: b}", "{field: pick, eq: b, ignore: true}"},
		{"condition with two tests", "{field: pick, eq: b}", "{field: pick, eq: b, ne: a}"},
		{"condition with a field and all", "{field: pick, eq: b}", "{field: pick, all: [{field: pick, eq: b}]}"},
		{"condition with a field and not", "{field: pick, eq: b}", "{field: pick, eq: b, not: {field: pick, eq: a}}"},
		{"condition with all and any", "{any: [{field: age, lt: 16}", "{all: [{field: age, lt: 16}], any: [{field: age, lt: 16}"},
		{"condition with a test and no field", "{field: pick, eq: b}", "{eq: b}"},
		{"condition with a field and no test", "{field: pick, eq: b}", "{field: pick}"},
		{"condition with a list for eq", "{field: pick, eq: b}", "{field: pick, eq: [b]}"},
		{"condition with one value for in", "{field: pick, eq: b}", "{field: pick, in: b}"},
		{"answered not a boolean", "answered: true", "answered: yes"},
		{"empty any", "{any: [{field: age, lt: 16}, {not: {field: age, answered: true}}]}", "{any: []}"},
		{"route with goto and exit", "exit: out}", "exit: out, goto: three}"},
		{"route with neither goto nor exit", "{when: {field: pick, eq: a}, exit: out}", "{when: {field: pick, eq: a}}"},
		{"missing version", "version: 1\n", ""},
		{"version 2", "version: 1", "version: 2"},
		{"missing title", "title: Test\n", ""},
		{"no steps", valid[strings.Index(valid, "steps:"):], "steps: []\n"},
		{"step without a title", "title: Two", "help: Two"},
		{"reserved step name", "name: two", "name: review"},
		{"wizard named like a page of the server", "title: Test", "title: Test\nname: metrics"},
		{"name with a capital", "name: two", "name: Two"},
		{"unknown kind", "kind: radio", "kind: Radio"},
		{"kind custom", "label: Other,", "label: Other, kind: custom,"},
		{"kind not a name", "label: Other,", "label: Other, kind: post code,"},
		{"max_len on a registered type", "label: Other,", "label: Other, kind: postcode, max_len: 8,"},
		{"pattern on a registered type", "label: Other,", "label: Other, kind: postcode, pattern: '[A-Z]+',"},
		{"checks not a list", "title: Two", "title: Two\n    checks: free"},
		{"a check named twice", "title: Two", "title: Two\n    checks: [free, free]"},
		{"a check that is not a name", "title: Two", "title: Two\n    checks: [{name: free}]"},
		{"a field's checks not a list", "label: Other,", "label: Other, checks: free,"},
		{"view not a name", "title: Two", "title: Two\n    view: [card]"},
		{"required not a boolean", "label: Other,", "label: Other, required: yes,"},
		{"max_len zero", "label: Other,", "label: Other, max_len: 0,"},
		{"min_len not whole", "label: Other,", "label: Other, min_len: 1.5,"},
		{"min on a text field", "label: Other,", "label: Other, min: 1,"},
		{"min_len on a radio", "label: Pick,", "label: Pick, min_len: 1,"},
		{"max_len on a radio", "label: Pick,", "label: Pick, max_len: 10,"},
		{"pattern on a radio", "label: Pick,", "label: Pick, pattern: a,"},
		{"pattern on a yes_no", "label: Other,", "label: Other, kind: yes_no, pattern: 'yes',"},
		{"radio without options", ", options: [{value: a, label: A}, {value: b, label: B}]", ""},
		{"option without a label", "{value: b, label: B}", "{value: b}"},
		{"exit without a title", "{name: out, title: Out}", "{name: out, body: Out}"},
		{"repeat without max", "title: Two", "title: Two\n    repeat: {min: 0}\n    fields: [{name: n, label: N}]"},
		{"repeat max above 50", "title: Two", "title: Two\n    repeat: {max: 51}\n    fields: [{name: n, label: N}]"},
		{"repeat max 0", "title: Two", "title: Two\n    repeat: {max: 0}\n    fields: [{name: n, label: N}]"},
		{"repeat min negative", "title: Two", "title: Two\n    repeat: {min: -1, max: 5}\n    fields: [{name: n, label: N}]"},
		{"repeat max not whole", "title: Two", "title: Two\n    repeat: {max: 2.5}\n    fields: [{name: n, label: N}]"},
		{"unknown key in repeat", "title: Two", "title: Two\n    repeat: {max: 5, nouns: guests}\n    fields: [{name: n, label: N}]"},
		{"repeat not a mapping", "title: Two", "title: Two\n    repeat: 5\n    fields: [{name: n, label: N}]"},
		{"repeating step without fields", "title: Two", "title: Two\n    repeat: {max: 5}"},
		{"repeating step with no fields", "title: Two", "title: Two\n    repeat: {max: 5}\n    fields: []"},
	} {
		t.Run(v.name, func(t *testing.T) {
			schemaErr, loaderErr := judge(t, sch, v)
			if schemaErr == nil {
				t.Errorf("the schema accepts %q in place of %q", v.new, v.old)
			}
			if loaderErr == nil {
				t.Errorf("the loader accepts %q in place of %q", v.new, v.old)
			}
		})
	}
}

// TestSchemaAccepts checks the valid wizard, and the variants of it the
// format allows, against the schema and the loader: the refusals above
// are only worth something if what they change was accepted.
func TestSchemaAccepts(t *testing.T) {
	sch := mustSchema(t)
	for _, v := range []variant{
		{"the valid wizard", "", ""},
		{"numbers as text", "title: Test", "title: 2026"},
		{"a number as an option value", "{value: b, label: B}", "{value: b, label: B}, {value: 3, label: C}"},
		{"a route without a condition", "goto: three}", "goto: three}\n      - {goto: two}"},
		{"in with a list", "{field: pick, eq: b}", "{field: pick, in: [a, b]}"},
		{"answered false", "answered: true", "answered: false"},
		{"a name and the optional texts", "title: Test", "title: Test\nname: test\nintro: Hi\ndone: Bye\nreview_title: Check\nref_prefix: TST"},
		{"every rule message", "label: Age,", "label: Age, max: 130, required: true, required_message: a, min_message: b, max_message: c, format_message: d,"},
		{"a registered kind, checks and view", "title: Two", "title: Two\n    view: card\n    checks: [after]\n    fields: [{name: p, kind: postcode, label: P, required: true, checks: [free]}]"},
		{"a repeating step", "title: Two", "title: Two\n    repeat: {min: 1, max: 50, noun: guest, plural: guests}\n    fields: [{name: n, label: N, required: true}]"},
		{"a repeating step with max alone, its count in its routes and a later condition", "title: Three", "title: Three\n  - name: four\n    title: Four\n    repeat: {max: 3}\n    fields: [{name: n, label: N}]\n    next: [{when: {field: count, eq: 0}, goto: six}]\n  - {name: five, title: Five}\n  - {name: six, title: Six, fields: [{name: x, label: X, show_when: {field: four.count, ge: 2}}]}"},
		{"typed-answer rules on a text field", "label: Other,", "label: Other, min_len: 1, max_len: 10, pattern: '[a-z]+',"},
		{"templates in the button, the noun, messages and the review title", "title: Three", "title: Three\n    submit: 'Go on, {one.other}'\n    fields: [{name: x, label: X, noun: '{one.pick}', required: true, required_message: 'Enter {one.age}'}]\nreview_title: 'Check, {three.x}'"},
	} {
		t.Run(v.name, func(t *testing.T) {
			schemaErr, loaderErr := judge(t, sch, v)
			if schemaErr != nil {
				t.Errorf("the schema refuses %q in place of %q:\n%v", v.new, v.old, schemaErr)
			}
			if loaderErr != nil {
				t.Errorf("the loader refuses %q in place of %q:\n%v", v.new, v.old, loaderErr)
			}
		})
	}
}

// mustSchemaDoc reads the schema as JSON values.
func mustSchemaDoc(tb testing.TB) map[string]any {
	tb.Helper()
	data, err := os.ReadFile(schemaFile)
	if err != nil {
		tb.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		tb.Fatalf("%s: %v", schemaFile, err)
	}
	return doc
}

// mustSchema compiles the schema, which checks it against the 2020-12
// meta-schema.
func mustSchema(tb testing.TB) *jsonschema.Schema {
	tb.Helper()
	f, err := os.Open(schemaFile)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		tb.Fatalf("%s: %v", schemaFile, err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemaID, doc); err != nil {
		tb.Fatalf("%s: %v", schemaFile, err)
	}
	sch, err := c.Compile(schemaID)
	if err != nil {
		tb.Fatalf("%s: %v", schemaFile, err)
	}
	return sch
}

// instance reads a definition file as the JSON values the schema
// validates. A .json file is read as JSON; any other as YAML, each scalar
// taken the way the loader takes it: a date or any other text stays text
// as written, and only int, float, bool and null are anything else.
func instance(file string, data []byte) (any, error) {
	if strings.EqualFold(filepath.Ext(file), ".json") {
		return jsonschema.UnmarshalJSON(bytes.NewReader(data))
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("%s: empty", file)
	}
	return value(doc.Content[0])
}

// value converts a YAML node to a JSON value.
func value(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := value(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[n.Content[i].Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		l := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := value(c)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		return l, nil
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return nil, nil
		case "!!bool", "!!int", "!!float":
			var v any
			if err := n.Decode(&v); err != nil {
				return nil, fmt.Errorf("line %d: %w", n.Line, err)
			}
			return v, nil
		}
		return n.Value, nil
	}
	return nil, fmt.Errorf("line %d: aliases are not supported", n.Line) // nor by the loader
}
