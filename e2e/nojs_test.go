package e2e

import (
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
	p.wantProgress("Step 3 of 4")
	p.Fill("title", talkTitle)
	p.Fill("abstract", abstract)
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
		"needs-dietary=Gluten free", "needs-access=Other", "needs-access_other=A seat near the door")

	p.Submit()
	p.Loaded("/register/done", "done")
	ref := p.reference("REG")
	srv.wantSubmission(t, ref,
		"details.name="+adaName, "details.email="+adaEmail, "ticket.type=speaker",
		"talk.title="+talkTitle, "talk.abstract="+abstract,
		"needs.dietary=gluten-free", "needs.access=other", "needs.access_other=A seat near the door")
}
