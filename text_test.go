package wizard

import (
	"strings"
	"testing"
)

func TestExpand(t *testing.T) {
	a := Answers{
		"name":   {"v1": {"Ada"}},
		"needs":  {"dietary": {"vegan", "halal", "other"}, "none": nil},
		"tricky": {"brace": {"{name.v1}"}, "empty": {""}},
		"my-step": {
			"my_field": {"dashes & underscores"},
		},
		"s1": {"f2": {"digits"}},
	}
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"no braces", "Hello, world.", "Hello, world."},
		{"no braces with dots and closers", "a.b } c.d", "a.b } c.d"},
		{"whole string", "{name.v1}", "Ada"},
		{"in a sentence", "{name.v1}, what is your job?", "Ada, what is your job?"},
		{"twice", "{name.v1} and {name.v1}", "Ada and Ada"},
		{"adjacent", "{name.v1}{name.v1}", "AdaAda"},
		{"multi values joined", "You eat: {needs.dietary}.", "You eat: vegan, halal, other."},
		{"unknown step", "Hi {nobody.v1}!", "Hi !"},
		{"unknown field", "Hi {name.v9}!", "Hi !"},
		{"field with no values", "[{needs.none}]", "[]"},
		{"empty value", "[{tricky.empty}]", "[]"},
		{"dashes and underscores", "{my-step.my_field}", "dashes & underscores"},
		{"digits", "{s1.f2}", "digits"},
		{"value not expanded again", "{tricky.brace}", "{name.v1}"},
		{"not a ref with spaces", "{not a ref}", "{not a ref}"},
		{"not a ref no dot", "{name}", "{name}"},
		{"not a ref two dots", "{name.v1.x}", "{name.v1.x}"},
		{"not a ref uppercase", "{Name.v1}", "{Name.v1}"},
		{"not a ref empty step", "{.v1}", "{.v1}"},
		{"not a ref empty field", "{name.}", "{name.}"},
		{"not a ref leading dash", "{-name.v1}", "{-name.v1}"},
		{"not a ref spaces inside", "{ name.v1 }", "{ name.v1 }"},
		{"empty braces", "{}", "{}"},
		{"lone open", "{", "{"},
		{"lone open after text", "cost: {", "cost: {"},
		{"open without close after ref", "{name.v1} {", "Ada {"},
		{"lone close", "}", "}"},
		{"close then open", "}{", "}{"},
		{"ref then close then open", "{name.v1}}{", "Ada}{"},
		{"double braces", "{{name.v1}}", "{Ada}"},
		{"open before ref", "{x {name.v1}", "{x Ada"},
		{"JSON-like", `{"a": 1}`, `{"a": 1}`},
		{"CSS-like", "p { color: red }", "p { color: red }"},
		{"unicode around", "¡Hola {name.v1}! ✓", "¡Hola Ada! ✓"},
		{"unicode inside braces", "{námé.v1}", "{námé.v1}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Expand(tt.in, a); got != tt.want {
				t.Errorf("Expand(%q): got %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestExpandNilAnswers(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Hello {name.v1}", "Hello "},
		{"{not a ref}", "{not a ref}"},
		{"plain", "plain"},
	}
	for _, tt := range tests {
		if got := Expand(tt.in, nil); got != tt.want {
			t.Errorf("Expand(%q, nil): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestExpandNoBracesDoesNotAllocate(t *testing.T) {
	s := strings.Repeat("No references here. ", 50)
	a := Answers{"name": {"v1": {"Ada"}}}
	allocs := testing.AllocsPerRun(100, func() {
		if got := Expand(s, a); got != s {
			t.Fatalf("got %q, want the input unchanged", got)
		}
	})
	if allocs != 0 {
		t.Errorf("allocations: got %v, want 0 for text without braces", allocs)
	}
}
