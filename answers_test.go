package wizard

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func TestValuesGet(t *testing.T) {
	v := Values{"one": {"a"}, "many": {"x", "y"}, "none": nil, "empty": {}}
	tests := []struct{ field, want string }{
		{"one", "a"},
		{"many", "x"},
		{"none", ""},
		{"empty", ""},
		{"missing", ""},
	}
	for _, tt := range tests {
		if got := v.Get(tt.field); got != tt.want {
			t.Errorf("Get(%q): got %q, want %q", tt.field, got, tt.want)
		}
	}
	var nilValues Values
	if got := nilValues.Get("one"); got != "" {
		t.Errorf("nil Values Get: got %q, want \"\"", got)
	}
}

func TestAnswersAccessors(t *testing.T) {
	a := Answers{
		"details": {"name": {"Ada"}, "tags": {"x", "y"}},
		"empty":   {},
		"nilstep": nil,
	}
	tests := []struct {
		step, field, value string
		answered           bool
		get                string
		has                bool
	}{
		{"details", "name", "Ada", true, "Ada", true},
		{"details", "name", "ada", true, "Ada", false},
		{"details", "tags", "y", true, "x", true},
		{"details", "tags", "z", true, "x", false},
		{"details", "missing", "", true, "", false},
		{"empty", "any", "", true, "", false},
		{"nilstep", "any", "", true, "", false},
		{"absent", "name", "Ada", false, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.step+"."+tt.field+"="+tt.value, func(t *testing.T) {
			if got := a.Answered(tt.step); got != tt.answered {
				t.Errorf("Answered: got %v, want %v", got, tt.answered)
			}
			if got := a.Get(tt.step, tt.field); got != tt.get {
				t.Errorf("Get: got %q, want %q", got, tt.get)
			}
			if got := a.Has(tt.step, tt.field, tt.value); got != tt.has {
				t.Errorf("Has: got %v, want %v", got, tt.has)
			}
		})
	}
	var none Answers
	if none.Answered("x") || none.Get("x", "y") != "" || none.Has("x", "y", "") {
		t.Errorf("nil Answers: want nothing answered")
	}
}

func TestAnswersWith(t *testing.T) {
	a := Answers{"one": {"f": {"1"}}, "two": {"f": {"2"}}}
	b := a.With("two", Values{"f": {"22"}})
	c := b.With("three", Values{})
	if got, want := a, (Answers{"one": {"f": {"1"}}, "two": {"f": {"2"}}}); !reflect.DeepEqual(got, want) {
		t.Errorf("original changed: got %v, want %v", got, want)
	}
	if got, want := b, (Answers{"one": {"f": {"1"}}, "two": {"f": {"22"}}}); !reflect.DeepEqual(got, want) {
		t.Errorf("With replace: got %v, want %v", got, want)
	}
	if got, want := c, (Answers{"one": {"f": {"1"}}, "two": {"f": {"22"}}, "three": {}}); !reflect.DeepEqual(got, want) {
		t.Errorf("With add: got %v, want %v", got, want)
	}
	if b.Answered("three") {
		t.Errorf("With changed its receiver")
	}
	var none Answers
	if got, want := none.With("x", Values{"f": {"v"}}), (Answers{"x": {"f": {"v"}}}); !reflect.DeepEqual(got, want) {
		t.Errorf("nil With: got %v, want %v", got, want)
	}
}

func TestAnswersEncodeRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		a    Answers
	}{
		{"empty", Answers{}},
		{"one value", Answers{"name": {"v1": {"Ada"}}}},
		{"step with no values", Answers{"confirm": {}}},
		{"several steps and one empty", Answers{
			"name": {"v1": {"Ada"}}, "job": {"v2": {"Engineer"}}, "confirm": {},
		}},
		{"multi values keep order", Answers{"needs": {"dietary": {"vegan", "halal", "other"}}}},
		{"repeated values", Answers{"s": {"f": {"a", "a"}}}},
		{"reserved characters", Answers{"s": {
			"amp":     {"Tom & Jerry"},
			"eq":      {"a=b", "=="},
			"dot":     {"v1.x", "."},
			"pct":     {"100%", "%zz"},
			"plus":    {"a+b c"},
			"hash":    {"#1?x=y&z"},
			"semi":    {"a;b"},
			"braces":  {"{name.v1}"},
			"quotes":  {`"'`},
			"slashes": {`/\`},
		}}},
		{"unicode", Answers{"s": {"f": {"Zoë", "日本語", "😀", "\u200b"}}}},
		{"newlines and spaces", Answers{"talk": {"abstract": {"First.\r\n\r\nSecond.\nThird.", "  leading and trailing  ", "\t"}}}},
		{"empty string value", Answers{"s": {"f": {""}}}},
		{"names with dashes and underscores", Answers{"my-step": {"my_field": {"x"}}, "s_2": {"f-3": {"y"}}}},
		{"dotted step looking keys in values", Answers{"a": {"b": {"c.d=e&f.g=h"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			enc := tt.a.Encode()
			got, err := ParseAnswers(enc)
			if err != nil {
				t.Fatalf("ParseAnswers(%q): %v", enc, err)
			}
			if !reflect.DeepEqual(got, tt.a) {
				t.Errorf("round trip via %q: got %#v, want %#v", enc, got, tt.a)
			}
			if again := got.Encode(); again != enc {
				t.Errorf("re-encode: got %q, want %q", again, enc)
			}
		})
	}
}

func TestAnswersEncodeIsDeterministic(t *testing.T) {
	a := Answers{"b": {"y": {"2"}, "x": {"1"}}, "a": {"z": {"3"}}, "c": {}}
	first := a.Encode()
	for i := 0; i < 20; i++ {
		if got := a.Encode(); got != first {
			t.Fatalf("Encode run %d: got %q, want %q", i, got, first)
		}
	}
	if got, want := first, "a.z=3&b.x=1&b.y=2&c="; got != want {
		t.Errorf("Encode: got %q, want %q", got, want)
	}
	if got, want := (Answers{"s": {"f": {"Tom & Jerry = 1.5"}}}).Encode(), "s.f=Tom+%26+Jerry+%3D+1.5"; got != want {
		t.Errorf("Encode escaping: got %q, want %q", got, want)
	}
}

// A field saved with no values (an empty optional field, as Validate stores
// it) reads the same after a round trip: no value, step still answered.
func TestAnswersEncodeFieldWithoutValues(t *testing.T) {
	s := &Step{Name: "s", Fields: []*Field{{Name: "opt"}, {Name: "box", Kind: Checkboxes, Options: []Option{{Value: "x"}}}}}
	clean, errs, err := Validate(s, nil, Values{"opt": {"  "}})
	if err != nil || len(errs) != 0 {
		t.Fatalf("Validate: %v, %v", errs, err)
	}
	a := Answers{"s": clean}
	got, err := ParseAnswers(a.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if !got.Answered("s") {
		t.Errorf("step with only empty fields: not answered after round trip")
	}
	for _, f := range []string{"opt", "box"} {
		if vs := got["s"][f]; len(vs) != 0 {
			t.Errorf("%s: got %q, want no values", f, vs)
		}
	}
	if !Complete(s, got) {
		t.Errorf("Complete after round trip: got false, want true")
	}
}

func TestParseAnswers(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Answers
	}{
		{"empty string", "", Answers{}},
		{"step marker only", "confirm=", Answers{"confirm": {}}},
		{"field without marker", "name.v1=Ada", Answers{"name": {"v1": {"Ada"}}}},
		{"escaped", "s=&s.f=a%26b%3Dc+d", Answers{"s": {"f": {"a&b=c d"}}}},
		{"field key with several dots", "s.a.b=1", Answers{"s": {"a.b": {"1"}}}},
		{"order of values kept", "s.f=2&s.f=1&s.f=3", Answers{"s": {"f": {"2", "1", "3"}}}},
		{"empty value kept", "s.f=", Answers{"s": {"f": {""}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAnswers(tt.in)
			if err != nil {
				t.Fatalf("ParseAnswers(%q): %v", tt.in, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseAnswers(%q): got %#v, want %#v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseAnswersMalformed(t *testing.T) {
	for _, in := range []string{
		"%zz",
		"s.f=%",
		"s.f=%4",
		"s%g.f=1",
		"a=1;b=2",
	} {
		t.Run(in, func(t *testing.T) {
			got, err := ParseAnswers(in)
			if err == nil {
				t.Fatalf("ParseAnswers(%q): got %#v and no error, want an error", in, got)
			}
			if got != nil {
				t.Errorf("ParseAnswers(%q): got %#v with the error, want nil", in, got)
			}
			if !strings.Contains(err.Error(), "parse answers") {
				t.Errorf("error %q: want it to say what failed (parse answers)", err)
			}
		})
	}
}

// FuzzParseAnswers: any text either fails to parse, exactly when
// url.ParseQuery fails on it, or parses to the answers ParseQuery's pairs
// describe, which Encode writes so that they parse back the same. The seed
// corpus (testdata/fuzz/FuzzParseAnswers) holds real encodings and hostile
// ones.
func FuzzParseAnswers(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAnswers(s)
		q, qerr := url.ParseQuery(s)
		if (err == nil) != (qerr == nil) {
			t.Fatalf("ParseAnswers(%q): error %v; url.ParseQuery's error %v", s, err, qerr)
		}
		if err != nil {
			if a != nil {
				t.Errorf("ParseAnswers(%q): got %v with error %v, want nil", s, a, err)
			}
			return
		}
		fields := 0
		for k, vs := range q {
			step, field, isField := strings.Cut(k, ".")
			if !a.Answered(step) {
				t.Errorf("ParseAnswers(%q): step %q missing", s, step)
			}
			if isField {
				fields++
				if got := a[step][field]; !reflect.DeepEqual(got, vs) {
					t.Errorf("ParseAnswers(%q): %s: got %q, want %q", s, k, got, vs)
				}
			}
		}
		n := 0
		for _, vals := range a {
			n += len(vals)
		}
		if n != fields {
			t.Errorf("ParseAnswers(%q): got %d fields, want %d", s, n, fields)
		}

		enc := a.Encode()
		b, err := ParseAnswers(enc)
		if err != nil {
			t.Fatalf("ParseAnswers(Encode(ParseAnswers(%q))) = %q: %v", s, enc, err)
		}
		if !reflect.DeepEqual(b, a) {
			t.Fatalf("ParseAnswers(Encode(ParseAnswers(%q))): got %q, want %q", s, b, a)
		}
		if again := b.Encode(); again != enc {
			t.Errorf("Encode of the parsed encoding of %q: got %q, want %q", s, again, enc)
		}
	})
}
