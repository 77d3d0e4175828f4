package e2e

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/wizard/wizard"
)

// What the tests check after a person moves from one page to the next.

// mark puts a value on window that only a full page load loses.
func (p *page) mark() {
	p.t.Helper()
	eval[bool](p, `(window.__e2eMarker = "still here", true)`)
}

// marked reports whether the value mark set survives.
func (p *page) marked() bool {
	p.t.Helper()
	return eval[bool](p, `window.__e2eMarker === "still here"`)
}

// swapped checks that htmx swapped in the step at path: the address bar
// follows, the document is the one marked at load, focus moves to the new
// heading and the live region announces it, the document title names it.
func (p *page) swapped(path, step string) {
	p.t.Helper()
	p.waitStep(path, step)
	if !p.marked() {
		p.t.Fatalf("step %q: the page was reloaded, want a partial swap", step)
	}
	p.waitFor("focus on the heading of "+step, `document.activeElement === document.querySelector("#step h1")`)
	p.wantAnnounced(p.text("#step h1"))
	p.wantTitle()
}

// wantTitle checks that the document title names the page: the step's
// heading (the review's too), or "Submitted" on the done page.
func (p *page) wantTitle() {
	p.t.Helper()
	title, h1 := eval[string](p, "document.title"), p.text("#step h1")
	want := h1 + " – "
	if p.has(`[data-testid="done"]`) {
		want = "Submitted – "
	}
	if !strings.HasPrefix(title, want) {
		p.t.Errorf("document title %q, want it to start with %q", title, want)
	}
}

// loaded waits until the browser has loaded the step at path as a new
// document (the marked one gone), as it does without JavaScript, and marks
// the new one.
func (p *page) loaded(path, step string) {
	p.t.Helper()
	p.waitFor("a new document", `window.__e2eMarker !== "still here"`)
	p.waitStep(path, step)
	p.mark()
}

// wantAnnounced waits until the polite live region holds text.
func (p *page) wantAnnounced(text string) {
	p.t.Helper()
	p.waitFor("the live region to announce "+strconv.Quote(text),
		fmt.Sprintf(`document.getElementById("announcer").textContent.includes(%s)`, strconv.Quote(text)))
}

// wantProgress checks the "Step N of M" text.
func (p *page) wantProgress(want string) {
	p.t.Helper()
	if got := p.text(`[data-testid="progress"]`); got != want {
		p.t.Errorf("progress %q, want %q", got, want)
	}
}

// wantValue checks what the text field named name holds.
func (p *page) wantValue(name, want string) {
	p.t.Helper()
	if got := p.value(name); got != want {
		p.t.Errorf("field %s holds %q, want %q", name, got, want)
	}
}

// wantChecked checks which options of the field named name are checked.
func (p *page) wantChecked(name string, want ...string) {
	p.t.Helper()
	got := p.checked(name)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		p.t.Errorf("field %s: checked %q, want %q", name, got, want)
	}
}

// wantReview checks the answers the review page lists, by the data-testid
// of their rows (answer-<step>-<field>), in order.
func (p *page) wantReview(want ...string) {
	p.t.Helper()
	got := eval[[]string](p, `[...document.querySelectorAll("#step .summary-row")].map(r =>
		r.dataset.testid.replace(/^answer-/, "") + "=" + r.querySelector(".summary-value").innerText.trim().replace(/\n/g, ", "))`)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		p.t.Errorf("review lists\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

// reference returns the reference on the done page, checking its form.
func (p *page) reference(prefix string) string {
	p.t.Helper()
	ref := p.text(`[data-testid="reference"]`)
	if !regexp.MustCompile(`^` + prefix + `-[0-9A-Z]{8}$`).MatchString(ref) {
		p.t.Errorf("reference %q, want %s-XXXXXXXX", ref, prefix)
	}
	return ref
}

// wantSubmission checks that the server stored exactly one submission,
// with the reference and the answers (step.field=values, in order).
func (s *server) wantSubmission(tb testing.TB, ref string, answers ...string) {
	tb.Helper()
	lines := s.submitted(tb)
	if len(lines) != 1 {
		tb.Fatalf("the sink holds %d submissions, want 1:\n%s", len(lines), lines)
	}
	var sub wizard.Submission
	if err := json.Unmarshal(lines[0], &sub); err != nil {
		tb.Fatalf("submission %s: %v", lines[0], err)
	}
	if sub.Reference != ref {
		tb.Errorf("stored reference %q, the page shows %q", sub.Reference, ref)
	}
	var got []string
	for _, a := range sub.Answers {
		got = append(got, a.Step+"."+a.Field+"="+strings.Join(a.Values, ","))
	}
	if strings.Join(got, "\n") != strings.Join(answers, "\n") {
		tb.Errorf("stored answers\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(answers, "\n\t"))
	}
}

// The register wizard, step by step, with JavaScript (each step swapped in
// by htmx). Each helper starts on its step and ends on the next one.

func (p *page) startRegister() {
	p.t.Helper()
	p.open("/register/")
	p.waitStep("/register/details", "details")
	p.mark()
}

func (p *page) answerDetails(name, email string) {
	p.t.Helper()
	p.fill("name", name)
	p.fill("email", email)
	p.submit()
	p.swapped("/register/ticket", "ticket")
}

// answerTicket chooses a ticket by its label; next is the step it leads to.
func (p *page) answerTicket(label, next string) {
	p.t.Helper()
	p.choose(label)
	p.submit()
	p.swapped("/register/"+next, next)
}

func (p *page) answerStudent(university, id string) {
	p.t.Helper()
	p.fill("university", university)
	p.fill("student_id", id)
	p.submit()
	p.swapped("/register/needs", "needs")
}

func (p *page) answerTalk(title, abstract string) {
	p.t.Helper()
	p.fill("title", title)
	p.fill("abstract", abstract)
	p.submit()
	p.swapped("/register/needs", "needs")
}

// answerNeeds ticks the options labelled labels and registers.
func (p *page) answerNeeds(labels ...string) {
	p.t.Helper()
	for _, l := range labels {
		p.choose(l)
	}
	p.submit()
	p.swapped("/register/review", "review")
}

// submitReview clicks Submit on the review and waits for the done page.
func (p *page) submitReview(wizard string) {
	p.t.Helper()
	p.submit()
	p.swapped("/"+wizard+"/done", "done")
}

// Answers the tests give.
const (
	adaName   = "Ada Lovelace"
	adaEmail  = "ada@example.org"
	talkTitle = "Notes on the Analytical Engine"
	abstract  = "How a machine that weaves patterns of numbers could compose music, given the rules."
)
