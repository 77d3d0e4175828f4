package handlers_test

import (
	"encoding/json"
	"html"
	"reflect"
	"regexp"
	"testing"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/handlers"
)

// TestConditionalFieldsForScripts: a field whose condition is on its own
// step's answers carries it for the script, with the leaves on earlier
// answers decided (and folded away); one that cannot apply whatever is
// typed is not shown at all. Without the script, the server ignores the
// values of fields whose condition does not hold.
func TestConditionalFieldsForScripts(t *testing.T) {
	sink := &memorySink{}
	ts := newCatalogServer(t, handlers.DefaultConfig(), sink, licence())
	c := newClient(t, ts)

	inEnglandOrWales := &wizard.ScriptCondition{Field: "country", Test: "in", Values: []string{"england", "wales"}}
	noRiver := &wizard.ScriptCondition{Not: &wizard.ScriptCondition{All: []*wizard.ScriptCondition{
		inEnglandOrWales, {Field: "river", Test: "answered"},
	}}}
	c.post("/licence/angler", form("name", "Ada", "age", "30"), nil).wantRedirect(t, "/licence/water")
	res := c.get("/licence/water", nil).wantStatus(t, 200)
	wantShowWhen(t, res, map[string]*wizard.ScriptCondition{
		"country": nil,
		"river":   inEnglandOrWales,
		"boat":    {Field: "country", Test: "ne", Value: "scotland"},
		"bank":    noRiver,
	})

	// Under 16: "boat" cannot apply, whatever the country.
	c.post("/licence/angler", form("name", "Ada", "age", "14"), nil).wantRedirect(t, "/licence/water")
	res = c.get("/licence/water", nil).wantStatus(t, 200).wantNoBody(t, `name="boat"`)
	wantShowWhen(t, res, map[string]*wizard.ScriptCondition{"country": nil, "river": inEnglandOrWales, "bank": noRiver})

	// Posted as a browser without the script does: every field.
	c.post("/licence/water", form("country", "northern-ireland", "river", "Bann", "bank", "left"), nil).wantRedirect(t, "/licence/catch")
	wantShowWhen(t, c.get("/licence/catch", nil), map[string]*wizard.ScriptCondition{
		"weight": nil,
		"record": {Field: "weight", Test: "gt", Value: "10", Kind: "number"},
	})
	c.post("/licence/catch", form("weight", "3", "record", "yes"), nil).wantRedirect(t, "/licence/review")
	c.get("/licence/review", nil).wantStatus(t, 200).wantBody(t, "Which bank?", "left").wantNoBody(t, "Bann", "River", "yes")
	c.post("/licence/submit", form("submission", submissionID(t, c, "/licence/review")), nil).wantRedirect(t, "/licence/done")
	subs := sink.all()
	if len(subs) != 1 {
		t.Fatalf("%d submissions, want 1", len(subs))
	}
	var fields []string
	for _, a := range subs[0].Answers {
		fields = append(fields, a.Step+"."+a.Field)
	}
	if want := []string{"angler.name", "angler.age", "water.country", "water.bank", "catch.weight"}; !reflect.DeepEqual(fields, want) {
		t.Errorf("submitted fields %q, want %q", fields, want)
	}
}

// fieldDiv finds a field's wrapper and, when it has one, its data-show-when.
var fieldDiv = regexp.MustCompile(`<div class="field[^"]*" data-testid="field-([a-z_-]+)"(?: data-show-when="([^"]*)")?>`)

// wantShowWhen checks the conditions the page's fields carry for the
// script: exactly the fields named, nil for one shown without condition.
func wantShowWhen(t *testing.T, res *response, want map[string]*wizard.ScriptCondition) {
	t.Helper()
	got := map[string]*wizard.ScriptCondition{}
	for _, m := range fieldDiv.FindAllStringSubmatch(res.body, -1) {
		got[m[1]] = nil
		if m[2] != "" {
			var sc wizard.ScriptCondition
			if err := json.Unmarshal([]byte(html.UnescapeString(m[2])), &sc); err != nil {
				t.Fatalf("field %q: data-show-when %q: %v", m[1], m[2], err)
			}
			got[m[1]] = &sc
		}
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		t.Errorf("%s: fields and their conditions\n got %s\nwant %s", res.Request.URL.Path, g, w)
	}
}
