package wizard

import (
	"regexp"
	"strings"
	"testing"
)

// Regressions found by review of the engine; each case failed before its fix.

func TestPatternMatchesWholeValueWithAlternatives(t *testing.T) {
	cases := []struct {
		pattern, value string
		ok             bool
	}{
		{`a|ab`, "ab", true},
		{`\d+|\d+-\d+`, "12-34", true},
		{`a+?`, "aaa", true},
		{`a|ab`, "abc", false},
		{`(?i)ab`, "AB", true},
	}
	for _, tc := range cases {
		f := &Field{Name: "f", Pattern: regexp.MustCompile(tc.pattern)}
		for _, checked := range []bool{false, true} {
			if checked {
				if err := checkField(f); err != nil {
					t.Fatal(err)
				}
			}
			msg := check(f, []string{tc.value}, nil)
			if (msg == "") != tc.ok {
				t.Errorf("pattern %q value %q (checked %v): message %q, want ok=%v", tc.pattern, tc.value, checked, msg, tc.ok)
			}
		}
	}
}

func TestKindStringOutOfRange(t *testing.T) {
	for _, k := range []Kind{-1, 99} {
		if got := k.String(); !strings.HasPrefix(got, "Kind(") {
			t.Errorf("Kind(%d).String() = %q", int(k), got)
		}
	}
}

func TestCheckRejectsShowWhenOfUnknownOption(t *testing.T) {
	s := &Step{Name: "s", Fields: []*Field{
		{Name: "diet", Kind: Checkboxes, Options: []Option{{Value: "other", Label: "Other"}}},
		{Name: "more", ShowWhen: &Condition{Field: "diet", Test: Contains, Value: "othr"}},
	}}
	if err := checkStep(s); err == nil || !strings.Contains(err.Error(), `"othr"`) {
		t.Errorf("err = %v, want one naming the unknown option", err)
	}
	s.Fields[1].ShowWhen.Value = "other"
	if err := checkStep(s); err != nil {
		t.Errorf("valid reference: %v", err)
	}
}

func TestCheckRejectsShowWhenCycle(t *testing.T) {
	s := &Step{Name: "s", Fields: []*Field{
		{Name: "a", Kind: YesNo, ShowWhen: &Condition{Field: "b", Value: "yes"}},
		{Name: "b", Kind: YesNo, ShowWhen: &Condition{Field: "a", Value: "yes"}},
	}}
	if err := checkStep(s); err == nil {
		t.Error("a cycle of ShowWhen passed Check")
	}
}

func TestCheckRejectsImpossibleBounds(t *testing.T) {
	for name, f := range map[string]*Field{
		"min length above default max": {Name: "f", MinLen: 2000},
		"min above max":                {Name: "f", Kind: Number, Min: Float(5), Max: Float(1)},
	} {
		if err := checkField(f); err == nil {
			t.Errorf("%s: passed Check", name)
		}
	}
}

// TestOffJourneyAnswersAreIgnored: a step's title and options never see the
// answers of a step that left the journey, and cannot be completed by them.
func TestOffJourneyAnswersAreIgnored(t *testing.T) {
	w := &Wizard{Name: "w", Steps: []*Step{
		{Name: "a", Fields: []*Field{{Name: "x", Kind: YesNo, Required: true}},
			Next: func(a Answers) string {
				if a.Get("a", "x") == "yes" {
					return "b"
				}
				return "c"
			}},
		{Name: "b", Fields: []*Field{{Name: "pet", Required: true}}, Next: Goto("c")},
		{Name: "c", Title: "About {b.pet}", Fields: []*Field{{Name: "k", Kind: Radio, Required: true,
			OptionsFunc: func(a Answers) []Option {
				if p := a.Get("b", "pet"); p != "" {
					return []Option{{Value: p, Label: p}}
				}
				return []Option{{Value: "none", Label: "None"}}
			}}}},
	}}
	if err := w.Check(); err != nil {
		t.Fatal(err)
	}
	a := Answers{"a": {"x": {"no"}}, "b": {"pet": {"cat"}}, "c": {"k": {"cat"}}}
	j := w.Journey(a)
	if got := names(j.Steps()); got != "a c" {
		t.Fatalf("journey %q, want \"a c\"", got)
	}
	if j.Complete() {
		t.Error("journey complete through an answer of a step off the journey")
	}
	if f := j.Form(w.Step("c"), a["c"], nil); f.Title != "About " || f.Fields[0].Options[0].Value != "none" {
		t.Errorf("form title %q options %+v: used an off-journey answer", f.Title, f.Fields[0].Options)
	}
	if _, ok := j.Answers()["b"]; ok {
		t.Error("Answers() holds an off-journey step")
	}
}

func names(steps []*Step) string {
	var n []string
	for _, s := range steps {
		n = append(n, s.Name)
	}
	return strings.Join(n, " ")
}

// TestNestedConditionalDependsOnVisibility: a field revealed by a field that
// is itself hidden does not apply, whatever the declaration order.
func TestNestedConditionalDependsOnVisibility(t *testing.T) {
	s := &Step{Name: "s", Fields: []*Field{
		{Name: "g", Kind: YesNo},
		{Name: "c", Required: true, ShowWhen: &Condition{Field: "p", Value: "yes"}},
		{Name: "p", Kind: YesNo, ShowWhen: &Condition{Field: "g", Value: "yes"}},
	}}
	if err := checkStep(s); err != nil {
		t.Fatal(err)
	}
	clean, errs, err := Validate(s, nil, Values{"g": {"no"}, "p": {"yes"}, "c": {"x"}})
	if err != nil || len(errs) != 0 {
		t.Fatalf("errs %v err %v, want none: c and p are hidden", errs, err)
	}
	if _, ok := clean["c"]; ok {
		t.Errorf("hidden field kept: %v", clean)
	}
	_, errs, _ = Validate(s, nil, Values{"g": {"yes"}, "p": {"yes"}})
	if len(errs) != 1 || errs[0].Field != "c" {
		t.Errorf("errs %v, want c required", errs)
	}
}

func TestNumbersAsPeopleWriteThem(t *testing.T) {
	f := &Field{Name: "n", Kind: Number}
	for v, ok := range map[string]bool{"42": true, "-3.5": true, ".5": true, "+7": true, "1.": true,
		"1_000": false, "0x1p3": false, "1e3": false, "Inf": false, "NaN": false, ".": false, "-": false, "1,000": false} {
		if msg := check(f, []string{v}, nil); (msg == "") != ok {
			t.Errorf("%q: message %q, want ok=%v", v, msg, ok)
		}
	}
}

func TestTextareaLineBreaksCountOnce(t *testing.T) {
	s := &Step{Name: "s", Fields: []*Field{{Name: "t", Kind: TextArea, MaxLen: 3}}}
	clean, errs, _ := Validate(s, nil, Values{"t": {"a\r\nb"}})
	if len(errs) != 0 || clean.Get("t") != "a\nb" {
		t.Errorf("clean %q errs %v, want \"a\\nb\" within 3 characters", clean.Get("t"), errs)
	}
}

func TestRepeatedCheckboxValuesStoredOnce(t *testing.T) {
	s := &Step{Name: "s", Fields: []*Field{{Name: "c", Kind: Checkboxes, Options: []Option{{Value: "a"}, {Value: "b"}}}}}
	clean, _, _ := Validate(s, nil, Values{"c": {"a", "a", "b"}})
	if got := strings.Join(clean["c"], ","); got != "a,b" {
		t.Errorf("values %q, want a,b", got)
	}
}
