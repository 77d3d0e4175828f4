package wizard_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wizard/wizard"
)

// choices returns options whose values are also their labels.
func choices(values ...string) []wizard.Option {
	var out []wizard.Option
	for _, v := range values {
		out = append(out, wizard.Option{Value: v, Label: v})
	}
	return out
}

// aboutFields returns one field of every kind, and "number", a
// membership number asked only of members.
func aboutFields() []*wizard.Field {
	return []*wizard.Field{
		{Name: "name"},
		{Name: "email", Kind: wizard.Email},
		{Name: "age", Kind: wizard.Number},
		{Name: "born", Kind: wizard.Date},
		{Name: "bio", Kind: wizard.TextArea},
		{Name: "colour", Kind: wizard.Select, Options: choices("red", "green", "blue")},
		{Name: "pet", Kind: wizard.Radio, Options: choices("cat", "dog")},
		{Name: "diet", Kind: wizard.Checkboxes, Options: choices("vegan", "halal", "other")},
		{Name: "member", Kind: wizard.YesNo},
		{Name: "number", ShowWhen: wizard.When("member", wizard.Eq, "yes")},
	}
}

// about answers every field of aboutFields.
func about() wizard.Values {
	return wizard.Values{
		"name": {"Ada"}, "email": {"ada@example.com"}, "age": {"42"}, "born": {"2000-02-29"},
		"bio": {"Likes\nboats"}, "colour": {"green"}, "pet": {"cat"}, "diet": {"vegan", "other"},
		"member": {"yes"}, "number": {"M-7"},
	}
}

// prefixed returns a copy of c whose fields are named as fields of the
// step "about" ("about.age"), for a condition on a later step.
func prefixed(c *wizard.Condition) *wizard.Condition {
	if c == nil {
		return nil
	}
	d := *c
	if d.Field != "" {
		d.Field = "about." + d.Field
	}
	d.All, d.Any = nil, nil
	for _, e := range c.All {
		d.All = append(d.All, prefixed(e))
	}
	for _, e := range c.Any {
		d.Any = append(d.Any, prefixed(e))
	}
	d.Not = prefixed(c.Not)
	return &d
}

// evaluate reports whether cond, written with the names of aboutFields,
// holds on the answers v to them, in a checked wizard, in the two places a
// condition can be: as the condition of a field of the same step ("age"),
// and of a field of a later step ("about.age"). It fails the test if the
// two disagree.
func evaluate(t *testing.T, cond *wizard.Condition, v wizard.Values) bool {
	t.Helper()
	here, there := holdsHere(t, cond, v), holdsLater(t, prefixed(cond), v)
	if here != there {
		t.Fatalf("%s: holds on the same step: %v, on a later step: %v", describe(cond), here, there)
	}
	return here
}

// holdsHere reports whether cond holds as the condition of a field of the
// about step when that step is sent input.
func holdsHere(t *testing.T, cond *wizard.Condition, input wizard.Values) bool {
	t.Helper()
	s := &wizard.Step{Name: "about", Fields: append(aboutFields(), &wizard.Field{Name: "probe", ShowWhen: cond})}
	w := &wizard.Wizard{Name: "w", Steps: []*wizard.Step{s}}
	if err := w.Check(); err != nil {
		t.Fatalf("same step: Check: %v", err)
	}
	in := wizard.Values{"probe": {"shown"}}
	for k, vs := range input {
		in[k] = vs
	}
	clean, _, err := wizard.Validate(s, nil, in)
	if err != nil {
		t.Fatalf("same step: Validate: %v", err)
	}
	_, ok := clean["probe"]
	return ok
}

// holdsLater reports whether cond holds as the condition of a field of a
// step after the about step, whose saved answers are saved.
func holdsLater(t *testing.T, cond *wizard.Condition, saved wizard.Values) bool {
	t.Helper()
	later := &wizard.Step{Name: "later", Fields: []*wizard.Field{{Name: "probe", ShowWhen: cond}}}
	w := &wizard.Wizard{Name: "w", Steps: []*wizard.Step{{Name: "about", Fields: aboutFields()}, later}}
	if err := w.Check(); err != nil {
		t.Fatalf("later step: Check: %v", err)
	}
	clean, _, err := wizard.Validate(later, wizard.Answers{"about": saved}, wizard.Values{"probe": {"shown"}})
	if err != nil {
		t.Fatalf("later step: Validate: %v", err)
	}
	_, ok := clean["probe"]
	return ok
}

// describe writes a condition the way definition files do, for messages.
func describe(c *wizard.Condition) string {
	switch {
	case c == nil:
		return "<nil>"
	case c.Not != nil:
		return "not " + describe(c.Not)
	case c.All != nil || c.Any != nil:
		key, list := "all", c.All
		if c.Any != nil {
			key, list = "any", c.Any
		}
		s := key + "("
		for i, d := range list {
			if i > 0 {
				s += ", "
			}
			s += describe(d)
		}
		return s + ")"
	case c.Test == wizard.In || c.Test == wizard.NotIn:
		return fmt.Sprintf("%s %s %q", c.Field, c.Test, c.Values)
	case c.Test == wizard.Answered || c.Test == wizard.NotAnswered:
		return fmt.Sprintf("%s %s", c.Field, c.Test)
	}
	return fmt.Sprintf("%s %s %q", c.Field, c.Test, c.Value)
}

// with returns the answers of about with field's answer replaced by vs
// (none when vs is empty).
func with(field string, vs ...string) wizard.Values {
	v := about()
	v[field] = vs
	return v
}

// samples holds, for each single-valued field of aboutFields, a value
// equal to its answer in about and another value it could have had.
var samples = []struct{ field, same, other string }{
	{"name", "Ada", "ada"}, // text compares exactly
	{"email", "ada@example.com", "bob@example.com"},
	{"age", "42.0", "42.5"}, // the answer is "42": numbers compare as numbers
	{"born", "2000-02-29", "2000-03-01"},
	{"bio", "Likes\nboats", "Likes boats"},
	{"colour", "green", "red"},
	{"pet", "cat", "dog"},
	{"member", "yes", "no"},
	{"number", "M-7", "M-8"},
}

// TestEqualityTests runs eq, ne, in and not_in on every kind they apply
// to (all but checkboxes): answered, unanswered, left empty, and
// answered but not applying.
func TestEqualityTests(t *testing.T) {
	for _, s := range samples {
		tests := []struct {
			c    *wizard.Condition
			want bool
		}{
			{wizard.When(s.field, wizard.Eq, s.same), true},
			{wizard.When(s.field, wizard.Eq, s.other), false},
			{wizard.When(s.field, wizard.Ne, s.same), false},
			{wizard.When(s.field, wizard.Ne, s.other), true},
			{wizard.When(s.field, wizard.In, s.other, s.same), true},
			{wizard.When(s.field, wizard.In, s.same), true},
			{wizard.When(s.field, wizard.In, s.other), false},
			{wizard.When(s.field, wizard.NotIn, s.other), true},
			{wizard.When(s.field, wizard.NotIn, s.other, s.same), false},
		}
		for _, tt := range tests {
			t.Run(describe(tt.c), func(t *testing.T) {
				if got := evaluate(t, tt.c, about()); got != tt.want {
					t.Errorf("answered: got %v, want %v", got, tt.want)
				}
				unansweredIsFalse(t, tt.c, s.field)
			})
		}
	}
}

// unansweredIsFalse checks that cond, a test on field other than
// not_answered, is false whenever the field has no answer.
func unansweredIsFalse(t *testing.T, cond *wizard.Condition, field string) {
	t.Helper()
	if got := evaluate(t, cond, with(field)); got {
		t.Errorf("unanswered: got true, want false")
	}
	if got := holdsHere(t, cond, with(field, "  ")); got {
		t.Errorf("left blank: got true, want false")
	}
	if got := evaluate(t, cond, wizard.Values{}); got {
		t.Errorf("no answers at all: got true, want false")
	}
}

// TestOrderTests runs lt, le, gt and ge on numbers and dates. Numbers
// compare as numbers ("9" is less than "10"), whatever way they are
// written.
func TestOrderTests(t *testing.T) {
	tests := []struct {
		field, answer string
		test          wizard.Test
		value         string
		want          bool
	}{
		{"age", "9", wizard.Lt, "10", true},
		{"age", "10", wizard.Lt, "9", false},
		{"age", "10", wizard.Lt, "10", false},
		{"age", "10", wizard.Le, "10.0", true},
		{"age", "10.5", wizard.Le, "10", false},
		{"age", "-1.5", wizard.Lt, "0", true},
		{"age", ".5", wizard.Gt, "0.25", true},
		{"age", "100", wizard.Gt, "99.99", true},
		{"age", "42", wizard.Gt, "42", false},
		{"age", "42", wizard.Ge, "42", true},
		{"age", "41.999", wizard.Ge, "42", false},
		{"age", "+7", wizard.Ge, "7", true},
		{"born", "2000-02-29", wizard.Lt, "2000-03-01", true},
		{"born", "2000-03-01", wizard.Lt, "2000-02-29", false},
		{"born", "1999-12-31", wizard.Le, "1999-12-31", true},
		{"born", "2000-01-01", wizard.Le, "1999-12-31", false},
		{"born", "2000-01-01", wizard.Gt, "1999-12-31", true},
		{"born", "1999-12-31", wizard.Gt, "1999-12-31", false},
		{"born", "2026-03-27", wizard.Ge, "2026-03-27", true},
		{"born", "2026-03-26", wizard.Ge, "2026-03-27", false},
	}
	for _, tt := range tests {
		c := wizard.When(tt.field, tt.test, tt.value)
		t.Run(fmt.Sprintf("%s %s", tt.answer, describe(c)), func(t *testing.T) {
			if got := evaluate(t, c, with(tt.field, tt.answer)); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			unansweredIsFalse(t, c, tt.field)
		})
	}
}

// TestNumbersCompareAsNumbers: "42.0" and "042" are 42 for eq, ne and in
// on a number field; on a text field they are text, compared exactly.
func TestNumbersCompareAsNumbers(t *testing.T) {
	tests := []struct {
		field, answer string
		c             *wizard.Condition
		want          bool
	}{
		{"age", "42", wizard.When("age", wizard.Eq, "42.0"), true},
		{"age", "42.0", wizard.When("age", wizard.Eq, "42"), true},
		{"age", "042", wizard.When("age", wizard.Eq, "42"), true},
		{"age", "-0", wizard.When("age", wizard.Eq, "0"), true},
		{"age", "42.0", wizard.When("age", wizard.Ne, "42"), false},
		{"age", "42.01", wizard.When("age", wizard.Ne, "42"), true},
		{"age", "42.0", wizard.When("age", wizard.In, "41", "42"), true},
		{"age", "42.0", wizard.When("age", wizard.NotIn, "41", "42"), false},
		{"name", "42", wizard.When("name", wizard.Eq, "42.0"), false},
		{"name", "42", wizard.When("name", wizard.Eq, "42"), true},
		{"name", "Ada", wizard.When("name", wizard.Eq, "ADA"), false},
		{"name", "Ada", wizard.When("name", wizard.Ne, "ADA"), true},
	}
	for _, tt := range tests {
		t.Run(tt.answer+" "+describe(tt.c), func(t *testing.T) {
			if got := evaluate(t, tt.c, with(tt.field, tt.answer)); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestContainsOnCheckboxes(t *testing.T) {
	tests := []struct {
		answer []string
		value  string
		want   bool
	}{
		{[]string{"vegan", "other"}, "vegan", true},
		{[]string{"vegan", "other"}, "other", true},
		{[]string{"vegan", "other"}, "halal", false},
		{[]string{"halal"}, "halal", true},
		{nil, "halal", false},
	}
	for _, tt := range tests {
		c := wizard.When("diet", wizard.Contains, tt.value)
		t.Run(fmt.Sprintf("%q %s", tt.answer, describe(c)), func(t *testing.T) {
			if got := evaluate(t, c, with("diet", tt.answer...)); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			unansweredIsFalse(t, c, "diet")
		})
	}
}

// TestAnsweredTests runs answered and not_answered on every kind: a field
// left empty, not asked or not applying is not answered.
func TestAnsweredTests(t *testing.T) {
	for _, f := range aboutFields() {
		t.Run(f.Name, func(t *testing.T) {
			answered, notAnswered := wizard.When(f.Name, wizard.Answered), wizard.When(f.Name, wizard.NotAnswered)
			for _, tt := range []struct {
				name string
				v    wizard.Values
				want bool
			}{
				{"answered", about(), true},
				{"missing", with(f.Name), false},
				{"no answers", wizard.Values{}, false},
			} {
				if got := evaluate(t, answered, tt.v); got != tt.want {
					t.Errorf("%s: answered: got %v, want %v", tt.name, got, tt.want)
				}
				if got := evaluate(t, notAnswered, tt.v); got == tt.want {
					t.Errorf("%s: not answered: got %v, want %v", tt.name, got, !tt.want)
				}
			}
			blank := with(f.Name, " ")
			if got := holdsHere(t, answered, blank); got {
				t.Errorf("left blank: answered: got true, want false")
			}
			if got := holdsHere(t, notAnswered, blank); !got {
				t.Errorf("left blank: not answered: got false, want true")
			}
		})
	}
}

// TestFieldNotApplyingIsUnanswered: "number" is asked of members only, so
// a number given by someone who is not a member (a stale value) makes
// every test but not_answered false, on the same step and on a later one.
func TestFieldNotApplyingIsUnanswered(t *testing.T) {
	notMember := with("member", "no")
	if notMember.Get("number") != "M-7" {
		t.Fatal("the fixture lost the stale number")
	}
	tests := []struct {
		c    *wizard.Condition
		want bool
	}{
		{wizard.When("number", wizard.Answered), false},
		{wizard.When("number", wizard.NotAnswered), true},
		{wizard.When("number", wizard.Eq, "M-7"), false},
		{wizard.When("number", wizard.Ne, "M-8"), false},
		{wizard.When("number", wizard.In, "M-7"), false},
		{wizard.When("number", wizard.NotIn, "M-8"), false},
		{wizard.Not(wizard.When("number", wizard.Eq, "M-7")), true},
	}
	for _, tt := range tests {
		t.Run(describe(tt.c), func(t *testing.T) {
			if got := evaluate(t, tt.c, notMember); got != tt.want {
				t.Errorf("not a member: got %v, want %v", got, tt.want)
			}
			if got := evaluate(t, tt.c, about()); got == tt.want {
				t.Errorf("member: got %v, want %v", got, !tt.want)
			}
		})
	}
}

func TestCombinations(t *testing.T) {
	var (
		young   = wizard.When("age", wizard.Lt, "16")
		old     = wizard.When("age", wizard.Ge, "65")
		cat     = wizard.When("pet", wizard.Eq, "cat")
		vegan   = wizard.When("diet", wizard.Contains, "vegan")
		member  = wizard.When("member", wizard.Eq, "yes")
		noEmail = wizard.When("email", wizard.NotAnswered)
	)
	tests := []struct {
		name string
		c    *wizard.Condition
		v    wizard.Values
		want bool
	}{
		{"all of two true", wizard.All(cat, vegan), about(), true},
		{"all with one false", wizard.All(cat, vegan, young), about(), false},
		{"all of one", wizard.All(cat), about(), true},
		{"any with one true", wizard.Any(young, old, cat), about(), true},
		{"any of all false", wizard.Any(young, old), about(), false},
		{"any of one", wizard.Any(old), with("age", "65"), true},
		{"not true", wizard.Not(cat), about(), false},
		{"not false", wizard.Not(young), about(), true},
		{"not not", wizard.Not(wizard.Not(cat)), about(), true},
		{"not of unanswered", wizard.Not(cat), with("pet"), true},
		{"any nested in all", wizard.All(cat, wizard.Any(young, old)), with("age", "12"), true},
		{"any nested in all, false", wizard.All(cat, wizard.Any(young, old)), about(), false},
		{"all nested in any", wizard.Any(young, wizard.All(member, vegan)), about(), true},
		{"all nested in any, false", wizard.Any(young, wizard.All(member, vegan)), with("member", "no"), false},
		{"not of all", wizard.Not(wizard.All(cat, young)), about(), true},
		{"not of any", wizard.Not(wizard.Any(young, old)), about(), true},
		{"not of any, unanswered", wizard.Not(wizard.Any(young, old)), with("age"), true},
		{"deep", wizard.All(wizard.Not(noEmail), wizard.Any(wizard.Not(cat), wizard.All(vegan, wizard.Not(young)))), about(), true},
		{"deep, false", wizard.All(wizard.Not(noEmail), wizard.Any(wizard.Not(cat), wizard.All(vegan, wizard.Not(young)))), with("email"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := evaluate(t, tt.c, tt.v); got != tt.want {
				t.Errorf("%s: got %v, want %v", describe(tt.c), got, tt.want)
			}
		})
	}
}

// TestConditionOnFieldWhoseConditionIsOnAnEarlierStep: "number" is asked
// of members, a question of the first step; a later step's condition on
// "about.number" treats a number left from when the user said they were a
// member as no answer.
func TestConditionOnFieldWhoseConditionIsOnAnEarlierStep(t *testing.T) {
	w := &wizard.Wizard{Name: "w", Steps: []*wizard.Step{
		{Name: "start", Fields: []*wizard.Field{{Name: "member", Kind: wizard.YesNo}}},
		{Name: "about", Fields: []*wizard.Field{{Name: "number", ShowWhen: wizard.When("start.member", wizard.Eq, "yes")}}},
		{Name: "card", Fields: []*wizard.Field{
			{Name: "has_number", ShowWhen: wizard.When("about.number", wizard.Answered)},
			{Name: "no_number", ShowWhen: wizard.When("about.number", wizard.NotAnswered)},
			{Name: "m7", ShowWhen: wizard.When("about.number", wizard.Eq, "M-7")},
		}},
	}}
	if err := w.Check(); err != nil {
		t.Fatal(err)
	}
	card := w.Step("card")
	all := wizard.Values{"has_number": {"x"}, "no_number": {"x"}, "m7": {"x"}}
	tests := []struct {
		member string
		want   []string
	}{
		{"yes", []string{"has_number", "m7"}},
		{"no", []string{"no_number"}},
		{"", []string{"no_number"}},
	}
	for _, tt := range tests {
		t.Run("member "+tt.member, func(t *testing.T) {
			a := wizard.Answers{"start": {"member": {tt.member}}, "about": {"number": {"M-7"}}}
			clean, _, err := wizard.Validate(card, a, all)
			if err != nil {
				t.Fatal(err)
			}
			if got := keys(clean); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("fields that apply: got %v, want %v", got, tt.want)
			}
		})
	}
}

// keys returns the fields of v in the order of names.
func keys(v wizard.Values) []string {
	var out []string
	for _, name := range []string{"has_number", "no_number", "m7"} {
		if _, ok := v[name]; ok {
			out = append(out, name)
		}
	}
	return out
}

// TestConditionSharedBySteps: one Condition value may serve fields of
// several steps; each evaluates it on its own step's answers.
func TestConditionSharedBySteps(t *testing.T) {
	other := wizard.When("pick", wizard.Eq, "other")
	step := func(name string) *wizard.Step {
		return &wizard.Step{Name: name, Fields: []*wizard.Field{
			{Name: "pick", Kind: wizard.Radio, Options: choices("a", "other")},
			{Name: "why", Required: true, ShowWhen: other},
		}}
	}
	w := &wizard.Wizard{Name: "w", Steps: []*wizard.Step{step("first"), step("second")}}
	if err := w.Check(); err != nil {
		t.Fatal(err)
	}
	a := wizard.Answers{"first": {"pick": {"a"}}, "second": {"pick": {"other"}, "why": {"because"}}}
	for _, tt := range []struct {
		step     string
		pick     string
		wantErrs int
	}{
		{"first", "other", 1}, // why is required and missing
		{"first", "a", 0},
		{"second", "other", 1},
		{"second", "a", 0},
	} {
		_, errs, err := wizard.Validate(w.Step(tt.step), a, wizard.Values{"pick": {tt.pick}})
		if err != nil {
			t.Fatal(err)
		}
		if len(errs) != tt.wantErrs {
			t.Errorf("%s, pick %s: got errors %v, want %d", tt.step, tt.pick, errs, tt.wantErrs)
		}
	}
	j := w.Journey(a)
	if got := stepName(j.FirstOpen()); got != "<nil>" {
		t.Errorf("FirstOpen: got %s, want none: each step is complete by its own pick", got)
	}
}

func TestTestString(t *testing.T) {
	for test, want := range map[wizard.Test]string{
		wizard.Eq: "eq", wizard.Ne: "ne", wizard.In: "in", wizard.NotIn: "not_in",
		wizard.Lt: "lt", wizard.Le: "le", wizard.Gt: "gt", wizard.Ge: "ge",
		wizard.Contains: "contains", wizard.Test(-1): "Test(-1)", wizard.Test(99): "Test(99)",
	} {
		if got := test.String(); got != want {
			t.Errorf("Test(%d).String(): got %q, want %q", int(test), got, want)
		}
	}
}

// TestWhen: the values go where the test reads them.
func TestWhen(t *testing.T) {
	tests := []struct {
		c      *wizard.Condition
		value  string
		values []string
	}{
		{wizard.When("f", wizard.Eq, "x"), "x", nil},
		{wizard.When("f", wizard.Lt, "3", "ignored"), "3", nil},
		{wizard.When("f", wizard.In, "x", "y"), "", []string{"x", "y"}},
		{wizard.When("f", wizard.NotIn, "x"), "", []string{"x"}},
		{wizard.When("f", wizard.Answered), "", nil},
		{wizard.When("f", wizard.NotAnswered), "", nil},
	}
	for _, tt := range tests {
		c := tt.c
		if c.Field != "f" || c.Value != tt.value || fmt.Sprint(c.Values) != fmt.Sprint(tt.values) {
			t.Errorf("%s: got field %q value %q values %q, want f, %q, %q", c.Test, c.Field, c.Value, c.Values, tt.value, tt.values)
		}
	}
}

// quickly fails the test if f takes more than a few seconds.
func quickly(t *testing.T, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("still running after 5s")
	}
}

// TestConditionsThroughManyFieldsAreQuick: each field of a step is shown
// when any field before it is answered, so the last one's condition
// reaches the first along 2^38 paths; each field's condition is
// evaluated once per evaluation all the same.
func TestConditionsThroughManyFieldsAreQuick(t *testing.T) {
	s := &wizard.Step{Name: "s"}
	for i := range 40 {
		f := &wizard.Field{Name: "f" + strconv.Itoa(i)}
		var any []*wizard.Condition
		for _, g := range s.Fields {
			any = append(any, wizard.When(g.Name, wizard.Answered))
		}
		if i > 0 {
			f.ShowWhen = wizard.Any(any...)
		}
		s.Fields = append(s.Fields, f)
	}
	w := &wizard.Wizard{Name: "w", Steps: []*wizard.Step{s, {Name: "t", Fields: []*wizard.Field{
		{Name: "x", ShowWhen: wizard.When("s.f39", wizard.NotAnswered)},
	}}}}
	// Check refuses conditions this large for pages (see
	// TestCheckShowWhenCycleIsQuick), but resolves them; the engine still
	// evaluates them promptly, each field's condition once.
	if err := w.Check(); err == nil || !strings.Contains(err.Error(), "takes more than 500 tests") {
		t.Fatalf("Check: %v", err)
	}
	quickly(t, func() {
		clean, _, err := wizard.Validate(s, nil, wizard.Values{"f39": {"last"}})
		if err != nil {
			t.Error(err)
		}
		if _, ok := clean["f39"]; ok {
			t.Error("f39 applies with no field before it answered")
		}
		a := wizard.Answers{"s": {"f39": {"last"}}}
		clean, _, err = wizard.Validate(w.Step("t"), a, wizard.Values{"x": {"shown"}})
		if err != nil {
			t.Error(err)
		}
		if _, ok := clean["x"]; !ok {
			t.Error("x does not apply, want it to: s.f39 does not apply, so it is not answered")
		}
	})
}

// TestConditionCycleEnds: Check refuses fields shown when each other, but
// a wizard not checked still evaluates them, promptly (what applies is
// then unspecified).
func TestConditionCycleEnds(t *testing.T) {
	a, b := wizard.When("a", wizard.Answered), wizard.When("b", wizard.Answered)
	s := &wizard.Step{Name: "s", Fields: []*wizard.Field{
		{Name: "a", ShowWhen: wizard.Any(b, b, wizard.Not(b), wizard.All(b, wizard.Not(b)))},
		{Name: "b", ShowWhen: wizard.Any(a, a, wizard.Not(a), wizard.All(a, wizard.Not(a)))},
		{Name: "c", ShowWhen: wizard.Any(a, b)},
	}}
	quickly(t, func() {
		if _, _, err := wizard.Validate(s, nil, wizard.Values{"a": {"x"}, "b": {"y"}, "c": {"z"}}); err != nil {
			t.Error(err)
		}
		if !wizard.Complete(s, wizard.Answers{"s": {}}) {
			t.Error("Complete: got false for a step of optional fields")
		}
	})
}
