package handlers_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/handlers"
)

// partyWizard asks for up to three guests; parking is asked only with
// two or more. With min, at least that many guests are needed.
func partyWizard(min int) *wizard.Wizard {
	return &wizard.Wizard{Name: "party", Title: "Party", Steps: []*wizard.Step{
		{Name: "host", Title: "About you", Fields: []*wizard.Field{{Name: "name", Label: "Your name", Required: true}}},
		{Name: "guests", Title: "Your guests", Repeat: &wizard.Repeat{Min: min, Max: 3, Noun: "guest"}, Fields: []*wizard.Field{
			{Name: "name", Label: "Name", Required: true, Noun: "the guest's name"},
			{Name: "diet", Kind: wizard.Select, Label: "Dietary needs", Options: []wizard.Option{{Value: "vegan", Label: "Vegan"}, {Value: "none", Label: "None"}}},
		}, Routes: []wizard.Route{{When: wizard.When("guests.count", wizard.Lt, "2"), Goto: "end"}}},
		{Name: "parking", Title: "Parking", Fields: []*wizard.Field{{Name: "cars", Kind: wizard.Number, Label: "Cars"}}},
		{Name: "end", Title: "Anything else?", Fields: []*wizard.Field{{Name: "note", Label: "Note"}}},
	}}
}

var itemIDPattern = regexp.MustCompile(`name="item" value="([a-z2-7]{8})"`)

// itemID returns the item ID a page's form carries.
func itemID(t *testing.T, r *response) string {
	t.Helper()
	m := itemIDPattern.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no item ID in:\n%s", r.body)
	}
	return m[1]
}

// addGuest adds a guest through the item form at path.
func addGuest(t *testing.T, c *client, n, name string) {
	t.Helper()
	id := itemID(t, c.get("/party/guests/"+n, nil).wantStatus(t, http.StatusOK))
	c.post("/party/guests/"+n, form("item", id, "name", name), nil).
		wantRedirect(t, "/party/guests?notice=Guest+"+n+"+added")
}

func TestRepeatFlow(t *testing.T) {
	sink := &memorySink{}
	ts := newCatalogServer(t, handlers.DefaultConfig(), sink, partyWizard(0))
	c := newClient(t, ts)
	c.post("/party/host", form("name", "Hal"), nil).wantRedirect(t, "/party/guests")

	// None yet: the question is whether there are any.
	c.get("/party/guests", nil).wantStatus(t, http.StatusOK).
		wantBody(t, "<h1 id=\"step-title\" tabindex=\"-1\" data-testid=\"step-title\">Your guests</h1>", "Do you have any guests?", "Step 2 of 4")
	c.post("/party/guests", form(), nil).wantStatus(t, http.StatusUnprocessableEntity).
		wantBody(t, `href="#f-add">Select yes if you have any guests`, "Error: Your guests")
	c.post("/party/guests", form("add", "yes"), nil).wantRedirect(t, "/party/guests/1")

	// The item form: its errors keep what was typed.
	page := c.get("/party/guests/1", nil).wantStatus(t, http.StatusOK).wantBody(t, "Guest 1", `action="/party/guests/1"`, `href="/party/host"`)
	id := itemID(t, page)
	c.post("/party/guests/1", form("item", id, "name", " ", "diet", "vegan"), nil).
		wantStatus(t, http.StatusUnprocessableEntity).wantBody(t, "Enter the guest&#39;s name", `value="vegan" selected`, `value="`+id+`"`)
	c.post("/party/guests/1", form("item", id, "name", "Ann", "diet", "vegan"), nil).
		wantRedirect(t, "/party/guests?notice=Guest+1+added")
	// The same form sent again changes that guest; it adds none.
	c.post("/party/guests/1", form("item", id, "name", "Ann", "diet", "vegan"), nil).
		wantRedirect(t, "/party/guests?notice=Guest+1+changed")
	c.get("/party/guests?notice=Guest+1+added", nil).wantStatus(t, http.StatusOK).
		wantBody(t, "You have added 1 guest", "Guest 1 added", "Name: Ann", "Dietary needs: Vegan",
			`href="/party/guests/1"`, `href="/party/guests/1/remove"`, "Do you need to add another guest?").
		wantNoBody(t, "Guest 2")
	// A notice the server would not make is not shown.
	c.get("/party/guests?notice=You+won", nil).wantNoBody(t, "You won")

	// With htmx, the summary comes back at once, announcing the change.
	h := c.htmx()
	c.post("/party/guests", form("add", "yes"), nil).wantRedirect(t, "/party/guests/2")
	id2 := itemID(t, c.get("/party/guests/2", nil))
	r := h.post("/party/guests/2", form("item", id2, "name", "Bob"), nil).wantStatus(t, http.StatusOK).
		wantBody(t, `data-announce="Guest 2 added"`, "You have added 2 guests")
	if got := r.Header.Get("HX-Push-Url"); got != "/party/guests" {
		t.Errorf("HX-Push-Url: %q", got)
	}
	c.post("/party/guests", form("add", "no"), nil).wantRedirect(t, "/party/parking")
	c.post("/party/parking", form("cars", "1"), nil).wantRedirect(t, "/party/end")
	c.post("/party/end", form(), nil).wantRedirect(t, "/party/review")

	// The review lists each guest with Change and Remove.
	c.get("/party/review", nil).wantStatus(t, http.StatusOK).wantBody(t,
		"Guest 1", "Name: Ann", "Guest 2", "Name: Bob",
		`href="/party/guests/2?return=review"`, `href="/party/guests/2/remove?return=review"`)

	// Removing from the review: two tabs show the same confirmation.
	conf := c.get("/party/guests/1/remove?return=review", nil).wantStatus(t, http.StatusOK).
		wantBody(t, "Are you sure you want to remove Guest 1?", "Name: Ann")
	rid := itemID(t, conf)
	if rid != id {
		t.Fatalf("remove form carries %q, want %q", rid, id)
	}
	// One guest left: parking leaves the journey, which is complete.
	c.post("/party/guests/1/remove?return=review", form("item", rid), nil).wantRedirect(t, "/party/review")
	c.post("/party/guests/1/remove?return=review", form("item", rid), nil).
		wantStatus(t, http.StatusConflict).wantBody(t, "already removed", `href="/party/guests?return=review"`)
	c.get("/party/review", nil).wantBody(t, "Name: Bob").wantNoBody(t, "Name: Ann", "Parking")

	// A change form drawn before its guest was removed changes nothing.
	stale := itemID(t, c.get("/party/guests/1", nil))
	c.post("/party/guests/1/remove", form("item", stale), nil).wantRedirect(t, "/party/guests?notice=Guest+removed")
	c.post("/party/guests/1", form("item", stale, "name", "Zed"), nil).
		wantStatus(t, http.StatusConflict).wantBody(t, "was removed")
	c.get("/party/guests", nil).wantBody(t, "Do you have any guests?").wantNoBody(t, "Zed", "Bob")

	// Back to two guests and submit: the items as a list, in order.
	c.post("/party/guests", form("add", "yes"), nil)
	addGuest(t, c, "1", "Cy")
	c.post("/party/guests", form("add", "yes"), nil)
	addGuest(t, c, "2", "Di")
	// Parking is back on the journey, answered before: on to it.
	c.post("/party/guests", form("add", "no"), nil).wantRedirect(t, "/party/parking")
	sid := submissionID(t, c, "/party/review")
	c.post("/party/submit", form("submission", sid), nil).wantRedirect(t, "/party/done")
	subs := sink.all()
	if len(subs) != 1 {
		t.Fatalf("%d submissions", len(subs))
	}
	var names []string
	for _, a := range subs[0].Answers {
		for _, it := range a.Items {
			names = append(names, it.Get("name"))
		}
	}
	if strings.Join(names, ",") != "Cy,Di" {
		t.Errorf("submitted guests: %v (%+v)", names, subs[0].Answers)
	}
}

func TestRepeatBadItems(t *testing.T) {
	ts := newCatalogServer(t, handlers.DefaultConfig(), &memorySink{}, partyWizard(0))
	c := newClient(t, ts)
	// Before the step is open, its items lead to where the user belongs.
	c.get("/party/guests/1", nil).wantRedirect(t, "/party/host")
	c.post("/party/host", form("name", "Hal"), nil)
	c.post("/party/guests", form("add", "yes"), nil)
	addGuest(t, c, "1", "Ann")
	for _, p := range []string{"/party/guests/0", "/party/guests/-1", "/party/guests/abc", "/party/guests/01", "/party/guests/3", "/party/guests/99", "/party/guests/1000000000000", "/party/guests/3/remove", "/party/guests/2/remove"} {
		c.get(p, nil).wantStatus(t, http.StatusNotFound).wantBody(t, "There is no such guest", "you have 1 guest", `href="/party/guests"`)
	}
	c.post("/party/guests/7", form("item", "aaaaaaaa", "name", "X"), nil).wantStatus(t, http.StatusNotFound)
	c.post("/party/guests/2", form("item", "not-an-id", "name", "X"), nil).wantStatus(t, http.StatusBadRequest)
	c.post("/party/guests/1/remove", form("item", ""), nil).wantStatus(t, http.StatusBadRequest)
	// Not a repeating step, or no step at all.
	c.get("/party/host/1", nil).wantStatus(t, http.StatusNotFound)
	c.get("/party/nope/1", nil).wantStatus(t, http.StatusNotFound)
	c.get("/party/guests", nil).wantBody(t, "Name: Ann").wantNoBody(t, "Guest 2")

	// At the maximum, no question: Continue moves on, and a new item is
	// refused with nothing lost.
	c.post("/party/guests", form("add", "yes"), nil)
	addGuest(t, c, "2", "Bob")
	spare := itemID(t, c.get("/party/guests/3", nil))
	c.post("/party/guests", form("add", "yes"), nil)
	addGuest(t, c, "3", "Cy")
	c.get("/party/guests", nil).wantBody(t, "You have added 3 guests", "most guests you can: 3", `data-testid="at-max"`).
		wantNoBody(t, "Do you need to add another guest?")
	c.post("/party/guests/3", form("item", spare, "name", "Dee"), nil).wantStatus(t, http.StatusConflict)
	c.post("/party/guests", form("add", "yes"), nil).wantRedirect(t, "/party/parking")
	c.get("/party/guests", nil).wantBody(t, "Name: Ann", "Name: Bob", "Name: Cy").wantNoBody(t, "Dee")
}

func TestRepeatMinimum(t *testing.T) {
	ts := newCatalogServer(t, handlers.DefaultConfig(), &memorySink{}, partyWizard(2))
	c := newClient(t, ts)
	// With a minimum, the first item's form comes straight away.
	c.post("/party/host", form("name", "Hal"), nil).wantRedirect(t, "/party/guests/1")
	c.get("/party/guests", nil).wantRedirect(t, "/party/guests/1")
	addGuest(t, c, "1", "Ann")
	c.post("/party/guests", form("add", "no"), nil).wantStatus(t, http.StatusUnprocessableEntity).
		wantBody(t, "You need to add at least 2 guests")
	c.get("/party/review", nil).wantRedirect(t, "/party/guests")
	c.post("/party/guests", form("add", "yes"), nil)
	addGuest(t, c, "2", "Bob")
	c.post("/party/guests", form("add", "no"), nil).wantRedirect(t, "/party/parking")
}
