package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wizard/wizard/internal/browsertest"
)

// A wizard whose definition file changes while people are in the middle
// of it: each journey is recomputed from the saved answers under the new
// definition.

// The club's definition, before and after the change: the first step
// gains a required question, the boat step goes.
const (
	clubBefore = clubYou + clubBoat + clubContact
	clubAfter  = clubYou + clubLicence + clubContact

	clubYou = `version: 1
title: Angling club
ref_prefix: CLB
steps:
  - name: you
    title: About you
    fields:
      - {name: name, label: Full name, required: true}
`
	clubLicence = `      - {name: licence, label: Licence number, required: true}
`
	clubBoat = `  - name: boat
    title: Your boat
    fields:
      - {name: boat, label: Boat name, required: true}
`
	clubContact = `  - name: contact
    title: How can we reach you?
    submit: Join
    fields:
      - {name: email, kind: email, label: Email address, required: true}
`
)

// clubServer serves clubBefore from a file of a directory of its own,
// and returns the function that changes the file to def and reloads the
// wizards, as a save in `make dev` or a SIGHUP does.
func clubServer(t *testing.T) (*server, func(def string)) {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "club.yaml")
	write := func(def string) {
		t.Helper()
		if err := os.WriteFile(file, []byte(def), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(clubBefore)
	srv := dirServer(t, dir)
	return srv, func(def string) {
		t.Helper()
		write(def)
		if err := srv.app.SetWizards(loadCatalog(t, dir)); err != nil {
			t.Fatalf("reload the wizards: %v", err)
		}
	}
}

// clubber goes through the club wizard.
type clubber struct{ *visitor }

func newClubber(t *testing.T, srv *server, js bool) clubber {
	t.Helper()
	return clubber{newVisitor(newPageFor(t, srv, journeyTimeout), js, "club", "you")}
}

// answer fills the fields (name, value, name, value...) of the step on
// screen, continues, and waits for the page next.
func (c clubber) answer(next string, fields ...string) {
	c.T.Helper()
	for i := 0; i+1 < len(fields); i += 2 {
		c.Fill(fields[i], fields[i+1])
	}
	c.Submit()
	c.arrive(next)
}

// wantBackTo checks where the step's Back link leads.
func (c clubber) wantBackTo(path string) {
	c.T.Helper()
	if got := browsertest.Eval[string](c.Page, `document.querySelector('#step [data-testid="back"]').getAttribute("href")`); got != path {
		c.T.Errorf("Back leads to %s, want %s", got, path)
	}
}

// TestRedefinedMidJourney: the club's definition changes under people
// in the middle of it: the first step gains a required question, the boat
// step goes. Someone who had answered the boat step is asked the new
// question before the review, the boat step is skipped and its answer
// left out of the review and the submission; a submit on a review shown
// before the change is checked against the new definition and stores
// nothing until the new question is answered.
func TestRedefinedMidJourney(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			t.Run("on a later step", func(t *testing.T) {
				srv, redefine := clubServer(t)
				c := newClubber(t, srv, m.js)
				c.answer("boat", "name", adaName)
				c.answer("contact", "boat", "Dinghy")
				c.wantProgress("Step 3 of 3")

				redefine(clubAfter)
				c.Fill("email", adaEmail)
				c.Submit()
				c.arrive("you")
				c.wantValue("name", adaName)
				c.wantValue("licence", "")
				c.wantProgress("Step 1 of 2")
				c.answer("contact", "licence", "EA-1234")
				c.wantProgress("Step 2 of 2")
				c.wantBackTo("/club/you")
				c.answer("review", "email", adaEmail)
				c.wantReview("you-name="+adaName, "you-licence=EA-1234", "contact-email="+adaEmail)
				// The removed step's address leads where the journey is.
				c.Open("/club/boat")
				c.Loaded("/club/review", "review")
				c.Submit()
				c.arrive("done")
				srv.wantSubmission(t, c.reference("CLB"), "you.name="+adaName, "you.licence=EA-1234", "contact.email="+adaEmail)
			})
			t.Run("on the review", func(t *testing.T) {
				srv, redefine := clubServer(t)
				c := newClubber(t, srv, m.js)
				c.answer("boat", "name", adaName)
				c.answer("contact", "boat", "Dinghy")
				c.answer("review", "email", adaEmail)
				c.wantReview("you-name="+adaName, "boat-boat=Dinghy", "contact-email="+adaEmail)

				redefine(clubAfter)
				c.Submit()
				// The new question, refused as any unanswered question is
				// at a submit: without JavaScript at the address the form
				// posted to, as today.
				at := "/club/submit"
				if m.js {
					at = "/club/you?return=review"
				}
				c.WaitStep(at, "you")
				c.WaitFor("the error summary", `document.querySelector('[data-testid="error-summary"]')`)
				c.Mark()
				if e := lastPost(srv.log()); e.Path != "/club/submit" || e.Status != 422 {
					t.Errorf("the submit answered %+v, want 422", e)
				}
				if n := len(srv.submitted(t)); n != 0 {
					t.Fatalf("a submit checked against the old definition stored %d submissions", n)
				}
				if !c.Has(`[data-testid="error-summary"] a[href="#f-licence"]`) || c.Has(`[data-testid="error-summary"] a[href="#f-name"]`) {
					t.Errorf("the error summary does not point at the new question alone")
				}
				c.wantValue("name", adaName)
				c.wantValue("licence", "")
				c.answer("review", "licence", "EA-1234")
				c.wantReview("you-name="+adaName, "you-licence=EA-1234", "contact-email="+adaEmail)
				c.Submit()
				c.arrive("done")
				srv.wantSubmission(t, c.reference("CLB"), "you.name="+adaName, "you.licence=EA-1234", "contact.email="+adaEmail)
			})
		})
	}
}

// TestRedefinedStepOnScreen: someone filling in the boat step when it is
// removed, and continuing, is sent to the first open step (the new
// question), as the issue asks of a step that disappeared.
func TestRedefinedStepOnScreen(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			srv, redefine := clubServer(t)
			c := newClubber(t, srv, m.js)
			c.answer("boat", "name", adaName)
			redefine(clubAfter)
			c.Fill("boat", "Dinghy")
			c.Submit()
			c.arrive("you")
			c.wantValue("name", adaName)
			c.wantValue("licence", "")
		})
	}
}

// lastPost returns the last POST of log.
func lastPost(log []exchange) exchange {
	for i := len(log) - 1; i >= 0; i-- {
		if log[i].Method == "POST" {
			return log[i]
		}
	}
	return exchange{}
}
