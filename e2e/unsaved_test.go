package e2e

import (
	"testing"

	"github.com/wizard/wizard/handlers"
)

// TestUnsavedAnswerKept: an answer the server cannot save just now (here,
// from a client over its limit of new sessions) comes back on its step as
// typed, with the reason focused, with JavaScript (a swap, no reload) and
// without (a whole page).
func TestUnsavedAnswerKept(t *testing.T) {
	cfg := handlers.DefaultConfig()
	cfg.NewSessionsPerMinute = 1
	srv := newServer(t, cfg)
	first := newPage(t, srv)
	first.Open("/classic/name")
	first.Fill("v1", "Ada")
	first.Submit()
	first.WaitStep("/classic/job", "job")

	p := newPage(t, srv)
	p.Open("/classic/name")
	p.WaitStep("/classic/name", "name")
	p.Mark()
	p.Fill("v1", "Grace")
	p.Submit()
	p.WaitFor("the reason the answer was not saved", `document.querySelector('[data-testid="unsaved"]')`)
	if !p.Marked() {
		t.Error("the refused save reloaded the page; want a partial swap")
	}
	if got := p.Path(); got != "/classic/name" {
		t.Errorf("address bar %s, want /classic/name", got)
	}
	p.wantValue("v1", "Grace")
	p.WaitFor("focus on the reason", `document.activeElement === document.querySelector('[data-testid="unsaved"]')`)
	if got := p.Text(`[data-testid="unsaved"] h2`); got != "Please wait a moment" {
		t.Errorf("reason heading %q", got)
	}
	p.wantAnnounced("Please wait a moment. What is your name?")
	if got := srv.log(); got[len(got)-1].Status != 429 {
		t.Errorf("the refused save answered %d, want 429", got[len(got)-1].Status)
	}
	p.WantNoAxeViolations("a step whose answer was not saved")
	p.wantAccessibleStructure("a step whose answer was not saved")

	n := noScriptPage(t, srv, "/classic/name", "/classic/name")
	n.Fill("v1", "Hedy")
	n.Submit()
	n.Loaded("/classic/name", "name")
	if !n.Has(`[data-testid="unsaved"]`) {
		t.Error("no reason shown without JavaScript")
	}
	n.wantValue("v1", "Hedy")
}
