package wizard

// Journey is the path a user takes through a wizard given their answers: the
// steps they must answer, in order. Each step's Next sees the saved answers
// of the steps before it on the journey (and its own), never answers of
// steps off the journey. Past the first open step the path follows whatever
// is saved, or the branches' defaults, so the length is an estimate that
// settles as the user answers.
type Journey struct {
	wizard *Wizard
	// answers holds the saved answers of the journey's steps only.
	answers Answers
	steps   []*Step
	open    int // index of the first step not validly answered; len(steps) when complete
	// exit is where the journey ends when its last step routes to an exit.
	exit *Exit
	// few holds the steps of a journey of up to eight steps, inside the
	// Journey rather than in an allocation of their own.
	few [8]*Step
}

// Journey computes the journey for the given answers. A route or Next
// naming an exit ends the journey there (see Exited). A cycle in the
// wizard's branching, which only Next can make, ends the journey at the
// step that would repeat; a Next or route naming neither a step nor an
// exit ends it too.
func (w *Wizard) Journey(a Answers) *Journey {
	j := &Journey{wizard: w, answers: make(Answers, len(a))}
	j.steps = j.few[:0]
	if len(w.Steps) > len(j.few) {
		j.steps = make([]*Step, 0, len(w.Steps))
	}
	j.trace(a)
	return j
}

// Retrace makes j the journey for the answers a, as Journey(a) would,
// reusing j's storage: after a step is saved, its handler follows the
// new journey without building another. What j returned before (Steps,
// Review) must no longer be in use.
func (j *Journey) Retrace(a Answers) {
	clear(j.answers)
	j.steps = j.steps[:0]
	j.exit = nil
	j.trace(a)
}

// trace walks the wizard's steps for the answers a into j, which holds no
// steps yet.
func (j *Journey) trace(a Answers) {
	w := j.wizard
	j.open = -1
	for s := w.Steps[0]; s != nil && !j.has(s); {
		if v, ok := a[s.Name]; ok {
			j.answers[s.Name] = v
		}
		if j.open < 0 && !Complete(s, j.answers) {
			j.open = len(j.steps)
		}
		j.steps = append(j.steps, s)
		s, j.exit = w.next(s, j.answers)
	}
	if j.open < 0 {
		j.open = len(j.steps)
	}
}

// has reports whether s is on the journey so far. Journeys are a few
// steps long, so a scan beats a set.
func (j *Journey) has(s *Step) bool {
	for _, t := range j.steps {
		if t == s {
			return true
		}
	}
	return false
}

// Complete reports whether the step has saved answers that pass its rules
// against the given answers (options may depend on earlier answers) and
// are stored as Validate stores them (trimmed, without repeats): an answer
// that reached the session some other way, say from a tampered store, sends
// the user back to its step rather than into the review or a submission.
//
// It runs for every saved step on every request, so saved values that are
// already what Validate stores (the usual case) are checked in place
// rather than copied.
func Complete(s *Step, a Answers) bool {
	saved, ok := a[s.Name]
	if !ok {
		return false
	}
	if s.Repeat != nil {
		return completeRepeat(s, saved, a)
	}
	return valid(s, saved, a)
}

// valid reports whether saved values of step s (its answers, or one item
// of a repeating step) pass its rules, stored as Validate stores them.
func valid(s *Step, saved Values, a Answers) bool {
	for _, f := range s.Fields {
		vs := saved[f.Name]
		if malformed(f, vs) != nil || applies(s, f, saved, a, 0) && (!trimmed(f, vs) || check(f, vs, a) != "") {
			return false
		}
	}
	return true
}

// Validate checks input for step s like Validate, with options computed
// from the answers of the journey's steps only.
func (j *Journey) Validate(s *Step, input Values) (Values, []FieldError, error) {
	return Validate(s, j.answers, input)
}

// Steps returns the journey's steps in order.
func (j *Journey) Steps() []*Step { return j.steps }

// Len is the number of steps on the journey.
func (j *Journey) Len() int { return len(j.steps) }

// Index returns the step's position on the journey, or -1 if it is not on it.
func (j *Journey) Index(name string) int {
	for i, s := range j.steps {
		if s.Name == name {
			return i
		}
	}
	return -1
}

// FirstOpen returns the first step that still needs an answer, or nil when
// every step of the journey is validly answered (then the journey is
// Complete or Exited).
func (j *Journey) FirstOpen() *Step {
	if j.open < len(j.steps) {
		return j.steps[j.open]
	}
	return nil
}

// Complete reports whether every step of the journey is validly answered
// and the journey ends in a submission, not an exit: whether the review
// and the submit are open.
func (j *Journey) Complete() bool { return j.open == len(j.steps) && j.exit == nil }

// Exited returns the exit the journey ends in once every step before it
// is validly answered, or nil.
func (j *Journey) Exited() *Exit {
	if j.open == len(j.steps) {
		return j.exit
	}
	return nil
}

// Reachable reports whether the user may open the named step now: it is on
// the journey and every step before it is validly answered. (A journey
// that has exited still lets its steps be opened, to change an answer.)
func (j *Journey) Reachable(name string) bool {
	i := j.Index(name)
	return i >= 0 && i <= j.open
}

// Prev returns the step before the named one on the journey, or nil.
func (j *Journey) Prev(name string) *Step {
	if i := j.Index(name); i > 0 {
		return j.steps[i-1]
	}
	return nil
}

// Next returns the step after the named one on the journey, or nil.
func (j *Journey) Next(name string) *Step {
	if i := j.Index(name); i >= 0 && i+1 < len(j.steps) {
		return j.steps[i+1]
	}
	return nil
}

// Answers returns the saved answers of the journey's steps only, in a new
// map: answers to steps that left the journey are not included.
func (j *Journey) Answers() Answers { return j.answers.clone() }

// Saved returns the saved answers of the named step if it is on the
// journey, else nil, without copying them as Answers does: read them, do
// not change them.
func (j *Journey) Saved(step string) Values { return j.answers[step] }

// Expand fills the references in s from the saved answers of the
// journey's steps (see Expand).
func (j *Journey) Expand(s string) string { return Expand(s, j.answers) }

// Wizard returns the wizard the journey goes through.
func (j *Journey) Wizard() *Wizard { return j.wizard }
