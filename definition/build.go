package definition

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wizard/wizard"
)

// Version is the only version of the format there is: definitions say
// "version: 1", so that a later format can tell them apart.
const Version = 1

// The keys of each kind of object in a definition, as docs/definitions.md
// and schema/wizard.schema.json describe them.
var (
	wizardKeys    = []string{"version", "name", "title", "intro", "done", "review_title", "ref_prefix", "steps", "exits"}
	stepKeys      = []string{"name", "title", "help", "submit", "view", "repeat", "fields", "checks", "next"}
	repeatKeys    = []string{"min", "max", "noun", "plural"}
	fieldKeys     = []string{"name", "kind", "label", "hint", "noun", "required", "min_len", "max_len", "min", "max", "pattern", "options", "show_when", "autocomplete", "required_message", "min_len_message", "max_len_message", "min_message", "max_message", "pattern_message", "format_message", "checks"}
	optionKeys    = []string{"value", "label"}
	routeKeys     = []string{"when", "goto", "exit"}
	exitKeys      = []string{"name", "title", "body"}
	testKeys      = []string{"eq", "ne", "in", "not_in", "lt", "le", "gt", "ge", "contains", "answered"}
	combineKeys   = []string{"all", "any", "not"}
	conditionKeys = append(append([]string{"field"}, testKeys...), combineKeys...)
)

// Keys returns the keys each kind of object accepts, by kind: "wizard",
// "step", "repeat", "field", "option", "route", "condition" and "exit". The JSON
// Schema's tests compare their lists with these.
func Keys() map[string][]string {
	return map[string][]string{
		"wizard": wizardKeys, "step": stepKeys, "repeat": repeatKeys, "field": fieldKeys, "option": optionKeys,
		"route": routeKeys, "condition": conditionKeys, "exit": exitKeys,
	}
}

// kinds maps the field kinds of the format to the engine's.
var kinds = map[string]wizard.Kind{
	"text": wizard.Text, "email": wizard.Email, "number": wizard.Number, "date": wizard.Date,
	"textarea": wizard.TextArea, "select": wizard.Select, "radio": wizard.Radio,
	"checkboxes": wizard.Checkboxes, "yes_no": wizard.YesNo,
}

const kindList = "text, email, number, date, textarea, select, radio, checkboxes or yes_no"

// kindNames are the names of the format's kinds, for suggestions.
var kindNames = []string{"text", "email", "number", "date", "textarea", "select", "radio", "checkboxes", "yes_no"}

// tests maps the test keys of the format to the engine's tests.
var tests = map[string]wizard.Test{
	"eq": wizard.Eq, "ne": wizard.Ne, "in": wizard.In, "not_in": wizard.NotIn,
	"lt": wizard.Lt, "le": wizard.Le, "gt": wizard.Gt, "ge": wizard.Ge, "contains": wizard.Contains,
}

// wizard builds the wizard of a document's root node. name is the
// default name, from the file's.
func (r *reader) wizard(root *yaml.Node, name string) *wizard.Wizard {
	o, ok := r.object(root, "", wizardKeys)
	if !ok {
		return nil
	}
	o.require("version", "title", "steps")
	if o.has("version") {
		if v := o.integer("version"); v != Version && !r.errs.cover("version") {
			r.errorf(o.vals["version"], "version", "unknown version %d: this server reads version %d", v, Version)
		}
	}
	w := &wizard.Wizard{
		Name:        name,
		Title:       o.text("title"),
		Intro:       o.text("intro"),
		Done:        o.text("done"),
		ReviewTitle: o.text("review_title"),
		RefPrefix:   o.text("ref_prefix"),
	}
	if o.has("name") {
		w.Name = o.text("name")
	} else if !wizard.ValidName(name) {
		r.errorf(root, "name", "the file's name %q cannot name a wizard (it is part of its address): rename the file, or set name: to lowercase letters, digits, '-' and '_'", name)
	}
	o.list("steps", func(n *yaml.Node, path string) {
		w.Steps = append(w.Steps, r.step(n, path))
	})
	if o.has("steps") && len(o.vals["steps"].Content) == 0 && o.vals["steps"].Kind == yaml.SequenceNode {
		r.errorf(o.vals["steps"], "steps", "a wizard needs at least one step")
	}
	o.list("exits", func(n *yaml.Node, path string) {
		e, ok := r.object(n, path, exitKeys)
		if ok {
			e.require("name", "title")
		}
		w.Exits = append(w.Exits, &wizard.Exit{Name: e.text("name"), Title: e.text("title"), Body: e.text("body")})
	})
	return w
}

func (r *reader) step(n *yaml.Node, path string) *wizard.Step {
	o, ok := r.object(n, path, stepKeys)
	if !ok {
		return &wizard.Step{} // reported; keeps the indexes of the steps after it
	}
	o.require("name", "title")
	s := &wizard.Step{Name: o.text("name"), Title: o.text("title"), Help: o.text("help"), Submit: o.text("submit")}
	if vn, vpath, v, ok := o.value("view"); ok {
		if !r.lent.views[v] {
			r.errorf(vn, vpath, "%s", notRegistered("view", v, r.lent.viewNames))
		}
		s.View = v
	}
	if o.has("repeat") {
		s.Repeat = r.repeat(o.vals["repeat"], join(path, "repeat"))
	}
	r.checks(o, path, s, "")
	o.list("fields", func(n *yaml.Node, fpath string) {
		s.Fields = append(s.Fields, r.field(n, fpath, path, s))
	})
	o.list("next", func(n *yaml.Node, path string) {
		ro, _ := r.object(n, path, routeKeys)
		route := wizard.Route{Goto: ro.text("goto"), Exit: ro.text("exit")}
		if ro.has("when") {
			route.When = r.condition(ro.vals["when"], join(path, "when"))
		}
		s.Routes = append(s.Routes, route)
	})
	return s
}

// repeat reads a step's repeat: the bounds of its list and the names of
// its items. max has no default: a list without a limit would let one
// session grow without end, so the file says how many it takes. The
// engine's Check reports bounds out of range (max above wizard.MaxRepeat,
// min above max), at repeat.max and repeat.min.
func (r *reader) repeat(n *yaml.Node, path string) *wizard.Repeat {
	o, ok := r.object(n, path, repeatKeys)
	if !ok {
		return &wizard.Repeat{Max: 1} // reported; no second mistake from Check
	}
	o.require("max")
	rep := &wizard.Repeat{Min: o.integer("min"), Max: o.integer("max"), Noun: o.text("noun"), Plural: o.text("plural")}
	if !o.has("max") {
		rep.Max = max(rep.Min, 1) // reported missing; Check need not add to it
	}
	return rep
}

// checks reads the checks of a step (at path) or, when field is not "",
// of that field of it (o), onto the step's checks: one per name, even one
// the program did not register (reported), so that the engine's problems
// with the step's checks can be placed.
func (r *reader) checks(o object, path string, s *wizard.Step, field string) {
	o.list("checks", func(n *yaml.Node, p string) {
		c := wizard.Check{Field: field}
		if name, ok := r.scalar(n, p); ok {
			c.Name, c.Func = name, r.lent.checks[name]
			if c.Func == nil {
				r.errorf(n, p, "%s", notRegistered("check", name, r.lent.checkNames))
			}
		}
		if engine := fmt.Sprintf("%s.checks[%d]", path, len(s.Checks)); engine != p {
			r.paths[engine] = p
		}
		s.Checks = append(s.Checks, c)
	})
}

// field reads a field of step s, which is at stepPath.
func (r *reader) field(n *yaml.Node, path, stepPath string, s *wizard.Step) *wizard.Field {
	o, ok := r.object(n, path, fieldKeys)
	if !ok {
		return &wizard.Field{}
	}
	o.require("name", "label")
	f := &wizard.Field{
		Name:            o.text("name"),
		Label:           o.text("label"),
		Hint:            o.text("hint"),
		Noun:            o.text("noun"),
		Required:        o.boolean("required"),
		MinLen:          o.integer("min_len"),
		MaxLen:          o.integer("max_len"),
		Min:             o.number("min"),
		Max:             o.number("max"),
		Autocomplete:    o.text("autocomplete"),
		PatternMessage:  o.text("pattern_message"),
		RequiredMessage: o.text("required_message"),
		MinLenMessage:   o.text("min_len_message"),
		MaxLenMessage:   o.text("max_len_message"),
		MinMessage:      o.text("min_message"),
		MaxMessage:      o.text("max_message"),
		FormatMessage:   o.text("format_message"),
	}
	if kn, kpath, k, ok := o.value("kind"); ok {
		f.Kind, f.Type = r.kind(kn, kpath, k)
	}
	if o.has("max_len") && f.MaxLen == 0 && !r.errs.cover(join(path, "max_len")) {
		r.errorf(o.vals["max_len"], join(path, "max_len"), "max_len must be at least 1 (leave it out for the default, %d)", wizard.DefaultMaxLen)
	}
	if o.has("pattern") {
		src := o.text("pattern")
		re, err := regexp.Compile(src)
		if err != nil {
			r.errorf(o.vals["pattern"], join(path, "pattern"), "not a regular expression: %s", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		}
		f.Pattern = re
	}
	o.list("options", func(n *yaml.Node, path string) {
		oo, ok := r.object(n, path, optionKeys)
		if ok {
			oo.require("value", "label")
		}
		f.Options = append(f.Options, wizard.Option{Value: oo.text("value"), Label: oo.text("label")})
	})
	if o.has("options") && f.Options == nil {
		f.Options = []wizard.Option{} // given, but empty: Check says a choice needs options
	}
	if o.has("show_when") {
		f.ShowWhen = r.condition(o.vals["show_when"], join(path, "show_when"))
	}
	r.checks(o, stepPath, s, f.Name)
	return f
}

// kind resolves a field's kind k, at n: one of the format's, or else a
// field type the program registered.
func (r *reader) kind(n *yaml.Node, path, k string) (wizard.Kind, *wizard.FieldType) {
	if kind, ok := kinds[k]; ok {
		return kind, nil
	}
	if t := r.lent.types[k]; t != nil && k != "custom" {
		return wizard.Custom, t
	}
	registered := "which registers none"
	if names := r.lent.typeNames; len(names) > 0 {
		registered = "which registers " + andList(names)
	}
	if k == "custom" {
		r.errorf(n, path, "kind \"custom\" is not written in files: name the field type itself, one registered by the program, %s", registered)
	} else {
		r.errorf(n, path, "unknown kind %q%s: use %s; no field type of that name is registered by the program, %s", k, didYouMean(k, slices.Concat(kindNames, r.lent.typeNames)), kindList, registered)
	}
	return wizard.Text, nil
}

// condition builds a condition: a field with one test, or one of all, any
// and not.
func (r *reader) condition(n *yaml.Node, path string) *wizard.Condition {
	o, ok := r.object(n, path, conditionKeys)
	if !ok {
		return &wizard.Condition{}
	}
	var given []string
	for _, k := range conditionKeys[1:] {
		if o.has(k) {
			given = append(given, k)
		}
	}
	c := &wizard.Condition{Field: o.text("field")}
	switch {
	case len(given) == 0:
		if o.has("field") {
			r.errorf(n, path, "a condition on a field needs a test: %s", strings.Join(testKeys, ", "))
		} else {
			r.errorf(n, path, "a condition names a field and a test, or combines conditions with all, any or not")
		}
		return c
	case len(given) > 1:
		r.errorf(o.vals[given[1]], path, "one test or combination per condition, and this one also has %q: combine conditions with all or any", given[0])
		return c
	}
	key := given[0]
	vn, vpath := o.vals[key], join(path, key)
	isTest := o.has("field")
	switch key {
	case "all", "any":
		if isTest {
			r.errorf(n, path, "a condition names a field or combines conditions with %s, not both", key)
		}
		list := []*wizard.Condition{}
		r.list(vn, vpath, func(n *yaml.Node, p string) {
			list = append(list, r.condition(n, p))
		})
		if key == "all" {
			c.All = list
		} else {
			c.Any = list
		}
	case "not":
		if isTest {
			r.errorf(n, path, "a condition names a field or combines conditions with not, not both")
		}
		c.Not = r.condition(vn, vpath)
	default:
		if !isTest {
			r.errorf(n, path, "missing \"field\": the test %s needs a field to test", key)
		}
		switch key {
		case "answered":
			c.Test = wizard.Answered
			if !o.boolean(key) {
				c.Test = wizard.NotAnswered
			}
		case "in", "not_in":
			c.Test = tests[key]
			c.Values = o.texts(key)
		default:
			c.Test = tests[key]
			c.Value = o.text(key)
		}
	}
	return c
}
