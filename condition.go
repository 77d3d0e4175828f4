package wizard

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Test is what a leaf Condition asks of a field's answer.
type Test int

// The tests of a leaf Condition. Eq is the zero value.
const (
	// Eq holds when the answer is Value: as a number for number fields,
	// as text otherwise. Not for checkboxes (see Contains).
	Eq Test = iota
	// Ne holds when the answer is given and is not Value.
	Ne
	// In holds when the answer is one of Values.
	In
	// NotIn holds when the answer is given and is none of Values.
	NotIn
	// Lt, Le, Gt and Ge compare a number or date answer with Value.
	Lt
	Le
	Gt
	Ge
	// Contains holds when Value is among a checkboxes field's answers.
	Contains
	// Answered holds when the field has an answer; NotAnswered when not.
	Answered
	NotAnswered
)

var testNames = [...]string{"eq", "ne", "in", "not_in", "lt", "le", "gt", "ge", "contains", "answered", "not answered"}

// String returns the test's name as definition files spell it, e.g. "not_in".
func (t Test) String() string {
	if t >= 0 && int(t) < len(testNames) {
		return testNames[t]
	}
	return fmt.Sprintf("Test(%d)", int(t))
}

// Condition is a test on answers, written as data so that Check can find
// its mistakes before any user meets them. A leaf names a Field and holds
// one Test; a combination sets exactly one of All, Any or Not and no Field.
// A field that has no answer (not asked, left empty, or a conditional
// field that does not apply) makes every test but NotAnswered false.
type Condition struct {
	// Field is a field of the same step ("country") or of an earlier
	// step ("angler.age").
	Field string
	Test  Test
	// Value is the operand of Eq, Ne, Lt, Le, Gt, Ge and Contains.
	Value string
	// Values are the operands of In and NotIn.
	Values []string

	// All holds when every condition holds; Any when one does; Not when
	// its condition does not.
	All []*Condition
	Any []*Condition
	Not *Condition

	// step and field are what a leaf's Field names when it is a field of
	// another step, resolved by Check. A field of the step the condition
	// runs on is looked up there, by name.
	step  *Step
	field *Field
}

// When returns the leaf condition "field test value", e.g.
// When("ticket.type", Eq, "student"). In and NotIn take several values;
// Answered and NotAnswered none.
func When(field string, t Test, values ...string) *Condition {
	c := &Condition{Field: field, Test: t}
	switch t {
	case In, NotIn:
		c.Values = values
	case Answered, NotAnswered:
	default:
		if len(values) > 0 {
			c.Value = values[0]
		}
	}
	return c
}

// All returns a condition that holds when every one of cs does. Check
// reports an All of none.
func All(cs ...*Condition) *Condition { return &Condition{All: list(cs)} }

// Any returns a condition that holds when at least one of cs does. Check
// reports an Any of none.
func Any(cs ...*Condition) *Condition { return &Condition{Any: list(cs)} }

// list returns cs, or an empty list for none: a nil All or Any would make
// a combination of none look like a leaf naming no field.
func list(cs []*Condition) []*Condition {
	if cs == nil {
		return []*Condition{}
	}
	return cs
}

// Not returns a condition that holds when c does not.
func Not(c *Condition) *Condition { return &Condition{Not: c} }

// scope is where a condition is evaluated: a step, the values being
// validated or saved for it, and the saved answers of the journey.
type scope struct {
	s      *Step
	values Values
	a      Answers
	depth  int
	// shown, when set, is shared by one whole evaluation (see shown).
	shown *shown
}

// maxDepth bounds how deep conditions are evaluated through other fields'
// conditions, as a last guard for an unchecked definition.
const maxDepth = 64

// shown remembers, for one evaluation, whether the fields with conditions
// of their own that it met apply (each step has one set of values within
// an evaluation, so the answer does not change). Without it, a field
// named along several paths (say, by an any of fields that all name it)
// has its condition evaluated once per path: time exponential in how deep
// such fields go. A field met again while its own condition is being
// evaluated is in a cycle, which Check forbids: it counts as not applying,
// and evaluation ends.
type shown struct {
	m map[stepField]bool // false while being evaluated
}

// stepField is a field of a step: a Field value may serve several steps.
type stepField struct {
	s *Step
	f *Field
}

// applies reports whether field f of step st, with the step's values
// vals, applies in this evaluation.
func (sc scope) applies(st *Step, f *Field, vals Values) bool {
	if f.ShowWhen == nil {
		return true
	}
	inner := scope{s: st, values: vals, a: sc.a, depth: sc.depth, shown: sc.shown}
	if sc.shown == nil {
		return f.ShowWhen.holds(inner)
	}
	key := stepField{st, f}
	if ok, met := sc.shown.m[key]; met {
		return ok
	}
	if sc.shown.m == nil {
		sc.shown.m = map[stepField]bool{}
	}
	sc.shown.m[key] = false
	ok := f.ShowWhen.holds(inner)
	sc.shown.m[key] = ok
	return ok
}

// holds evaluates c in sc; a nil condition holds.
func (c *Condition) holds(sc scope) bool {
	if c == nil {
		return true
	}
	if sc.depth > maxDepth {
		return false
	}
	sc.depth++
	switch {
	case c.Not != nil:
		return !c.Not.holds(sc)
	case c.All != nil:
		for _, d := range c.All {
			if !d.holds(sc) {
				return false
			}
		}
		return true
	case c.Any != nil:
		for _, d := range c.Any {
			if d.holds(sc) {
				return true
			}
		}
		return false
	}
	k, vs := c.answer(sc)
	if len(vs) == 0 {
		return c.Test == NotAnswered
	}
	return c.Test.on(k, vs, c.Value, c.Values)
}

// unknownKind is the kind of a field Check has not resolved: equality is
// textual and order is tried as numbers, then as dates.
const unknownKind Kind = -1

// answer returns the kind and the answer of the field a leaf names. A
// field that does not apply (its own condition fails) has no answer.
func (c *Condition) answer(sc scope) (Kind, []string) {
	st, f := c.step, c.field
	if st != nil && st.Repeat != nil && f == st.Repeat.count {
		return Number, itemCount(sc.a[st.Name])
	}
	if st == nil {
		stepName, name, cross := strings.Cut(c.Field, ".")
		switch {
		case !cross:
			st, name = sc.s, stepName
		case sc.s != nil && stepName == sc.s.Name:
			st = sc.s
		default:
			// Not resolved by Check: the saved answer as it is.
			return unknownKind, sc.a[stepName][name]
		}
		if st == nil {
			return unknownKind, nil
		}
		if f = st.Field(name); f == nil {
			if st.Repeat != nil && name == countField {
				// The routes of a repeating step, on its number of items.
				return Number, itemCount(sc.values)
			}
			return unknownKind, nil
		}
	}
	vals := sc.values
	if st != sc.s {
		vals = sc.a[st.Name]
	}
	if !sc.applies(st, f, vals) {
		return f.Kind, nil
	}
	return f.Kind, vals[f.Name]
}

// itemCount is the number of items of a repeating step's saved values,
// as a condition's answer: none when the step was never saved.
func itemCount(v Values) []string {
	if v == nil {
		return nil
	}
	return []string{strconv.Itoa(len(v.Items()))}
}

// on applies the test to a field's answer vs, which is not empty.
func (t Test) on(k Kind, vs []string, value string, values []string) bool {
	switch t {
	case Answered:
		return true
	case NotAnswered:
		return false
	case Contains:
		return contains(vs, value)
	case In, NotIn:
		in := false
		for _, v := range values {
			in = in || same(k, vs[0], v)
		}
		return in == (t == In)
	case Eq:
		return same(k, vs[0], value)
	case Ne:
		return !same(k, vs[0], value)
	}
	cmp, ok := compare(k, vs[0], value)
	if !ok {
		return false
	}
	switch t {
	case Lt:
		return cmp < 0
	case Le:
		return cmp <= 0
	case Gt:
		return cmp > 0
	case Ge:
		return cmp >= 0
	}
	return false
}

// same reports whether an answer equals a condition's value: as numbers
// for a number field ("42.0" is 42), as text otherwise.
func same(k Kind, answer, value string) bool {
	if k == Number {
		c, ok := compare(k, answer, value)
		return ok && c == 0
	}
	return answer == value
}

// compare orders a number or date answer against a value; ok is false
// when either is not one (say, an answer saved before the field changed
// kind). A field of unknown kind is tried as numbers, then as dates.
func compare(k Kind, answer, value string) (int, bool) {
	switch k {
	case unknownKind:
		if c, ok := compare(Number, answer, value); ok {
			return c, true
		}
		return compare(Date, answer, value)
	case Number:
		x, err1 := strconv.ParseFloat(answer, 64)
		y, err2 := strconv.ParseFloat(value, 64)
		if err1 != nil || err2 != nil {
			return 0, false
		}
		switch {
		case x < y:
			return -1, true
		case x > y:
			return 1, true
		}
		return 0, true
	case Date:
		x, err1 := time.Parse(time.DateOnly, answer)
		y, err2 := time.Parse(time.DateOnly, value)
		if err1 != nil || err2 != nil {
			return 0, false
		}
		return x.Compare(y), true
	}
	return 0, false
}
