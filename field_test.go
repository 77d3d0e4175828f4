package wizard

import (
	"strings"
	"testing"
)

// An option whose value holds a control character could never be chosen
// (Validate refuses such values), so the definition is refused at start-up.
func TestCheckRejectsOptionValuesWithControlCharacters(t *testing.T) {
	tests := []struct {
		name  string
		value string
		ok    bool
	}{
		{"plain", "red", true},
		{"with space", "light blue", true},
		{"NUL", "red\x00", false},
		{"tab", "red\tblue", false},
		{"newline", "red\n", false},
		{"C1", "red\u0085", false},
		{"override", "\u202ered", false},
		{"isolate", "red\u2068", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &Field{Name: "f", Kind: Radio, Options: []Option{{Value: "green"}, {Value: tt.value}}}
			err := checkField(f)
			if got := err == nil; got != tt.ok {
				t.Fatalf("check: got error %v, want ok=%v", err, tt.ok)
			}
			if err != nil && !strings.Contains(err.Error(), `fields[0].options[1].value`) {
				t.Errorf("error %q does not name the option", err)
			}
		})
	}
}

// checkStep checks a wizard of the one step s.
func checkStep(s *Step) error {
	return (&Wizard{Name: "w", Steps: []*Step{s}}).Check()
}

// checkField checks a wizard of one step holding the one field f.
func checkField(f *Field) error { return checkStep(&Step{Name: "s", Fields: []*Field{f}}) }
