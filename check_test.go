package wizard_test

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/wizard/wizard"
)

// branching returns a valid wizard that uses what Check verifies: routes
// to later steps and to exits, a route without a condition, two branches
// that meet again, nested conditions, show_when on the same step and on
// an earlier one, and {step.field} texts in steps and exits.
//
//	angler -> water -> full -------> pay -> (nocard)
//	            |   \-> concession -/
//	            \-> (outside)
func branching() *wizard.Wizard {
	return &wizard.Wizard{Name: "fishing", Title: "Fishing licence", Done: "Thank you, {angler.name}.", Steps: []*wizard.Step{
		{Name: "angler", Title: "About you", Fields: []*wizard.Field{
			{Name: "name", Required: true},
			{Name: "age", Kind: wizard.Number, Required: true},
			{Name: "member", Kind: wizard.YesNo},
			{Name: "born", Kind: wizard.Date},
		}},
		{Name: "water", Title: "{angler.name}, where will you fish?", Fields: []*wizard.Field{
			{Name: "country", Kind: wizard.Radio, Required: true, Options: choices("england", "wales", "elsewhere")},
			{Name: "river", Required: true, ShowWhen: wizard.When("country", wizard.In, "england", "wales")},
		}, Routes: []wizard.Route{
			{When: wizard.When("country", wizard.Eq, "elsewhere"), Exit: "outside"},
			{When: wizard.Any(
				wizard.When("angler.age", wizard.Lt, "16"),
				wizard.All(wizard.When("angler.age", wizard.Ge, "65"), wizard.Not(wizard.When("angler.member", wizard.Eq, "no"))),
			), Goto: "concession"},
		}},
		{Name: "full", Fields: []*wizard.Field{
			{Name: "length", Kind: wizard.Radio, Required: true, Options: choices("day", "year")},
		}, Routes: []wizard.Route{{Goto: "pay"}}},
		{Name: "concession", Title: "{angler.name}, your concession", Fields: []*wizard.Field{
			{Name: "proof", Label: "Proof for {water.river}", ShowWhen: wizard.When("angler.born", wizard.Lt, "1960-01-01")},
		}},
		{Name: "pay", Title: "Pay for {water.country}", Fields: []*wizard.Field{
			{Name: "card", Label: "{angler.name}'s card"},
			{Name: "extras", Kind: wizard.Checkboxes, Options: choices("net", "boat")},
			{Name: "boat_name", ShowWhen: wizard.All(wizard.When("extras", wizard.Contains, "boat"), wizard.When("pay.card", wizard.Answered))},
		}, Routes: []wizard.Route{
			{When: wizard.All(wizard.When("card", wizard.NotAnswered), wizard.Any(
				wizard.When("full.length", wizard.Eq, "year"), wizard.When("concession.proof", wizard.Answered))), Exit: "nocard"},
		}},
	}, Exits: []*wizard.Exit{
		{Name: "outside", Title: "You cannot buy this licence", Body: "Sorry, {angler.name}: not in {water.country}."},
		{Name: "nocard", Title: "No card, {angler.name}", Body: "Come back with a card for {full.length} or {concession.proof}."},
	}}
}

// problems returns the problems Check reports, as "path: message".
func problems(t *testing.T, w *wizard.Wizard) []string {
	t.Helper()
	err := w.Check()
	if err == nil {
		return nil
	}
	var ce *wizard.CheckError
	if !errors.As(err, &ce) {
		t.Fatalf("Check: got %T %v, want a *CheckError", err, err)
	}
	if ce.Wizard != w.Name {
		t.Errorf("CheckError.Wizard: got %q, want %q", ce.Wizard, w.Name)
	}
	var out []string
	for _, p := range ce.Problems {
		out = append(out, p.Error())
	}
	return out
}

func TestCheckBranchingWizardIsValid(t *testing.T) {
	if got := problems(t, branching()); got != nil {
		t.Errorf("got problems:\n%s", strings.Join(got, "\n"))
	}
}

// TestCheckProblems changes one thing in the valid branching wizard at a
// time and expects exactly the problems listed, each at its path.
func TestCheckProblems(t *testing.T) {
	tests := []struct {
		name   string
		change func(w *wizard.Wizard)
		want   []string
	}{
		// Names the server's own pages take.
		{"wizard named like a page of the server", func(w *wizard.Wizard) { w.Name = "metrics" },
			[]string{`name: wizard name "metrics" is taken by the server's own pages`}},
		// Rules that a choice's answer never meets.
		{"pattern and lengths on a radio", func(w *wizard.Wizard) {
			f := w.Step("water").Field("country")
			f.MaxLen, f.Pattern = 10, regexp.MustCompile(`e.*`)
		}, []string{
			`steps[1].fields[0].max_len: max_len applies to typed answers, and "country" is a radio field: its answer is one of its options`,
			`steps[1].fields[0].pattern: pattern applies to typed answers, and "country" is a radio field: its answer is one of its options`,
		}},
		// Every text may name earlier answers, and only those.
		{"texts naming fields not asked before them", func(w *wizard.Wizard) {
			w.Step("angler").Submit = "Go, {water.country}"
			w.Step("angler").Fields[0].Noun = "{angler.nope}"
			w.Step("water").Fields[0].RequiredMessage = "Choose one, {pay.card}"
		}, []string{
			`steps[0].submit: {water.country}: not asked before this text is shown`,
			`steps[0].fields[0].noun: {angler.nope}: step "angler" has no field "nope"`,
			`steps[1].fields[0].required_message: {pay.card}: not asked before this text is shown`,
		}},
		// Routes.
		{"goto an earlier step", func(w *wizard.Wizard) {
			addRoute(w, "pay", wizard.Route{When: wizard.When("card", wizard.Eq, "x"), Goto: "water"})
		}, []string{`steps[4].next[1].goto: step "water" comes before "pay": journeys only go forward`}},
		{"goto itself", func(w *wizard.Wizard) {
			addRoute(w, "pay", wizard.Route{When: wizard.When("card", wizard.Eq, "x"), Goto: "pay"})
		}, []string{`steps[4].next[1].goto: step "pay" goes to itself: journeys only go forward`}},
		// A route to nothing is the one problem: the step or exit it
		// meant to reach, and what names their fields, are not reported
		// as well.
		{"goto unknown step", func(w *wizard.Wizard) {
			w.Step("water").Routes[1].Goto = "concesion"
		}, []string{`steps[1].next[1].goto: unknown step "concesion"`}},
		{"unknown exit", func(w *wizard.Wizard) {
			w.Step("water").Routes[0].Exit = "outsde"
		}, []string{`steps[1].next[0].exit: unknown exit "outsde"`}},
		{"exit that names a step", func(w *wizard.Wizard) {
			addRoute(w, "water", wizard.Route{When: wizard.When("country", wizard.Eq, "wales"), Exit: "pay"})
		}, []string{`steps[1].next[2].exit: unknown exit "pay"`}},
		{"goto that names an exit", func(w *wizard.Wizard) {
			addRoute(w, "water", wizard.Route{When: wizard.When("country", wizard.Eq, "wales"), Goto: "outside"})
		}, []string{`steps[1].next[2].goto: unknown step "outside"`}},
		{"route with goto and exit", func(w *wizard.Wizard) {
			addRoute(w, "water", wizard.Route{When: wizard.When("country", wizard.Eq, "wales"), Goto: "pay", Exit: "outside"})
		}, []string{`steps[1].next[2]: a route goes to a step (goto) or ends in an exit (exit), one of the two`}},
		{"route with neither goto nor exit", func(w *wizard.Wizard) {
			addRoute(w, "water", wizard.Route{When: wizard.When("country", wizard.Eq, "wales")})
		}, []string{`steps[1].next[2]: a route goes to a step (goto) or ends in an exit (exit), one of the two`}},
		{"route after one without a condition", func(w *wizard.Wizard) {
			addRoute(w, "full", wizard.Route{When: wizard.When("length", wizard.Eq, "day"), Goto: "concession"})
		}, []string{`steps[2].next[1]: never tried: a route before it has no condition, so it always applies`}},
		{"unreachable step", func(w *wizard.Wizard) {
			addRoute(w, "water", wizard.Route{Goto: "pay"})
		}, []string{`steps[2]: no journey reaches step "full"`}},
		{"unreachable step whose fields later steps name", func(w *wizard.Wizard) {
			w.Step("water").Routes[1].When = nil
		}, []string{`steps[2]: no journey reaches step "full"`}},
		{"route without a condition that ends in an exit", func(w *wizard.Wizard) {
			w.Step("angler").Routes = []wizard.Route{{Exit: "outside"}}
		}, []string{
			`steps[1]: no journey reaches step "water"`,
			`steps[2]: no journey reaches step "full"`,
			`steps[3]: no journey reaches step "concession"`,
			`steps[4]: no journey reaches step "pay"`,
		}},
		{"exit no route reaches", func(w *wizard.Wizard) {
			w.Exits = append(w.Exits, &wizard.Exit{Name: "unused", Title: "Unused"})
		}, []string{`exits[2]: no route ends in exit "unused"`}},
		{"both Next and routes", func(w *wizard.Wizard) {
			w.Step("full").Next = wizard.Goto("pay")
		}, []string{`steps[2].next: a step has Go code or routes to choose its next step, not both`}},

		// Fields a condition names.
		{"condition on a later step's field", func(w *wizard.Wizard) {
			w.Step("water").Routes[0].When = wizard.When("pay.card", wizard.Answered)
		}, []string{`steps[1].next[0].when.field: "pay.card" is not asked before step "water" on any journey`}},
		{"show_when on a later step's field", func(w *wizard.Wizard) {
			w.Step("angler").Fields[3].ShowWhen = wizard.When("water.country", wizard.Eq, "wales")
		}, []string{`steps[0].fields[3].show_when.field: "water.country" is not asked before step "angler" on any journey`}},
		{"condition on a field of a disjoint branch", func(w *wizard.Wizard) {
			w.Step("concession").Fields[0].ShowWhen = wizard.When("full.length", wizard.Eq, "year")
		}, []string{`steps[3].fields[0].show_when.field: "full.length" is not asked before step "concession" on any journey`}},
		{"condition on an unknown step", func(w *wizard.Wizard) {
			w.Step("pay").Fields[2].ShowWhen = wizard.When("angle.age", wizard.Gt, "1")
		}, []string{`steps[4].fields[2].show_when.field: unknown step "angle"`}},
		{"condition on an unknown field of another step", func(w *wizard.Wizard) {
			w.Step("pay").Fields[2].ShowWhen = wizard.When("angler.aeg", wizard.Gt, "1")
		}, []string{`steps[4].fields[2].show_when.field: step "angler" has no field "aeg"`}},
		{"field of another step without its step", func(w *wizard.Wizard) {
			w.Step("pay").Fields[2].ShowWhen = wizard.When("age", wizard.Gt, "1")
		}, []string{`steps[4].fields[2].show_when.field: step "pay" has no field "age" (a field of another step is written step.field)`}},

		// Tests that do not suit the field.
		{"lt on text", func(w *wizard.Wizard) {
			w.Step("water").Routes[1].When = wizard.When("angler.name", wizard.Lt, "3")
		}, []string{`steps[1].next[1].when.lt: lt compares numbers and dates, and "angler.name" is a text field`}},
		{"ge on a radio", func(w *wizard.Wizard) {
			w.Step("water").Routes[1].When = wizard.When("country", wizard.Ge, "england")
		}, []string{`steps[1].next[1].when.ge: ge compares numbers and dates, and "country" is a radio field`}},
		{"eq with a value that is not an option", func(w *wizard.Wizard) {
			w.Step("water").Routes[0].When = wizard.When("country", wizard.Eq, "scotland")
		}, []string{`steps[1].next[0].when.eq: "scotland" is not one of the options of "country"`}},
		{"not_in with a value that is not an option", func(w *wizard.Wizard) {
			w.Step("water").Routes[0].When = wizard.When("country", wizard.NotIn, "england", "Wales")
		}, []string{`steps[1].next[0].when.not_in: "Wales" is not one of the options of "country"`}},
		{"eq on yes_no with neither yes nor no", func(w *wizard.Wizard) {
			w.Step("water").Routes[1].When = wizard.When("angler.member", wizard.Eq, "true")
		}, []string{`steps[1].next[1].when.eq: "true" is not one of the options of "member"`}},
		{"contains on a radio", func(w *wizard.Wizard) {
			w.Step("water").Routes[0].When = wizard.When("country", wizard.Contains, "elsewhere")
		}, []string{`steps[1].next[0].when.contains: contains tests checkboxes, and "country" is a radio field`}},
		{"eq on checkboxes", func(w *wizard.Wizard) {
			w.Step("pay").Fields[2].ShowWhen = wizard.When("extras", wizard.Eq, "boat")
		}, []string{`steps[4].fields[2].show_when.eq: eq does not test checkboxes (several answers): use contains`}},
		{"in on checkboxes", func(w *wizard.Wizard) {
			w.Step("pay").Fields[2].ShowWhen = wizard.When("extras", wizard.In, "boat")
		}, []string{`steps[4].fields[2].show_when.in: in does not test checkboxes (several answers): use contains`}},
		{"contains a value that is not an option", func(w *wizard.Wizard) {
			w.Step("pay").Fields[2].ShowWhen = wizard.When("extras", wizard.Contains, "yacht")
		}, []string{`steps[4].fields[2].show_when.contains: "yacht" is not one of the options of "extras"`}},
		{"number test with text", func(w *wizard.Wizard) {
			w.Step("water").Routes[1].When = wizard.When("angler.age", wizard.Lt, "sixteen")
		}, []string{`steps[1].next[1].when.lt: "sixteen" is not a number, and "age" is a number field`}},
		{"number test with a number Go reads but people do not write", func(w *wizard.Wizard) {
			w.Step("water").Routes[1].When = wizard.When("angler.age", wizard.Lt, "1e3")
		}, []string{`steps[1].next[1].when.lt: "1e3" is not a number, and "age" is a number field`}},
		{"date test with a date not written YYYY-MM-DD", func(w *wizard.Wizard) {
			w.Step("concession").Fields[0].ShowWhen = wizard.When("angler.born", wizard.Lt, "1960-1-1")
		}, []string{`steps[3].fields[0].show_when.lt: "1960-1-1" is not a date written as YYYY-MM-DD, and "born" is a date field`}},
		{"in with no values", func(w *wizard.Wizard) {
			w.Step("water").Fields[1].ShowWhen = wizard.When("country", wizard.In)
		}, []string{`steps[1].fields[1].show_when.in: in takes a list of values`}},
		{"not_in with one value, not a list", func(w *wizard.Wizard) {
			w.Step("water").Fields[1].ShowWhen = &wizard.Condition{Field: "country", Test: wizard.NotIn, Value: "elsewhere"}
		}, []string{`steps[1].fields[1].show_when.not_in: not_in takes a list of values`}},
		{"eq with a list", func(w *wizard.Wizard) {
			w.Step("water").Fields[1].ShowWhen = &wizard.Condition{Field: "country", Values: []string{"england"}}
		}, []string{
			`steps[1].fields[1].show_when.eq: eq takes one value, not a list`,
			`steps[1].fields[1].show_when.eq: "" is not one of the options of "country"`,
		}},
		{"answered with a value", func(w *wizard.Wizard) {
			w.Step("pay").Fields[2].ShowWhen = &wizard.Condition{Field: "card", Test: wizard.Answered, Value: "yes"}
		}, []string{`steps[4].fields[2].show_when: answered takes no value`}},
		{"unknown test", func(w *wizard.Wizard) {
			w.Step("pay").Fields[2].ShowWhen = &wizard.Condition{Field: "card", Test: wizard.Test(42)}
		}, []string{`steps[4].fields[2].show_when: unknown test 42`}},
		{"eq with an empty value", func(w *wizard.Wizard) {
			w.Step("pay").Fields[2].ShowWhen = wizard.When("card", wizard.Eq, "")
		}, []string{`steps[4].fields[2].show_when.eq: an empty value, which no answer is: test answered instead`}},
		{"ne with spaces around its value", func(w *wizard.Wizard) {
			w.Step("pay").Fields[2].ShowWhen = wizard.When("card", wizard.Ne, " 4242")
		}, []string{`steps[4].fields[2].show_when.ne: " 4242" has spaces at its ends, which no answer has: answers are trimmed`}},

		// The shape of conditions.
		{"empty all", func(w *wizard.Wizard) {
			w.Step("pay").Fields[2].ShowWhen = &wizard.Condition{All: []*wizard.Condition{}}
		}, []string{`steps[4].fields[2].show_when.all: all needs at least one condition`}},
		{"empty all from the Go API", func(w *wizard.Wizard) {
			w.Step("pay").Fields[2].ShowWhen = wizard.All()
		}, []string{`steps[4].fields[2].show_when.all: all needs at least one condition`}},
		{"empty any, nested", func(w *wizard.Wizard) {
			w.Step("water").Routes[1].When.Any[1].All[1] = wizard.Any()
		}, []string{`steps[1].next[1].when.any[1].all[1].any: any needs at least one condition`}},
		{"nil condition in a list", func(w *wizard.Wizard) {
			w.Step("water").Routes[1].When.Any[0] = nil
		}, []string{`steps[1].next[1].when.any[0]: empty condition`}},
		{"condition with both field and all", func(w *wizard.Wizard) {
			c := w.Step("pay").Fields[2].ShowWhen
			c.Field = "card"
		}, []string{`steps[4].fields[2].show_when: a condition names one field, or combines conditions with one of all, any or not`}},
		{"condition with both any and not", func(w *wizard.Wizard) {
			w.Step("water").Routes[1].When.Not = wizard.When("country", wizard.Eq, "wales")
		}, []string{`steps[1].next[1].when: a condition names one field, or combines conditions with one of all, any or not`}},
		{"condition with nothing", func(w *wizard.Wizard) {
			w.Step("pay").Fields[2].ShowWhen = wizard.Not(&wizard.Condition{})
		}, []string{`steps[4].fields[2].show_when.not: a condition names one field, or combines conditions with one of all, any or not`}},
		{"combination with a test", func(w *wizard.Wizard) {
			w.Step("pay").Fields[2].ShowWhen.Test = wizard.Ne
		}, []string{`steps[4].fields[2].show_when: a combination (all, any or not) takes no test or value of its own`}},
		{"combination with a value", func(w *wizard.Wizard) {
			w.Step("water").Routes[1].When.Any[1].All[1].Value = "no"
		}, []string{`steps[1].next[1].when.any[1].all[1]: a combination (all, any or not) takes no test or value of its own`}},

		// show_when cycles.
		{"show_when cycle", func(w *wizard.Wizard) {
			s := w.Step("angler")
			s.Fields[2].ShowWhen = wizard.When("born", wizard.Answered)
			s.Fields[3].ShowWhen = wizard.When("member", wizard.Answered)
		}, []string{
			`steps[0].fields[2].show_when: field "member" shows when a field that depends on it, or on itself`,
			`steps[0].fields[3].show_when: field "born" shows when a field that depends on it, or on itself`,
		}},
		{"show_when cycle through a nested condition and step.field", func(w *wizard.Wizard) {
			s := w.Step("angler")
			s.Fields[1].ShowWhen = wizard.Any(wizard.When("name", wizard.Answered), wizard.Not(wizard.When("angler.born", wizard.Answered)))
			s.Fields[3].ShowWhen = wizard.When("age", wizard.Gt, "1")
		}, []string{
			`steps[0].fields[1].show_when: field "age" shows when a field that depends on it, or on itself`,
			`steps[0].fields[3].show_when: field "born" shows when a field that depends on it, or on itself`,
		}},
		{"show_when on itself", func(w *wizard.Wizard) {
			w.Step("angler").Fields[2].ShowWhen = wizard.When("member", wizard.Eq, "yes")
		}, []string{`steps[0].fields[2].show_when: field "member" shows when a field that depends on it, or on itself`}},

		// {step.field} texts.
		{"step title naming the same step", func(w *wizard.Wizard) {
			w.Step("pay").Title = "Pay with {pay.card}"
		}, []string{`steps[4].title: {pay.card}: not asked before this text is shown`}},
		{"step title naming a later step", func(w *wizard.Wizard) {
			w.Step("water").Title = "Fishing for {full.length}?"
		}, []string{`steps[1].title: {full.length}: not asked before this text is shown`}},
		{"field label naming a disjoint branch", func(w *wizard.Wizard) {
			w.Step("concession").Fields[0].Label = "Proof for a {full.length}"
		}, []string{`steps[3].fields[0].label: {full.length}: not asked before this text is shown`}},
		{"help, hint and option label", func(w *wizard.Wizard) {
			s := w.Step("water")
			s.Help = "{water.river}"
			s.Fields[0].Hint = "{pay.card}"
			s.Fields[0].Options[1].Label = "{nope.x}"
		}, []string{
			`steps[1].help: {water.river}: not asked before this text is shown`,
			`steps[1].fields[0].options[1].label: {nope.x}: unknown step "nope"`,
			`steps[1].fields[0].hint: {pay.card}: not asked before this text is shown`,
		}},
		{"text naming an unknown field", func(w *wizard.Wizard) {
			w.Done = "Thank you, {angler.nam}."
		}, []string{`done: {angler.nam}: step "angler" has no field "nam"`}},
		{"wizard title and intro name no answers", func(w *wizard.Wizard) {
			w.Title = "Licence for {angler.name}"
			w.Intro = "{angler.name}"
		}, []string{
			`title: {angler.name}: no answers exist where this text is shown`,
			`intro: {angler.name}: no answers exist where this text is shown`,
		}},
		{"exit text naming a step that cannot come before it", func(w *wizard.Wizard) {
			w.Exits[0].Body = "Not for {full.length}."
			w.Exits[0].Title = "{pay.card}"
		}, []string{
			`exits[0].title: {pay.card}: not asked before this text is shown`,
			`exits[0].body: {full.length}: not asked before this text is shown`,
		}},

		// Exits.
		{"duplicate exit", func(w *wizard.Wizard) {
			w.Exits = append(w.Exits, &wizard.Exit{Name: "outside", Title: "Again"})
		}, []string{`exits[2].name: duplicate exit "outside"`}},
		{"exit named like a step", func(w *wizard.Wizard) {
			w.Exits = append(w.Exits, &wizard.Exit{Name: "pay", Title: "Pay"})
			addRoute(w, "full", wizard.Route{Exit: "pay"})
		}, []string{
			`exits[2].name: exit "pay" has the name of a step`,
			`steps[2].next[1]: never tried: a route before it has no condition, so it always applies`,
		}},
		{"exit without a title", func(w *wizard.Wizard) {
			w.Exits[1].Title = " "
		}, []string{`exits[1].title: an exit needs a title`}},
		{"exit with a reserved name", func(w *wizard.Wizard) {
			w.Exits[1].Name = "review"
			w.Step("pay").Routes[0].Exit = "review"
		}, []string{`exits[1].name: exit name "review" is reserved`}},
		{"exit with a bad name", func(w *wizard.Wizard) {
			w.Exits[1].Name = "No card"
			w.Step("pay").Routes[0].Exit = "No card"
		}, []string{`exits[1].name: exit name "No card": use lowercase letters, digits, '-' and '_'`}},

		// Options.
		{"option with spaces around its value", func(w *wizard.Wizard) {
			w.Step("full").Fields[0].Options[1].Value = "year "
		}, []string{
			`steps[2].fields[0].options[1].value: option "year " is empty, has spaces at its ends or holds a control character, so no answer can choose it`,
			`steps[4].next[0].when.all[1].any[0].eq: "year" is not one of the options of "length"`,
		}},
		{"yes_no with options of its own", func(w *wizard.Wizard) {
			w.Step("angler").Fields[2].Options = choices("yes", "no", "maybe")
		}, []string{`steps[0].fields[2].options: a yes_no field has the options yes and no, not options of its own`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := branching()
			tt.change(w)
			if got := problems(t, w); !slices.Equal(got, tt.want) {
				t.Errorf("got problems:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
		})
	}
}

// addRoute appends a route to the named step of w.
func addRoute(w *wizard.Wizard, step string, r wizard.Route) {
	s := w.Step(step)
	s.Routes = append(s.Routes, r)
}

// TestCheckReportsEveryProblem: mistakes in every part of one wizard all
// come back, in the order of the definition's parts.
func TestCheckReportsEveryProblem(t *testing.T) {
	w := branching()
	w.Name = "Fishing"
	w.Step("angler").Fields[2].Kind = wizard.Kind(12)
	w.Step("water").Title = "{water.river}?"
	w.Step("water").Routes[0].Exit = "outsde"
	w.Step("water").Routes[1].When.Any[0] = wizard.When("angler.name", wizard.Lt, "16")
	w.Step("full").Fields[0].ShowWhen = wizard.When("length", wizard.Eq, "day")
	w.Step("concession").Fields[0].ShowWhen = wizard.When("full.length", wizard.Eq, "week")
	w.Step("pay").Fields = append(w.Step("pay").Fields, &wizard.Field{Name: "card"})
	w.Step("pay").Fields[1].ShowWhen = wizard.When("card", wizard.Contains, "x")
	w.Exits = append(w.Exits, &wizard.Exit{Name: "nocard"})
	want := []string{
		`name: wizard name "Fishing": use lowercase letters, digits, '-' and '_'`,
		`steps[4].fields[3].name: duplicate field "card"`,
		`exits[2].name: duplicate exit "nocard"`,
		`steps[1].next[0].exit: unknown exit "outsde"`,
		`steps[0].fields[2].kind: unknown kind 12`,
		`steps[1].title: {water.river}: not asked before this text is shown`,
		`steps[1].next[1].when.any[0].lt: lt compares numbers and dates, and "angler.name" is a text field`,
		`steps[2].fields[0].show_when: field "length" shows when a field that depends on it, or on itself`,
		`steps[3].fields[0].show_when.field: "full.length" is not asked before step "concession" on any journey`,
		`steps[4].fields[1].show_when.contains: contains tests checkboxes, and "card" is a text field`,
		`exits[2].title: an exit needs a title`,
	}
	got := problems(t, w)
	if !slices.Equal(got, want) {
		t.Errorf("got problems:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
	err := w.Check()
	if !strings.HasPrefix(err.Error(), `wizard "Fishing": name: wizard name "Fishing"`) || strings.Count(err.Error(), "; ") != len(want)-1 {
		t.Errorf("Error(): got %q, want every problem after the wizard's name, separated by \"; \"", err)
	}
}

// TestCheckWithNextFunc: Go code may lead anywhere, so Check does not
// report steps and exits it cannot see reached, and lets conditions and
// texts name any step.
func TestCheckWithNextFunc(t *testing.T) {
	w := &wizard.Wizard{Name: "w", Steps: []*wizard.Step{
		{Name: "a", Fields: []*wizard.Field{{Name: "x"}}, Next: func(wizard.Answers) string { return "c" }},
		{Name: "b", Title: "{c.z}", Fields: []*wizard.Field{{Name: "y", ShowWhen: wizard.When("c.z", wizard.Answered)}}},
		{Name: "c", Fields: []*wizard.Field{{Name: "z"}}, Routes: []wizard.Route{{Goto: "nowhere"}}},
	}, Exits: []*wizard.Exit{{Name: "gone", Title: "Gone, {b.y}"}}}
	want := []string{`steps[2].next[0].goto: unknown step "nowhere"`}
	if got := problems(t, w); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestProblemError(t *testing.T) {
	for _, tt := range []struct {
		p    wizard.Problem
		want string
	}{
		{wizard.Problem{Path: "steps[0].name", Message: "bad"}, "steps[0].name: bad"},
		{wizard.Problem{Message: "bad"}, "bad"},
	} {
		if got := tt.p.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

// TestCheckShowWhenCycleIsQuick: a step of many fields each shown when
// any of the ones before it is answered has no cycle, and checking it
// does not walk every path between them.
func TestCheckShowWhenCycleIsQuick(t *testing.T) {
	s := &wizard.Step{Name: "s"}
	for i := range 40 {
		f := &wizard.Field{Name: "f" + strings.Repeat("x", i)}
		var any []*wizard.Condition
		for _, g := range s.Fields {
			any = append(any, wizard.When(g.Name, wizard.Answered))
		}
		if len(any) > 0 {
			f.ShowWhen = wizard.Any(any...)
		}
		s.Fields = append(s.Fields, f)
	}
	w := &wizard.Wizard{Name: "w", Steps: []*wizard.Step{s}}
	var got []string
	quickly(t, func() { got = problems(t, w) })
	// No cycle; but written out for the page's script, the conditions of
	// the later fields would take more tests than Check allows.
	if len(got) == 0 {
		t.Fatal("got no problem, want the later fields' conditions found too large")
	}
	for _, p := range got {
		if !strings.Contains(p, "takes more than 500 tests") {
			t.Errorf("got %q, want only conditions too large", p)
		}
	}
	if strings.HasPrefix(got[0], "steps[0].fields[1].") || len(got) == 39 {
		t.Errorf("the first fields' small conditions were refused too: %q", got[0])
	}
}

// FuzzCheck builds a wizard from arbitrary bytes (any shape of steps,
// fields, conditions, routes, exits and texts, valid or not), checks it,
// and walks journeys through it. Nothing panics; every problem has a
// path; and a wizard that passes Check has journeys that never repeat a
// step, only go forward unless Go code (Next) leads back, and either
// complete, exit or stop at an open step. The seed corpus is
// testdata/fuzz/FuzzCheck.
func FuzzCheck(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		b := &builder{data: data}
		w := b.wizard()
		err := w.Check()
		if err != nil {
			var ce *wizard.CheckError
			if !errors.As(err, &ce) || len(ce.Problems) == 0 {
				t.Fatalf("Check: got %v, want a *CheckError with problems", err)
			}
			for _, p := range ce.Problems {
				if p.Path == "" || p.Message == "" {
					t.Errorf("problem without a path or message: %+v", p)
				}
			}
		}
		if len(w.Steps) == 0 {
			return
		}
		for range 3 {
			a := b.answers(w)
			j := w.Journey(a)
			for _, s := range w.Steps {
				_, _, _ = wizard.Validate(s, a, a[s.Name])
				_ = wizard.Complete(s, a)
			}
			_ = j.Review()
			if err != nil {
				continue
			}
			for _, s := range w.Steps {
				_ = j.Form(s, a[s.Name], nil)
			}
			goCode := slices.ContainsFunc(w.Steps, func(s *wizard.Step) bool { return s.Next != nil })
			last, seen := -1, map[*wizard.Step]bool{}
			for _, s := range j.Steps() {
				i := slices.Index(w.Steps, s)
				if seen[s] || i <= last && !goCode {
					t.Fatalf("journey %v goes back to %q", stepNamesOf(j.Steps()), s.Name)
				}
				last, seen[s] = i, true
			}
			if j.Exited() != nil && (j.Complete() || j.FirstOpen() != nil) {
				t.Errorf("exited to %q, yet complete %v or open at %v", j.Exited().Name, j.Complete(), j.FirstOpen())
			}
			if j.Complete() && j.FirstOpen() != nil {
				t.Errorf("complete, yet open at %q", j.FirstOpen().Name)
			}
		}
	})
}

func stepNamesOf(steps []*wizard.Step) []string {
	var out []string
	for _, s := range steps {
		out = append(out, s.Name)
	}
	return out
}

// builder turns bytes into choices, each byte one choice: byte % n among
// n. Past the end of data every choice is 0.
type builder struct {
	data []byte
}

// pick returns a number in [0, n).
func (b *builder) pick(n int) int {
	if len(b.data) == 0 {
		return 0
	}
	v := int(b.data[0])
	b.data = b.data[1:]
	return v % n
}

func (b *builder) from(pool []string) string { return pool[b.pick(len(pool))] }

var (
	fuzzSteps  = []string{"s0", "s1", "s2", "s3", "e0", "review", "", "S 1"}
	fuzzExits  = []string{"e0", "e1", "s1", "done", ""}
	fuzzFields = []string{"f0", "f1", "f2", "", "f.x"}
	fuzzValues = []string{"a", "b", "yes", "no", "0", "1.5", "10", "-3", "2026-01-01", "", " a", "x\x00", "1e3"}
	fuzzTexts  = []string{"", "Title", "{s0.f0}", "{s1.f1} and {s2.f2}", "{s9.f0}", "{s0.nope}", "{", "{s0.f0"}
)

func (b *builder) wizard() *wizard.Wizard {
	w := &wizard.Wizard{Name: b.from([]string{"w", "W", ""}), Title: b.from(fuzzTexts), Done: b.from(fuzzTexts)}
	for i := range b.pick(5) {
		s := &wizard.Step{Name: fuzzSteps[(i+b.pick(2)*b.pick(len(fuzzSteps)))%len(fuzzSteps)], Title: b.from(fuzzTexts)}
		for range b.pick(4) {
			s.Fields = append(s.Fields, b.field())
		}
		for range b.pick(3) {
			r := wizard.Route{When: b.condition(3)}
			switch b.pick(3) {
			case 0:
				r.Goto = b.from(fuzzSteps)
			case 1:
				r.Exit = b.from(fuzzExits)
			}
			s.Routes = append(s.Routes, r)
		}
		if b.pick(8) == 0 {
			s.Next = wizard.Goto(b.from(append(fuzzSteps, fuzzExits...)))
		}
		w.Steps = append(w.Steps, s)
	}
	for range b.pick(3) {
		w.Exits = append(w.Exits, &wizard.Exit{Name: b.from(fuzzExits), Title: b.from(fuzzTexts), Body: b.from(fuzzTexts)})
	}
	return w
}

func (b *builder) field() *wizard.Field {
	f := &wizard.Field{Name: b.from(fuzzFields), Kind: wizard.Kind(b.pick(10)), Required: b.pick(2) == 0, Label: b.from(fuzzTexts)}
	for range b.pick(3) {
		f.Options = append(f.Options, wizard.Option{Value: b.from(fuzzValues), Label: b.from(fuzzTexts)})
	}
	if b.pick(2) == 0 {
		f.ShowWhen = b.condition(3)
	}
	return f
}

func (b *builder) condition(depth int) *wizard.Condition {
	op := b.pick(8)
	if depth == 0 {
		op = 0
	}
	switch op {
	case 0, 1, 2:
		field := b.from(fuzzFields)
		if b.pick(2) == 0 {
			field = b.from(fuzzSteps) + "." + field
		}
		c := &wizard.Condition{Field: field, Test: wizard.Test(b.pick(13)), Value: b.from(fuzzValues)}
		for range b.pick(3) {
			c.Values = append(c.Values, b.from(fuzzValues))
		}
		return c
	case 3, 4:
		var cs []*wizard.Condition
		for range b.pick(3) {
			cs = append(cs, b.condition(depth-1))
		}
		if op == 3 {
			return wizard.All(cs...)
		}
		return wizard.Any(cs...)
	case 5:
		return wizard.Not(b.condition(depth - 1))
	case 6:
		return nil
	}
	return &wizard.Condition{Field: b.from(fuzzFields), All: []*wizard.Condition{b.condition(depth - 1)}}
}

// answers returns answers to some of w's steps, valid or not.
func (b *builder) answers(w *wizard.Wizard) wizard.Answers {
	a := wizard.Answers{}
	for _, s := range w.Steps {
		if b.pick(4) == 0 {
			continue
		}
		v := wizard.Values{}
		for _, f := range s.Fields {
			for range b.pick(3) {
				v[f.Name] = append(v[f.Name], b.from(fuzzValues))
			}
		}
		a[s.Name] = v
	}
	return a
}
