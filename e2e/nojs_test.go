package e2e

import (
	"fmt"
	"testing"

	"github.com/wizard/wizard/internal/browsertest"
)

// noScriptPage opens a tab with JavaScript turned off, and checks that it
// is off once a page of srv has loaded.
func noScriptPage(t *testing.T, srv *server, path, step string) *page {
	t.Helper()
	p := newPage(t, srv)
	p.DisableScripts()
	p.Open(path)
	p.Loaded(step, stepName(step))
	if browsertest.Eval[bool](p.Page, `typeof window.htmx !== "undefined"`) {
		t.Fatal("htmx ran although JavaScript is off")
	}
	return p
}

// stepName is the last segment of a step's path.
func stepName(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[i+1:]
		}
	}
	return path
}

// TestClassicWithoutJavaScript goes through the whole classic wizard with
// JavaScript off: plain form posts answered by redirects, full pages.
func TestClassicWithoutJavaScript(t *testing.T) {
	srv := defaultServer(t)
	p := noScriptPage(t, srv, "/classic/", "/classic/name")

	// Nothing typed: refused, on a whole page.
	p.Submit()
	p.Loaded("/classic/name", "name")
	if got := p.Text(`[data-testid="error-summary"] a`); got != "Enter your name" {
		t.Errorf("error summary says %q, want \"Enter your name\"", got)
	}
	if title := browsertest.Eval[string](p.Page, "document.title"); title != "Error: What is your name? – The classic" {
		t.Errorf("document title %q", title)
	}

	p.Fill("v1", "Ada")
	p.Submit()
	p.Loaded("/classic/job", "job")
	if got := p.Text("#step h1"); got != "Ada, what is your job?" {
		t.Errorf("heading %q, want \"Ada, what is your job?\"", got)
	}
	// Without JavaScript there is no warning before the session expires;
	// the page says how long answers are kept.
	if got := p.Text(`[data-testid="idle-note"]`); got != "We delete your answers after 30 minutes without activity." {
		t.Errorf("idle note %q", got)
	}

	// The back link is a plain link.
	p.Click(`[data-testid="back"]`)
	p.Loaded("/classic/name", "name")
	p.wantValue("v1", "Ada")
	p.Submit()
	p.Loaded("/classic/job", "job")

	p.Fill("v2", "Mathematician")
	p.Submit()
	p.Loaded("/classic/review", "review")
	if got := p.Text("#step h1"); got != "Ready to submit?" {
		t.Errorf("review heading %q, want \"Ready to submit?\"", got)
	}
	p.wantReview("name-v1=Ada", "job-v2=Mathematician")

	p.Submit()
	p.Loaded("/classic/done", "done")
	if got := p.Text("#step h1"); got != "Thank you." {
		t.Errorf("done heading %q, want \"Thank you.\"", got)
	}
	ref := p.reference("CLA")
	srv.wantSubmission(t, ref, "name.v1=Ada", "job.v2=Mathematician")
}

// TestRegisterWithoutJavaScript goes through the register wizard with
// JavaScript off, by the speaker's branch; "Other" reveals its question by
// CSS alone.
func TestRegisterWithoutJavaScript(t *testing.T) {
	srv := defaultServer(t)
	p := noScriptPage(t, srv, "/register/", "/register/details")
	p.Fill("name", adaName)
	p.Fill("email", "ada@")
	p.Submit()
	p.Loaded("/register/details", "details")
	p.wantValue("name", adaName)
	p.wantValue("email", "ada@")
	if !p.Has(`[data-testid="error-summary"]`) {
		t.Fatal("no error summary for a refused email address")
	}
	p.Fill("email", adaEmail)
	p.Submit()
	p.Loaded("/register/ticket", "ticket")

	p.Choose("Speaker")
	p.Submit()
	p.Loaded("/register/talk", "talk")
	p.wantProgress("Step 3 of 5")
	p.Fill("title", talkTitle)
	p.Fill("abstract", abstract)
	p.Submit()

	// The list of guests, by plain links and forms.
	p.Loaded("/register/guests", "guests")
	p.Submit()
	p.Loaded("/register/guests", "guests")
	if !p.Has(`[data-testid="error-summary"]`) {
		t.Fatal("no error summary when the guests' question is not answered")
	}
	for i, name := range []string{"Charles Babbage", "Mary Somerville"} {
		p.Choose("Yes")
		p.Submit()
		p.Loaded(fmt.Sprintf("/register/guests/%d", i+1), "guests")
		p.Fill("name", name)
		p.Submit()
		p.Loaded(fmt.Sprintf("/register/guests?notice=Guest+%d+added", i+1), "guests")
		if got, want := p.Text(`[data-testid="notice"]`), fmt.Sprintf("Guest %d added", i+1); got != want {
			t.Errorf("notice %q, want %q", got, want)
		}
	}
	// Change the first: it keeps its place.
	p.Click(`[data-testid="change-1"]`)
	p.Loaded("/register/guests/1", "guests")
	p.wantValue("name", "Charles Babbage")
	p.Fill("name", "Charles Babbage FRS")
	p.Submit()
	p.Loaded("/register/guests?notice=Guest+1+changed", "guests")
	p.wantGuests("Charles Babbage FRS", "Mary Somerville")
	// Remove the second.
	p.Click(`[data-testid="remove-2"]`)
	p.Loaded("/register/guests/2/remove", "remove")
	p.Click(`[data-testid="confirm-remove"]`)
	p.Loaded("/register/guests?notice=Guest+removed", "guests")
	p.wantGuests("Charles Babbage FRS")
	p.Choose("No")
	p.Submit()
	p.Loaded("/register/needs", "needs")

	if p.Visible("#f-access_other") {
		t.Error("the other accessibility need is asked before Other is ticked")
	}
	p.Choose("Gluten free")
	p.Click(`label[for="f-access-5"]`) // the accessibility needs' "Other"
	if !p.Visible("#f-access_other") {
		t.Fatal("ticking Other does not reveal its question without JavaScript")
	}
	p.Fill("access_other", "A seat near the door")
	p.Submit()
	p.Loaded("/register/review", "review")
	p.wantReview("details-name="+adaName, "details-email="+adaEmail, "ticket-type=Speaker",
		"talk-title="+talkTitle, "talk-abstract="+abstract,
		"guests-1=Guest's full name: Charles Babbage FRS, Dietary needs: Not given",
		"needs-dietary=Gluten free", "needs-access=Other", "needs-access_other=A seat near the door")

	p.Submit()
	p.Loaded("/register/done", "done")
	ref := p.reference("REG")
	srv.wantSubmission(t, ref,
		"details.name="+adaName, "details.email="+adaEmail, "ticket.type=speaker",
		"talk.title="+talkTitle, "talk.abstract="+abstract,
		"guests: 1 items", "guests[1].dietary=", "guests[1].name=Charles Babbage FRS",
		"needs.dietary=gluten-free", "needs.access=other", "needs.access_other=A seat near the door")
}
