package wizard_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wizard/wizard"
)

// party asks for guests (0 to 3), then whether they need parking, which is
// asked only with two guests or more.
func party(t *testing.T) *wizard.Wizard {
	t.Helper()
	w := &wizard.Wizard{Name: "party", Title: "Party", Steps: []*wizard.Step{
		{Name: "host", Title: "Host", Fields: []*wizard.Field{{Name: "name", Label: "Name", Required: true}}},
		{Name: "guests", Title: "Your guests", Repeat: &wizard.Repeat{Max: 3, Noun: "guest"}, Fields: []*wizard.Field{
			{Name: "name", Label: "Name", Required: true, Noun: "the guest's name"},
			{Name: "diet", Kind: wizard.Select, Label: "Dietary needs", Options: []wizard.Option{{Value: "vegan", Label: "Vegan"}, {Value: "none", Label: "None"}}},
			{Name: "other", Label: "Other needs", ShowWhen: wizard.When("diet", wizard.Eq, "none")},
		}, Routes: []wizard.Route{{When: wizard.When("guests.count", wizard.Lt, "2"), Goto: "end"}}},
		{Name: "parking", Title: "Parking", Fields: []*wizard.Field{{Name: "cars", Kind: wizard.Number, Label: "Cars"}}},
		{Name: "end", Title: "End", Fields: []*wizard.Field{{Name: "note", Label: "Note",
			ShowWhen: wizard.When("guests.count", wizard.Ge, "1")}}},
	}}
	if err := w.Check(); err != nil {
		t.Fatal(err)
	}
	return w
}

func TestRepeatValues(t *testing.T) {
	v := wizard.Values{}
	a, b, c := wizard.NewItemID(), wizard.NewItemID(), wizard.NewItemID()
	for _, id := range []string{a, b, c} {
		if !wizard.ValidItemID(id) {
			t.Fatalf("NewItemID %q is not valid", id)
		}
	}
	v = v.WithItem(a, wizard.Values{"name": {"Ann"}})
	v = v.WithItem(b, wizard.Values{"name": {"Bob"}, "diet": {"vegan"}})
	v = v.WithItem(c, wizard.Values{"name": {"Cy"}})
	v2 := v.WithItem(b, wizard.Values{"name": {"Bo"}}) // changed in place
	if got := v2.Items(); !reflect.DeepEqual(got, []string{a, b, c}) {
		t.Errorf("items after a change: %v", got)
	}
	if got := v2.Item(b); !reflect.DeepEqual(got, wizard.Values{"name": {"Bo"}}) {
		t.Errorf("changed item: %v (diet must be gone)", got)
	}
	if got := v.Item(b); !reflect.DeepEqual(got, wizard.Values{"name": {"Bob"}, "diet": {"vegan"}}) {
		t.Errorf("WithItem changed its receiver: %v", got)
	}
	v3 := v2.WithoutItem(a)
	if got := v3.Items(); !reflect.DeepEqual(got, []string{b, c}) || len(v3.Item(a)) != 0 || v3.Item(c).Get("name") != "Cy" {
		t.Errorf("after removing the first: %v", v3)
	}
	if !v3.WasRemoved(a) || v3.WasRemoved(b) || v2.WasRemoved(a) {
		t.Error("WasRemoved")
	}
	if v3.ItemIndex(c) != 1 || v3.ItemIndex(a) != -1 {
		t.Errorf("ItemIndex: %d %d", v3.ItemIndex(c), v3.ItemIndex(a))
	}
	if d := v3.WithDone(true); !d.Done() || d.WithDone(false).Done() || v3.Done() {
		t.Error("WithDone")
	}
	for _, bad := range []string{"", "ABCDEFGH", "abcdefg1", "abcdefghi", "abc.efgh"} {
		if wizard.ValidItemID(bad) {
			t.Errorf("ValidItemID(%q) = true", bad)
		}
	}
	// The list survives the session's encoding.
	got, err := wizard.ParseAnswers(wizard.Answers{"guests": v3.WithDone(true)}.Encode())
	if err != nil || !reflect.DeepEqual(got["guests"].Items(), []string{b, c}) || !got["guests"].Done() || got["guests"].Item(c).Get("name") != "Cy" {
		t.Errorf("encoded and parsed: %v, %v", got, err)
	}
}

func guests(done bool, items ...wizard.Values) (wizard.Values, []string) {
	v := wizard.Values{}
	var ids []string
	for _, it := range items {
		id := wizard.NewItemID()
		ids = append(ids, id)
		v = v.WithItem(id, it)
	}
	return v.WithDone(done), ids
}

func TestRepeatJourney(t *testing.T) {
	w := party(t)
	host := wizard.Values{"name": {"Hal"}}
	ann := wizard.Values{"name": {"Ann"}, "diet": {"vegan"}}
	bob := wizard.Values{"name": {"Bob"}, "diet": {"none"}, "other": {"nuts"}}
	none, _ := guests(true)
	two, _ := guests(true, ann, bob)
	tests := []struct {
		name     string
		guests   wizard.Values
		open     string // first open step
		steps    int
		complete bool
	}{
		{"not asked yet", nil, "guests", 4, false},
		{"none, and said so", none, "end", 3, false},
		{"one, not done", func() wizard.Values { v, _ := guests(false, ann); return v }(), "guests", 3, false},
		{"two, done", two, "parking", 4, false},
		{"three: the maximum needs no done", func() wizard.Values { v, _ := guests(false, ann, ann, bob); return v }(), "parking", 4, false},
		{"four: over the maximum", func() wizard.Values { v, _ := guests(true, ann, ann, bob, bob); return v }(), "guests", 4, false},
		{"an invalid item", func() wizard.Values { v, _ := guests(true, wizard.Values{"name": {""}}); return v }(), "guests", 3, false},
		{"an option not offered", func() wizard.Values { v, _ := guests(true, wizard.Values{"name": {"X"}, "diet": {"meat"}}); return v }(), "guests", 3, false},
		{"a bad ID", wizard.Values{"_items": {"x"}, "x.name": {"Ann"}, "_done": {"yes"}}, "guests", 3, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := wizard.Answers{"host": host}
			if tt.guests != nil {
				a["guests"] = tt.guests
			}
			j := w.Journey(a)
			if open := j.FirstOpen(); open == nil || open.Name != tt.open {
				t.Errorf("first open: got %v, want %s", open, tt.open)
			}
			if j.Len() != tt.steps {
				t.Errorf("steps: got %d, want %d", j.Len(), tt.steps)
			}
		})
	}
	a := wizard.Answers{"host": host, "guests": two, "parking": {"cars": {"1"}}, "end": {"note": {"hi"}}}
	j := w.Journey(a)
	if !j.Complete() {
		t.Fatal("complete journey not complete")
	}
	// The review lists each item with its answers; the submission holds
	// them as a list in order, with the fields that apply.
	var labels []string
	for _, it := range j.Review() {
		if it.Step.Name == "guests" {
			labels = append(labels, it.Label+" = "+strings.Join(it.Answer, " | "))
		}
	}
	want := []string{"Guest 1 = Name: Ann | Dietary needs: Vegan", "Guest 2 = Name: Bob | Dietary needs: None | Other needs: nuts"}
	if !reflect.DeepEqual(labels, want) {
		t.Errorf("review:\n got %q\nwant %q", labels, want)
	}
	sub := j.Submission("abcdefgh12", time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC))
	if got := sub.Get("host", "name"); !reflect.DeepEqual(got, []string{"Hal"}) || sub.Get("host", "nope") != nil {
		t.Errorf("Get: %v", got)
	}
	var got wizard.Answer
	for _, ans := range sub.Answers {
		if ans.Step == "guests" {
			got = ans
		}
	}
	wantItems := []wizard.Values{{"name": {"Ann"}, "diet": {"vegan"}}, {"name": {"Bob"}, "diet": {"none"}, "other": {"nuts"}}}
	if got.Field != "" || !reflect.DeepEqual(got.Items, wantItems) {
		t.Errorf("submission: got %+v, want items %v", got, wantItems)
	}
	b, err := json.Marshal(got)
	if err != nil || !strings.Contains(string(b), `"items":[{"diet":["vegan"],"name":["Ann"]},{"diet":["none"],"name":["Bob"],"other":["nuts"]}]`) {
		t.Errorf("JSON: %s %v", b, err)
	}
	// With none, the review says so, and the submission has an empty list.
	a["guests"] = none
	delete(a, "parking")
	j = w.Journey(a)
	if !j.Complete() {
		t.Fatal("journey with no guests not complete")
	}
	var row wizard.ReviewItem
	for _, it := range j.Review() {
		if it.Step.Name == "guests" {
			row = it
		}
	}
	if row.Label != "Guests" || !reflect.DeepEqual(row.Answer, []string{"None"}) || row.Item != 0 {
		t.Errorf("review of none: %+v", row)
	}
	b, _ = json.Marshal(j.Submission("abcdefgh12", time.Time{}).Answers)
	if !strings.Contains(string(b), `{"step":"guests","field":"","values":[],"items":[]}`) {
		t.Errorf("submission of none: %s", b)
	}
	// The end step's field shows with one guest or more: none here.
	if f := j.Form(w.Step("end"), nil, nil); len(f.Fields) != 0 {
		t.Errorf("note shown with no guests: %+v", f.Fields)
	}
}

func TestRepeatItems(t *testing.T) {
	w := party(t)
	v, ids := guests(false, wizard.Values{"name": {"Ann"}, "diet": {"none"}}, wizard.Values{"name": {"Bob"}})
	j := w.Journey(wizard.Answers{"host": {"name": {"H"}}, "guests": v})
	got := j.Items(w.Step("guests"))
	want := []wizard.ItemSummary{
		{ID: ids[0], Number: 1, Label: "Guest 1", Lines: []string{"Name: Ann", "Dietary needs: None", "Other needs: Not given"}},
		{ID: ids[1], Number: 2, Label: "Guest 2", Lines: []string{"Name: Bob", "Dietary needs: Not given"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("items:\n got %+v\nwant %+v", got, want)
	}
	if n, _, _ := j.FirstInvalidItem(w.Step("guests")); n != 0 {
		t.Errorf("FirstInvalidItem: %d", n)
	}
	v = v.WithItem(ids[1], wizard.Values{"name": {"Bob"}, "diet": {"fish"}})
	j = w.Journey(wizard.Answers{"host": {"name": {"H"}}, "guests": v})
	if n, item, errs := j.FirstInvalidItem(w.Step("guests")); n != 2 || item.Get("diet") != "fish" || len(errs) != 1 || errs[0].Field != "diet" {
		t.Errorf("FirstInvalidItem: %d %v %v", n, item, errs)
	}
	r := w.Step("guests").Repeat
	if r.AddQuestion(0) != "Do you have any guests?" || r.AddQuestion(2) != "Do you need to add another guest?" || r.Count(1) != "1 guest" || r.Count(3) != "3 guests" {
		t.Error("texts")
	}
}

func TestRepeatCheck(t *testing.T) {
	item := []*wizard.Field{{Name: "name", Label: "Name"}}
	tests := []struct {
		name string
		w    *wizard.Wizard
		want string
	}{
		{"max 0", &wizard.Wizard{Name: "w", Title: "W", Steps: []*wizard.Step{{Name: "s", Title: "S", Fields: item, Repeat: &wizard.Repeat{}}}}, "1 to 50 items"},
		{"max 51", &wizard.Wizard{Name: "w", Title: "W", Steps: []*wizard.Step{{Name: "s", Title: "S", Fields: item, Repeat: &wizard.Repeat{Max: 51}}}}, "not 51"},
		{"min over max", &wizard.Wizard{Name: "w", Title: "W", Steps: []*wizard.Step{{Name: "s", Title: "S", Fields: item, Repeat: &wizard.Repeat{Min: 3, Max: 2}}}}, "min 3"},
		{"no fields", &wizard.Wizard{Name: "w", Title: "W", Steps: []*wizard.Step{{Name: "s", Title: "S", Repeat: &wizard.Repeat{Max: 2}}}}, "needs fields"},
		{"a field of a repeating step", &wizard.Wizard{Name: "w", Title: "W", Steps: []*wizard.Step{
			{Name: "s", Title: "S", Fields: item, Repeat: &wizard.Repeat{Max: 2}},
			{Name: "t", Title: "T", Fields: []*wizard.Field{{Name: "x", Label: "X", ShowWhen: wizard.When("s.name", wizard.Eq, "a")}}},
		}}, "test its number of items, s.count"},
		{"a route of a repeating step on a field", &wizard.Wizard{Name: "w", Title: "W", Steps: []*wizard.Step{
			{Name: "s", Title: "S", Fields: item, Repeat: &wizard.Repeat{Max: 2}, Routes: []wizard.Route{{When: wizard.When("name", wizard.Eq, "a"), Goto: "t"}}},
			{Name: "t", Title: "T"},
		}}, "routes can test only its number of items"},
		{"a text naming an item's field", &wizard.Wizard{Name: "w", Title: "W", Steps: []*wizard.Step{
			{Name: "s", Title: "S", Fields: item, Repeat: &wizard.Repeat{Max: 2}},
			{Name: "t", Title: "Hello {s.name}"},
		}}, "repeats, with one answer per item"},
		{"count is a number", &wizard.Wizard{Name: "w", Title: "W", Steps: []*wizard.Step{
			{Name: "s", Title: "S", Fields: item, Repeat: &wizard.Repeat{Max: 2}},
			{Name: "t", Title: "T", Fields: []*wizard.Field{{Name: "x", Label: "X", ShowWhen: wizard.When("s.count", wizard.Gt, "two")}}},
		}}, "not a number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.w.Check(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
	// Fields of an item may depend on each other, and routes on the count.
	ok := &wizard.Wizard{Name: "w", Title: "W", Steps: []*wizard.Step{
		{Name: "s", Title: "S", Repeat: &wizard.Repeat{Min: 1, Max: 50}, Fields: []*wizard.Field{
			{Name: "a", Kind: wizard.YesNo, Label: "A"}, {Name: "b", Label: "B", ShowWhen: wizard.When("a", wizard.Eq, "yes")},
		}, Routes: []wizard.Route{{When: wizard.When("count", wizard.Gt, "3"), Goto: "u"}}},
		{Name: "t", Title: "T"}, {Name: "u", Title: "U"},
	}}
	if err := ok.Check(); err != nil {
		t.Errorf("valid repeating wizard: %v", err)
	}
	v, _ := guests(true, wizard.Values{"a": {"no"}}, wizard.Values{}, wizard.Values{}, wizard.Values{})
	if j := ok.Journey(wizard.Answers{"s": v}); j.Len() != 2 || j.Steps()[1].Name != "u" {
		t.Errorf("route on count: %v", j.Steps())
	}
}
