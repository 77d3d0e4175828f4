package wizard_test

import (
	"slices"
	"testing"

	"github.com/wizard/wizard"
)

// licence is the fishing licence of issue 12: a route to an exit, a route
// to a later step on a nested condition, a route without a condition, and
// steps that fall through to the next declared one.
func licence(t *testing.T) *wizard.Wizard {
	t.Helper()
	w := &wizard.Wizard{Name: "licence", Steps: []*wizard.Step{
		{Name: "angler", Fields: []*wizard.Field{
			{Name: "name", Required: true},
			{Name: "age", Kind: wizard.Number, Required: true},
		}},
		{Name: "water", Fields: []*wizard.Field{
			{Name: "country", Kind: wizard.Radio, Required: true, Options: choices("england", "wales", "elsewhere")},
			{Name: "river", Required: true, ShowWhen: wizard.When("country", wizard.In, "england", "wales")},
		}, Routes: []wizard.Route{
			{When: wizard.When("country", wizard.Eq, "elsewhere"), Exit: "outside"},
			{When: wizard.Any(wizard.When("angler.age", wizard.Lt, "16"), wizard.When("angler.age", wizard.Ge, "65")), Goto: "concession"},
		}},
		{Name: "full", Fields: []*wizard.Field{
			{Name: "length", Kind: wizard.Radio, Required: true, Options: choices("day", "year")},
		}, Routes: []wizard.Route{{Goto: "pay"}}},
		{Name: "concession", Fields: []*wizard.Field{{Name: "proof", Required: true}}},
		{Name: "pay", Fields: []*wizard.Field{
			{Name: "card", Required: true},
			{Name: "proof_seen", Kind: wizard.YesNo, ShowWhen: wizard.When("concession.proof", wizard.Answered)},
		}},
	}, Exits: []*wizard.Exit{
		{Name: "outside", Title: "You cannot buy this licence", Body: "Sorry, {angler.name}: England and Wales only."},
	}}
	if err := w.Check(); err != nil {
		t.Fatalf("Check: %v", err)
	}
	return w
}

// angler answers the first step of licence.
func angler(age string) wizard.Values {
	return wizard.Values{"name": {"Ada"}, "age": {age}}
}

func water(country string) wizard.Values {
	if country == "elsewhere" {
		return wizard.Values{"country": {country}}
	}
	return wizard.Values{"country": {country}, "river": {"Severn"}}
}

var (
	full       = wizard.Values{"length": {"day"}}
	concession = wizard.Values{"proof": {"Bus pass"}}
	pay        = wizard.Values{"card": {"4242"}}
)

// exitName returns the exit's name, or "<nil>".
func exitName(e *wizard.Exit) string {
	if e == nil {
		return "<nil>"
	}
	return e.Name
}

func TestRoutes(t *testing.T) {
	w := licence(t)
	tests := []struct {
		name      string
		a         wizard.Answers
		wantSteps []string
		wantOpen  string // "<nil>" when every step is answered
		wantExit  string // Exited
		complete  bool
	}{
		{"no answers: no route holds, so each step falls through",
			wizard.Answers{},
			[]string{"angler", "water", "full", "pay"}, "angler", "<nil>", false},
		{"adult: a route without a condition skips concession",
			wizard.Answers{"angler": angler("30"), "water": water("wales")},
			[]string{"angler", "water", "full", "pay"}, "full", "<nil>", false},
		{"adult, all answered",
			wizard.Answers{"angler": angler("30"), "water": water("wales"), "full": full, "pay": pay},
			[]string{"angler", "water", "full", "pay"}, "<nil>", "<nil>", true},
		{"child: goto concession, which falls through to pay",
			wizard.Answers{"angler": angler("12"), "water": water("england")},
			[]string{"angler", "water", "concession", "pay"}, "concession", "<nil>", false},
		{"pensioner: the other branch of any",
			wizard.Answers{"angler": angler("65"), "water": water("england"), "concession": concession, "pay": pay},
			[]string{"angler", "water", "concession", "pay"}, "<nil>", "<nil>", true},
		{"just under 65: no concession",
			wizard.Answers{"angler": angler("64.9"), "water": water("england")},
			[]string{"angler", "water", "full", "pay"}, "full", "<nil>", false},
		{"elsewhere: the exit",
			wizard.Answers{"angler": angler("30"), "water": water("elsewhere")},
			[]string{"angler", "water"}, "<nil>", "outside", false},
		{"child elsewhere: the first route that holds wins",
			wizard.Answers{"angler": angler("12"), "water": water("elsewhere")},
			[]string{"angler", "water"}, "<nil>", "outside", false},
		{"elsewhere before the first step is answered: not exited yet",
			wizard.Answers{"water": water("elsewhere")},
			[]string{"angler", "water"}, "angler", "<nil>", false},
		{"elsewhere with the first step invalid: not exited yet",
			wizard.Answers{"angler": angler("old"), "water": water("elsewhere")},
			[]string{"angler", "water"}, "angler", "<nil>", false},
		{"exit with later steps answered too: they are off the journey",
			wizard.Answers{"angler": angler("30"), "water": water("elsewhere"), "full": full, "pay": pay},
			[]string{"angler", "water"}, "<nil>", "outside", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := w.Journey(tt.a)
			if got := stepNames(t, j); !slices.Equal(got, tt.wantSteps) {
				t.Errorf("steps: got %v, want %v", got, tt.wantSteps)
			}
			if got := stepName(j.FirstOpen()); got != tt.wantOpen {
				t.Errorf("FirstOpen: got %s, want %s", got, tt.wantOpen)
			}
			if got := exitName(j.Exited()); got != tt.wantExit {
				t.Errorf("Exited: got %s, want %s", got, tt.wantExit)
			}
			if got := j.Complete(); got != tt.complete {
				t.Errorf("Complete: got %v, want %v", got, tt.complete)
			}
		})
	}
}

// TestExitIsLeftByChangingTheAnswer: an exit is where the answers lead,
// not a state: answering differently continues the journey, and every
// step of an exited journey can still be opened to do so.
func TestExitIsLeftByChangingTheAnswer(t *testing.T) {
	w := licence(t)
	a := wizard.Answers{"angler": angler("30"), "water": water("elsewhere")}
	j := w.Journey(a)
	if j.Exited() == nil {
		t.Fatal("not exited")
	}
	for _, name := range []string{"angler", "water"} {
		if !j.Reachable(name) {
			t.Errorf("Reachable(%s): got false on an exited journey, want true", name)
		}
	}
	if j.Reachable("full") {
		t.Error("Reachable(full): got true, want false: it is off the journey")
	}

	j = w.Journey(a.With("water", water("wales")))
	if got := exitName(j.Exited()); got != "<nil>" {
		t.Errorf("after changing country: Exited: got %s, want none", got)
	}
	if got := stepName(j.FirstOpen()); got != "full" {
		t.Errorf("after changing country: FirstOpen: got %s, want full", got)
	}

	// Back to elsewhere: the exit again, and the answers of steps that
	// left the journey do not count.
	a = wizard.Answers{"angler": angler("30"), "water": water("elsewhere"), "full": full, "pay": pay}
	j = w.Journey(a)
	if got := exitName(j.Exited()); got != "outside" {
		t.Errorf("back to elsewhere: Exited: got %s, want outside", got)
	}
	if got := j.Answers(); got.Answered("full") || got.Answered("pay") {
		t.Errorf("Answers: got %v, want only the steps before the exit", got)
	}
}

// TestRouteConditionsSeeOnlyTheJourney: a condition on a step that left
// the journey finds no answer there.
func TestRouteConditionsSeeOnlyTheJourney(t *testing.T) {
	w := licence(t)
	a := wizard.Answers{"angler": angler("12"), "water": water("england"), "concession": concession, "pay": pay}
	j := w.Journey(a)
	if !j.Complete() {
		t.Fatalf("child: not complete, first open %s", stepName(j.FirstOpen()))
	}
	clean, _, err := j.Validate(w.Step("pay"), wizard.Values{"card": {"4242"}, "proof_seen": {"yes"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := clean["proof_seen"]; !ok {
		t.Error("child: proof_seen does not apply, want it to: concession was answered")
	}

	// Now an adult: concession leaves the journey, its answer stays saved.
	a["angler"] = angler("30")
	a["full"] = full
	j = w.Journey(a)
	if got := stepNames(t, j); slices.Contains(got, "concession") {
		t.Fatalf("adult: steps %v hold concession", got)
	}
	clean, _, err = j.Validate(w.Step("pay"), wizard.Values{"card": {"4242"}, "proof_seen": {"yes"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := clean["proof_seen"]; ok {
		t.Error("adult: proof_seen applies, want not: concession is off the journey")
	}
	if !j.Complete() {
		t.Errorf("adult: not complete, first open %s", stepName(j.FirstOpen()))
	}
}

// TestRouteWithoutConditionAlwaysApplies: a route with no When decides
// even when its step is not answered, and an exit route without one ends
// every journey there.
func TestRouteWithoutConditionAlwaysApplies(t *testing.T) {
	w := &wizard.Wizard{Name: "w", Steps: []*wizard.Step{
		{Name: "a", Fields: []*wizard.Field{{Name: "x"}}, Routes: []wizard.Route{{Goto: "c"}}},
		{Name: "b"},
		{Name: "c", Routes: []wizard.Route{{Exit: "closed"}}},
	}, Exits: []*wizard.Exit{{Name: "closed", Title: "Closed"}}}
	if err := w.Check(); err == nil {
		t.Fatal("Check: step b, reached by no route, passed")
	}
	for _, tt := range []struct {
		a        wizard.Answers
		wantOpen string
		wantExit string
	}{
		{wizard.Answers{}, "a", "<nil>"},
		{wizard.Answers{"a": {}}, "c", "<nil>"},
		{wizard.Answers{"a": {}, "b": {}, "c": {}}, "<nil>", "closed"},
	} {
		j := w.Journey(tt.a)
		if got := stepNames(t, j); !slices.Equal(got, []string{"a", "c"}) {
			t.Errorf("%v: steps: got %v, want [a c]", tt.a, got)
		}
		if got := stepName(j.FirstOpen()); got != tt.wantOpen {
			t.Errorf("%v: FirstOpen: got %s, want %s", tt.a, got, tt.wantOpen)
		}
		if got := exitName(j.Exited()); got != tt.wantExit {
			t.Errorf("%v: Exited: got %s, want %s", tt.a, got, tt.wantExit)
		}
		if j.Complete() {
			t.Errorf("%v: Complete: got true, want false", tt.a)
		}
	}
}

// TestRoutesOnUnansweredStep: before a step is answered, its routes see no
// answer, so a route on not_answered (or on not) decides; the journey's
// length is an estimate until the step is answered.
func TestRoutesOnUnansweredStep(t *testing.T) {
	w := &wizard.Wizard{Name: "w", Steps: []*wizard.Step{
		{Name: "a", Fields: []*wizard.Field{{Name: "pet", Kind: wizard.Radio, Options: choices("cat", "dog")}},
			Routes: []wizard.Route{{When: wizard.Not(wizard.When("pet", wizard.Eq, "cat")), Goto: "c"}}},
		{Name: "b"},
		{Name: "c"},
	}}
	if err := w.Check(); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		pet  []string
		want []string
	}{
		{nil, []string{"a", "c"}},
		{[]string{"dog"}, []string{"a", "c"}},
		{[]string{"cat"}, []string{"a", "b", "c"}},
	} {
		j := w.Journey(wizard.Answers{"a": {"pet": tt.pet}})
		if got := stepNames(t, j); !slices.Equal(got, tt.want) {
			t.Errorf("pet %v: got %v, want %v", tt.pet, got, tt.want)
		}
	}
}

// TestNextNamesAnExit: Go code may end a journey in an exit by its name.
func TestNextNamesAnExit(t *testing.T) {
	w := &wizard.Wizard{Name: "w", Steps: []*wizard.Step{
		{Name: "a", Fields: []*wizard.Field{{Name: "ok", Kind: wizard.YesNo, Required: true}},
			Next: func(a wizard.Answers) string {
				switch a.Get("a", "ok") {
				case "no":
					return "refused"
				case "yes":
					return "b"
				}
				return ""
			}},
		{Name: "b"},
	}, Exits: []*wizard.Exit{{Name: "refused", Title: "Refused"}}}
	if err := w.Check(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		ok        string
		wantSteps []string
		wantExit  string
		complete  bool
	}{
		{"no", []string{"a"}, "refused", false},
		{"yes", []string{"a", "b"}, "<nil>", false},
	}
	for _, tt := range tests {
		j := w.Journey(wizard.Answers{"a": {"ok": {tt.ok}}})
		if got := stepNames(t, j); !slices.Equal(got, tt.wantSteps) {
			t.Errorf("ok=%s: steps: got %v, want %v", tt.ok, got, tt.wantSteps)
		}
		if got := exitName(j.Exited()); got != tt.wantExit {
			t.Errorf("ok=%s: Exited: got %s, want %s", tt.ok, got, tt.wantExit)
		}
		if got := j.Complete(); got != tt.complete {
			t.Errorf("ok=%s: Complete: got %v, want %v", tt.ok, got, tt.complete)
		}
	}
	// Before a is answered, Next returns "": the journey ends at a.
	j := w.Journey(wizard.Answers{})
	if got := stepNames(t, j); !slices.Equal(got, []string{"a"}) || j.Exited() != nil || j.Complete() {
		t.Errorf("unanswered: steps %v, exit %s, complete %v; want [a], none, false", got, exitName(j.Exited()), j.Complete())
	}
	// An unknown name also ends the journey, without an exit.
	w.Steps[0].Next = wizard.Goto("nowhere")
	j = w.Journey(wizard.Answers{"a": {"ok": {"yes"}}})
	if got := stepNames(t, j); !slices.Equal(got, []string{"a"}) || j.Exited() != nil || !j.Complete() {
		t.Errorf("unknown name: steps %v, exit %s, complete %v; want [a], none, true", got, exitName(j.Exited()), j.Complete())
	}
}

// TestExitedOnlyWhenEveryStepBeforeIsAnswered: every step of the journey
// to the exit must be validly answered, wherever the open one is.
func TestExitedOnlyWhenEveryStepBeforeIsAnswered(t *testing.T) {
	w := &wizard.Wizard{Name: "w", Steps: []*wizard.Step{
		{Name: "a", Fields: []*wizard.Field{{Name: "x", Required: true}}},
		{Name: "b", Fields: []*wizard.Field{{Name: "y", Required: true}}},
		{Name: "c", Fields: []*wizard.Field{{Name: "z", Kind: wizard.YesNo, Required: true}},
			Routes: []wizard.Route{{When: wizard.When("z", wizard.Eq, "no"), Exit: "stop"}}},
		{Name: "d"},
	}, Exits: []*wizard.Exit{{Name: "stop", Title: "Stop"}}}
	if err := w.Check(); err != nil {
		t.Fatal(err)
	}
	ans := wizard.Answers{"a": {"x": {"1"}}, "b": {"y": {"2"}}, "c": {"z": {"no"}}}
	if got := exitName(w.Journey(ans).Exited()); got != "stop" {
		t.Fatalf("all answered: Exited: got %s, want stop", got)
	}
	for _, step := range []string{"a", "b"} {
		for _, broken := range []wizard.Values{nil, {}, {"x": {""}, "y": {""}}} {
			a := ans.With(step, broken)
			if broken == nil {
				delete(a, step)
			}
			j := w.Journey(a)
			if e := j.Exited(); e != nil {
				t.Errorf("%s answered as %v: Exited: got %s, want none", step, broken, e.Name)
			}
			if got := stepName(j.FirstOpen()); got != step {
				t.Errorf("%s answered as %v: FirstOpen: got %s, want %s", step, broken, got, step)
			}
			if j.Complete() {
				t.Errorf("%s answered as %v: Complete: got true", step, broken)
			}
		}
	}
}
