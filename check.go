package wizard

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Problem is one mistake in a wizard definition: where it is, as a path in
// the terms of definition files (e.g. "steps[1].next[0].goto"), and what
// is wrong.
type Problem struct {
	Path    string
	Message string
}

// Error returns "path: message".
func (p Problem) Error() string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

// CheckError is every mistake Check found in one wizard.
type CheckError struct {
	Wizard   string
	Problems []Problem
}

// Error returns the problems on one line, after the wizard's name.
func (e *CheckError) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.Error()
	}
	return fmt.Sprintf("wizard %q: %s", e.Wizard, strings.Join(msgs, "; "))
}

// Check reports every mistake in a wizard definition as a *CheckError:
// bad, duplicate or reserved names, rules no answer can pass, options
// missing or no answer can choose, conditions on fields that do not exist,
// are not asked before the condition runs, or cannot take the test (lt on
// a text field, eq with a value that is not an option, or that no trimmed
// answer is), show_when cycles, routes to nothing or backwards (journeys
// only go forward, so they cannot loop), exits and steps no journey
// reaches, and {step.field} texts naming a field not asked before them.
// Servers call it once at start-up so that a broken definition fails
// loudly, not on a user. Check also prepares the wizard for use (anchored
// patterns, resolved condition fields), so call it before serving.
func (w *Wizard) Check() error {
	c := checker{w: w}
	c.wizard()
	if len(c.problems) > 0 {
		return &CheckError{Wizard: w.Name, Problems: c.problems}
	}
	return nil
}

// checker collects the problems of one wizard.
type checker struct {
	w        *Wizard
	problems []Problem
	// before[i] holds the steps some journey may answer before step i.
	before []map[*Step]bool
	// exitBefore holds, for each exit, the steps a journey may answer
	// before it.
	exitBefore map[string]map[*Step]bool
	// dynamic is set when a step's Next is Go code, which Check cannot
	// follow: every step may then come before every other.
	dynamic bool
	// inRoutes is set while the conditions of a step's routes are
	// checked (not its fields'): a repeating step's routes see its list.
	inRoutes bool
}

func (c *checker) add(path, format string, args ...any) {
	c.problems = append(c.problems, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

func (c *checker) wizard() {
	w := c.w
	if !ValidName(w.Name) {
		c.add("name", "wizard name %q: use lowercase letters, digits, '-' and '_'", w.Name)
	} else if reservedWizard(w.Name) {
		c.add("name", "wizard name %q is taken by the server's own pages", w.Name)
	}
	if len(w.Steps) == 0 {
		c.add("steps", "no steps")
		return
	}
	c.names()
	c.graph()
	c.noRefs("title", w.Title)
	c.noRefs("intro", w.Intro)
	all := map[*Step]bool{}
	for _, s := range w.Steps {
		all[s] = true
	}
	c.texts("done", w.Done, all)
	c.texts("review_title", w.ReviewTitle, all)
	for i, s := range w.Steps {
		c.step(i, s)
	}
	for i, e := range w.Exits {
		p := fmt.Sprintf("exits[%d]", i)
		if strings.TrimSpace(e.Title) == "" {
			c.add(p+".title", "an exit needs a title")
		}
		before := c.exitBefore[e.Name]
		c.texts(p+".title", e.Title, before)
		c.texts(p+".body", e.Body, before)
	}
}

// names checks the names of steps, fields and exits: usable, unique,
// not reserved.
func (c *checker) names() {
	seen := map[string]string{} // step and exit names share the URL space
	for i, s := range c.w.Steps {
		p := fmt.Sprintf("steps[%d].name", i)
		switch {
		case !ValidName(s.Name):
			c.add(p, "step name %q: use lowercase letters, digits, '-' and '_'", s.Name)
		case reserved(s.Name):
			c.add(p, "step name %q is reserved", s.Name)
		case seen[s.Name] != "":
			c.add(p, "duplicate step %q", s.Name)
		default:
			seen[s.Name] = "step"
		}
		fields := map[string]bool{}
		for j, f := range s.Fields {
			fp := fmt.Sprintf("steps[%d].fields[%d].name", i, j)
			switch {
			case !ValidName(f.Name):
				c.add(fp, "field name %q: use lowercase letters, digits, '-' and '_'", f.Name)
			case fields[f.Name]:
				c.add(fp, "duplicate field %q", f.Name)
			}
			fields[f.Name] = true
		}
	}
	for i, e := range c.w.Exits {
		p := fmt.Sprintf("exits[%d].name", i)
		switch {
		case !ValidName(e.Name):
			c.add(p, "exit name %q: use lowercase letters, digits, '-' and '_'", e.Name)
		case reserved(e.Name):
			c.add(p, "exit name %q is reserved", e.Name)
		case seen[e.Name] == "step":
			c.add(p, "exit %q has the name of a step", e.Name)
		case seen[e.Name] != "":
			c.add(p, "duplicate exit %q", e.Name)
		default:
			seen[e.Name] = "exit"
		}
	}
}

// graph checks the routes and works out which steps may come before
// which: journeys only go forward, so a step's predecessors are found in
// one pass in declaration order.
func (c *checker) graph() {
	w := c.w
	index := map[string]int{}
	for i, s := range w.Steps {
		if _, dup := index[s.Name]; !dup {
			index[s.Name] = i
		}
		c.dynamic = c.dynamic || s.Next != nil
	}
	exits := map[string]bool{}
	for _, e := range w.Exits {
		exits[e.Name] = true
	}
	// next[i] are the steps that may follow step i; exitFrom[name] the
	// steps that may end in that exit.
	next := make([][]int, len(w.Steps))
	exitFrom := map[string][]int{}
	// broken is set by a route to nothing: the steps and exits it was
	// meant to reach are not reported as unreached as well.
	broken := false
	for i, s := range w.Steps {
		if s.Next != nil {
			if len(s.Routes) > 0 {
				c.add(fmt.Sprintf("steps[%d].next", i), "a step has Go code or routes to choose its next step, not both")
			}
			continue
		}
		always := false
		for k, r := range s.Routes {
			p := fmt.Sprintf("steps[%d].next[%d]", i, k)
			if always {
				c.add(p, "never tried: a route before it has no condition, so it always applies")
			}
			always = always || r.When == nil
			switch {
			case (r.Goto == "") == (r.Exit == ""):
				c.add(p, "a route goes to a step (goto) or ends in an exit (exit), one of the two")
			case r.Exit != "":
				if !exits[r.Exit] {
					broken = true
					c.add(p+".exit", "unknown exit %q", r.Exit)
				} else {
					exitFrom[r.Exit] = append(exitFrom[r.Exit], i)
				}
			default:
				j, ok := index[r.Goto]
				switch {
				case !ok:
					broken = true
					c.add(p+".goto", "unknown step %q", r.Goto)
				case j == i:
					c.add(p+".goto", "step %q goes to itself: journeys only go forward", r.Goto)
				case j < i:
					c.add(p+".goto", "step %q comes before %q: journeys only go forward", r.Goto, s.Name)
				default:
					next[i] = append(next[i], j)
				}
			}
		}
		if !always && i+1 < len(w.Steps) {
			next[i] = append(next[i], i+1)
		}
	}
	c.before = make([]map[*Step]bool, len(w.Steps))
	for i := range c.before {
		c.before[i] = map[*Step]bool{}
	}
	reached := make([]bool, len(w.Steps))
	reached[0] = true
	if c.dynamic {
		for i := range w.Steps {
			reached[i] = true
			for _, t := range w.Steps {
				c.before[i][t] = true
			}
		}
	} else {
		for i, s := range w.Steps { // forward edges only: i's predecessors are final
			if !reached[i] {
				// No journey gets here, which is said once: the
				// step's texts and conditions, and those of the steps
				// it leads to, are checked as if any step declared
				// before it came first, rather than each reported.
				for _, t := range w.Steps[:i] {
					c.before[i][t] = true
				}
			}
			for _, j := range next[i] {
				reached[j] = reached[j] || reached[i]
				for t := range c.before[i] {
					c.before[j][t] = true
				}
				c.before[j][s] = true
			}
		}
		for i, s := range w.Steps {
			if !reached[i] && !broken {
				c.add(fmt.Sprintf("steps[%d]", i), "no journey reaches step %q", s.Name)
			}
		}
	}
	c.exitBefore = map[string]map[*Step]bool{}
	for k, e := range w.Exits {
		before := map[*Step]bool{}
		for _, i := range exitFrom[e.Name] {
			for t := range c.before[i] {
				before[t] = true
			}
			before[w.Steps[i]] = true
		}
		if c.dynamic || len(exitFrom[e.Name]) == 0 {
			// Go code may lead here after any step; and the texts of
			// an exit no route reaches are not reported once more.
			for _, t := range w.Steps {
				before[t] = true
			}
		}
		if !c.dynamic && len(exitFrom[e.Name]) == 0 && exits[e.Name] && !broken {
			c.add(fmt.Sprintf("exits[%d]", k), "no route ends in exit %q", e.Name)
		}
		c.exitBefore[e.Name] = before
	}
}

// step checks one step's texts, fields and route conditions.
func (c *checker) step(i int, s *Step) {
	p := fmt.Sprintf("steps[%d]", i)
	before := c.before[i]
	c.texts(p+".title", s.Title, before)
	c.texts(p+".help", s.Help, before)
	c.texts(p+".submit", s.Submit, before)
	for j, f := range s.Fields {
		c.field(fmt.Sprintf("%s.fields[%d]", p, j), s, f, before)
	}
	for j, f := range s.Fields {
		if f.ShowWhen != nil {
			fp := fmt.Sprintf("%s.fields[%d].show_when", p, j)
			c.condition(fp, f.ShowWhen, s, before)
			if dependsOn(s, f, f, map[*Field]bool{}) {
				c.add(fp, "field %q shows when a field that depends on it, or on itself", f.Name)
			} else if n := testCount(s, f.ShowWhen, map[*Field]int{}); n > maxTests {
				c.add(fp, "deciding whether field %q applies takes more than %d tests, through the conditions of the fields it names: simplify them", f.Name, maxTests)
			}
		}
	}
	c.repeat(p, s)
	c.inRoutes = true
	for k, r := range s.Routes {
		if r.When != nil {
			c.condition(fmt.Sprintf("%s.next[%d].when", p, k), r.When, s, before)
		}
	}
	c.inRoutes = false
	c.checks(p, s)
	c.parts(p, s)
}

// repeat checks a repeating step's bounds, and makes its pseudo field
// "count" for conditions to test.
func (c *checker) repeat(p string, s *Step) {
	r := s.Repeat
	if r == nil {
		return
	}
	if r.Max < 1 || r.Max > MaxRepeat {
		c.add(p+".repeat.max", "a repeating step collects 1 to %d items at most, not %d", MaxRepeat, r.Max)
	}
	if r.Min < 0 || r.Min > r.Max {
		c.add(p+".repeat.min", "min %d must be between 0 and max %d", r.Min, r.Max)
	}
	if len(s.Fields) == 0 {
		c.add(p+".fields", "a repeating step needs fields: each item is one set of them")
	}
	if r.count == nil {
		r.count = &Field{Name: countField, Kind: Number}
	}
}

// checks checks a step's checks: each has a name, unique within the step,
// a function, and a field of the step if it names one.
func (c *checker) checks(p string, s *Step) {
	names := map[string]bool{}
	for k, ck := range s.Checks {
		cp := fmt.Sprintf("%s.checks[%d]", p, k)
		switch {
		case ck.Name == "":
			c.add(cp, "a check needs a name")
		case names[ck.Name]:
			c.add(cp, "duplicate check %q", ck.Name)
		}
		names[ck.Name] = true
		if ck.Func == nil {
			c.add(cp, "check %q has no function", ck.Name)
		}
		if ck.Field != "" && s.Field(ck.Field) == nil {
			c.add(cp, "check %q is about field %q, which step %q does not have", ck.Name, ck.Field, s.Name)
		}
	}
}

// parts checks that the form keys of the custom fields' parts (dob-day)
// are not also the names of fields of the step, and that no condition of
// a field of the step tests a field of several parts, which the page's
// script could not read.
func (c *checker) parts(p string, s *Step) {
	for j, f := range s.Fields {
		if f.Kind != Custom || f.Type == nil {
			continue
		}
		for i := range f.Type.Parts {
			if key := f.Type.partName(f.Name, i); s.Field(key) != nil {
				c.add(fmt.Sprintf("%s.fields[%d].name", p, j), "the form key %q of a part of field %q is also the name of a field", key, f.Name)
			}
		}
		if len(f.Type.Parts) == 0 {
			continue
		}
		for k, g := range s.Fields {
			if g.ShowWhen != nil && contains(sameStepRefs(g.ShowWhen, s), f.Name) {
				c.add(fmt.Sprintf("%s.fields[%d].show_when", p, k), "field %q has %d inputs, which a condition on the same step cannot test: ask it on an earlier step", f.Name, len(f.Type.Parts))
			}
		}
	}
}

// maxTests bounds the tests that decide whether one field applies,
// counted through the conditions of the fields of its step they name:
// the page's script gets them written out (see scriptCondition), so a
// few fields that each name several others could otherwise make a page
// of any size.
const maxTests = 500

// testCount counts the tests of condition c of a field of step s, written
// out through the conditions of the fields of s it names, up to a little
// over maxTests. counted memoizes the count of each field's condition.
func testCount(s *Step, c *Condition, counted map[*Field]int) int {
	switch {
	case c == nil:
		return 0
	case c.Not != nil:
		return testCount(s, c.Not, counted)
	case c.All != nil || c.Any != nil:
		n := 0
		for _, d := range append(c.All[:len(c.All):len(c.All)], c.Any...) {
			if n += testCount(s, d, counted); n > maxTests {
				break
			}
		}
		return min(n, maxTests+1)
	}
	n := 1
	if f, here := c.fieldOn(s); here && f != nil && f.ShowWhen != nil {
		m, ok := counted[f]
		if !ok {
			counted[f] = maxTests + 1 // met again inside itself: a cycle, reported apart
			m = testCount(s, f.ShowWhen, counted)
			counted[f] = m
		}
		n += m
	}
	return min(n, maxTests+1)
}

// dependsOn reports whether the condition of field f of step s refers,
// through the conditions of the step's fields, to target. seen holds the
// fields already searched, so that each is searched once: fields shown
// when any of several others is answered would otherwise make the search
// take time exponential in their number.
func dependsOn(s *Step, f, target *Field, seen map[*Field]bool) bool {
	for _, ref := range sameStepRefs(f.ShowWhen, s) {
		g := s.Field(ref)
		if g == target {
			return true
		}
		if g == nil || seen[g] {
			continue
		}
		seen[g] = true
		if dependsOn(s, g, target, seen) {
			return true
		}
	}
	return false
}

// sameStepRefs lists the names of the fields of step s a condition refers to.
func sameStepRefs(cond *Condition, s *Step) []string {
	var out []string
	var walk func(*Condition)
	walk = func(c *Condition) {
		if c == nil {
			return
		}
		if c.Field != "" {
			if st, name, cross := strings.Cut(c.Field, "."); !cross {
				out = append(out, st)
			} else if st == s.Name {
				out = append(out, name)
			}
		}
		for _, d := range c.All {
			walk(d)
		}
		for _, d := range c.Any {
			walk(d)
		}
		walk(c.Not)
	}
	walk(cond)
	return out
}

// field checks one field's kind, rules, options and texts.
func (c *checker) field(p string, s *Step, f *Field, before map[*Step]bool) {
	if f.Kind < Text || f.Kind > Custom {
		c.add(p+".kind", "unknown kind %d", int(f.Kind))
	}
	c.fieldType(p, f)
	if f.Kind.choice() && f.Kind != YesNo && len(f.Options) == 0 && f.OptionsFunc == nil {
		c.add(p+".options", "a %s field needs options", f.Kind)
	}
	if !f.Kind.choice() && len(f.Options) > 0 {
		c.add(p+".options", "a %s field has no options", f.Kind)
	}
	if f.Kind == YesNo && (len(f.Options) > 0 || f.OptionsFunc != nil) {
		c.add(p+".options", "a yes_no field has the options yes and no, not options of its own")
	}
	values := map[string]bool{}
	for k, o := range f.Options {
		op := fmt.Sprintf("%s.options[%d]", p, k)
		// Answers are trimmed, so an option with spaces at its ends
		// would be refused as not one of the options.
		if _, bad := refused(f.Kind, o.Value); bad || o.Value == "" || trim(f, o.Value) != o.Value {
			c.add(op+".value", "option %q is empty, has spaces at its ends or holds a control character, so no answer can choose it", o.Value)
		}
		if values[o.Value] {
			c.add(op+".value", "duplicate option %q", o.Value)
		}
		values[o.Value] = true
		c.texts(op+".label", o.Label, before)
	}
	if f.MaxLen < 0 || f.MinLen < 0 {
		c.add(p, "negative length bound %d..%d", f.MinLen, f.MaxLen)
	} else if f.MinLen > f.maxLen() {
		c.add(p+".min_len", "no answer can be %d..%d characters long", f.MinLen, f.maxLen())
	}
	if f.Min != nil && f.Max != nil && *f.Min > *f.Max {
		c.add(p+".min", "minimum %v is above maximum %v", *f.Min, *f.Max)
	}
	if (f.Min != nil || f.Max != nil) && f.Kind != Number {
		key := ".min"
		if f.Min == nil {
			key = ".max"
		}
		c.add(p+key, "min and max bound number fields only, and %q is a %s field", f.Name, f.Kind)
	}
	if f.Pattern != nil {
		f.fullPattern = anchored(f.Pattern)
	}
	if f.Kind.choice() {
		// A choice is one of its options: rules on text never apply.
		for _, r := range []struct {
			set bool
			key string
		}{{f.MinLen != 0, "min_len"}, {f.MaxLen != 0, "max_len"}, {f.Pattern != nil, "pattern"}} {
			if r.set {
				c.add(p+"."+r.key, "%s applies to typed answers, and %q is a %s field: its answer is one of its options", r.key, f.Name, f.Kind)
			}
		}
	}
	c.texts(p+".label", f.Label, before)
	c.texts(p+".hint", f.Hint, before)
	c.texts(p+".noun", f.Noun, before)
	for _, m := range []struct{ key, text string }{
		{"pattern_message", f.PatternMessage}, {"required_message", f.RequiredMessage},
		{"min_len_message", f.MinLenMessage}, {"max_len_message", f.MaxLenMessage},
		{"min_message", f.MinMessage}, {"max_message", f.MaxMessage}, {"format_message", f.FormatMessage},
	} {
		c.texts(p+"."+m.key, m.text, before)
	}
}

// fieldType checks a custom field's type: set exactly when the kind is
// Custom, named, with a Parse, and parts that make distinct form keys;
// and that no rule of typed text is set, since the type's Parse is the
// rule.
func (c *checker) fieldType(p string, f *Field) {
	t := f.Type
	switch {
	case f.Kind == Custom && t == nil:
		c.add(p+".kind", "a custom field needs its Type")
		return
	case t == nil:
		return
	case f.Kind != Custom:
		c.add(p+".kind", "field %q has a Type, so its kind must be custom, not %s", f.Name, f.Kind)
		return
	}
	if !ValidName(t.Name) {
		c.add(p+".kind", "field type name %q: use lowercase letters, digits, - and _", t.Name)
	}
	if t.Parse == nil {
		c.add(p+".kind", "field type %q has no Parse", t.Name)
	}
	if len(t.Parts) > 0 && t.Split == nil {
		c.add(p+".kind", "field type %q has %d parts and no Split", t.Name, len(t.Parts))
	}
	seen := map[string]bool{}
	for _, part := range t.Parts {
		if !ValidName(part) || seen[part] {
			c.add(p+".kind", "field type %q: part %q is empty, repeated or not lowercase letters, digits, - and _", t.Name, part)
		}
		seen[part] = true
	}
	for _, r := range []struct {
		set bool
		key string
	}{{f.MinLen != 0, "min_len"}, {f.MaxLen != 0, "max_len"}, {f.Pattern != nil, "pattern"}, {len(f.Options) > 0 || f.OptionsFunc != nil, "options"}} {
		if r.set {
			c.add(p+"."+r.key, "field %q is of type %q, whose Parse checks its answer: %s does not apply", f.Name, t.Name, r.key)
		}
	}
}

// condition checks a condition of step s at path p: its shape, the fields
// it names (on step s, or on a step some journey answers before s) and
// whether each test suits the field. It resolves each leaf's field.
func (c *checker) condition(p string, cond *Condition, s *Step, before map[*Step]bool) {
	if cond == nil {
		c.add(p, "empty condition")
		return
	}
	forms := 0
	for _, set := range []bool{cond.Field != "", cond.All != nil, cond.Any != nil, cond.Not != nil} {
		if set {
			forms++
		}
	}
	if forms != 1 {
		c.add(p, "a condition names one field, or combines conditions with one of all, any or not")
		return
	}
	if cond.Field == "" && (cond.Test != Eq || cond.Value != "" || cond.Values != nil) {
		c.add(p, "a combination (all, any or not) takes no test or value of its own")
	}
	switch {
	case cond.Not != nil:
		c.condition(p+".not", cond.Not, s, before)
		return
	case cond.All != nil || cond.Any != nil:
		list, key := cond.All, "all"
		if cond.Any != nil {
			list, key = cond.Any, "any"
		}
		if len(list) == 0 {
			c.add(p+"."+key, "%s needs at least one condition", key)
		}
		for k, d := range list {
			c.condition(fmt.Sprintf("%s.%s[%d]", p, key, k), d, s, before)
		}
		return
	}
	st, f := c.resolve(p+".field", cond.Field, s, before)
	if f == nil {
		return
	}
	if st != s {
		// A field of s is found by name where the condition runs, so
		// that one Condition value may serve several steps.
		cond.step, cond.field = st, f
	}
	c.test(p, cond, f)
}

// resolve finds the step and field a condition names, reporting a name
// that matches nothing or a field not asked before step s.
func (c *checker) resolve(p, ref string, s *Step, before map[*Step]bool) (*Step, *Field) {
	stepName, name, cross := strings.Cut(ref, ".")
	if s.Repeat != nil && c.inRoutes && (!cross || stepName == s.Name) {
		// The routes of a repeating step see its list, not one item.
		if f := s.Field(name); (cross && name == countField || !cross && stepName == countField) && f == nil {
			return s, s.Repeat.count
		}
		c.add(p, "step %q repeats, so its routes can test only its number of items: %s.count", s.Name, s.Name)
		return nil, nil
	}
	if !cross {
		if f := s.Field(stepName); f != nil {
			return s, f
		}
		c.add(p, "step %q has no field %q (a field of another step is written step.field)", s.Name, ref)
		return nil, nil
	}
	st := c.w.Step(stepName)
	if st == nil {
		c.add(p, "unknown step %q", stepName)
		return nil, nil
	}
	if st.Repeat != nil && st != s {
		if name != countField {
			c.add(p, "step %q repeats: its fields have one answer per item, so test its number of items, %s.count", stepName, stepName)
			return nil, nil
		}
		if !before[st] {
			c.add(p, "%q is not asked before step %q on any journey", ref, s.Name)
			return nil, nil
		}
		return st, st.Repeat.count
	}
	f := st.Field(name)
	if f == nil {
		c.add(p, "step %q has no field %q", stepName, name)
		return nil, nil
	}
	if st != s && !before[st] {
		c.add(p, "%q is not asked before step %q on any journey", ref, s.Name)
		return nil, nil
	}
	return st, f
}

// test checks that a leaf's test suits its field and its values are
// answers the field can have.
func (c *checker) test(p string, cond *Condition, f *Field) {
	t := cond.Test
	if t < Eq || t > NotAnswered {
		c.add(p, "unknown test %d", int(t))
		return
	}
	var operands []string
	switch t {
	case Answered, NotAnswered:
		if cond.Value != "" || cond.Values != nil {
			c.add(p, "%s takes no value", t)
		}
		return
	case In, NotIn:
		if len(cond.Values) == 0 || cond.Value != "" {
			c.add(p+"."+t.String(), "%s takes a list of values", t)
		}
		operands = cond.Values
	default:
		if cond.Values != nil {
			c.add(p+"."+t.String(), "%s takes one value, not a list", t)
		}
		operands = []string{cond.Value}
	}
	vp := p + "." + t.String()
	switch t {
	case Contains:
		if f.Kind != Checkboxes {
			c.add(vp, "contains tests checkboxes, and %q is a %s field", cond.Field, f.Kind)
			return
		}
	case Lt, Le, Gt, Ge:
		if f.Kind != Number && f.Kind != Date {
			c.add(vp, "%s compares numbers and dates, and %q is a %s field", t, cond.Field, f.Kind)
			return
		}
	default:
		if f.Kind == Checkboxes {
			c.add(vp, "%s does not test checkboxes (several answers): use contains", t)
			return
		}
	}
	for _, v := range operands {
		if msg := c.operand(f, v); msg != "" {
			c.add(vp, "%s", msg)
		}
	}
}

// operand explains why v cannot be an answer of f, or returns "".
func (c *checker) operand(f *Field, v string) string {
	switch {
	case f.Kind.choice():
		if f.OptionsFunc == nil && !hasOption(f.options(nil), v) {
			return fmt.Sprintf("%q is not one of the options of %q", v, f.Name)
		}
	case f.Kind == Number:
		if _, err := strconv.ParseFloat(v, 64); err != nil || !plainNumber(v) {
			return fmt.Sprintf("%q is not a number, and %q is a number field", v, f.Name)
		}
	case f.Kind == Date:
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			return fmt.Sprintf("%q is not a date written as YYYY-MM-DD, and %q is a date field", v, f.Name)
		}
	case v == "":
		return "an empty value, which no answer is: test answered instead"
	case trim(f, v) != v:
		return fmt.Sprintf("%q has spaces at its ends, which no answer has: answers are trimmed", v)
	}
	return ""
}

// texts checks the {step.field} references of a text: each names a field
// of a step some journey answers before the text is shown.
func (c *checker) texts(p, s string, before map[*Step]bool) {
	for ref := range references(s) {
		st := c.w.Step(ref.step)
		switch {
		case st == nil:
			c.add(p, "{%s.%s}: unknown step %q", ref.step, ref.field, ref.step)
		case st.Repeat != nil:
			c.add(p, "{%s.%s}: step %q repeats, with one answer per item", ref.step, ref.field, ref.step)
		case st.Field(ref.field) == nil:
			c.add(p, "{%s.%s}: step %q has no field %q", ref.step, ref.field, ref.step, ref.field)
		case !before[st]:
			c.add(p, "{%s.%s}: not asked before this text is shown", ref.step, ref.field)
		}
	}
}

// noRefs reports {step.field} references in a text shown before any
// answer exists.
func (c *checker) noRefs(p, s string) {
	for ref := range references(s) {
		c.add(p, "{%s.%s}: no answers exist where this text is shown", ref.step, ref.field)
	}
}
