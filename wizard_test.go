package wizard_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/demo"
)

// oneStep returns a valid wizard "w" whose single step "s" holds fields.
func oneStep(fields ...*wizard.Field) *wizard.Wizard {
	return &wizard.Wizard{Name: "w", Steps: []*wizard.Step{{Name: "s", Fields: fields}}}
}

func withStepName(name string) *wizard.Wizard {
	return &wizard.Wizard{Name: "w", Steps: []*wizard.Step{{Name: name}}}
}

func withWizardName(name string) *wizard.Wizard {
	return &wizard.Wizard{Name: name, Steps: []*wizard.Step{{Name: "s"}}}
}

var opts = []wizard.Option{{Value: "a", Label: "A"}, {Value: "other", Label: "Other"}}

func TestCheck(t *testing.T) {
	tests := []struct {
		name    string
		w       *wizard.Wizard
		wantErr string // substring of the error; "" for no error
	}{
		// Wizard names.
		{"simple name", withWizardName("classic"), ""},
		{"name with digits dash underscore", withWizardName("a1-b_2"), ""},
		{"name starting with digit", withWizardName("2fa"), ""},
		{"name ending with dash", withWizardName("x-"), ""},
		{"empty wizard name", withWizardName(""), `wizard name ""`},
		{"uppercase wizard name", withWizardName("Classic"), `wizard name "Classic"`},
		{"wizard name with space", withWizardName("my wizard"), `wizard name "my wizard"`},
		{"wizard name with dot", withWizardName("a.b"), `wizard name "a.b"`},
		{"wizard name with slash", withWizardName("a/b"), `wizard name "a/b"`},
		{"wizard name leading dash", withWizardName("-a"), `wizard name "-a"`},
		{"wizard name leading underscore", withWizardName("_a"), `wizard name "_a"`},
		{"wizard name non-ASCII", withWizardName("café"), `wizard name "café"`},
		{"no steps", &wizard.Wizard{Name: "w"}, `wizard "w": steps: no steps`},

		// Step names.
		{"bad step name", withStepName("Step 1"), `step name "Step 1"`},
		{"empty step name", withStepName(""), `step name ""`},
		{"step name with dot", withStepName("a.b"), `step name "a.b"`},
		{"reserved done", withStepName("done"), `step name "done" is reserved`},
		{"reserved review", withStepName("review"), `step name "review" is reserved`},
		{"reserved submit", withStepName("submit"), `step name "submit" is reserved`},
		{"reserved restart", withStepName("restart"), `step name "restart" is reserved`},
		{"reserved keepalive", withStepName("keepalive"), `step name "keepalive" is reserved`},
		{"near reserved is fine", withStepName("reviews"), ""},
		{"prefix of reserved is fine", withStepName("don"), ""},
		{"duplicate step", &wizard.Wizard{Name: "w", Steps: []*wizard.Step{{Name: "s"}, {Name: "t"}, {Name: "s"}}}, `duplicate step "s"`},

		// Field names and kinds.
		{"bad field name", oneStep(&wizard.Field{Name: "First name"}), `field name "First name"`},
		{"empty field name", oneStep(&wizard.Field{}), `field name ""`},
		{"field name with dot", oneStep(&wizard.Field{Name: "a.b"}), `field name "a.b"`},
		{"duplicate field", oneStep(&wizard.Field{Name: "f"}, &wizard.Field{Name: "g"}, &wizard.Field{Name: "f", Kind: wizard.Email}), `duplicate field "f"`},
		{"same field name in two steps", &wizard.Wizard{Name: "w", Steps: []*wizard.Step{
			{Name: "s", Fields: []*wizard.Field{{Name: "f"}}},
			{Name: "t", Fields: []*wizard.Field{{Name: "f"}}},
		}}, ""},
		{"unknown kind", oneStep(&wizard.Field{Name: "f", Kind: wizard.Kind(99)}), `unknown kind 99`},
		{"negative kind", oneStep(&wizard.Field{Name: "f", Kind: wizard.Kind(-1)}), `unknown kind -1`},
		{"every known kind", oneStep(
			&wizard.Field{Name: "text"}, &wizard.Field{Name: "email", Kind: wizard.Email},
			&wizard.Field{Name: "number", Kind: wizard.Number}, &wizard.Field{Name: "date", Kind: wizard.Date},
			&wizard.Field{Name: "textarea", Kind: wizard.TextArea},
			&wizard.Field{Name: "select", Kind: wizard.Select, Options: opts},
			&wizard.Field{Name: "radio", Kind: wizard.Radio, Options: opts},
			&wizard.Field{Name: "checkboxes", Kind: wizard.Checkboxes, Options: opts},
			&wizard.Field{Name: "yesno", Kind: wizard.YesNo},
		), ""},

		// Options.
		{"select without options", oneStep(&wizard.Field{Name: "f", Kind: wizard.Select}), `a select field needs options`},
		{"radio without options", oneStep(&wizard.Field{Name: "f", Kind: wizard.Radio, Options: []wizard.Option{}}), `a radio field needs options`},
		{"checkboxes without options", oneStep(&wizard.Field{Name: "f", Kind: wizard.Checkboxes}), `a checkboxes field needs options`},
		{"yesno needs no options", oneStep(&wizard.Field{Name: "f", Kind: wizard.YesNo}), ""},
		{"options func is enough", oneStep(&wizard.Field{Name: "f", Kind: wizard.Select,
			OptionsFunc: func(wizard.Answers) []wizard.Option { return nil }}), ""},

		// Length bounds.
		{"min above max", oneStep(&wizard.Field{Name: "f", MinLen: 10, MaxLen: 5}), `no answer can be 10..5 characters long`},
		{"negative max", oneStep(&wizard.Field{Name: "f", MaxLen: -1}), `negative length bound`},
		{"negative min", oneStep(&wizard.Field{Name: "f", MinLen: -1}), `negative length bound`},
		{"min equals max", oneStep(&wizard.Field{Name: "f", MinLen: 5, MaxLen: 5}), ""},

		// Conditions.
		{"show when unknown field", oneStep(
			&wizard.Field{Name: "f", Kind: wizard.Radio, Options: opts},
			&wizard.Field{Name: "g", ShowWhen: &wizard.Condition{Field: "nope", Value: "other"}},
		), `steps[0].fields[1].show_when.field: step "s" has no field "nope"`},
		{"show when itself", oneStep(
			&wizard.Field{Name: "g", ShowWhen: &wizard.Condition{Field: "g", Value: "x"}},
		), `field "g" shows when a field that depends on it, or on itself`},
		{"show when field of another step", &wizard.Wizard{Name: "w", Steps: []*wizard.Step{
			{Name: "s", Fields: []*wizard.Field{{Name: "f", Kind: wizard.Radio, Options: opts}}},
			{Name: "t", Fields: []*wizard.Field{{Name: "g", ShowWhen: &wizard.Condition{Field: "f", Value: "other"}}}},
		}}, `steps[1].fields[0].show_when.field: step "t" has no field "f" (a field of another step is written step.field)`},
		{"show when text field", oneStep(
			&wizard.Field{Name: "f"},
			&wizard.Field{Name: "g", ShowWhen: &wizard.Condition{Field: "f", Value: "x"}},
		), ""},
		{"show when number field", oneStep(
			&wizard.Field{Name: "f", Kind: wizard.Number},
			&wizard.Field{Name: "g", ShowWhen: &wizard.Condition{Field: "f", Value: "1.5"}},
		), ""},
		{"number compared with text", oneStep(
			&wizard.Field{Name: "f", Kind: wizard.Number},
			&wizard.Field{Name: "g", ShowWhen: wizard.When("f", wizard.Lt, "ten")},
		), `"ten" is not a number`},
		{"lt on a text field", oneStep(
			&wizard.Field{Name: "f"},
			&wizard.Field{Name: "g", ShowWhen: wizard.When("f", wizard.Lt, "3")},
		), `lt compares numbers and dates, and "f" is a text field`},
		{"show when radio", oneStep(
			&wizard.Field{Name: "f", Kind: wizard.Radio, Options: opts},
			&wizard.Field{Name: "g", ShowWhen: &wizard.Condition{Field: "f", Value: "other"}},
		), ""},
		{"show when yesno", oneStep(
			&wizard.Field{Name: "f", Kind: wizard.YesNo},
			&wizard.Field{Name: "g", ShowWhen: &wizard.Condition{Field: "f", Value: "yes"}},
		), ""},
		{"show when later checkboxes", oneStep(
			&wizard.Field{Name: "g", ShowWhen: wizard.When("f", wizard.Contains, "other")},
			&wizard.Field{Name: "f", Kind: wizard.Checkboxes, Options: opts},
		), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.w.Check()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("got error %q, want none", err)
			case tt.wantErr != "" && err == nil:
				t.Errorf("got no error, want one containing %q", tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Errorf("got error %q, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestCheckErrorNamesWizardAndStep(t *testing.T) {
	w := &wizard.Wizard{Name: "shop", Steps: []*wizard.Step{
		{Name: "cart"},
		{Name: "pay", Fields: []*wizard.Field{{Name: "card"}, {Name: "card"}}},
	}}
	err := w.Check()
	if err == nil {
		t.Fatal("got no error, want a duplicate field error")
	}
	if got, want := err.Error(), `wizard "shop": steps[1].fields[1].name: duplicate field "card"`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestDemoWizardsPassCheck(t *testing.T) {
	ws := demo.Wizards()
	if len(ws) != 2 {
		t.Fatalf("demo.Wizards: got %d wizards, want 2", len(ws))
	}
	for _, w := range ws {
		t.Run(w.Name, func(t *testing.T) {
			if err := w.Check(); err != nil {
				t.Errorf("Check: %v", err)
			}
		})
	}
}

func TestNewCatalog(t *testing.T) {
	t.Run("demo", func(t *testing.T) {
		c, err := wizard.NewCatalog(demo.Wizards()...)
		if err != nil {
			t.Fatalf("NewCatalog: %v", err)
		}
		var names []string
		for _, w := range c.All() {
			names = append(names, w.Name)
		}
		if got, want := strings.Join(names, ","), "classic,register"; got != want {
			t.Errorf("All: got %s, want %s", got, want)
		}
		for _, name := range []string{"classic", "register"} {
			if w := c.Get(name); w == nil || w.Name != name {
				t.Errorf("Get(%q): got %v, want the %s wizard", name, w, name)
			}
		}
		for _, name := range []string{"", "Classic", "nope"} {
			if w := c.Get(name); w != nil {
				t.Errorf("Get(%q): got %q, want nil", name, w.Name)
			}
		}
	})

	t.Run("empty", func(t *testing.T) {
		c, err := wizard.NewCatalog()
		if err != nil {
			t.Fatalf("NewCatalog(): %v", err)
		}
		if len(c.All()) != 0 || c.Get("classic") != nil {
			t.Errorf("empty catalog: got %d wizards", len(c.All()))
		}
	})

	t.Run("duplicate", func(t *testing.T) {
		c, err := wizard.NewCatalog(demo.Classic(), demo.Register(), demo.Classic())
		if !errors.Is(err, wizard.ErrDuplicate) {
			t.Fatalf("got error %v, want ErrDuplicate", err)
		}
		if c != nil {
			t.Errorf("got a catalog with the error, want nil")
		}
		if !strings.Contains(err.Error(), `"classic"`) {
			t.Errorf("error %q does not name the duplicate wizard", err)
		}
	})

	t.Run("broken wizard", func(t *testing.T) {
		broken := demo.Register()
		broken.Steps[1].Name = "review"
		c, err := wizard.NewCatalog(demo.Classic(), broken)
		if err == nil || !strings.Contains(err.Error(), `step name "review" is reserved`) {
			t.Fatalf("got error %v, want the reserved step name error", err)
		}
		if errors.Is(err, wizard.ErrDuplicate) {
			t.Errorf("error %v: is ErrDuplicate, want not", err)
		}
		if c != nil {
			t.Errorf("got a catalog with the error, want nil")
		}
	})
}

func TestLookups(t *testing.T) {
	w := demo.Register()
	for _, tt := range []struct {
		step, field string
		wantStep    bool
		wantField   bool
	}{
		{"details", "email", true, true},
		{"needs", "dietary_other", true, true},
		{"details", "nope", true, false},
		{"ticket", "email", true, false},
		{"review", "", false, false},
		{"", "", false, false},
	} {
		t.Run(tt.step+"."+tt.field, func(t *testing.T) {
			s := w.Step(tt.step)
			if (s != nil) != tt.wantStep {
				t.Fatalf("Step(%q): got %v, want found=%v", tt.step, s, tt.wantStep)
			}
			if s == nil {
				return
			}
			if s.Name != tt.step {
				t.Errorf("Step(%q): got step %q", tt.step, s.Name)
			}
			f := s.Field(tt.field)
			if (f != nil) != tt.wantField {
				t.Fatalf("Field(%q): got %v, want found=%v", tt.field, f, tt.wantField)
			}
			if f != nil && f.Name != tt.field {
				t.Errorf("Field(%q): got field %q", tt.field, f.Name)
			}
		})
	}
}

func TestGoto(t *testing.T) {
	for _, name := range []string{"needs", "", "anything"} {
		if got := wizard.Goto(name)(nil); got != name {
			t.Errorf("Goto(%q)(nil): got %q", name, got)
		}
		if got := wizard.Goto(name)(wizard.Answers{"x": {"y": {"z"}}}); got != name {
			t.Errorf("Goto(%q)(answers): got %q", name, got)
		}
	}
}

func TestKind(t *testing.T) {
	tests := []struct {
		kind     wizard.Kind
		name     string
		multiple bool
	}{
		{wizard.Text, "text", false},
		{wizard.Email, "email", false},
		{wizard.Number, "number", false},
		{wizard.Date, "date", false},
		{wizard.TextArea, "textarea", false},
		{wizard.Select, "select", false},
		{wizard.Radio, "radio", false},
		{wizard.Checkboxes, "checkboxes", true},
		{wizard.YesNo, "yes_no", false},
		{wizard.Custom, "custom", false},
		{wizard.Kind(10), "Kind(10)", false},
		{wizard.Kind(42), "Kind(42)", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.kind.String(); got != tt.name {
				t.Errorf("String: got %q, want %q", got, tt.name)
			}
			if got := tt.kind.Multiple(); got != tt.multiple {
				t.Errorf("Multiple: got %v, want %v", got, tt.multiple)
			}
		})
	}
}

func TestFloat(t *testing.T) {
	a, b := wizard.Float(1.5), wizard.Float(1.5)
	if a == b {
		t.Errorf("Float returned the same pointer twice")
	}
	if *a != 1.5 {
		t.Errorf("got %v, want 1.5", *a)
	}
}
