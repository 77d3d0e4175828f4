package wizard

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// Submission is a completed wizard handed to a Sink: the answers of the
// journey's steps only, in journey order.
type Submission struct {
	// ID identifies the submission; submitting the same ID twice must not
	// store it twice (see Sink).
	ID string `json:"id"`
	// Reference is the short code shown to the user, e.g. "REG-7K3Q9".
	Reference string    `json:"reference"`
	Wizard    string    `json:"wizard"`
	Time      time.Time `json:"time"`
	Answers   []Answer  `json:"answers"`
}

// Answer is one field's answer in a Submission.
type Answer struct {
	Step   string   `json:"step"`
	Field  string   `json:"field"`
	Values []string `json:"values"`
	// Items are a repeating step's items in order, each its fields'
	// answers (the fields that apply to it); such an Answer has no Field
	// and no Values.
	Items []Values `json:"items,omitempty"`
}

// MarshalJSON writes "items" for a repeating step's answer, even with
// none ("items": []), and leaves it out of every other answer.
func (a Answer) MarshalJSON() ([]byte, error) {
	type plain Answer // without this method
	if a.Items == nil {
		return json.Marshal(plain(a))
	}
	return json.Marshal(struct {
		plain
		Items []Values `json:"items"`
	}{plain(a), a.Items})
}

// Get returns the values of step.field in the submission, or nil.
func (s Submission) Get(step, field string) []string {
	for _, a := range s.Answers {
		if a.Step == step && a.Field == field {
			return a.Values
		}
	}
	return nil
}

// ErrAlreadySubmitted is returned (wrapped) by a Sink given an ID it has
// already stored.
var ErrAlreadySubmitted = errors.New("already submitted")

// ErrConflict is returned (wrapped) by a Sink given an ID it already holds
// with other content: the same ID, but other answers (or another reference
// or wizard). Nothing is stored, and the first submission stands. The time
// is not content: a repeat a second later is the same submission, which is
// ErrAlreadySubmitted.
var ErrConflict = errors.New("submission conflicts with one already stored under its ID")

// Sink receives completed submissions. Submit must be idempotent by ID: for
// an ID it already holds it stores nothing and returns an error wrapping
// ErrAlreadySubmitted, or ErrConflict if a sink that compares content finds
// it differs. Submit returns nil only once the submission is
// durably stored. Submitted reports whether the sink holds an ID, so that a
// repeated submit whose session is gone can still be recognised.
type Sink interface {
	Submit(ctx context.Context, s Submission) error
	Submitted(ctx context.Context, id string) (bool, error)
}

// Submission returns the journey's answers as a submission with the given
// ID, made at the given time. Call it only on a complete journey.
func (j *Journey) Submission(id string, at time.Time) Submission {
	s := Submission{ID: id, Reference: j.wizard.Reference(id), Wizard: j.wizard.Name, Time: at}
	for _, st := range j.steps {
		vals, ok := j.answers[st.Name]
		if !ok {
			continue
		}
		if st.Repeat != nil {
			s.Answers = append(s.Answers, j.itemsAnswer(st, vals))
			continue
		}
		for _, f := range st.Fields {
			if applies(st, f, vals, j.answers, 0) {
				// Every question the user saw, as the review lists it: a
				// question left blank has no values rather than no entry.
				s.Answers = append(s.Answers, Answer{Step: st.Name, Field: f.Name, Values: append([]string{}, vals[f.Name]...)})
			}
		}
	}
	return s
}

// itemsAnswer is a repeating step's answer in a submission: its items in
// order, each with the answers of the fields that apply to it (none left
// blank is left out: an empty list).
func (j *Journey) itemsAnswer(st *Step, vals Values) Answer {
	ans := Answer{Step: st.Name, Values: []string{}, Items: []Values{}}
	for _, id := range vals.Items() {
		item := vals.Item(id)
		out := Values{}
		for _, f := range st.Fields {
			if applies(st, f, item, j.answers, 0) {
				out[f.Name] = append([]string{}, item[f.Name]...)
			}
		}
		ans.Items = append(ans.Items, out)
	}
	return ans
}

// referenceLen is how many characters of the ID a reference shows.
const referenceLen = 8

// Reference derives the short reference shown to users from a submission
// ID: the wizard's RefPrefix (its name's first three letters in capitals by
// default), a dash, and the ID's first eight characters: 40 random bits,
// so that references stay unique (a database sink keeps them so) for
// about a million submissions of one wizard before two are likely to
// share one; five characters, 25 bits, met that after a few thousand.
func (w *Wizard) Reference(id string) string {
	prefix := w.RefPrefix
	if prefix == "" {
		prefix = strings.ToUpper(w.Name[:min(3, len(w.Name))])
	}
	return prefix + "-" + strings.ToUpper(id[:min(referenceLen, len(id))])
}

// ReviewItem is one answered question as listed for review: the question,
// the answer as the user would say it, and the step to change it on.
type ReviewItem struct {
	Step  *Step
	Field string
	Label string
	// Answer shows option labels rather than values; empty when left
	// empty. It may share storage with the journey's answers: read it,
	// do not change it.
	Answer []string
	// Item is set on an item of a repeating step (which has no Field):
	// its number from 1 and ID; Label is then "Guest 2" and Answer a
	// line per question ("Name: Ann"). A repeating step without items
	// is one ReviewItem with neither, whose Answer is "None".
	Item   int
	ItemID string
}

// Review lists every question of the journey's steps that the user could
// have answered, in journey order, with the saved answer. Questions of steps
// that left the journey and conditional fields that did not apply are left
// out.
func (j *Journey) Review() []ReviewItem {
	n := 0
	for _, st := range j.steps {
		switch vals, ok := j.answers[st.Name]; {
		case !ok:
		case st.Repeat != nil:
			n += max(len(vals.Items()), 1)
		default:
			n += len(st.Fields)
		}
	}
	items := make([]ReviewItem, 0, n)
	for _, st := range j.steps {
		vals, ok := j.answers[st.Name]
		if !ok {
			continue
		}
		if st.Repeat != nil {
			list := j.Items(st)
			for _, it := range list {
				items = append(items, ReviewItem{Step: st, Label: it.Label, Answer: it.Lines, Item: it.Number, ItemID: it.ID})
			}
			if len(list) == 0 {
				items = append(items, ReviewItem{Step: st, Label: capitalize(st.Repeat.Many()), Answer: []string{"None"}})
			}
			continue
		}
		for _, f := range st.Fields {
			if !applies(st, f, vals, j.answers, 0) {
				continue
			}
			item := ReviewItem{Step: st, Field: f.Name, Label: Expand(f.Label, j.answers)}
			if opts := f.options(j.answers); len(opts) > 0 {
				for _, v := range vals[f.Name] {
					item.Answer = append(item.Answer, optionLabel(opts, v, j.answers))
				}
			} else if vs := vals[f.Name]; len(vs) > 0 {
				// Without options an answer shows as saved: no copy.
				item.Answer = vs[:len(vs):len(vs)]
			}
			items = append(items, item)
		}
	}
	return items
}

// optionLabel returns the label of the option with value v, or v itself for
// fields without options.
func optionLabel(opts []Option, v string, a Answers) string {
	for _, o := range opts {
		if o.Value == v {
			return Expand(o.Label, a)
		}
	}
	return v
}
