package wizard

import (
	crand "crypto/rand"
	"strconv"
	"strings"
)

// MaxRepeat is the most items a repeating step may collect.
const MaxRepeat = 50

// Repeat makes a step collect a list ("add another"): each item is one
// set of the step's fields, checked with the step's rules. After each
// item a summary lists the items so far, each to change or remove, and
// asks whether the user needs to add another; with Min 0 the user is
// first asked whether they have any. The step counts once on the journey,
// and it is answered once the user says they need no more (or reaches
// Max) with at least Min items.
type Repeat struct {
	// Min and Max bound the number of items: 0 <= Min <= Max, 1 <= Max
	// <= MaxRepeat.
	Min, Max int
	// Noun names one item in the pages' texts: "guest" gives "Guest 2"
	// and "Do you need to add another guest?". "item" if empty.
	Noun string
	// Plural names several, as in "Do you have any guests?" and "You
	// have added 2 guests"; Noun plus "s" if empty.
	Plural string

	// count is the pseudo field "count" of the step, the number of
	// items, which conditions may test as "step.count"; made by Check.
	count *Field
}

// The keys under which a repeating step's Values hold its list: the
// items' IDs in order, and whether the user said they need no more. An
// item's answers are under "ID.field". No field name starts with "_" or
// holds a ".", so these keys never meet a field's.
const (
	itemsKey   = "_items"
	doneKey    = "_done"
	removedKey = "_removed"
)

// keptRemoved is how many IDs of removed items a list remembers (see
// WasRemoved).
const keptRemoved = MaxRepeat

// countField is the name of a repeating step's pseudo field.
const countField = "count"

// One names one item: Noun, or "item".
func (r *Repeat) One() string { return or(r.Noun, "item") }

// Many names several items: Plural, or One plus "s".
func (r *Repeat) Many() string { return or(r.Plural, r.One()+"s") }

// Removed is the notice that an item was removed: "Guest removed".
func (r *Repeat) Removed() string { return capitalize(r.One()) + " removed" }

// ItemLabel is the name of the n-th item (from 1) for people: "Guest 2".
func (r *Repeat) ItemLabel(n int) string { return capitalize(r.One()) + " " + strconv.Itoa(n) }

// AddQuestion is the summary's question: whether the user has any items,
// when they have none, or needs to add another.
func (r *Repeat) AddQuestion(n int) string {
	if n == 0 {
		return "Do you have any " + r.Many() + "?"
	}
	return "Do you need to add another " + r.One() + "?"
}

// Count says how many items there are, for people: "1 guest", "3 guests".
func (r *Repeat) Count(n int) string {
	if n == 1 {
		return "1 " + r.One()
	}
	return strconv.Itoa(n) + " " + r.Many()
}

// Items returns the IDs of a repeating step's items, in order.
func (v Values) Items() []string { return v[itemsKey] }

// Item returns the answers of the item with the given ID: its fields'
// values, as Validate returned them.
func (v Values) Item(id string) Values {
	item := Values{}
	prefix := id + "."
	for k, vs := range v {
		if field, ok := strings.CutPrefix(k, prefix); ok {
			item[field] = vs
		}
	}
	return item
}

// Done reports whether the user said they need no more items.
func (v Values) Done() bool { return v.Get(doneKey) == "yes" }

// ItemIndex returns the position (from 0) of the item with the given ID,
// or -1.
func (v Values) ItemIndex(id string) int {
	for i, x := range v[itemsKey] {
		if x == id {
			return i
		}
	}
	return -1
}

// WithItem returns a copy of v in which the item with the given ID holds
// the answers item (from Validate): replaced where it is, or added at
// the end when it is new.
func (v Values) WithItem(id string, item Values) Values {
	out := v.without(id)
	if v.ItemIndex(id) < 0 {
		out[itemsKey] = append(append([]string{}, v[itemsKey]...), id)
	}
	for field, vs := range item {
		out[id+"."+field] = vs
	}
	return out
}

// WithoutItem returns a copy of v without the item with the given ID;
// the items after it move up one place. The list remembers the ID (the
// last keptRemoved of them), so that a form still showing the item
// cannot bring it back as a new one (see WasRemoved).
func (v Values) WithoutItem(id string) Values {
	out := v.without(id)
	ids := make([]string, 0, len(v[itemsKey]))
	for _, x := range v[itemsKey] {
		if x != id {
			ids = append(ids, x)
		}
	}
	out[itemsKey] = ids
	removed := append(append([]string{}, v[removedKey]...), id)
	out[removedKey] = removed[max(0, len(removed)-keptRemoved):]
	return out
}

// WasRemoved reports whether the item with the given ID was removed from
// the list (among the last items removed).
func (v Values) WasRemoved(id string) bool { return contains(v[removedKey], id) }

// WithDone returns a copy of v saying whether the user needs no more
// items.
func (v Values) WithDone(done bool) Values {
	out := v.without("")
	if done {
		out[doneKey] = []string{"yes"}
	} else {
		delete(out, doneKey)
	}
	return out
}

// without copies v without the answers of the item with the given ID
// ("" leaves every item in).
func (v Values) without(id string) Values {
	out := make(Values, len(v)+1)
	prefix := id + "."
	for k, vs := range v {
		if id == "" || !strings.HasPrefix(k, prefix) {
			out[k] = vs
		}
	}
	if out[itemsKey] == nil {
		out[itemsKey] = []string{}
	}
	return out
}

// itemIDLen is the length of an item's ID: 8 characters of base32, 40
// random bits.
const itemIDLen = 8

// NewItemID returns a new random item ID, which a form for a new item
// carries, so that the same form sent twice adds one item, not two.
func NewItemID() string {
	return strings.ToLower(crand.Text()[:itemIDLen])
}

// ValidItemID reports whether id can be an item's ID (as NewItemID makes
// them): a client could send anything.
func ValidItemID(id string) bool {
	if len(id) != itemIDLen {
		return false
	}
	for _, c := range []byte(id) {
		if !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return false
		}
	}
	return true
}

// completeRepeat reports whether a repeating step's saved list is a valid
// answer: between Min and Max items, each passing the step's rules, with
// distinct valid IDs, and the user done adding (or at Max).
func completeRepeat(s *Step, saved Values, a Answers) bool {
	ids := saved.Items()
	n := len(ids)
	if n < s.Repeat.Min || n > s.Repeat.Max || !saved.Done() && n < s.Repeat.Max {
		return false
	}
	for i, id := range ids {
		if !ValidItemID(id) || contains(ids[:i], id) || !valid(s, saved.Item(id), a) {
			return false
		}
	}
	return true
}

// ItemSummary is one item of a repeating step as a summary lists it: its
// ID, its number (from 1), its label ("Guest 2") and its answers, one line
// per question that applies ("Name: Ann"; "Dietary needs: Not given").
type ItemSummary struct {
	ID     string
	Number int
	Label  string
	Lines  []string
}

// Items lists the items of repeating step s saved on the journey.
func (j *Journey) Items(s *Step) []ItemSummary {
	if s.Repeat == nil {
		return nil
	}
	saved := j.answers[s.Name]
	var out []ItemSummary
	for i, id := range saved.Items() {
		item := saved.Item(id)
		it := ItemSummary{ID: id, Number: i + 1, Label: s.Repeat.ItemLabel(i + 1)}
		for _, f := range s.Fields {
			if !applies(s, f, item, j.answers, 0) {
				continue
			}
			opts := f.options(j.answers)
			var shown []string
			for _, v := range item[f.Name] {
				shown = append(shown, optionLabel(opts, v, j.answers))
			}
			answer := strings.Join(shown, ", ")
			if answer == "" {
				answer = "Not given"
			}
			it.Lines = append(it.Lines, Expand(f.Label, j.answers)+": "+answer)
		}
		out = append(out, it)
	}
	return out
}

// FirstInvalidItem returns the number (from 1) of the first item of a
// repeating step whose saved answers no longer pass the step's rules,
// with their errors; 0 when every item passes.
func (j *Journey) FirstInvalidItem(s *Step) (int, Values, []FieldError) {
	saved := j.answers[s.Name]
	for i, id := range saved.Items() {
		item := saved.Item(id)
		if _, errs, err := Validate(s, j.answers, item); err == nil && len(errs) > 0 {
			return i + 1, item, errs
		}
	}
	return 0, nil, nil
}
