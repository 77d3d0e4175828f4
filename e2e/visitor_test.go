package e2e

import (
	"fmt"
	"strconv"
	"time"

	"github.com/wizard/wizard/internal/browsertest"
)

// Going through a wizard served from its definition file, with JavaScript
// or without, by the same steps.

// modes are the two ways a journey runs: with JavaScript (each step
// swapped in by htmx) and without (each post answered by a redirect and a
// new page).
var modes = []struct {
	name string
	js   bool
}{{"htmx", true}, {"without JavaScript", false}}

// visitor is a person in a tab going through the wizard named wizard,
// with JavaScript on or off.
type visitor struct {
	*page
	js     bool
	wizard string
}

// journeyTimeout bounds the browser work of a journey through a whole
// wizard, on a machine busy with other tests.
const journeyTimeout = 60 * time.Second

// newVisitor starts the wizard in tab p, with JavaScript on or off, and
// waits for its first step.
func newVisitor(p *page, js bool, wizard, first string) *visitor {
	p.T.Helper()
	v := &visitor{page: p, js: js, wizard: wizard}
	if !js {
		v.DisableScripts()
	}
	v.Open("/" + wizard + "/")
	v.WaitStep("/"+wizard+"/"+first, first)
	v.Mark()
	if got := browsertest.Eval[bool](p.Page, `typeof window.htmx !== "undefined"`); got != js {
		p.T.Fatalf("htmx loaded: %v, want %v", got, js)
	}
	return v
}

// arrive waits for the page of the wizard named page (a step, an exit,
// "review" or "done"): swapped in by htmx with JavaScript, a new document
// without.
func (v *visitor) arrive(page string) {
	v.T.Helper()
	path := "/" + v.wizard + "/" + page
	if v.js {
		v.swapped(path, page)
		return
	}
	v.Loaded(path, page)
}

// wantPosts checks the answers to the posts of the wizard's forms in log:
// without JavaScript, 303 (post, redirect, get); with it, htmx's posts
// answered 200 with the next page alone, not a whole document.
func (v *visitor) wantPosts(log []exchange) {
	v.T.Helper()
	posts := 0
	for _, e := range log {
		if e.Method != "POST" {
			continue
		}
		posts++
		switch {
		case !v.js && (e.HX || e.Status != 303):
			v.T.Errorf("POST %s without JavaScript: status %d, htmx %v; want 303 to a plain form post", e.Path, e.Status, e.HX)
		case v.js && (!e.HX || e.Status != 200 || e.Full):
			v.T.Errorf("POST %s with JavaScript: status %d, htmx %v, whole page %v; want 200 and a partial for htmx", e.Path, e.Status, e.HX, e.Full)
		}
	}
	if posts == 0 {
		v.T.Error("no form was posted")
	}
}

// selectOption picks the option labelled label in the select field named
// name. The list a select opens is drawn by the browser, out of reach of
// DevTools input, so the choice is made as the list makes it: the value
// changes, and the page hears "input" and "change".
func (p *page) selectOption(name, label string) {
	p.T.Helper()
	ok := browsertest.Eval[bool](p.Page, fmt.Sprintf(`(() => {
		const s = document.getElementById(%s);
		const o = s && [...s.options].find(o => o.textContent.trim() === %s);
		if (!o) return false;
		s.value = o.value;
		s.dispatchEvent(new Event("input", {bubbles: true}));
		s.dispatchEvent(new Event("change", {bubbles: true}));
		return true;
	})()`, strconv.Quote("f-"+name), strconv.Quote(label)))
	if !ok {
		p.T.Fatalf("select %s has no option labelled %q", name, label)
	}
}

// setDate puts value (year-month-day) into the date field named name.
// What a date input accepts from the keyboard depends on the browser's
// locale, so the value is set as the date picker sets it.
func (p *page) setDate(name, value string) {
	p.T.Helper()
	got := browsertest.Eval[string](p.Page, fmt.Sprintf(`(() => {
		const d = document.getElementById(%s);
		d.value = %s;
		d.dispatchEvent(new Event("input", {bubbles: true}));
		d.dispatchEvent(new Event("change", {bubbles: true}));
		return d.value;
	})()`, strconv.Quote("f-"+name), strconv.Quote(value)))
	if got != value {
		p.T.Fatalf("date field %s holds %q after setting %q", name, got, value)
	}
}

// wantShown checks whether the question named name shows as the user
// sees it, after what the user just did: its field and its input take up
// room on the page, whatever hides them (the hidden attribute, CSS). A
// script may take a moment to react, so it waits.
func (p *page) wantShown(name string, want bool, after string) {
	p.T.Helper()
	expr := fmt.Sprintf(`(() => {
		const seen = el => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
		return seen(document.querySelector(%s)) && seen(document.getElementById(%s));
	})() === %v`, strconv.Quote(`#step [data-testid="field-`+name+`"]`), strconv.Quote("f-"+name), want)
	what := "hidden"
	if want {
		what = "shown"
	}
	p.WaitFor(fmt.Sprintf("question %s %s after %s", name, what, after), expr)
}

// click is an option the user clicks, and whether a question shows then.
type click struct {
	option string
	shows  bool
}

// wantReveals clicks the options in turn, on their labels, checking after
// each whether the question named name shows.
func (p *page) wantReveals(name string, clicks ...click) {
	p.T.Helper()
	for _, c := range clicks {
		p.Choose(c.option)
		p.wantShown(name, c.shows, "clicking "+c.option)
	}
}
