package e2e

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wizard/wizard"

	"github.com/wizard/wizard/internal/browsertest"
)

// What the tests check after a person moves from one page to the next.

// swapped checks that htmx swapped in the step at path: the address bar
// follows, the document is the one marked at load, focus moves to the new
// heading and the live region announces it, the document title names it.
func (p *page) swapped(path, step string) {
	p.T.Helper()
	p.WaitStep(path, step)
	if !p.Marked() {
		p.T.Fatalf("step %q: the page was reloaded, want a partial swap", step)
	}
	p.WaitFor("focus on the heading of "+step, `document.activeElement === document.querySelector("#step h1")`)
	p.wantAnnounced(p.Text("#step h1"))
	p.wantTitle()
}

// wantTitle checks that the document title names the page: the step's
// heading (the review's too), or "Submitted" on the done page.
func (p *page) wantTitle() {
	p.T.Helper()
	title, h1 := browsertest.Eval[string](p.Page, "document.title"), p.Text("#step h1")
	want := h1 + " – "
	if p.Has(`[data-testid="done"]`) {
		want = "Submitted – "
	}
	if !strings.HasPrefix(title, want) {
		p.T.Errorf("document title %q, want it to start with %q", title, want)
	}
}

// wantAnnounced waits until the polite live region holds text.
func (p *page) wantAnnounced(text string) {
	p.T.Helper()
	p.WaitFor("the live region to announce "+strconv.Quote(text),
		fmt.Sprintf(`document.getElementById("announcer").textContent.includes(%s)`, strconv.Quote(text)))
}

// wantProgress checks the "Step N of M" text.
func (p *page) wantProgress(want string) {
	p.T.Helper()
	if got := p.Text(`[data-testid="progress"]`); got != want {
		p.T.Errorf("progress %q, want %q", got, want)
	}
}

// wantValue checks what the text field named name holds.
func (p *page) wantValue(name, want string) {
	p.T.Helper()
	if got := p.Value(name); got != want {
		p.T.Errorf("field %s holds %q, want %q", name, got, want)
	}
}

// wantChecked checks which options of the field named name are checked.
func (p *page) wantChecked(name string, want ...string) {
	p.T.Helper()
	got := p.Checked(name)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		p.T.Errorf("field %s: checked %q, want %q", name, got, want)
	}
}

// wantReview checks the answers the review page lists, by the data-testid
// of their rows (answer-<step>-<field>), in order.
func (p *page) wantReview(want ...string) {
	p.T.Helper()
	got := browsertest.Eval[[]string](p.Page, `[...document.querySelectorAll("#step .summary-row")].map(r =>
		r.dataset.testid.replace(/^answer-/, "") + "=" + r.querySelector(".summary-value").innerText.trim().replace(/\n/g, ", "))`)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		p.T.Errorf("review lists\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

// reference returns the reference on the done page, checking its form.
func (p *page) reference(prefix string) string {
	p.T.Helper()
	ref := p.Text(`[data-testid="reference"]`)
	if !regexp.MustCompile(`^` + prefix + `-[0-9A-Z]{8}$`).MatchString(ref) {
		p.T.Errorf("reference %q, want %s-XXXXXXXX", ref, prefix)
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
		if a.Items == nil {
			got = append(got, a.Step+"."+a.Field+"="+strings.Join(a.Values, ","))
			continue
		}
		// A list: step[n].field=values, fields in name order.
		got = append(got, fmt.Sprintf("%s: %d items", a.Step, len(a.Items)))
		for i, it := range a.Items {
			for _, f := range slices.Sorted(maps.Keys(it)) {
				got = append(got, fmt.Sprintf("%s[%d].%s=%s", a.Step, i+1, f, strings.Join(it[f], ",")))
			}
		}
	}
	if strings.Join(got, "\n") != strings.Join(answers, "\n") {
		tb.Errorf("stored answers\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(answers, "\n\t"))
	}
}

// The register wizard, step by step, with JavaScript (each step swapped in
// by htmx). Each helper starts on its step and ends on the next one.

func (p *page) startRegister() {
	p.T.Helper()
	p.Open("/register/")
	p.WaitStep("/register/details", "details")
	p.Mark()
}

func (p *page) answerDetails(name, email string) {
	p.T.Helper()
	p.Fill("name", name)
	p.Fill("email", email)
	p.Submit()
	p.swapped("/register/ticket", "ticket")
}

// answerTicket chooses a ticket by its label; next is the step it leads to.
func (p *page) answerTicket(label, next string) {
	p.T.Helper()
	p.Choose(label)
	p.Submit()
	p.swapped("/register/"+next, next)
}

func (p *page) answerStudent(university, id string) {
	p.T.Helper()
	p.Fill("university", university)
	p.Fill("student_id", id)
	p.Submit()
	p.swapped("/register/needs", "needs")
}

// answerTalk ends on the list of the speaker's guests.
func (p *page) answerTalk(title, abstract string) {
	p.T.Helper()
	p.Fill("title", title)
	p.Fill("abstract", abstract)
	p.Submit()
	p.swapped("/register/guests", "guests")
}

// answerNoMoreGuests answers the guests' question "no".
func (p *page) answerNoMoreGuests() {
	p.T.Helper()
	p.Choose("No")
	p.Submit()
	p.swapped("/register/needs", "needs")
}

// addGuest adds guest n from the list of guests: "yes", then the guest's
// form, back on the list, which announces the new guest.
func (p *page) addGuest(n int, name, dietary string) {
	p.T.Helper()
	p.Choose("Yes")
	p.Submit()
	p.swapped(fmt.Sprintf("/register/guests/%d", n), "guests")
	if got, want := p.Text(`[data-testid="item-label"]`), fmt.Sprintf("Guest %d", n); got != want {
		p.T.Errorf("the guest's form is for %q, want %q", got, want)
	}
	p.Fill("name", name)
	if dietary != "" {
		p.selectOption("dietary", dietary)
	}
	p.Submit()
	p.swapped("/register/guests", "guests")
	p.wantAnnounced(fmt.Sprintf("Guest %d added", n))
}

// wantGuests checks the names the list of guests shows, in order.
func (p *page) wantGuests(names ...string) {
	p.T.Helper()
	got := browsertest.Eval[[]string](p.Page, `[...document.querySelectorAll('[data-testid="items"] .summary-value')].map(v => v.innerText.split("\n")[0])`)
	var want []string
	for _, n := range names {
		want = append(want, "Guest's full name: "+n)
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		p.T.Errorf("guests listed %q, want %q", got, want)
	}
}

// answerNeeds ticks the options labelled labels and registers.
func (p *page) answerNeeds(labels ...string) {
	p.T.Helper()
	for _, l := range labels {
		p.Choose(l)
	}
	p.Submit()
	p.swapped("/register/review", "review")
}

// submitReview clicks Submit on the review and waits for the done page.
func (p *page) submitReview(wizard string) {
	p.T.Helper()
	p.Submit()
	p.swapped("/"+wizard+"/done", "done")
}

// Answers the tests give.
const (
	adaName   = "Ada Lovelace"
	adaEmail  = "ada@example.org"
	talkTitle = "Notes on the Analytical Engine"
	abstract  = "How a machine that weaves patterns of numbers could compose music, given the rules."
)
