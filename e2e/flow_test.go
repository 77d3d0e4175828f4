package e2e

import (
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"

	"github.com/wizard/wizard/internal/browsertest"
)

// TestRegisterBranches goes through the register wizard by each of its
// three ticket types to the done page, every step swapped in by htmx with
// the address bar following.
func TestRegisterBranches(t *testing.T) {
	t.Run("student", func(t *testing.T) {
		srv := defaultServer(t)
		p := newPage(t, srv)
		p.startRegister()
		p.wantProgress("Step 1 of 3")
		p.answerDetails(adaName, adaEmail)
		p.wantProgress("Step 2 of 3")
		p.answerTicket("Student", "student")
		p.wantProgress("Step 3 of 4")
		p.answerStudent("University of London", "UL-1843")
		p.wantProgress("Step 4 of 4")
		p.answerNeeds("Vegan", "Quiet room")
		p.wantReview(
			"details-name="+adaName, "details-email="+adaEmail, "ticket-type=Student",
			"student-university=University of London", "student-student_id=UL-1843",
			"needs-dietary=Vegan", "needs-access=Quiet room")
		p.submitReview("register")
		ref := p.reference("REG")
		srv.wantSubmission(t, ref,
			"details.name="+adaName, "details.email="+adaEmail, "ticket.type=student",
			"student.university=University of London", "student.student_id=UL-1843",
			"needs.dietary=vegan", "needs.access=quiet-room")
	})
	t.Run("regular", func(t *testing.T) {
		srv := defaultServer(t)
		p := newPage(t, srv)
		p.startRegister()
		p.answerDetails(adaName, adaEmail)
		p.answerTicket("Regular", "needs")
		p.wantProgress("Step 3 of 3")
		// The page's own Back link swaps too.
		p.Click(`[data-testid="back"]`)
		p.swapped("/register/ticket", "ticket")
		p.wantChecked("type", "Regular")
		p.Submit()
		p.swapped("/register/needs", "needs")
		p.answerNeeds()
		p.wantReview("details-name="+adaName, "details-email="+adaEmail, "ticket-type=Regular",
			"needs-dietary=Not given", "needs-access=Not given")
		p.submitReview("register")
		ref := p.reference("REG")
		// Questions left blank are part of the submission, with no values,
		// as the review listed them.
		srv.wantSubmission(t, ref,
			"details.name="+adaName, "details.email="+adaEmail, "ticket.type=regular",
			"needs.dietary=", "needs.access=")
	})
	t.Run("speaker", func(t *testing.T) {
		srv := defaultServer(t)
		p := newPage(t, srv)
		p.startRegister()
		p.answerDetails(adaName, adaEmail)
		p.answerTicket("Speaker", "talk")
		p.wantProgress("Step 3 of 5")
		p.answerTalk(talkTitle, abstract)
		// The list of guests: two added, the first removed.
		p.wantProgress("Step 4 of 5")
		if got := p.Text(`[data-testid="field-add"] legend`); got != "Do you have any guests?" {
			t.Errorf("the first question is %q", got)
		}
		p.addGuest(1, "Charles Babbage", "Vegetarian")
		p.wantGuests("Charles Babbage")
		p.addGuest(2, "Mary Somerville", "")
		p.wantGuests("Charles Babbage", "Mary Somerville")
		p.wantProgress("Step 4 of 5")
		p.Click(`[data-testid="remove-1"]`)
		p.Loaded("/register/guests/1/remove", "remove")
		if got := p.Text("#step h1"); got != "Are you sure you want to remove Guest 1?" {
			t.Errorf("the removal asks %q", got)
		}
		p.Click(`[data-testid="confirm-remove"]`)
		p.swapped("/register/guests", "guests")
		p.wantAnnounced("Guest removed")
		p.wantGuests("Mary Somerville")
		p.answerNoMoreGuests()
		// "Other" reveals a question of its own.
		if p.Visible("#f-dietary_other") {
			t.Errorf("the other dietary need is asked before Other is ticked")
		}
		p.Choose("Other")
		if !p.Visible("#f-dietary_other") {
			t.Fatalf("ticking Other does not reveal the question about it")
		}
		p.Fill("dietary_other", "No mushrooms")
		p.answerNeeds("Hearing loop")
		p.wantReview("details-name="+adaName, "details-email="+adaEmail, "ticket-type=Speaker",
			"talk-title="+talkTitle, "talk-abstract="+abstract,
			"guests-1=Guest's full name: Mary Somerville, Dietary needs: Not given",
			"needs-dietary=Other", "needs-dietary_other=No mushrooms", "needs-access=Hearing loop")
		p.submitReview("register")
		ref := p.reference("REG")
		if got := p.Text("#step h1"); got != "Thank you, Ada Lovelace. You are registered; we will write to ada@example.org." {
			t.Errorf("done page says %q", got)
		}
		srv.wantSubmission(t, ref,
			"details.name="+adaName, "details.email="+adaEmail, "ticket.type=speaker",
			"talk.title="+talkTitle, "talk.abstract="+abstract,
			"guests: 1 items", "guests[1].dietary=", "guests[1].name=Mary Somerville",
			"needs.dietary=other", "needs.dietary_other=No mushrooms", "needs.access=hearing-loop")
	})
}

// TestBackForwardReload: the browser's back button shows each earlier step
// with its answers, forward returns, and a reload on any step shows that
// step with its answers. Back and forward make htmx restore the page from
// the server, which must answer the whole page.
func TestBackForwardReload(t *testing.T) {
	srv := defaultServer(t)
	p := newPage(t, srv)
	p.startRegister()
	p.answerDetails(adaName, adaEmail)
	p.answerTicket("Speaker", "talk")
	p.answerTalk(talkTitle, abstract)
	p.answerNoMoreGuests()
	p.answerNeeds("Halal", "Step-free access")

	// What each step must show, from the review backwards.
	steps := []struct {
		path, name string
		check      func()
	}{
		{"/register/needs", "needs", func() {
			p.wantChecked("dietary", "Halal")
			p.wantChecked("access", "Step-free access")
		}},
		{"/register/guests", "guests", func() {
			if got := p.Checked("add"); len(got) != 0 {
				t.Errorf("the guests' question shows %q checked", got)
			}
		}},
		{"/register/talk", "talk", func() {
			p.wantValue("title", talkTitle)
			p.wantValue("abstract", abstract)
		}},
		{"/register/ticket", "ticket", func() { p.wantChecked("type", "Speaker") }},
		{"/register/details", "details", func() {
			p.wantValue("name", adaName)
			p.wantValue("email", adaEmail)
		}},
	}
	for _, st := range steps {
		p.Back()
		p.WaitStep(st.path, st.name)
		st.check()
		p.Reload()
		p.WaitStep(st.path, st.name)
		st.check()
	}
	for i := len(steps) - 2; i >= 0; i-- {
		p.Forward()
		p.WaitStep(steps[i].path, steps[i].name)
		steps[i].check()
	}
	p.Forward()
	p.WaitStep("/register/review", "review")
	p.Reload()
	p.WaitStep("/register/review", "review")
	p.wantReview("details-name="+adaName, "details-email="+adaEmail, "ticket-type=Speaker",
		"talk-title="+talkTitle, "talk-abstract="+abstract, "guests-0=None",
		"needs-dietary=Halal", "needs-access=Step-free access")

	restores := 0
	for _, e := range srv.log() {
		if !e.Restore {
			continue
		}
		restores++
		if e.Status != 200 || !e.Full {
			t.Errorf("history restore %s %s: status %d, whole page %v; want 200 and the whole page", e.Method, e.Path, e.Status, e.Full)
		}
	}
	if restores == 0 {
		t.Errorf("back and forward made no history restore request: %+v", srv.log())
	}
}

// TestRefusedAnswer: an answer the server refuses (422) brings the error
// summary, with focus on it and links to the fields; what was typed stays;
// fixing the answer moves on.
func TestRefusedAnswer(t *testing.T) {
	srv := defaultServer(t)
	p := newPage(t, srv)
	p.startRegister()
	p.Fill("name", "")
	p.Fill("email", "ada@")
	p.Submit()

	p.WaitFor("the error summary", `document.querySelector('[data-testid="error-summary"]')`)
	if got := p.Path(); got != "/register/details" {
		t.Errorf("address bar %s after a refused answer, want /register/details", got)
	}
	if !p.Marked() {
		t.Errorf("a refused answer reloaded the page; want a partial swap")
	}
	p.WaitFor("focus on the error summary", `document.activeElement === document.querySelector('[data-testid="error-summary"]')`)
	p.wantAnnounced("There is a problem.")
	if title := browsertest.Eval[string](p.Page, "document.title"); title != "Error: Your details – Conference registration" {
		t.Errorf("document title %q", title)
	}
	links := browsertest.Eval[[]string](p.Page, `[...document.querySelectorAll('[data-testid="error-summary"] a')].map(a => a.getAttribute("href") + " " + a.textContent)`)
	want := []string{"#f-name Enter your full name", "#f-email Enter your email address in the correct format, like name@example.com"}
	if len(links) != len(want) || links[0] != want[0] || links[1] != want[1] {
		t.Errorf("error summary links %q, want %q", links, want)
	}
	p.wantValue("email", "ada@")
	if got := srv.log(); got[len(got)-1].Status != 422 {
		t.Errorf("the refused post answered %d, want 422", got[len(got)-1].Status)
	}

	// The summary's link takes the person to the field.
	p.Click(`[data-testid="error-summary"] a[href="#f-email"]`)
	p.WaitFor("focus on the email field", `document.activeElement === document.getElementById("f-email")`)

	p.Fill("name", adaName)
	p.Fill("email", adaEmail)
	p.Submit()
	p.swapped("/register/ticket", "ticket")
	if p.Has(`[data-testid="error-summary"]`) {
		t.Errorf("the error summary stays after the answer was fixed")
	}

	// A pattern refused on a later step keeps every value typed there.
	p.answerTicket("Student", "student")
	p.Fill("university", "University of London")
	p.Fill("student_id", "no")
	p.Submit()
	p.WaitFor("focus on the error summary", `document.activeElement === document.querySelector('[data-testid="error-summary"]')`)
	p.wantValue("university", "University of London")
	p.wantValue("student_id", "no")
	p.Fill("student_id", "UL-1843")
	p.Submit()
	p.swapped("/register/needs", "needs")
}

// TestChangeSwitchesBranch: on the review, changing the ticket opens
// another branch; its new question is asked, then the review again, and
// the submission holds the new branch's answers only.
func TestChangeSwitchesBranch(t *testing.T) {
	srv := defaultServer(t)
	p := newPage(t, srv)
	p.startRegister()
	p.answerDetails(adaName, adaEmail)
	p.answerTicket("Regular", "needs")
	p.answerNeeds("Vegetarian")

	// Change is a plain link to the step, whose address names the field:
	// the browser loads the page and puts focus on the question.
	p.Click(`[data-testid="change-ticket-type"]`)
	p.Loaded("/register/ticket?return=review", "ticket")
	p.WaitFor("focus on the ticket question", `document.activeElement === document.getElementById("f-type")`)
	p.wantChecked("type", "Regular")
	p.Choose("Student")
	p.Submit()
	p.swapped("/register/student?return=review", "student")
	p.answerStudentReturning("University of London", "UL-1843")
	p.wantReview(
		"details-name="+adaName, "details-email="+adaEmail, "ticket-type=Student",
		"student-university=University of London", "student-student_id=UL-1843",
		"needs-dietary=Vegetarian", "needs-access=Not given")
	p.submitReview("register")
	ref := p.reference("REG")
	srv.wantSubmission(t, ref,
		"details.name="+adaName, "details.email="+adaEmail, "ticket.type=student",
		"student.university=University of London", "student.student_id=UL-1843",
		"needs.dietary=vegetarian", "needs.access=")
}

// answerStudentReturning answers the student step opened from the review,
// which leads back to the review.
func (p *page) answerStudentReturning(university, id string) {
	p.T.Helper()
	p.Fill("university", university)
	p.Fill("student_id", id)
	p.Submit()
	p.swapped("/register/review", "review")
}

// TestDoubleClickSubmit: a double click on Submit stores one submission.
func TestDoubleClickSubmit(t *testing.T) {
	for _, js := range []bool{true, false} {
		name := "htmx"
		if !js {
			name = "without JavaScript"
		}
		t.Run(name, func(t *testing.T) {
			srv := defaultServer(t)
			p := newPage(t, srv)
			if !js {
				p.DisableScripts()
			}
			p.Open("/classic/name")
			p.Fill("v1", "Ada")
			p.Submit()
			p.WaitStep("/classic/job", "job")
			p.Fill("v2", "Mathematician")
			p.Submit()
			p.WaitStep("/classic/review", "review")

			p.DoubleClick(`#step [data-testid="submit"]`)
			// Give a second post, if one left, the time to land.
			p.WaitFor("the done page", `document.querySelector('[data-testid="done"]')`)
			time.Sleep(500 * time.Millisecond)
			p.WaitFor("the done page", `document.querySelector('[data-testid="done"]')`)
			// Without JavaScript the browser may send the second post (the
			// first one's navigation is then dropped): the server answers
			// "Already submitted" with the same reference, at the address
			// /classic/submit (see TestResubmitWithoutJavaScript).
			t.Logf("done page at %s: %s", p.Path(), p.Text("#step h1"))
			ref := p.reference("CLA")
			srv.wantSubmission(t, ref, "name.v1=Ada", "job.v2=Mathematician")
			posts := 0
			for _, e := range srv.log() {
				if e.Method == "POST" && e.Path == "/classic/submit" {
					posts++
				}
			}
			t.Logf("%d posts to /classic/submit", posts)
			if js && posts != 1 {
				t.Errorf("htmx sent %d posts for a double click, want 1 (the button is disabled during the request)", posts)
			}
		})
	}
}

// TestStartAgain: "Start again" asks first, then deletes the answers and
// goes back to the first step.
func TestStartAgain(t *testing.T) {
	srv := defaultServer(t)
	p := newPage(t, srv)
	p.Open("/classic/name")
	p.WaitStep("/classic/name", "name")
	p.Mark()
	p.Fill("v1", "Ada")
	p.Submit()
	p.swapped("/classic/job", "job")

	p.Click(`#step [data-testid="start-again"]`)
	p.Loaded("/classic/restart", "restart")
	p.Click(`[data-testid="cancel-restart"]`)
	p.Loaded("/classic/job", "job")
	p.Click(`#step [data-testid="start-again"]`)
	p.Loaded("/classic/restart", "restart")
	p.Click(`[data-testid="confirm-restart"]`)
	p.swapped("/classic/name", "name")
	p.wantValue("v1", "")
	p.Open("/classic/job")
	p.WaitStep("/classic/name", "name")
}

// TestFreshCookieJar: each test's tab has a cookie jar of its own, so two
// people on one server do not share answers.
func TestFreshCookieJar(t *testing.T) {
	srv := defaultServer(t)
	ada := newPage(t, srv)
	ada.Open("/classic/name")
	ada.Fill("v1", "Ada")
	ada.Submit()
	ada.WaitStep("/classic/job", "job")

	grace := newPage(t, srv)
	grace.Open("/classic/job")
	grace.WaitStep("/classic/name", "name")
	grace.wantValue("v1", "")

	ada.Reload()
	ada.WaitStep("/classic/job", "job")
}

// TestBackToAPageTheJourneyLeft: back (or forward) to a page the user may
// no longer open sends them where they belong, and the address bar says
// where that is.
func TestBackToAPageTheJourneyLeft(t *testing.T) {
	t.Run("after submitting", func(t *testing.T) {
		srv := defaultServer(t)
		p := newPage(t, srv)
		p.Open("/classic/name")
		p.WaitStep("/classic/name", "name")
		p.Mark()
		p.Fill("v1", "Ada")
		p.Submit()
		p.swapped("/classic/job", "job")
		p.Fill("v2", "Mathematician")
		p.Submit()
		p.swapped("/classic/review", "review")
		p.submitReview("classic")
		// The answers are gone with the submission: back leads to the start.
		p.Back()
		p.WaitStep("/classic/name", "name")
		p.wantValue("v1", "")
	})
	t.Run("after a change of branch", func(t *testing.T) {
		srv := defaultServer(t)
		p := newPage(t, srv)
		p.startRegister()
		p.answerDetails(adaName, adaEmail)
		p.answerTicket("Student", "student")
		p.answerStudent("University of London", "UL-1843")
		p.answerNeeds()
		p.Click(`[data-testid="change-ticket-type"]`)
		p.Loaded("/register/ticket?return=review", "ticket")
		p.Choose("Regular")
		p.Submit()
		p.swapped("/register/review", "review")
		for _, want := range []struct{ path, step string }{
			{"/register/ticket?return=review", "ticket"},
			{"/register/review", "review"},
			{"/register/needs", "needs"},
			// The student step left the journey: the review, and its address.
			{"/register/review", "review"},
		} {
			p.Back()
			p.WaitStep(want.path, want.step)
		}
	})
}

// TestKeyboardOnly goes through the classic wizard with the keyboard
// alone: after each swap focus is on the new heading, so the next Tab
// reaches the step's field, and Enter submits.
func TestKeyboardOnly(t *testing.T) {
	srv := defaultServer(t)
	p := newPage(t, srv)
	p.Open("/classic/name")
	p.WaitStep("/classic/name", "name")
	p.Mark()
	// Skip link, site name, then the question.
	p.Press(kb.Tab, kb.Tab, kb.Tab)
	p.WantFocus("#f-v1")
	p.TypeKeys("Ada\r")
	p.swapped("/classic/job", "job")
	p.Press(kb.Tab)
	p.WantFocus("#f-v2")
	p.TypeKeys("Mathematician\r")
	p.swapped("/classic/review", "review")
	// Two answers, each with its Change link, then Submit.
	p.Press(kb.Tab, kb.Tab, kb.Tab)
	p.WantFocus(`#step [data-testid="submit"]`)
	p.Press(kb.Enter)
	p.swapped("/classic/done", "done")
	srv.wantSubmission(t, p.reference("CLA"), "name.v1=Ada", "job.v2=Mathematician")
}

// TestResubmitWithoutJavaScript: posting the same answers again without
// JavaScript (back and resubmit, or a double click whose second post wins)
// stores nothing new, shows the first reference, and leaves the address
// bar on the done page, so that a reload does not post again.
func TestResubmitWithoutJavaScript(t *testing.T) {
	srv := defaultServer(t)
	p := noScriptPage(t, srv, "/classic/name", "/classic/name")
	p.Fill("v1", "Ada")
	p.Submit()
	p.Loaded("/classic/job", "job")
	p.Fill("v2", "Mathematician")
	p.Submit()
	p.Loaded("/classic/review", "review")
	form := browsertest.Eval[string](p.Page, `document.querySelector('#step form').outerHTML`)
	p.Submit()
	p.Loaded("/classic/done", "done")
	ref := p.reference("CLA")

	// The review's form again, as the browser's back button would show it
	// from its cache.
	browsertest.Eval[bool](p.Page, `(document.getElementById("main").insertAdjacentHTML("beforeend", `+strconv.Quote(form)+`), true)`)
	p.Click(`#main > form [data-testid="submit"]`)
	p.WaitFor("a new document", `window.__e2eMarker !== "still here"`)
	p.WaitFor("the done page at /classic/done", `location.pathname === "/classic/done" &&
		document.querySelector('[data-testid="done"]')`)
	if got := p.reference("CLA"); got != ref {
		t.Errorf("the repeated post shows the reference %s, want the first one, %s", got, ref)
	}
	srv.wantSubmission(t, ref, "name.v1=Ada", "job.v2=Mathematician")
}
