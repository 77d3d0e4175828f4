package wizard

import (
	"errors"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// validateOne validates input against a step holding the single field f and
// returns the cleaned values of f and the error message for f ("" if none).
// Any error other than a field error fails the test.
func validateOne(t *testing.T, f *Field, input []string) ([]string, string) {
	t.Helper()
	s := &Step{Name: "s", Fields: []*Field{f}}
	in := Values{}
	if input != nil {
		in[f.Name] = input
	}
	clean, errs, err := Validate(s, nil, in)
	if err != nil {
		t.Fatalf("Validate(%q): unexpected error %v", input, err)
	}
	switch len(errs) {
	case 0:
		return clean[f.Name], ""
	case 1:
		if errs[0].Field != f.Name {
			t.Fatalf("Validate(%q): error for field %q, want %q", input, errs[0].Field, f.Name)
		}
		return clean[f.Name], errs[0].Message
	}
	t.Fatalf("Validate(%q): %d errors for one field, want at most 1: %v", input, len(errs), errs)
	return nil, ""
}

// ruleTest is one input to a single field and the message it earns, or
// when none, the values it leaves to save.
type ruleTest struct {
	name      string
	field     *Field
	input     []string
	wantMsg   string
	wantClean []string // checked only when wantMsg is ""
}

// runRuleTests runs each test as a subtest through validateOne.
func runRuleTests(t *testing.T, tests []ruleTest) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clean, msg := validateOne(t, tt.field, tt.input)
			if msg != tt.wantMsg {
				t.Errorf("message: got %q, want %q", msg, tt.wantMsg)
			}
			if tt.wantMsg == "" && !reflect.DeepEqual(clean, tt.wantClean) {
				t.Errorf("clean values: got %q, want %q", clean, tt.wantClean)
			}
		})
	}
}

var colours = []Option{{Value: "red", Label: "Red"}, {Value: "green", Label: "Green"}, {Value: "blue", Label: "Blue"}}

func TestValidateRules(t *testing.T) {
	text := func(mod func(*Field)) *Field {
		f := &Field{Name: "f", Noun: "your name"}
		if mod != nil {
			mod(f)
		}
		return f
	}
	kind := func(k Kind, noun string, mod func(*Field)) *Field {
		f := &Field{Name: "f", Kind: k, Noun: noun}
		if mod != nil {
			mod(f)
		}
		return f
	}
	required := func(f *Field) { f.Required = true }
	withOptions := func(f *Field) { f.Options = colours }
	requiredWithOptions := func(f *Field) { f.Required = true; f.Options = colours }

	tests := []ruleTest{
		// Required.
		{"required text empty", text(required), nil, "Enter your name", nil},
		{"required text empty string", text(required), []string{""}, "Enter your name", nil},
		{"required text only spaces", text(required), []string{"  \t "}, "Enter your name", nil},
		{"required text default noun", &Field{Name: "f", Required: true}, nil, "Enter an answer", nil},
		{"required email", kind(Email, "your email address", required), nil, "Enter your email address", nil},
		{"required number", kind(Number, "your age", required), nil, "Enter your age", nil},
		{"required date", kind(Date, "the date", required), nil, "Enter the date", nil},
		{"required textarea only newlines", kind(TextArea, "an abstract", required), []string{"\r\n \r\n"}, "Enter an abstract", nil},
		{"required select", kind(Select, "a colour", requiredWithOptions), nil, "Select a colour", nil},
		{"required radio", kind(Radio, "a colour", requiredWithOptions), []string{""}, "Select a colour", nil},
		{"required checkboxes", kind(Checkboxes, "a colour", requiredWithOptions), []string{"", " "}, "Select a colour", nil},
		{"required yesno", kind(YesNo, "an answer", required), nil, "Select an answer", nil},
		{"required choice default noun", &Field{Name: "f", Kind: Radio, Required: true, Options: colours}, nil, "Select an answer", nil},
		{"required text given", text(required), []string{"Ada"}, "", []string{"Ada"}},

		// Optional and empty.
		{"optional text empty", text(nil), []string{""}, "", nil},
		{"optional text absent", text(nil), nil, "", nil},
		{"optional number empty skips number rule", kind(Number, "your age", func(f *Field) { f.Min = Float(18) }), []string{" "}, "", nil},
		{"optional pattern empty skips pattern", text(func(f *Field) { f.Pattern = regexp.MustCompile(`\d+`) }), []string{""}, "", nil},
		{"optional min length empty skips min length", text(func(f *Field) { f.MinLen = 3 }), []string{""}, "", nil},
		{"optional select empty", kind(Select, "a colour", withOptions), []string{""}, "", nil},
		{"optional checkboxes none", kind(Checkboxes, "a colour", withOptions), nil, "", nil},

		// Minimum length, in characters.
		{"min length short", text(func(f *Field) { f.MinLen = 3 }), []string{"ab"}, "Your name must be 3 characters or more", nil},
		{"min length exact", text(func(f *Field) { f.MinLen = 3 }), []string{"abc"}, "", []string{"abc"}},
		{"min length counts runes not bytes", text(func(f *Field) { f.MinLen = 3 }), []string{"éé"}, "Your name must be 3 characters or more", nil},
		{"min length runes exact", text(func(f *Field) { f.MinLen = 3 }), []string{"ééé"}, "", []string{"ééé"}},
		{"min length after trimming", text(func(f *Field) { f.MinLen = 3 }), []string{"  ab  "}, "Your name must be 3 characters or more", nil},
		{"min length default noun capitalised", &Field{Name: "f", MinLen: 2}, []string{"a"}, "An answer must be 2 characters or more", nil},

		// Maximum length, explicit and default, in characters.
		{"max length over", text(func(f *Field) { f.MaxLen = 5 }), []string{"abcdef"}, "Your name must be 5 characters or fewer (you have 6)", nil},
		{"max length exact", text(func(f *Field) { f.MaxLen = 5 }), []string{"abcde"}, "", []string{"abcde"}},
		{"max length runes", text(func(f *Field) { f.MaxLen = 5 }), []string{"ééééé"}, "", []string{"ééééé"}},
		{"max length after trimming", text(func(f *Field) { f.MaxLen = 5 }), []string{"  abcde  "}, "", []string{"abcde"}},
		{"default max 1000 é", text(nil), []string{strings.Repeat("é", 1000)}, "", []string{strings.Repeat("é", 1000)}},
		{"default max 1001 é", text(nil), []string{strings.Repeat("é", 1001)}, "Your name must be 1000 characters or fewer (you have 1001)", nil},
		{"default max 1000 emoji", text(nil), []string{strings.Repeat("😀", 1000)}, "", []string{strings.Repeat("😀", 1000)}},
		{"default max 1500 ascii", text(nil), []string{strings.Repeat("a", 1500)}, "Your name must be 1000 characters or fewer (you have 1500)", nil},
		{"default max applies to textarea", kind(TextArea, "an abstract", nil), []string{strings.Repeat("x", 1001)}, "An abstract must be 1000 characters or fewer (you have 1001)", nil},
		{"explicit max above default", text(func(f *Field) { f.MaxLen = 2000 }), []string{strings.Repeat("a", 1500)}, "", []string{strings.Repeat("a", 1500)}},

		// Numbers.
		{"number integer", kind(Number, "your age", nil), []string{"42"}, "", []string{"42"}},
		{"number trimmed", kind(Number, "your age", nil), []string{" 42 "}, "", []string{"42"}},
		{"number negative decimal", kind(Number, "your age", nil), []string{"-3.5"}, "", []string{"-3.5"}},
		{"number letters", kind(Number, "your age", nil), []string{"forty"}, "Your age must be a number, like 42", nil},
		{"number comma decimal", kind(Number, "your age", nil), []string{"3,5"}, "Your age must be a number, like 42", nil},
		{"number NaN", kind(Number, "your age", nil), []string{"NaN"}, "Your age must be a number, like 42", nil},
		{"number Inf", kind(Number, "your age", nil), []string{"Inf"}, "Your age must be a number, like 42", nil},
		{"number -Infinity", kind(Number, "your age", nil), []string{"-Infinity"}, "Your age must be a number, like 42", nil},
		{"number overflow", kind(Number, "your age", nil), []string{"1e400"}, "Your age must be a number, like 42", nil},
		{"number below min", kind(Number, "your age", func(f *Field) { f.Min = Float(18) }), []string{"17"}, "Your age must be 18 or more", nil},
		{"number at min", kind(Number, "your age", func(f *Field) { f.Min = Float(18) }), []string{"18"}, "", []string{"18"}},
		{"number fractional min", kind(Number, "the dose", func(f *Field) { f.Min = Float(0.5) }), []string{"0.25"}, "The dose must be 0.5 or more", nil},
		{"number zero min is a rule", kind(Number, "the count", func(f *Field) { f.Min = Float(0) }), []string{"-1"}, "The count must be 0 or more", nil},
		{"number above max", kind(Number, "your age", func(f *Field) { f.Max = Float(120) }), []string{"121"}, "Your age must be 120 or less", nil},
		{"number at max", kind(Number, "your age", func(f *Field) { f.Max = Float(120) }), []string{"120"}, "", []string{"120"}},
		{"number in range", kind(Number, "your age", func(f *Field) { f.Min, f.Max = Float(18), Float(120) }), []string{"30"}, "", []string{"30"}},
		{"number large max formatted plainly", kind(Number, "the amount", func(f *Field) { f.Max = Float(1e6) }), []string{"2000000"}, "The amount must be 1000000 or less", nil},

		// Dates.
		{"date valid", kind(Date, "the date", nil), []string{"2026-02-28"}, "", []string{"2026-02-28"}},
		{"date leap day", kind(Date, "the date", nil), []string{"2024-02-29"}, "", []string{"2024-02-29"}},
		{"date not leap", kind(Date, "the date", nil), []string{"2025-02-29"}, "The date must be a real date, like 2026-03-27", nil},
		{"date february 30", kind(Date, "the date", nil), []string{"2026-02-30"}, "The date must be a real date, like 2026-03-27", nil},
		{"date month 13", kind(Date, "the date", nil), []string{"2026-13-01"}, "The date must be a real date, like 2026-03-27", nil},
		{"date other format", kind(Date, "the date", nil), []string{"28/02/2026"}, "The date must be a real date, like 2026-03-27", nil},
		{"date no padding", kind(Date, "the date", nil), []string{"2026-2-3"}, "The date must be a real date, like 2026-03-27", nil},
		{"date with time", kind(Date, "the date", nil), []string{"2026-02-03T10:00"}, "The date must be a real date, like 2026-03-27", nil},

		// Email.
		{"email simple", kind(Email, "your email", nil), []string{"name@example.com"}, "", []string{"name@example.com"}},
		{"email trimmed", kind(Email, "your email", nil), []string{"  name@example.com "}, "", []string{"name@example.com"}},
		{"email plus and subdomain", kind(Email, "your email", nil), []string{"a.b+c@mail.example.co.uk"}, "", []string{"a.b+c@mail.example.co.uk"}},
		{"email unicode", kind(Email, "your email", nil), []string{"zoë@exämple.de"}, "", []string{"zoë@exämple.de"}},
		{"email no at", kind(Email, "your email", nil), []string{"name.example.com"}, "Enter your email in the correct format, like name@example.com", nil},
		{"email no local part", kind(Email, "your email", nil), []string{"@example.com"}, "Enter your email in the correct format, like name@example.com", nil},
		{"email no domain", kind(Email, "your email", nil), []string{"name@"}, "Enter your email in the correct format, like name@example.com", nil},
		{"email domain without dot", kind(Email, "your email", nil), []string{"name@localhost"}, "Enter your email in the correct format, like name@example.com", nil},
		{"email domain only edge dots", kind(Email, "your email", nil), []string{"name@.com."}, "Enter your email in the correct format, like name@example.com", nil},
		{"email two ats", kind(Email, "your email", nil), []string{"a@b@example.com"}, "Enter your email in the correct format, like name@example.com", nil},
		{"email inner space", kind(Email, "your email", nil), []string{"na me@example.com"}, "Enter your email in the correct format, like name@example.com", nil},
		{"email angle brackets", kind(Email, "your email", nil), []string{"<name@example.com>"}, "Enter your email in the correct format, like name@example.com", nil},
		{"email list", kind(Email, "your email", nil), []string{"a@example.com,b@example.com"}, "Enter your email in the correct format, like name@example.com", nil},

		// Pattern must match the whole value.
		{"pattern whole match", text(func(f *Field) { f.Pattern = regexp.MustCompile(`[0-9]{4}`) }), []string{"1234"}, "", []string{"1234"}},
		{"pattern after trimming", text(func(f *Field) { f.Pattern = regexp.MustCompile(`[0-9]{4}`) }), []string{" 1234 "}, "", []string{"1234"}},
		{"pattern prefix only", text(func(f *Field) { f.Pattern = regexp.MustCompile(`[0-9]{4}`) }), []string{"12345"}, "Enter your name in the correct format", nil},
		{"pattern suffix only", text(func(f *Field) { f.Pattern = regexp.MustCompile(`[0-9]{4}`) }), []string{"x1234"}, "Enter your name in the correct format", nil},
		{"pattern inside", text(func(f *Field) { f.Pattern = regexp.MustCompile(`[0-9]{4}`) }), []string{"a1234b"}, "Enter your name in the correct format", nil},
		{"pattern too short", text(func(f *Field) { f.Pattern = regexp.MustCompile(`[0-9]{4}`) }), []string{"123"}, "Enter your name in the correct format", nil},
		{"pattern custom message", text(func(f *Field) {
			f.Pattern = regexp.MustCompile(`[0-9]{4}`)
			f.PatternMessage = "Enter 4 digits"
		}), []string{"12a4"}, "Enter 4 digits", nil},
		{"pattern custom message unused when valid", text(func(f *Field) {
			f.Pattern = regexp.MustCompile(`[0-9]{4}`)
			f.PatternMessage = "Enter 4 digits"
		}), []string{"0000"}, "", []string{"0000"}},
		{"pattern default noun", &Field{Name: "f", Pattern: regexp.MustCompile(`x`)}, []string{"y"}, "Enter an answer in the correct format", nil},
		{"pattern anchored by author", text(func(f *Field) { f.Pattern = regexp.MustCompile(`^[a-z]+$`) }), []string{"abc"}, "", []string{"abc"}},
		{"pattern on email too", kind(Email, "your work email", func(f *Field) {
			f.Pattern = regexp.MustCompile(`.*@example\.com`)
			f.PatternMessage = "Use your example.com address"
		}), []string{"me@other.org"}, "Use your example.com address", nil},

		// Options.
		{"select option", kind(Select, "a colour", withOptions), []string{"green"}, "", []string{"green"}},
		{"select not an option", kind(Select, "a colour", withOptions), []string{"purple"}, "Select a colour from the list", nil},
		{"select label is not a value", kind(Select, "a colour", withOptions), []string{"Green"}, "Select a colour from the list", nil},
		{"select option trimmed", kind(Select, "a colour", withOptions), []string{" red "}, "", []string{"red"}},
		{"radio option", kind(Radio, "a colour", withOptions), []string{"blue"}, "", []string{"blue"}},
		{"radio not an option", kind(Radio, "a colour", withOptions), []string{"bleu"}, "Select a colour from the list", nil},
		{"checkboxes several", kind(Checkboxes, "a colour", withOptions), []string{"red", "blue"}, "", []string{"red", "blue"}},
		{"checkboxes empty dropped", kind(Checkboxes, "a colour", withOptions), []string{"", "green", " "}, "", []string{"green"}},
		{"checkboxes one bad", kind(Checkboxes, "a colour", withOptions), []string{"red", "purple"}, "Select a colour from the list", nil},
		{"yesno yes", kind(YesNo, "an answer", nil), []string{"yes"}, "", []string{"yes"}},
		{"yesno no", kind(YesNo, "an answer", nil), []string{"no"}, "", []string{"no"}},
		{"yesno maybe", kind(YesNo, "an answer", nil), []string{"maybe"}, "Select an answer from the list", nil},
		{"yesno capitalised", kind(YesNo, "an answer", nil), []string{"Yes"}, "Select an answer from the list", nil},
		{"yesno ignores declared options", kind(YesNo, "an answer", withOptions), []string{"red"}, "Select an answer from the list", nil},

		// Trimming and lines.
		{"text trimmed", text(nil), []string{" \t Ada Lovelace \t "}, "", []string{"Ada Lovelace"}},
		{"text newline", text(nil), []string{"Ada\nLovelace"}, "Your name must be on one line", nil},
		{"text carriage return", text(nil), []string{"Ada\rLovelace"}, "Your name must be on one line", nil},
		{"text CRLF", text(nil), []string{"Ada\r\nLovelace"}, "Your name must be on one line", nil},
		{"text trailing newline trimmed", text(nil), []string{"Ada\r\n"}, "", []string{"Ada"}},
		{"email newline", kind(Email, "your email", nil), []string{"a@b.c\nd@e.f"}, "Your email must be on one line", nil},
		{"number newline", kind(Number, "your age", nil), []string{"4\n2"}, "Your age must be on one line", nil},
		{"textarea keeps inner newlines", kind(TextArea, "an abstract", nil),
			[]string{"\r\n\r\nFirst line.\r\n\r\nSecond line.  \r\n\r\n"}, "", []string{"First line.\n\nSecond line."}},
		{"textarea LF", kind(TextArea, "an abstract", nil), []string{"a\nb\n"}, "", []string{"a\nb"}},
		{"textarea trailing tabs", kind(TextArea, "an abstract", nil), []string{"a\t \n"}, "", []string{"a"}},
	}
	runRuleTests(t, tests)
}

func TestValidateMalformed(t *testing.T) {
	tests := []struct {
		name  string
		field *Field
		input []string
	}{
		{"two values to text", &Field{Name: "f"}, []string{"a", "b"}},
		{"two empty values to text", &Field{Name: "f"}, []string{"", ""}},
		{"two values to email", &Field{Name: "f", Kind: Email}, []string{"a@b.c", "d@e.f"}},
		{"two values to number", &Field{Name: "f", Kind: Number}, []string{"1", "2"}},
		{"two values to date", &Field{Name: "f", Kind: Date}, []string{"2026-01-01", "2026-01-02"}},
		{"two values to textarea", &Field{Name: "f", Kind: TextArea}, []string{"a", "b"}},
		{"two values to select", &Field{Name: "f", Kind: Select, Options: colours}, []string{"red", "blue"}},
		{"two values to radio", &Field{Name: "f", Kind: Radio, Options: colours}, []string{"red", "red"}},
		{"two values to yesno", &Field{Name: "f", Kind: YesNo}, []string{"yes", "no"}},
		{"invalid UTF-8 text", &Field{Name: "f"}, []string{"caf\xe9"}},
		{"invalid UTF-8 textarea", &Field{Name: "f", Kind: TextArea}, []string{"\xff\xfe"}},
		{"invalid UTF-8 in second checkbox", &Field{Name: "f", Kind: Checkboxes, Options: colours}, []string{"red", "\xc3"}},
		{"invalid UTF-8 in optional empty-looking value", &Field{Name: "f"}, []string{" \x80 "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Step{Name: "s", Fields: []*Field{{Name: "first"}, tt.field}}
			clean, errs, err := Validate(s, nil, Values{"first": {"ok"}, "f": tt.input})
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error: got %v, want ErrMalformed", err)
			}
			if clean != nil || errs != nil {
				t.Errorf("got values %v and errors %v with a malformed error, want nil", clean, errs)
			}
		})
	}
}

func TestValidateCheckboxesTakeSeveralValues(t *testing.T) {
	s := &Step{Name: "s", Fields: []*Field{{Name: "f", Kind: Checkboxes, Options: colours}}}
	clean, errs, err := Validate(s, nil, Values{"f": {"red", "green", "blue"}})
	if err != nil {
		t.Fatalf("got error %v, want nil", err)
	}
	if len(errs) != 0 {
		t.Fatalf("got field errors %v, want none", errs)
	}
	if got, want := clean["f"], []string{"red", "green", "blue"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestValidateUnknownKeysIgnored(t *testing.T) {
	s := &Step{Name: "s", Fields: []*Field{{Name: "name", Required: true}}}
	input := Values{
		"name":      {"Ada"},
		"extra":     {"x", "y"},
		"s.name":    {"z"},
		"csrf":      {"token"},
		"NAME":      {"shout"},
		"":          {"empty key"},
		"name.more": {"dotted"},
	}
	clean, errs, err := Validate(s, nil, input)
	if err != nil {
		t.Fatalf("got error %v, want nil", err)
	}
	if len(errs) != 0 {
		t.Fatalf("got field errors %v, want none", errs)
	}
	if want := (Values{"name": {"Ada"}}); !reflect.DeepEqual(clean, want) {
		t.Errorf("got %q, want %q", clean, want)
	}
}

func TestValidateErrorsInFieldOrder(t *testing.T) {
	s := &Step{Name: "s", Fields: []*Field{
		{Name: "zeta", Required: true, Noun: "zeta"},
		{Name: "alpha", Kind: Email, Noun: "your email"},
		{Name: "ok", Required: true},
		{Name: "mid", Kind: Number, Noun: "a number", Max: Float(10)},
		{Name: "beta", Kind: Radio, Required: true, Noun: "a colour", Options: colours},
		{Name: "long", MaxLen: 2, MinLen: 1, Noun: "the code", Pattern: regexp.MustCompile(`\d+`)},
	}}
	input := Values{
		"beta":  {""},
		"mid":   {"11"},
		"ok":    {"fine"},
		"alpha": {"not-an-email"},
		"long":  {"abc"}, // breaks both MaxLen and Pattern: one error only
	}
	for i := 0; i < 20; i++ { // map order must not matter
		_, errs, err := Validate(s, nil, input)
		if err != nil {
			t.Fatalf("got error %v, want nil", err)
		}
		want := []FieldError{
			{"zeta", "Enter zeta"},
			{"alpha", "Enter your email in the correct format, like name@example.com"},
			{"mid", "A number must be 10 or less"},
			{"beta", "Select a colour"},
			{"long", "The code must be 2 characters or fewer (you have 3)"},
		}
		if !reflect.DeepEqual(errs, want) {
			t.Fatalf("got %v, want %v", errs, want)
		}
	}
}

func TestValidateKeepsOnlyOwnFieldsTrimmed(t *testing.T) {
	s := &Step{Name: "s", Fields: []*Field{
		{Name: "a"},
		{Name: "b", Kind: TextArea},
		{Name: "c", Kind: Checkboxes, Options: colours},
	}}
	clean, errs, err := Validate(s, nil, Values{"a": {"  x "}, "b": {"\n y\nz \n"}, "c": {" red", "blue "}, "d": {"w"}})
	if err != nil || len(errs) != 0 {
		t.Fatalf("got errors %v, %v; want none", errs, err)
	}
	if got, want := clean.Get("a"), "x"; got != want {
		t.Errorf("a: got %q, want %q", got, want)
	}
	if got, want := clean.Get("b"), " y\nz"; got != want {
		t.Errorf("b: got %q, want %q", got, want)
	}
	if got, want := clean["c"], []string{"red", "blue"}; !reflect.DeepEqual(got, want) {
		t.Errorf("c: got %q, want %q", got, want)
	}
	if _, ok := clean["d"]; ok {
		t.Errorf("d: kept a value for a field the step does not have")
	}
}

func TestValidateShowWhen(t *testing.T) {
	step := func() *Step {
		return &Step{Name: "needs", Fields: []*Field{
			{Name: "dietary", Kind: Checkboxes, Options: []Option{{Value: "vegan"}, {Value: "other"}}},
			{Name: "dietary_other", Noun: "your other need", Required: true, MaxLen: 10,
				ShowWhen: &Condition{Field: "dietary", Test: Contains, Value: "other"}},
			{Name: "smoker", Kind: YesNo},
			{Name: "brand", Noun: "a brand", Required: true, ShowWhen: &Condition{Field: "smoker", Value: "yes"}},
		}}
	}
	tests := []struct {
		name      string
		input     Values
		wantErrs  []FieldError
		wantClean map[string][]string // fields that must be present with these values
		wantGone  []string            // fields that must be absent from the cleaned values
	}{
		{
			name:      "condition unmet drops value",
			input:     Values{"dietary": {"vegan"}, "dietary_other": {"nuts"}, "smoker": {"no"}, "brand": {"Acme"}},
			wantClean: map[string][]string{"dietary": {"vegan"}, "smoker": {"no"}},
			wantGone:  []string{"dietary_other", "brand"},
		},
		{
			name:     "condition unmet skips required",
			input:    Values{},
			wantGone: []string{"dietary_other", "brand"},
		},
		{
			name:     "condition unmet skips other rules",
			input:    Values{"dietary_other": {"far too long for ten"}},
			wantGone: []string{"dietary_other"},
		},
		{
			name:     "condition met makes it required",
			input:    Values{"dietary": {"vegan", "other"}, "smoker": {"yes"}},
			wantErrs: []FieldError{{"dietary_other", "Enter your other need"}, {"brand", "Enter a brand"}},
		},
		{
			name:     "condition met applies other rules",
			input:    Values{"dietary": {"other"}, "dietary_other": {"far too long for ten"}},
			wantErrs: []FieldError{{"dietary_other", "Your other need must be 10 characters or fewer (you have 20)"}},
		},
		{
			name:      "condition met keeps trimmed value",
			input:     Values{"dietary": {"other"}, "dietary_other": {"  nuts "}, "smoker": {"yes"}, "brand": {"Acme"}},
			wantClean: map[string][]string{"dietary": {"other"}, "dietary_other": {"nuts"}, "brand": {"Acme"}},
		},
		{
			name:     "condition value compared after trimming",
			input:    Values{"smoker": {" yes "}},
			wantErrs: []FieldError{{"brand", "Enter a brand"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clean, errs, err := Validate(step(), nil, tt.input)
			if err != nil {
				t.Fatalf("got error %v, want nil", err)
			}
			if !reflect.DeepEqual(errs, tt.wantErrs) {
				t.Errorf("errors: got %v, want %v", errs, tt.wantErrs)
			}
			for f, want := range tt.wantClean {
				if got := clean[f]; !reflect.DeepEqual(got, want) {
					t.Errorf("%s: got %q, want %q", f, got, want)
				}
			}
			for _, f := range tt.wantGone {
				if v, ok := clean[f]; ok {
					t.Errorf("%s: got %q, want it dropped", f, v)
				}
			}
		})
	}
}

func TestValidateOptionsFunc(t *testing.T) {
	cities := map[string][]Option{
		"fr": {{Value: "paris"}, {Value: "lyon"}},
		"de": {{Value: "berlin"}},
	}
	s := &Step{Name: "city", Fields: []*Field{{
		Name: "name", Kind: Select, Noun: "a city", Required: true,
		Options: []Option{{Value: "static-only"}}, // ignored: OptionsFunc wins
		OptionsFunc: func(a Answers) []Option {
			return cities[a.Get("country", "code")]
		},
	}}}
	tests := []struct {
		country, city string
		wantMsg       string
	}{
		{"fr", "paris", ""},
		{"fr", "lyon", ""},
		{"fr", "berlin", "Select a city from the list"},
		{"de", "berlin", ""},
		{"de", "paris", "Select a city from the list"},
		{"fr", "static-only", "Select a city from the list"},
		{"", "paris", "Select a city from the list"},
		{"de", "", "Select a city"},
	}
	for _, tt := range tests {
		t.Run(tt.country+"/"+tt.city, func(t *testing.T) {
			a := Answers{}
			if tt.country != "" {
				a["country"] = Values{"code": {tt.country}}
			}
			_, errs, err := Validate(s, a, Values{"name": {tt.city}})
			if err != nil {
				t.Fatalf("got error %v, want nil", err)
			}
			var got string
			if len(errs) > 0 {
				got = errs[0].Message
			}
			if got != tt.wantMsg {
				t.Errorf("got %q, want %q", got, tt.wantMsg)
			}
		})
	}
}

// Complete checks saved answers in place when they are already clean; it
// must agree with Validate, which it stands for, on clean and unclean
// values alike.
func TestCompleteAgreesWithValidate(t *testing.T) {
	min := 1.0
	s := &Step{Name: "s", Fields: []*Field{
		{Name: "name", Required: true, MaxLen: 5},
		{Name: "bio", Kind: TextArea},
		{Name: "n", Kind: Number, Min: &min},
		{Name: "pick", Kind: Radio, Required: true, Options: []Option{{Value: "a"}, {Value: "b"}}},
		{Name: "why", Required: true, ShowWhen: &Condition{Field: "pick", Value: "b"}},
		{Name: "boxes", Kind: Checkboxes, Options: []Option{{Value: "x"}, {Value: "y"}}},
	}}
	if err := checkStep(s); err != nil {
		t.Fatal(err)
	}
	values := []Values{
		{},
		{"name": {"Ada"}, "pick": {"a"}},
		{"name": {" Ada"}, "pick": {"a"}},
		{"name": {"Ada Lovelace"}, "pick": {"a"}},
		{"name": {"Ada"}, "pick": {"c"}},
		{"name": {"Ada"}, "pick": {"b"}},
		{"name": {"Ada"}, "pick": {"b"}, "why": {"because"}},
		{"name": {"Ada"}, "pick": {"a"}, "why": {""}},
		{"name": {"Ada", "Bob"}, "pick": {"a"}},
		{"name": {"A\xffa"}, "pick": {"a"}},
		{"name": {""}, "pick": {"a"}},
		{"name": {"Ada"}, "pick": {"a"}, "n": {"0"}},
		{"name": {"Ada"}, "pick": {"a"}, "n": {"2"}},
		{"name": {"Ada"}, "pick": {"a"}, "bio": {"a\r\nb"}},
		{"name": {"Ada"}, "pick": {"a"}, "bio": {"a\nb "}},
		{"name": {"Ada"}, "pick": {"a"}, "boxes": {"x", "x"}},
		{"name": {"Ada"}, "pick": {"a"}, "boxes": {"y", "x"}},
		{"name": {"Ada"}, "pick": {"a"}, "boxes": {"z"}},
		{"name": {"Ada"}, "pick": {"a"}, "other": {"ignored"}},
	}
	for _, v := range values {
		clean, errs, err := Validate(s, nil, v)
		want := err == nil && len(errs) == 0
		for name, vs := range clean {
			want = want && reflect.DeepEqual(v[name], vs)
		}
		if got := Complete(s, Answers{"s": v}); got != want {
			t.Errorf("Complete(%q) = %v; Validate says %v (errs %v, err %v)", v, got, want, errs, err)
		}
	}
}

// No answer may hold control characters or bidirectional overrides and
// isolates: echoed into headings, titles and the submission they hide or
// disguise what was written. A textarea keeps its tabs and line breaks.
func TestValidateRefusesControlCharacters(t *testing.T) {
	const (
		nameControl     = "Your full name must not contain invisible or control characters"
		abstractControl = "An abstract must not contain invisible or control characters"
		fromList        = "Select a colour from the list"
	)
	name := &Field{Name: "f", Noun: "your full name", Required: true}
	abstract := &Field{Name: "f", Kind: TextArea, Noun: "an abstract"}
	kind := func(k Kind, noun string) *Field { return &Field{Name: "f", Kind: k, Noun: noun, Options: colours} }
	tests := []ruleTest{
		// C0 controls and DEL.
		{"NUL inside", name, []string{"Ada\x00Lovelace"}, nameControl, nil},
		{"NUL alone", name, []string{"\x00"}, nameControl, nil},
		{"NUL between spaces", name, []string{" \x00 "}, nameControl, nil},
		{"start of heading", name, []string{"Ada\x01"}, nameControl, nil},
		{"escape sequence", name, []string{"\x1b[31mAda"}, nameControl, nil},
		{"vertical tab inside", name, []string{"Ada\vLovelace"}, nameControl, nil},
		{"form feed inside", name, []string{"Ada\fLovelace"}, nameControl, nil},
		{"unit separator", name, []string{"Ada\x1fLovelace"}, nameControl, nil},
		{"DEL", name, []string{"Ada\x7f"}, nameControl, nil},

		// C1 controls, U+0080 to U+009F.
		{"C1 first", name, []string{"Ada\u0080"}, nameControl, nil},
		{"C1 next line inside", name, []string{"Ada\u0085Lovelace"}, nameControl, nil},
		{"C1 control sequence introducer", name, []string{"\u009b31mAda"}, nameControl, nil},
		{"C1 last", name, []string{"Ada\u009f"}, nameControl, nil},

		// Bidirectional overrides and isolates.
		{"LRE", name, []string{"Ada\u202a"}, nameControl, nil},
		{"RLE", name, []string{"Ada\u202b"}, nameControl, nil},
		{"PDF", name, []string{"Ada\u202c"}, nameControl, nil},
		{"LRO", name, []string{"Ada\u202d"}, nameControl, nil},
		{"RLO", name, []string{"\u202eecalevoL adA"}, nameControl, nil},
		{"LRI", name, []string{"Ada\u2066"}, nameControl, nil},
		{"RLI", name, []string{"Ada\u2067"}, nameControl, nil},
		{"FSI", name, []string{"Ada\u2068"}, nameControl, nil},
		{"PDI", name, []string{"Ada\u2069"}, nameControl, nil},

		// Tabs and line breaks in single-line fields.
		{"tab inside text", name, []string{"Ada\tLovelace"}, "Your full name must not contain tabs", nil},
		{"tab inside email", kind(Email, "your email"), []string{"a\t@example.com"}, "Your email must not contain tabs", nil},
		{"newline inside text", name, []string{"Ada\nLovelace"}, "Your full name must be on one line", nil},
		{"edge tabs and newlines trimmed", name, []string{"\t Ada \r\n"}, "", []string{"Ada"}},

		// Every kind where free text arrives.
		{"email with override", kind(Email, "your email"), []string{"ada\u202e@example.com"}, "Your email must not contain invisible or control characters", nil},
		{"number with override", kind(Number, "your age"), []string{"4\u202e2"}, "Your age must not contain invisible or control characters", nil},
		{"number with NUL", kind(Number, "your age"), []string{"42\x00"}, "Your age must not contain invisible or control characters", nil},
		{"date with NUL", kind(Date, "the date"), []string{"2026-01-01\x00"}, "The date must not contain invisible or control characters", nil},
		{"pattern allowing anything", &Field{Name: "f", Noun: "your code", Pattern: regexp.MustCompile(`.*`)},
			[]string{"ab\x00cd"}, "Your code must not contain invisible or control characters", nil},

		// Textareas keep tabs and line breaks, nothing else.
		{"textarea tab", abstract, []string{"a\tb"}, "", []string{"a\tb"}},
		{"textarea CRLF", abstract, []string{"a\r\nb"}, "", []string{"a\nb"}},
		{"textarea LF", abstract, []string{"a\nb"}, "", []string{"a\nb"}},
		{"textarea lone CR", abstract, []string{"a\rb"}, abstractControl, nil},
		{"textarea NUL", abstract, []string{"a\x00b"}, abstractControl, nil},
		{"textarea vertical tab", abstract, []string{"a\vb"}, abstractControl, nil},
		{"textarea leading form feed", abstract, []string{"\fab"}, abstractControl, nil},
		{"textarea C1", abstract, []string{"a\u0085b"}, abstractControl, nil},
		{"textarea isolate", abstract, []string{"a\u2066b\u2069"}, abstractControl, nil},

		// Choices: a value with controls is never an option.
		{"select with NUL", kind(Select, "a colour"), []string{"red\x00"}, fromList, nil},
		{"radio with override", kind(Radio, "a colour"), []string{"\u202ered"}, fromList, nil},
		{"checkbox with C1", kind(Checkboxes, "a colour"), []string{"red", "blue\u0085x"}, fromList, nil},
		{"option that holds a control", &Field{Name: "f", Kind: Radio, Noun: "a colour",
			OptionsFunc: func(Answers) []Option { return []Option{{Value: "red\x00"}, {Value: "a\tb"}} }},
			[]string{"red\x00"}, fromList, nil},
		{"option that holds a tab", &Field{Name: "f", Kind: Radio, Noun: "a colour",
			OptionsFunc: func(Answers) []Option { return []Option{{Value: "red\x00"}, {Value: "a\tb"}} }},
			[]string{"a\tb"}, fromList, nil},

		// Neighbours of the refused ranges, and text that needs invisible joiners.
		{"no-break space after C1", name, []string{"Ada\u00a0Lovelace"}, "", []string{"Ada\u00a0Lovelace"}},
		{"narrow no-break space after overrides", name, []string{"Ada\u202fLovelace"}, "", []string{"Ada\u202fLovelace"}},
		{"superscript after isolates", name, []string{"Ada\u2070"}, "", []string{"Ada\u2070"}},
		{"emoji with zero-width joiner", name, []string{"Ada 👩\u200d💻"}, "", []string{"Ada 👩\u200d💻"}},
		{"right-to-left script", name, []string{"عائشة"}, "", []string{"عائشة"}},
	}
	runRuleTests(t, tests)
}

// Saved answers are checked again on every request: a session that holds a
// control character (saved before it was refused) does not complete the step.
func TestCompleteRefusesSavedControlCharacters(t *testing.T) {
	s := &Step{Name: "s", Fields: []*Field{{Name: "name", Required: true}, {Name: "bio", Kind: TextArea}}}
	tests := []struct {
		name  string
		saved Values
		want  bool
	}{
		{"clean", Values{"name": {"Ada"}, "bio": {"a\tb\nc"}}, true},
		{"NUL in name", Values{"name": {"A\x00da"}}, false},
		{"override in name", Values{"name": {"\u202eAda"}}, false},
		{"tab in name", Values{"name": {"A\tda"}}, false},
		{"C1 in bio", Values{"name": {"Ada"}, "bio": {"a\u009bb"}}, false},
		{"lone CR in bio", Values{"name": {"Ada"}, "bio": {"a\rb"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Complete(s, Answers{"s": tt.saved}); got != tt.want {
				t.Errorf("Complete: got %v, want %v", got, tt.want)
			}
		})
	}
}

// BenchmarkValidateManyCheckboxValues posts 4,500 distinct values to a
// checkboxes field, as a hostile client may: the repeats must be found in
// linear time, whether the values need trimming ("fresh", a form post) or
// are already clean ("clean", saved answers checked on every request).
func BenchmarkValidateManyCheckboxValues(b *testing.B) {
	s := &Step{Name: "s", Fields: []*Field{{Name: "c", Kind: Checkboxes, Options: colours}}}
	for _, bm := range []struct{ name, pad string }{{"fresh", " "}, {"clean", ""}} {
		vs := make([]string, 4500)
		for i := range vs {
			vs[i] = bm.pad + "value-" + strconv.Itoa(i)
		}
		b.Run(bm.name, func(b *testing.B) {
			for b.Loop() {
				if _, _, err := Validate(s, nil, Values{"c": vs}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Repeated values are dropped keeping the first of each in order, for a
// handful of values and for more than a scan handles (past scanLimit a set
// finds the repeats), whether the values need trimming or not.
func TestValidateDropsRepeatsInOrder(t *testing.T) {
	// want keeps the first of each trimmed, non-empty value, the obvious way.
	want := func(vs []string) []string {
		var out []string
		for _, v := range vs {
			if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		return out
	}
	var opts []Option
	for i := range 100 {
		opts = append(opts, Option{Value: "v" + strconv.Itoa(i)})
	}
	s := &Step{Name: "s", Fields: []*Field{{Name: "c", Kind: Checkboxes, Options: opts}}}
	for _, n := range []int{1, 2, scanLimit - 1, scanLimit, scanLimit + 1, 2 * scanLimit, 100, 300} {
		for _, pad := range []string{"", " "} {
			t.Run(strconv.Itoa(n)+"/pad="+strconv.Quote(pad), func(t *testing.T) {
				// Values in a scrambled order, repeating from the middle on,
				// with a repeat right at the end and empty values between.
				var vs []string
				for i := range n {
					vs = append(vs, pad+"v"+strconv.Itoa(i*37%100))
					if i%7 == 3 {
						vs = append(vs, pad)
					}
				}
				vs = append(vs, vs[len(vs)/2], vs[0])
				if pad == "" {
					vs = slices.DeleteFunc(vs, func(v string) bool { return v == "" })
				}
				clean, errs, err := Validate(s, nil, Values{"c": vs})
				if err != nil || len(errs) != 0 {
					t.Fatalf("got errors %v, %v; want none", errs, err)
				}
				if got, want := clean["c"], want(vs); !reflect.DeepEqual(got, want) {
					t.Errorf("got %q, want %q", got, want)
				}
				if !Complete(s, Answers{"s": clean}) {
					t.Error("Complete of the cleaned values: got false, want true")
				}
			})
		}
	}
}

// Saved values that repeat one are not clean, however many there are.
func TestTrimmedFindsRepeats(t *testing.T) {
	f := &Field{Name: "c", Kind: Checkboxes}
	for _, n := range []int{2, scanLimit, scanLimit + 1, 100} {
		vs := make([]string, n)
		for i := range vs {
			vs[i] = "v" + strconv.Itoa(i)
		}
		if !trimmed(f, vs) {
			t.Errorf("%d distinct values: got not trimmed, want trimmed", n)
		}
		for _, at := range []int{1, n / 2, n - 1} {
			rep := append(append([]string{}, vs...), vs[at])
			if trimmed(f, rep) {
				t.Errorf("%d values repeating the one at %d: got trimmed, want not", n+1, at)
			}
		}
	}
}

func TestRuleMessagesReplaceDefaults(t *testing.T) {
	f := &Field{
		Name: "n", Kind: Number, Required: true, MinLen: 2, MaxLen: 4, Min: Float(10), Max: Float(99),
		RequiredMessage: "req", MinLenMessage: "short", MaxLenMessage: "long",
		MinMessage: "small", MaxMessage: "big", FormatMessage: "nan",
	}
	s := &Step{Name: "s", Fields: []*Field{f}}
	for in, want := range map[string]string{"": "req", "1": "short", "12345": "long", "x1": "nan", "05": "small", "100": "big", "50": ""} {
		_, errs, err := Validate(s, nil, Values{"n": {in}})
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if len(errs) > 0 {
			got = errs[0].Message
		}
		if got != want {
			t.Errorf("%q: got message %q, want %q", in, got, want)
		}
	}
}

func TestNounsAndMessagesNameEarlierAnswers(t *testing.T) {
	a := Answers{"pet": {"name": {"Rex"}}}
	s := &Step{Name: "s", Fields: []*Field{
		{Name: "age", Kind: Number, Noun: "{pet.name}'s age", Required: true},
		{Name: "vet", Required: true, RequiredMessage: "Enter {pet.name}'s vet"},
	}}
	_, errs, err := Validate(s, a, Values{"age": {"old"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) != 2 || errs[0].Message != "Rex's age must be a number, like 42" || errs[1].Message != "Enter Rex's vet" {
		t.Errorf("got %+v", errs)
	}
}

// TestMessageNamingNoAnswerFallsBack: a message that comes out empty (it
// names only answers not given) gives way to the default; it never lets a
// failing answer through.
func TestMessageNamingNoAnswerFallsBack(t *testing.T) {
	s := &Step{Name: "s", Fields: []*Field{{Name: "code", Noun: "a code", Pattern: regexp.MustCompile(`[0-9]+`), PatternMessage: "{pet.name}"}}}
	_, errs, err := Validate(s, Answers{}, Values{"code": {"abc"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) != 1 || errs[0].Message != "Enter a code in the correct format" {
		t.Errorf("got %+v, want the default pattern message", errs)
	}
}
