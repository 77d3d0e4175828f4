package wizard_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/demo"
)

// stepNames returns the names of the journey's steps in order.
func stepNames(t *testing.T, j *wizard.Journey) []string {
	t.Helper()
	var names []string
	for _, s := range j.Steps() {
		names = append(names, s.Name)
	}
	return names
}

// stepName returns the step's name, or "<nil>".
func stepName(s *wizard.Step) string {
	if s == nil {
		return "<nil>"
	}
	return s.Name
}

// Valid answers to each step of the demo wizards.
var (
	classicName = wizard.Values{"v1": {"Ada"}}
	classicJob  = wizard.Values{"v2": {"Engineer"}}

	registerDetails = wizard.Values{"name": {"Grace Hopper"}, "email": {"grace@example.com"}}
	registerStudent = wizard.Values{"university": {"Yale"}, "student_id": {"Y-1234"}}
	registerTalk    = wizard.Values{"title": {"Compilers"}, "abstract": {"A talk about the first compilers and what they taught us about people."}}
	registerNeeds   = wizard.Values{"dietary": {"vegan"}}
)

func ticket(typ string) wizard.Values { return wizard.Values{"type": {typ}} }

func TestJourneyClassicLinear(t *testing.T) {
	w := demo.Classic()
	tests := []struct {
		name          string
		answers       wizard.Answers
		wantOpen      string
		wantComplete  bool
		wantReachable []string
		wantBlocked   []string
	}{
		{
			name:          "no answers",
			answers:       wizard.Answers{},
			wantOpen:      "name",
			wantReachable: []string{"name"},
			wantBlocked:   []string{"job", "done", "nope", ""},
		},
		{
			name:          "nil answers",
			answers:       nil,
			wantOpen:      "name",
			wantReachable: []string{"name"},
			wantBlocked:   []string{"job"},
		},
		{
			name:          "name answered",
			answers:       wizard.Answers{"name": classicName},
			wantOpen:      "job",
			wantReachable: []string{"name", "job"},
		},
		{
			name:          "later step answered but earlier open",
			answers:       wizard.Answers{"job": classicJob},
			wantOpen:      "name",
			wantReachable: []string{"name"},
			wantBlocked:   []string{"job"},
		},
		{
			name:          "first step answered invalidly",
			answers:       wizard.Answers{"name": {"v1": {""}}, "job": classicJob},
			wantOpen:      "name",
			wantReachable: []string{"name"},
			wantBlocked:   []string{"job"},
		},
		{
			name:          "first step answered with no values",
			answers:       wizard.Answers{"name": {}, "job": classicJob},
			wantOpen:      "name",
			wantReachable: []string{"name"},
			wantBlocked:   []string{"job"},
		},
		{
			name:          "second step answered invalidly",
			answers:       wizard.Answers{"name": classicName, "job": {"v2": {"line\nbreak"}}},
			wantOpen:      "job",
			wantReachable: []string{"name", "job"},
		},
		{
			name:          "all answered",
			answers:       wizard.Answers{"name": classicName, "job": classicJob},
			wantOpen:      "<nil>",
			wantComplete:  true,
			wantReachable: []string{"name", "job"},
			wantBlocked:   []string{"done", "review"},
		},
		{
			name:          "answers to unknown steps change nothing",
			answers:       wizard.Answers{"name": classicName, "job": classicJob, "ghost": {"x": {"y"}}},
			wantOpen:      "<nil>",
			wantComplete:  true,
			wantReachable: []string{"name", "job"},
			wantBlocked:   []string{"ghost"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := w.Journey(tt.answers)
			if got, want := stepNames(t, j), []string{"name", "job"}; !reflect.DeepEqual(got, want) {
				t.Errorf("steps: got %q, want %q", got, want)
			}
			if got := j.Len(); got != 2 {
				t.Errorf("Len: got %d, want 2", got)
			}
			if got := stepName(j.FirstOpen()); got != tt.wantOpen {
				t.Errorf("FirstOpen: got %s, want %s", got, tt.wantOpen)
			}
			if got := j.Complete(); got != tt.wantComplete {
				t.Errorf("Complete: got %v, want %v", got, tt.wantComplete)
			}
			for _, s := range tt.wantReachable {
				if !j.Reachable(s) {
					t.Errorf("Reachable(%q): got false, want true", s)
				}
			}
			for _, s := range tt.wantBlocked {
				if j.Reachable(s) {
					t.Errorf("Reachable(%q): got true, want false", s)
				}
			}
			if j.Wizard() != w {
				t.Errorf("Wizard: got %p, want %p", j.Wizard(), w)
			}
		})
	}
}

// A step with no fields is open until it has been answered (with no values).
func TestJourneyStepWithoutFields(t *testing.T) {
	w := &wizard.Wizard{Name: "w", Steps: []*wizard.Step{
		{Name: "ask", Fields: []*wizard.Field{{Name: "q", Required: true}}},
		{Name: "confirm", Title: "Ready?"},
	}}
	tests := []struct {
		name     string
		answers  wizard.Answers
		wantOpen string
	}{
		{"confirm unanswered", wizard.Answers{"ask": {"q": {"x"}}}, "confirm"},
		{"confirm answered empty", wizard.Answers{"ask": {"q": {"x"}}, "confirm": {}}, "<nil>"},
		{"confirm answered nil", wizard.Answers{"ask": {"q": {"x"}}, "confirm": nil}, "<nil>"},
		{"confirm with stray values", wizard.Answers{"ask": {"q": {"x"}}, "confirm": {"junk": {"1", "2"}}}, "<nil>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := w.Journey(tt.answers)
			if got := stepName(j.FirstOpen()); got != tt.wantOpen {
				t.Errorf("FirstOpen: got %s, want %s", got, tt.wantOpen)
			}
			if got, want := j.Complete(), tt.wantOpen == "<nil>"; got != want {
				t.Errorf("Complete: got %v, want %v", got, want)
			}
			if !j.Reachable("confirm") {
				t.Errorf("Reachable(confirm): got false, want true")
			}
		})
	}
}

func TestJourneyRegisterBranches(t *testing.T) {
	w := demo.Register()
	tests := []struct {
		name    string
		answers wizard.Answers
		want    []string
	}{
		{"no answers takes default path", wizard.Answers{}, []string{"details", "ticket", "needs"}},
		{"details only", wizard.Answers{"details": registerDetails}, []string{"details", "ticket", "needs"}},
		{"student", wizard.Answers{"details": registerDetails, "ticket": ticket(demo.Student)}, []string{"details", "ticket", "student", "needs"}},
		{"speaker", wizard.Answers{"details": registerDetails, "ticket": ticket(demo.Speaker)}, []string{"details", "ticket", "talk", "guests", "needs"}},
		{"regular", wizard.Answers{"details": registerDetails, "ticket": ticket(demo.Regular)}, []string{"details", "ticket", "needs"}},
		{"regular ignores saved branch answers", wizard.Answers{
			"details": registerDetails, "ticket": ticket(demo.Regular), "student": registerStudent, "talk": registerTalk,
		}, []string{"details", "ticket", "needs"}},
		{"student fully answered", wizard.Answers{
			"details": registerDetails, "ticket": ticket(demo.Student), "student": registerStudent, "needs": registerNeeds,
		}, []string{"details", "ticket", "student", "needs"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := w.Journey(tt.answers)
			if got := stepNames(t, j); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("steps: got %q, want %q", got, tt.want)
			}
			if got := j.Len(); got != len(tt.want) {
				t.Errorf("Len: got %d, want %d", got, len(tt.want))
			}
			for i, name := range tt.want {
				if got := j.Index(name); got != i {
					t.Errorf("Index(%q): got %d, want %d", name, got, i)
				}
			}
		})
	}
}

func TestJourneyLenFollowsTicket(t *testing.T) {
	w := demo.Register()
	a := wizard.Answers{"details": registerDetails}
	for _, step := range []struct {
		ticket string
		want   int
	}{
		{demo.Regular, 3},
		{demo.Student, 4},
		{demo.Regular, 3},
		{demo.Speaker, 5},
		{demo.Student, 4},
	} {
		a = a.With("ticket", ticket(step.ticket))
		if got := w.Journey(a).Len(); got != step.want {
			t.Errorf("ticket %s: Len got %d, want %d", step.ticket, got, step.want)
		}
	}
}

func TestJourneyAnswersDropsStepsThatLeft(t *testing.T) {
	w := demo.Register()
	a := wizard.Answers{
		"details": registerDetails,
		"ticket":  ticket(demo.Student),
		"student": registerStudent,
		"needs":   registerNeeds,
	}
	j := w.Journey(a)
	if !j.Complete() {
		t.Fatalf("student journey: got incomplete (first open %s), want complete", stepName(j.FirstOpen()))
	}
	if got := j.Answers(); !reflect.DeepEqual(got, a) {
		t.Errorf("student journey answers: got %v, want %v", got, a)
	}

	// Switching to speaker: the student step leaves, the talk and guests
	// steps join, unanswered.
	a2 := a.With("ticket", ticket(demo.Speaker))
	j = w.Journey(a2)
	if got, want := stepNames(t, j), []string{"details", "ticket", "talk", "guests", "needs"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("steps: got %q, want %q", got, want)
	}
	got := j.Answers()
	want := wizard.Answers{"details": registerDetails, "ticket": ticket(demo.Speaker), "needs": registerNeeds}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("speaker journey answers: got %v, want %v", got, want)
	}
	if got.Answered("student") {
		t.Errorf("Answers() still holds the student step that left the journey")
	}
	if got, want := stepName(j.FirstOpen()), "talk"; got != want {
		t.Errorf("FirstOpen: got %s, want %s", got, want)
	}
	if j.Complete() {
		t.Errorf("Complete: got true with the talk step unanswered")
	}
	// The input is not modified and the student answers come back on switching back.
	if !a2.Answered("student") {
		t.Errorf("Journey modified the caller's answers")
	}
	if j := w.Journey(a2.With("ticket", ticket(demo.Student))); !j.Complete() {
		t.Errorf("back to student: got incomplete, want complete from the kept answers")
	}

	// Answers() returns a new map.
	m := j.Answers()
	m["details"] = wizard.Values{"name": {"Changed"}}
	if got := j.Answers().Get("details", "name"); got != "Grace Hopper" {
		t.Errorf("after changing the returned map: got %q, want %q", got, "Grace Hopper")
	}
}

func TestJourneyPrevNext(t *testing.T) {
	w := demo.Register()
	j := w.Journey(wizard.Answers{"details": registerDetails, "ticket": ticket(demo.Speaker)})
	tests := []struct {
		step, prev, next string
		index            int
	}{
		{"details", "<nil>", "ticket", 0},
		{"ticket", "details", "talk", 1},
		{"talk", "ticket", "guests", 2},
		{"guests", "talk", "needs", 3},
		{"needs", "guests", "<nil>", 4},
		{"student", "<nil>", "<nil>", -1}, // not on this journey
		{"unknown", "<nil>", "<nil>", -1},
		{"", "<nil>", "<nil>", -1},
	}
	for _, tt := range tests {
		t.Run(tt.step, func(t *testing.T) {
			if got := stepName(j.Prev(tt.step)); got != tt.prev {
				t.Errorf("Prev: got %s, want %s", got, tt.prev)
			}
			if got := stepName(j.Next(tt.step)); got != tt.next {
				t.Errorf("Next: got %s, want %s", got, tt.next)
			}
			if got := j.Index(tt.step); got != tt.index {
				t.Errorf("Index: got %d, want %d", got, tt.index)
			}
		})
	}
}

func TestJourneyReachableOnBranches(t *testing.T) {
	w := demo.Register()
	tests := []struct {
		name      string
		answers   wizard.Answers
		open      string
		reachable []string
		blocked   []string
	}{
		{
			name:      "student branch open",
			answers:   wizard.Answers{"details": registerDetails, "ticket": ticket(demo.Student)},
			open:      "student",
			reachable: []string{"details", "ticket", "student"},
			blocked:   []string{"needs", "talk"},
		},
		{
			name:      "speaker with student answers saved",
			answers:   wizard.Answers{"details": registerDetails, "ticket": ticket(demo.Speaker), "student": registerStudent, "needs": registerNeeds},
			open:      "talk",
			reachable: []string{"details", "ticket", "talk"},
			blocked:   []string{"student", "needs"},
		},
		{
			name:      "regular complete",
			answers:   wizard.Answers{"details": registerDetails, "ticket": ticket(demo.Regular), "needs": registerNeeds},
			open:      "<nil>",
			reachable: []string{"details", "ticket", "needs"},
			blocked:   []string{"student", "talk"},
		},
		{
			name:      "needs answered with none ticked",
			answers:   wizard.Answers{"details": registerDetails, "ticket": ticket(demo.Regular), "needs": {}},
			open:      "<nil>",
			reachable: []string{"needs"},
		},
		{
			name:      "invalid student id reopens student",
			answers:   wizard.Answers{"details": registerDetails, "ticket": ticket(demo.Student), "student": {"university": {"Yale"}, "student_id": {"ab"}}, "needs": registerNeeds},
			open:      "student",
			reachable: []string{"student"},
			blocked:   []string{"needs"},
		},
		{
			name:      "short abstract reopens talk",
			answers:   wizard.Answers{"details": registerDetails, "ticket": ticket(demo.Speaker), "talk": {"title": {"T"}, "abstract": {"Too short."}}, "needs": registerNeeds},
			open:      "talk",
			reachable: []string{"talk"},
			blocked:   []string{"needs"},
		},
		{
			name:      "needs other without detail is open",
			answers:   wizard.Answers{"details": registerDetails, "ticket": ticket(demo.Regular), "needs": {"dietary": {"other"}}},
			open:      "needs",
			reachable: []string{"needs"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := w.Journey(tt.answers)
			if got := stepName(j.FirstOpen()); got != tt.open {
				t.Errorf("FirstOpen: got %s, want %s", got, tt.open)
			}
			if got, want := j.Complete(), tt.open == "<nil>"; got != want {
				t.Errorf("Complete: got %v, want %v", got, want)
			}
			for _, s := range tt.reachable {
				if !j.Reachable(s) {
					t.Errorf("Reachable(%q): got false, want true", s)
				}
			}
			for _, s := range tt.blocked {
				if j.Reachable(s) {
					t.Errorf("Reachable(%q): got true, want false", s)
				}
			}
		})
	}
}

func TestJourneyStaleAnswerReopensStep(t *testing.T) {
	t.Run("option removed from the wizard", func(t *testing.T) {
		w := demo.Register()
		a := wizard.Answers{"details": registerDetails, "ticket": ticket(demo.Regular), "needs": registerNeeds}
		if j := w.Journey(a); !j.Complete() {
			t.Fatalf("before: got incomplete (open %s), want complete", stepName(j.FirstOpen()))
		}
		// A new release drops the regular ticket.
		f := w.Step("ticket").Field("type")
		f.Options = f.Options[:1]
		j := w.Journey(a)
		if got, want := stepName(j.FirstOpen()), "ticket"; got != want {
			t.Errorf("FirstOpen: got %s, want %s", got, want)
		}
		if j.Reachable("needs") {
			t.Errorf("Reachable(needs): got true, want false")
		}
	})

	t.Run("options computed from an earlier answer", func(t *testing.T) {
		cities := map[string][]wizard.Option{
			"fr": {{Value: "paris", Label: "Paris"}},
			"de": {{Value: "berlin", Label: "Berlin"}},
		}
		w := &wizard.Wizard{Name: "trip", Steps: []*wizard.Step{
			{Name: "country", Fields: []*wizard.Field{{Name: "code", Kind: wizard.Radio, Required: true,
				Options: []wizard.Option{{Value: "fr"}, {Value: "de"}}}}},
			{Name: "city", Fields: []*wizard.Field{{Name: "name", Kind: wizard.Select, Required: true,
				OptionsFunc: func(a wizard.Answers) []wizard.Option { return cities[a.Get("country", "code")] }}}},
			{Name: "end"},
		}}
		if err := w.Check(); err != nil {
			t.Fatalf("Check: %v", err)
		}
		a := wizard.Answers{"country": {"code": {"fr"}}, "city": {"name": {"paris"}}, "end": {}}
		if j := w.Journey(a); !j.Complete() {
			t.Fatalf("fr/paris: got incomplete (open %s), want complete", stepName(j.FirstOpen()))
		}
		a = a.With("country", wizard.Values{"code": {"de"}})
		j := w.Journey(a)
		if got, want := stepName(j.FirstOpen()), "city"; got != want {
			t.Errorf("de/paris FirstOpen: got %s, want %s", got, want)
		}
		if !j.Reachable("city") || j.Reachable("end") {
			t.Errorf("de/paris Reachable city=%v end=%v, want true, false", j.Reachable("city"), j.Reachable("end"))
		}
		a = a.With("city", wizard.Values{"name": {"berlin"}})
		if j := w.Journey(a); !j.Complete() {
			t.Errorf("de/berlin: got incomplete (open %s), want complete", stepName(j.FirstOpen()))
		}
	})
}

func TestComplete(t *testing.T) {
	details := demo.Register().Step("details")
	confirm := &wizard.Step{Name: "confirm", Title: "Ready?"}
	tests := []struct {
		name    string
		step    *wizard.Step
		answers wizard.Answers
		want    bool
	}{
		{"unanswered", details, wizard.Answers{}, false},
		{"nil answers", details, nil, false},
		{"valid", details, wizard.Answers{"details": registerDetails}, true},
		{"invalid email", details, wizard.Answers{"details": {"name": {"G"}, "email": {"nope"}}}, false},
		{"missing field", details, wizard.Answers{"details": {"name": {"G"}}}, false},
		{"malformed saved answer", details, wizard.Answers{"details": {"name": {"G", "H"}, "email": {"g@example.com"}}}, false},
		{"no fields answered", confirm, wizard.Answers{"confirm": {}}, true},
		{"no fields answered nil values", confirm, wizard.Answers{"confirm": nil}, true},
		{"no fields unanswered", confirm, wizard.Answers{"details": registerDetails}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := wizard.Complete(tt.step, tt.answers); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestJourneyCycleTerminates(t *testing.T) {
	tests := []struct {
		name    string
		steps   []*wizard.Step
		answers wizard.Answers
		want    []string
	}{
		{
			name:  "self loop",
			steps: []*wizard.Step{{Name: "a", Next: wizard.Goto("a")}, {Name: "b"}},
			want:  []string{"a"},
		},
		{
			name:  "two step loop",
			steps: []*wizard.Step{{Name: "a", Next: wizard.Goto("b")}, {Name: "b", Next: wizard.Goto("a")}, {Name: "c"}},
			want:  []string{"a", "b"},
		},
		{
			name: "loop back from later step",
			steps: []*wizard.Step{
				{Name: "a"}, {Name: "b"},
				{Name: "c", Next: wizard.Goto("b")},
			},
			answers: wizard.Answers{"a": {}, "b": {}, "c": {}},
			want:    []string{"a", "b", "c"},
		},
		{
			name: "answer decides the loop",
			steps: []*wizard.Step{
				{Name: "a", Fields: []*wizard.Field{{Name: "again", Kind: wizard.YesNo}},
					Next: func(a wizard.Answers) string {
						if a.Get("a", "again") == "yes" {
							return "a"
						}
						return "b"
					}},
				{Name: "b"},
			},
			answers: wizard.Answers{"a": {"again": {"yes"}}},
			want:    []string{"a"},
		},
		{
			name:  "unknown next step ends the journey",
			steps: []*wizard.Step{{Name: "a", Next: wizard.Goto("nowhere")}, {Name: "b"}},
			want:  []string{"a"},
		},
		{
			name:  "empty next ends the journey",
			steps: []*wizard.Step{{Name: "a", Next: wizard.Goto("")}, {Name: "b"}},
			want:  []string{"a"},
		},
		{
			name:  "goto skips ahead",
			steps: []*wizard.Step{{Name: "a", Next: wizard.Goto("c")}, {Name: "b"}, {Name: "c"}},
			want:  []string{"a", "c"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &wizard.Wizard{Name: "w", Steps: tt.steps}
			j := w.Journey(tt.answers)
			if got := stepNames(t, j); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("steps: got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFormClassic(t *testing.T) {
	w := demo.Classic()
	a := wizard.Answers{"name": classicName, "job": classicJob}
	j := w.Journey(a)
	tests := []struct {
		step           string
		title, help    string
		submit         string
		number, total  int
		prev           string
		wantFieldNames []string
	}{
		{"name", "What is your name?", "", "Continue", 1, 2, "<nil>", []string{"v1"}},
		{"job", "Ada, what is your job?", "", "Continue", 2, 2, "name", []string{"v2"}},
	}
	for _, tt := range tests {
		t.Run(tt.step, func(t *testing.T) {
			s := w.Step(tt.step)
			f := j.Form(s, a[tt.step], nil)
			if f.Wizard != w || f.Step != s {
				t.Errorf("Wizard, Step: got %p, %p; want %p, %p", f.Wizard, f.Step, w, s)
			}
			if f.Title != tt.title {
				t.Errorf("Title: got %q, want %q", f.Title, tt.title)
			}
			if f.Help != tt.help {
				t.Errorf("Help: got %q, want %q", f.Help, tt.help)
			}
			if f.Submit != tt.submit {
				t.Errorf("Submit: got %q, want %q", f.Submit, tt.submit)
			}
			if f.Number != tt.number || f.Total != tt.total {
				t.Errorf("Number/Total: got %d/%d, want %d/%d", f.Number, f.Total, tt.number, tt.total)
			}
			if got := stepName(f.Prev); got != tt.prev {
				t.Errorf("Prev: got %s, want %s", got, tt.prev)
			}
			var names []string
			for _, ff := range f.Fields {
				names = append(names, ff.Name)
			}
			if !reflect.DeepEqual(names, tt.wantFieldNames) {
				t.Errorf("fields: got %q, want %q", names, tt.wantFieldNames)
			}
			if len(f.Errors) != 0 {
				t.Errorf("Errors: got %v, want none", f.Errors)
			}
		})
	}

	t.Run("title before the name is known", func(t *testing.T) {
		j := w.Journey(wizard.Answers{})
		if got, want := j.Form(w.Step("job"), nil, nil).Title, ", what is your job?"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})

	t.Run("field values and attributes", func(t *testing.T) {
		f := j.Form(w.Step("name"), wizard.Values{"v1": {"Ada"}}, nil)
		ff := f.Fields[0]
		want := wizard.FormField{Name: "v1", Kind: wizard.Text, Label: "Your name", Required: true, MaxLen: 200,
			Autocomplete: "name", Values: []string{"Ada"}}
		if !reflect.DeepEqual(*ff, want) {
			t.Errorf("got %+v, want %+v", *ff, want)
		}
		if got := ff.Value(); got != "Ada" {
			t.Errorf("Value: got %q, want %q", got, "Ada")
		}
	})
}

func TestFormBranchPosition(t *testing.T) {
	w := demo.Register()
	tests := []struct {
		ticket        string
		step          string
		number, total int
		prev          string
		title         string
	}{
		{demo.Student, "student", 3, 4, "ticket", "Where do you study, Grace Hopper?"},
		{demo.Student, "needs", 4, 4, "student", "Anything we should know, Grace Hopper?"},
		{demo.Speaker, "talk", 3, 5, "ticket", "Tell us about your talk, Grace Hopper"},
		{demo.Speaker, "guests", 4, 5, "talk", "Your guests"},
		{demo.Speaker, "needs", 5, 5, "guests", "Anything we should know, Grace Hopper?"},
		{demo.Regular, "needs", 3, 3, "ticket", "Anything we should know, Grace Hopper?"},
	}
	for _, tt := range tests {
		t.Run(tt.ticket+"/"+tt.step, func(t *testing.T) {
			j := w.Journey(wizard.Answers{"details": registerDetails, "ticket": ticket(tt.ticket)})
			f := j.Form(w.Step(tt.step), nil, nil)
			if f.Number != tt.number || f.Total != tt.total {
				t.Errorf("Number/Total: got %d/%d, want %d/%d", f.Number, f.Total, tt.number, tt.total)
			}
			if got := stepName(f.Prev); got != tt.prev {
				t.Errorf("Prev: got %s, want %s", got, tt.prev)
			}
			if f.Title != tt.title {
				t.Errorf("Title: got %q, want %q", f.Title, tt.title)
			}
		})
	}
}

func TestFormOptionsChecked(t *testing.T) {
	w := demo.Register()
	a := wizard.Answers{"details": registerDetails, "ticket": ticket(demo.Speaker)}
	j := w.Journey(a)
	f := j.Form(w.Step("ticket"), a["ticket"], nil)
	if got, want := f.Title, "Grace Hopper, which ticket do you need?"; got != want {
		t.Errorf("Title: got %q, want %q", got, want)
	}
	if len(f.Fields) != 1 {
		t.Fatalf("fields: got %d, want 1", len(f.Fields))
	}
	want := []wizard.FormOption{
		{Value: "student", Label: "Student"},
		{Value: "regular", Label: "Regular"},
		{Value: "speaker", Label: "Speaker", Checked: true},
	}
	if got := f.Fields[0].Options; !reflect.DeepEqual(got, want) {
		t.Errorf("options: got %+v, want %+v", got, want)
	}

	// Checkboxes: every ticked value is checked; unknown values check nothing.
	f = j.Form(w.Step("needs"), wizard.Values{"dietary": {"vegan", "halal", "pizza"}}, nil)
	var checked []string
	for _, o := range f.Fields[0].Options {
		if o.Checked {
			checked = append(checked, o.Value)
		}
	}
	if want := []string{"vegan", "halal"}; !reflect.DeepEqual(checked, want) {
		t.Errorf("checked: got %q, want %q", checked, want)
	}
}

func TestFormConditionalFields(t *testing.T) {
	w := demo.Register()
	a := wizard.Answers{"details": registerDetails, "ticket": ticket(demo.Regular)}
	j := w.Journey(a)
	values := wizard.Values{"dietary": {"other"}, "dietary_other": {"No nuts"}}
	f := j.Form(w.Step("needs"), values, nil)

	var names []string
	for _, ff := range f.Fields {
		names = append(names, ff.Name)
	}
	if want := []string{"dietary", "access"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("top-level fields: got %q, want %q", names, want)
	}
	for _, tt := range []struct {
		field, revealer, revealed, value string
	}{
		{"dietary", "other", "dietary_other", "No nuts"},
		{"access", "other", "access_other", ""},
	} {
		t.Run(tt.field, func(t *testing.T) {
			var ff *wizard.FormField
			for _, x := range f.Fields {
				if x.Name == tt.field {
					ff = x
				}
			}
			for _, o := range ff.Options {
				if o.Value != tt.revealer {
					if len(o.Reveals) != 0 {
						t.Errorf("option %q reveals %d fields, want 0", o.Value, len(o.Reveals))
					}
					continue
				}
				if len(o.Reveals) != 1 {
					t.Fatalf("option %q reveals %d fields, want 1", o.Value, len(o.Reveals))
				}
				r := o.Reveals[0]
				if r.Name != tt.revealed {
					t.Errorf("revealed: got %q, want %q", r.Name, tt.revealed)
				}
				if got := r.Value(); got != tt.value {
					t.Errorf("revealed value: got %q, want %q", got, tt.value)
				}
				if !r.Required {
					t.Errorf("revealed field: Required false, want true")
				}
			}
		})
	}
}

func TestFormErrors(t *testing.T) {
	t.Run("details", func(t *testing.T) {
		w := demo.Register()
		s := w.Step("details")
		j := w.Journey(wizard.Answers{})
		input := wizard.Values{"name": {" "}, "email": {"grace"}}
		clean, errs, err := wizard.Validate(s, nil, input)
		if err != nil {
			t.Fatal(err)
		}
		f := j.Form(s, input, errs)
		want := []wizard.FormError{
			{Field: "name", Label: "Full name", Message: "Enter your full name"},
			{Field: "email", Label: "Email address", Message: "Enter your email address in the correct format, like name@example.com"},
		}
		if !reflect.DeepEqual(f.Errors, want) {
			t.Errorf("Errors: got %+v, want %+v", f.Errors, want)
		}
		for i, ff := range f.Fields {
			if ff.Error != want[i].Message {
				t.Errorf("field %s Error: got %q, want %q", ff.Name, ff.Error, want[i].Message)
			}
		}
		if got := f.Fields[1].Value(); got != "grace" {
			t.Errorf("shown value: got %q, want the submitted %q", got, "grace")
		}
		if got := clean.Get("email"); got != "grace" {
			t.Errorf("clean email: got %q, want %q", got, "grace")
		}
	})

	t.Run("conditional fields", func(t *testing.T) {
		w := demo.Register()
		s := w.Step("needs")
		j := w.Journey(wizard.Answers{"details": registerDetails, "ticket": ticket(demo.Regular)})
		input := wizard.Values{"dietary": {"other"}, "access": {"other", "vegan"}}
		_, errs, err := wizard.Validate(s, nil, input)
		if err != nil {
			t.Fatal(err)
		}
		f := j.Form(s, input, errs)
		want := []wizard.FormError{
			{Field: "dietary_other", Label: "Your other dietary need", Message: "Enter your other dietary need"},
			{Field: "access", Label: "Accessibility needs", Message: "Select an accessibility need from the list"},
			{Field: "access_other", Label: "Your other accessibility need", Message: "Enter your other accessibility need"},
		}
		if !reflect.DeepEqual(f.Errors, want) {
			t.Errorf("Errors: got %+v, want %+v", f.Errors, want)
		}
		r := f.Fields[0].Options[len(f.Fields[0].Options)-1].Reveals
		if len(r) != 1 || r[0].Error != "Enter your other dietary need" {
			t.Errorf("revealed dietary_other error not attached: %+v", r)
		}
	})

	t.Run("error for unknown field is dropped", func(t *testing.T) {
		w := demo.Classic()
		j := w.Journey(nil)
		f := j.Form(w.Step("name"), nil, []wizard.FieldError{{Field: "ghost", Message: "Boo"}, {Field: "v1", Message: "Enter your name"}})
		want := []wizard.FormError{{Field: "v1", Label: "Your name", Message: "Enter your name"}}
		if !reflect.DeepEqual(f.Errors, want) {
			t.Errorf("Errors: got %+v, want %+v", f.Errors, want)
		}
	})
}

func TestFormComputedTexts(t *testing.T) {
	w := &wizard.Wizard{Name: "pets", Steps: []*wizard.Step{
		{Name: "owner", Fields: []*wizard.Field{{Name: "name", Required: true}}},
		{
			Name: "pet", Title: "Hello {owner.name}", Help: "{owner.name} & {owner.missing}!",
			Submit: "Save",
			Fields: []*wizard.Field{
				{Name: "kind", Kind: wizard.Radio, Label: "{owner.name}'s pet", Hint: "Pick one, {owner.name}",
					Options: []wizard.Option{{Value: "cat", Label: "{owner.name}'s cat"}}},
				{Name: "toy", Kind: wizard.Select, Label: "Toy",
					OptionsFunc: func(a wizard.Answers) []wizard.Option {
						return []wizard.Option{{Value: "ball", Label: "Ball for " + a.Get("owner", "name")}}
					}},
				{Name: "yn", Kind: wizard.YesNo, Label: "Sure?"},
				{Name: "note", Kind: wizard.TextArea},
			},
		},
	}}
	// Check refuses the reference to a field that does not exist; a wizard
	// not checked still renders it as nothing.
	if err := w.Check(); err == nil || !strings.Contains(err.Error(), `{owner.missing}: step "owner" has no field "missing"`) {
		t.Fatalf("Check: got %v, want the missing field named", err)
	}
	j := w.Journey(wizard.Answers{"owner": {"name": {"Ada"}}})
	f := j.Form(w.Step("pet"), wizard.Values{"toy": {"ball"}, "yn": {"no"}}, nil)
	checks := []struct{ what, got, want string }{
		{"Title", f.Title, "Hello Ada"},
		{"Help", f.Help, "Ada & !"},
		{"Submit", f.Submit, "Save"},
		{"Label", f.Fields[0].Label, "Ada's pet"},
		{"Hint", f.Fields[0].Hint, "Pick one, Ada"},
		{"Option label", f.Fields[0].Options[0].Label, "Ada's cat"},
		{"OptionsFunc label", f.Fields[1].Options[0].Label, "Ball for Ada"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.what, c.got, c.want)
		}
	}
	if !f.Fields[1].Options[0].Checked {
		t.Errorf("OptionsFunc option: Checked false, want true")
	}
	wantYN := []wizard.FormOption{{Value: "yes", Label: "Yes"}, {Value: "no", Label: "No", Checked: true}}
	if got := f.Fields[2].Options; !reflect.DeepEqual(got, wantYN) {
		t.Errorf("yes/no options: got %+v, want %+v", got, wantYN)
	}
	if got := f.Fields[3].MaxLen; got != wizard.DefaultMaxLen {
		t.Errorf("default MaxLen: got %d, want %d", got, wizard.DefaultMaxLen)
	}
	if got := f.Fields[3].Options; got != nil {
		t.Errorf("textarea options: got %+v, want none", got)
	}
	if got := f.Fields[3].Value(); got != "" {
		t.Errorf("empty Value: got %q, want \"\"", got)
	}
}
