package wizard_test

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wizard/wizard"
)

// dateParts is a date asked as day, month and year, saved as YYYY-MM-DD.
var dateParts = &wizard.FieldType{
	Name:   "date-parts",
	Parts:  []string{"day", "month", "year"},
	Labels: []string{"", "Month of birth"},
	Parse: func(vs []string) (string, string) {
		d, err1 := strconv.Atoi(vs[0])
		m, err2 := strconv.Atoi(vs[1])
		y, err3 := strconv.Atoi(vs[2])
		if err1 != nil || err2 != nil || err3 != nil || y < 1000 || y > 9999 {
			return "", "Enter a real date"
		}
		t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		if t.Day() != d || int(t.Month()) != m {
			return "", "Enter a real date"
		}
		return t.Format(time.DateOnly), ""
	},
	Split: func(answer string) []string {
		t, err := time.Parse(time.DateOnly, answer)
		if err != nil {
			return strings.SplitN(answer, "-", 3)
		}
		return []string{strconv.Itoa(t.Day()), strconv.Itoa(int(t.Month())), strconv.Itoa(t.Year())}
	},
}

// postcode is a field of one input, saved in capitals with one space.
var postcode = &wizard.FieldType{
	Name: "postcode",
	Parse: func(vs []string) (string, string) {
		v := strings.ToUpper(strings.ReplaceAll(vs[0], " ", ""))
		if len(v) < 5 || len(v) > 7 {
			return "", "Enter a real postcode"
		}
		return v[:len(v)-3] + " " + v[len(v)-3:], ""
	},
}

func customWizard(t *testing.T, checks ...wizard.Check) *wizard.Wizard {
	t.Helper()
	w := &wizard.Wizard{Name: "c", Title: "C", Steps: []*wizard.Step{
		{Name: "s", Title: "S", Fields: []*wizard.Field{
			{Name: "dob", Label: "Date of birth", Kind: wizard.Custom, Type: dateParts, Required: true, Noun: "your date of birth"},
			{Name: "pc", Label: "Postcode", Kind: wizard.Custom, Type: postcode},
		}, Checks: checks},
		{Name: "t", Title: "T", Fields: []*wizard.Field{{Name: "x", Label: "X"}}},
	}}
	if err := w.Check(); err != nil {
		t.Fatal(err)
	}
	return w
}

func TestCustomFieldParse(t *testing.T) {
	w := customWizard(t)
	st := w.Steps[0]
	tests := []struct {
		name   string
		input  wizard.Values
		want   wizard.Values
		errors map[string]string
	}{
		{"valid parts", wizard.Values{"dob-day": {" 7 "}, "dob-month": {"3"}, "dob-year": {"1990"}, "pc": {"sw1a1aa"}},
			wizard.Values{"dob": {"1990-03-07"}, "pc": {"SW1A 1AA"}}, nil},
		{"empty and required", wizard.Values{"dob-day": {""}, "dob-month": {" "}, "dob-year": {""}},
			wizard.Values{"dob": nil, "pc": nil}, map[string]string{"dob": "Enter your date of birth"}},
		{"not a date keeps what was typed", wizard.Values{"dob-day": {"31"}, "dob-month": {"2"}, "dob-year": {"2024"}, "pc": {"x"}},
			wizard.Values{"dob-day": {"31"}, "dob-month": {"2"}, "dob-year": {"2024"}, "pc": {"x"}},
			map[string]string{"dob": "Enter a real date", "pc": "Enter a real postcode"}},
		{"a saved answer is read again", wizard.Values{"dob": {"2001-12-25"}, "pc": {"SW1A 1AA"}},
			wizard.Values{"dob": {"2001-12-25"}, "pc": {"SW1A 1AA"}}, nil},
		{"control characters refused", wizard.Values{"dob-day": {"1\u202e"}, "dob-month": {"1"}, "dob-year": {"2000"}},
			nil, map[string]string{"dob": "Your date of birth must not contain invisible or control characters"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs, err := wizard.Validate(st, nil, tt.input)
			if err != nil {
				t.Fatal(err)
			}
			msgs := map[string]string{}
			for _, e := range errs {
				msgs[e.Field] = e.Message
			}
			if len(msgs) != len(tt.errors) || !reflect.DeepEqual(msgs, tt.errors) && len(tt.errors) > 0 {
				t.Errorf("errors: got %v, want %v", msgs, tt.errors)
			}
			if tt.want != nil && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("values: got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCustomFieldMalformed(t *testing.T) {
	st := customWizard(t).Steps[0]
	for _, in := range []wizard.Values{
		{"dob-day": {"1", "2"}},
		{"dob": {"a", "b"}},
		{"pc": {"\xff"}},
		{"dob-year": {"\xfe"}},
	} {
		if _, _, err := wizard.Validate(st, nil, in); !errors.Is(err, wizard.ErrMalformed) {
			t.Errorf("Validate(%v): got %v, want ErrMalformed", in, err)
		}
	}
}

func TestCustomFieldForm(t *testing.T) {
	w := customWizard(t)
	st := w.Steps[0]
	j := w.Journey(nil)
	// Typed values after an error come back in their inputs.
	values, errs, _ := wizard.Validate(st, nil, wizard.Values{"dob-day": {"31"}, "dob-month": {"2"}, "dob-year": {"2024"}})
	f := j.Form(st, values, errs)
	got := f.Fields[0]
	want := []wizard.FormPart{{Part: "day", Name: "dob-day", Value: "31", Label: "Day"}, {Part: "month", Name: "dob-month", Value: "2", Label: "Month of birth"}, {Part: "year", Name: "dob-year", Value: "2024", Label: "Year"}}
	if got.Type != "date-parts" || !reflect.DeepEqual(got.Parts, want) {
		t.Errorf("typed: got %q %+v, want %+v", got.Type, got.Parts, want)
	}
	if len(f.Errors) != 1 || f.Errors[0].Field != "dob" {
		t.Errorf("errors: got %+v", f.Errors)
	}
	// A saved answer is split for its inputs.
	f = j.Form(st, wizard.Values{"dob": {"1990-03-07"}, "pc": {"SW1A 1AA"}}, nil)
	want = []wizard.FormPart{{Part: "day", Name: "dob-day", Value: "7", Label: "Day"}, {Part: "month", Name: "dob-month", Value: "3", Label: "Month of birth"}, {Part: "year", Name: "dob-year", Value: "1990", Label: "Year"}}
	if !reflect.DeepEqual(f.Fields[0].Parts, want) {
		t.Errorf("saved: got %+v, want %+v", f.Fields[0].Parts, want)
	}
	if want := []wizard.FormPart{{Name: "pc", Value: "SW1A 1AA"}}; !reflect.DeepEqual(f.Fields[1].Parts, want) {
		t.Errorf("single input: got %+v, want %+v", f.Fields[1].Parts, want)
	}
}

func TestCustomFieldJourney(t *testing.T) {
	w := customWizard(t)
	a := wizard.Answers{"s": {"dob": {"1990-03-07"}}, "t": {"x": {"y"}}}
	if !w.Journey(a).Complete() {
		t.Fatal("a valid saved answer: journey not complete")
	}
	// A saved answer that Parse would not give back (tampered, or the
	// type changed) sends the user back to the step.
	for _, bad := range []string{"1990-02-31", "07/03/1990", "1990-3-7"} {
		a := wizard.Answers{"s": {"dob": {bad}}, "t": {"x": {"y"}}}
		if j := w.Journey(a); j.Complete() || j.FirstOpen().Name != "s" {
			t.Errorf("saved %q: journey complete", bad)
		}
	}
}

func TestCustomFieldCheck(t *testing.T) {
	parse := func([]string) (string, string) { return "", "" }
	tests := []struct {
		name  string
		field *wizard.Field
		want  string
	}{
		{"no type", &wizard.Field{Name: "a", Kind: wizard.Custom}, "needs its Type"},
		{"type without custom kind", &wizard.Field{Name: "a", Type: postcode}, "its kind must be custom"},
		{"no parse", &wizard.Field{Name: "a", Kind: wizard.Custom, Type: &wizard.FieldType{Name: "x"}}, "has no Parse"},
		{"bad name", &wizard.Field{Name: "a", Kind: wizard.Custom, Type: &wizard.FieldType{Name: "X Y", Parse: parse}}, "field type name"},
		{"parts without split", &wizard.Field{Name: "a", Kind: wizard.Custom, Type: &wizard.FieldType{Name: "x", Parts: []string{"p", "q"}, Parse: parse}}, "no Split"},
		{"repeated part", &wizard.Field{Name: "a", Kind: wizard.Custom, Type: &wizard.FieldType{Name: "x", Parts: []string{"p", "p"}, Parse: parse, Split: strings.Fields}}, "repeated"},
		{"pattern", &wizard.Field{Name: "a", Kind: wizard.Custom, Type: postcode, MinLen: 3}, "min_len does not apply"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &wizard.Wizard{Name: "c", Title: "C", Steps: []*wizard.Step{{Name: "s", Title: "S", Fields: []*wizard.Field{tt.field}}}}
			err := w.Check()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Check: got %v, want %q", err, tt.want)
			}
		})
	}
	// A part's form key that is also a field's name.
	w := &wizard.Wizard{Name: "c", Title: "C", Steps: []*wizard.Step{{Name: "s", Title: "S", Fields: []*wizard.Field{
		{Name: "dob", Kind: wizard.Custom, Type: dateParts},
		{Name: "dob-day", Label: "Day"},
	}}}}
	if err := w.Check(); err == nil || !strings.Contains(err.Error(), `"dob-day"`) {
		t.Errorf("part key clash: got %v", err)
	}
	// A condition on the same step cannot test a field of several inputs.
	w = &wizard.Wizard{Name: "c", Title: "C", Steps: []*wizard.Step{{Name: "s", Title: "S", Fields: []*wizard.Field{
		{Name: "dob", Kind: wizard.Custom, Type: dateParts},
		{Name: "why", Label: "Why", ShowWhen: wizard.When("dob", wizard.Answered, "")},
	}}}}
	if err := w.Check(); err == nil || !strings.Contains(err.Error(), "cannot test") {
		t.Errorf("condition on parts: got %v", err)
	}
}

func TestStepChecks(t *testing.T) {
	calls := 0
	after := wizard.Check{Name: "after", Func: func(ctx context.Context, v wizard.Values, a wizard.Answers) ([]wizard.FieldError, error) {
		calls++
		if v.Get("dob") > "2000-01-01" {
			return []wizard.FieldError{{Field: "dob", Message: "You must be born before 2000"}, {Field: "dob", Message: "second"}}, nil
		}
		return nil, nil
	}}
	free := wizard.Check{Name: "free", Field: "pc", Func: func(ctx context.Context, v wizard.Values, a wizard.Answers) ([]wizard.FieldError, error) {
		switch v.Get("pc") {
		case "E1 6AN":
			return []wizard.FieldError{{Message: "That postcode is taken"}}, nil
		case "N1 9GU":
			return nil, errors.New("database down")
		}
		return nil, nil
	}}
	w := customWizard(t, after, free)
	st := w.Steps[0]
	j := w.Journey(nil)
	ctx := context.Background()

	errs, err := j.Check(ctx, st, wizard.Values{"dob": {"2001-01-01"}, "pc": {"E1 6AN"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []wizard.FieldError{{Field: "dob", Message: "You must be born before 2000"}, {Field: "pc", Message: "That postcode is taken"}}
	if !reflect.DeepEqual(errs, want) {
		t.Errorf("got %+v, want %+v", errs, want)
	}
	if errs, err := j.Check(ctx, st, wizard.Values{"dob": {"1990-01-01"}, "pc": {"SW1A 1AA"}}); err != nil || errs != nil {
		t.Errorf("passing: got %v, %v", errs, err)
	}
	_, err = j.Check(ctx, st, wizard.Values{"dob": {"1990-01-01"}, "pc": {"N1 9GU"}})
	if err == nil || !strings.Contains(err.Error(), `check "free" of step "s"`) {
		t.Errorf("failing check: got %v", err)
	}

	// CheckAll runs over the saved answers of a complete journey.
	a := wizard.Answers{"s": {"dob": {"2001-01-01"}}, "t": {"x": {"y"}}}
	f, err := w.Journey(a).CheckAll(ctx)
	if err != nil || f == nil || f.Step != st || len(f.Errors) != 1 || f.Item != 0 || f.Values.Get("dob") != "2001-01-01" {
		t.Errorf("CheckAll: got %+v %v", f, err)
	}
	calls = 0
	a["s"]["dob"] = []string{"1999-01-01"}
	if f, err := w.Journey(a).CheckAll(ctx); f != nil || err != nil || calls != 1 {
		t.Errorf("CheckAll passing: got %+v %v, %d calls", f, err, calls)
	}

	// Check refuses checks without a name, a function or a known field.
	for _, c := range []struct {
		check wizard.Check
		want  string
	}{
		{wizard.Check{Func: after.Func}, "needs a name"},
		{wizard.Check{Name: "x"}, "no function"},
		{wizard.Check{Name: "x", Field: "nope", Func: after.Func}, `field "nope"`},
	} {
		w := &wizard.Wizard{Name: "c", Title: "C", Steps: []*wizard.Step{{Name: "s", Title: "S", Fields: []*wizard.Field{{Name: "a", Label: "A"}}, Checks: []wizard.Check{c.check}}}}
		if err := w.Check(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: got %v, want %q", c.check, err, c.want)
		}
	}
	w2 := &wizard.Wizard{Name: "c", Title: "C", Steps: []*wizard.Step{{Name: "s", Title: "S", Fields: []*wizard.Field{{Name: "a", Label: "A"}}, Checks: []wizard.Check{after, after}}}}
	if err := w2.Check(); err == nil || !strings.Contains(err.Error(), "duplicate check") {
		t.Errorf("duplicate: got %v", err)
	}
}
