package main

import (
	"regexp"
	"strconv"
	"testing"

	"github.com/wizard/wizard/internal/browsertest"
)

// The site in a real browser: both wizards from the home page to the done
// page, with JavaScript (each step swapped in by htmx) and without (each
// post answered by a redirect), and axe-core on the pages of each kind
// (with JavaScript only: axe-core is a script).

// chrome is the test binary's one browser, closed by TestMain.
var chrome browsertest.Browser

func TestMain(m *testing.M) { browsertest.Main(m, &chrome) }

// modes are the two ways a person goes through a wizard.
var modes = []struct {
	name string
	js   bool
}{{"htmx", true}, {"without JavaScript", false}}

// person is one visitor of the site in a tab of their own.
type person struct {
	*browsertest.Page
	js bool
}

// arrive opens the site's home page and follows its link named text to
// the wizard's first step, at path.
func arrive(t *testing.T, s *testSite, js bool, link, path, step string) person {
	t.Helper()
	p := person{browsertest.NewPage(t, &chrome, s.URL, browsertest.TestTimeout), js}
	if !js {
		p.DisableScripts()
	}
	p.Open("/")
	p.WaitFor("the home page", `document.readyState === "complete" && document.querySelector('[data-testid="home-title"]')`)
	if got := browsertest.Eval[bool](p.Page, `typeof window.htmx !== "undefined"`); got != js {
		t.Fatalf("htmx loaded: %v, want %v", got, js)
	}
	if js {
		// axe-core is a script: it cannot run in a page whose scripts are off.
		p.WantNoAxeViolations("home page")
	}
	p.Mark()
	p.Click(`[data-testid="home-links"] a[href="/apply/` + link + `/"]`)
	p.Loaded(path, step)
	p.wantLayout()
	return p
}

// next waits for the step at path after a successful post: swapped in by
// htmx in the same document, or a new page without JavaScript.
func (p person) next(path, step string) {
	p.T.Helper()
	if !p.js {
		p.Loaded(path, step)
		return
	}
	p.WaitStep(path, step)
	if !p.Marked() {
		p.T.Fatalf("step %q: the page was reloaded, want an htmx swap", step)
	}
	p.WaitFor("focus on the heading", `document.activeElement === document.querySelector("#step h1")`)
}

// refused waits until the step at path is shown again with msg in its
// error summary, which takes focus with JavaScript.
func (p person) refused(path, step, msg string) {
	p.T.Helper()
	if !p.js {
		p.Loaded(path, step)
	}
	p.WaitFor("the error summary to say "+strconv.Quote(msg), `(() => {
		const s = document.querySelector('#step [data-testid="error-summary"]');
		return s && s.textContent.includes(`+strconv.Quote(msg)+`) && (!`+strconv.FormatBool(p.js)+` || document.activeElement === s);
	})()`)
	p.WaitStep(path, step)
}

// wantLayout checks the page is in the club's layout.
func (p person) wantLayout() {
	p.T.Helper()
	for _, sel := range []string{`[data-testid="club-header"] nav`, `[data-testid="club-footer"]`, `main#main #step`} {
		if !p.Has(sel) {
			p.T.Errorf("%s: no %s", p.Path(), sel)
		}
	}
}

// wantValues checks what the inputs named by id (without "f-") hold.
func (p person) wantValues(idValue ...string) {
	p.T.Helper()
	for i := 0; i+1 < len(idValue); i += 2 {
		if got := p.Value(idValue[i]); got != idValue[i+1] {
			p.T.Errorf("input f-%s holds %q, want %q", idValue[i], got, idValue[i+1])
		}
	}
}

// fillDate types a date into the day, month and year inputs of field.
func (p person) fillDate(field, day, month, year string) {
	p.T.Helper()
	p.Fill(field, day)
	p.Fill(field+"-2", month)
	p.Fill(field+"-3", year)
}

// reference returns the done page's reference, checking its form.
func (p person) reference(prefix string) string {
	p.T.Helper()
	ref := p.Text(`[data-testid="reference"]`)
	if !regexp.MustCompile(`^` + prefix + `-[0-9A-Z]{8}$`).MatchString(ref) {
		p.T.Errorf("reference %q, want %s-XXXXXXXX", ref, prefix)
	}
	return ref
}

func TestJoinInBrowser(t *testing.T) {
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			s := newTestSite(t)
			p := arrive(t, s, mode.js, "join", "/apply/join/account", "account")
			if got := p.Text(`[data-testid="service-name"]`); got != "Join the walking club" {
				t.Errorf("the header names %q, want the wizard's title", got)
			}

			// The register's answer, in the error summary like ours.
			p.Fill("username", "grace")
			p.Fill("email", "grace@example.com")
			p.Submit()
			p.refused("/apply/join/account", "account", "That username is taken: choose another")
			p.wantValues("username", "grace")
			p.Fill("username", "walker")
			p.Submit()
			p.next("/apply/join/dates", "dates")
			p.wantLayout()
			if !p.Has(`[data-testid="dates-panel"]`) {
				t.Error("the dates step is not drawn by the club's component")
			}
			if mode.js {
				p.WantNoAxeViolations("step of the club's own component")
			}

			// 31 February: the date input's own message, linked to its
			// day, and what was typed kept.
			p.fillDate("dob", "31", "2", "1990")
			p.fillDate("start", "1", "6", "2027")
			p.Submit()
			p.refused("/apply/join/dates", "dates", "Enter a real date")
			p.wantValues("dob", "31", "dob-2", "2", "dob-3", "1990", "start", "1", "start-3", "2027")
			if href := p.Text(`[data-testid="error-summary"] a[href="#f-dob"]`); href != "Enter a real date" {
				t.Errorf("error summary link to #f-dob says %q", href)
			}
			if mode.js {
				p.WantNoAxeViolations("a date refused")
			}
			p.fillDate("dob", "28", "2", "1990")
			p.Submit()
			p.next("/apply/join/review", "review")
			if mode.js {
				p.WantNoAxeViolations("review")
			}

			p.Submit()
			p.next("/apply/join/done", "done")
			if mode.js {
				p.WantNoAxeViolations("done")
			}
			p.wantLayout()
			ref := p.reference("JOIN")
			s.wantSubmission(t, "join", ref, "account.username=walker", "account.email=grace@example.com",
				"dates.dob=1990-02-28", "dates.start=2027-06-01")
			s.wantConfirmation(t, ref, "grace@example.com")
		})
	}
}

func TestRegisterInBrowser(t *testing.T) {
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			s := newTestSite(t)
			p := arrive(t, s, mode.js, "register", "/apply/register/details", "details")
			p.Fill("name", "Ada Lovelace")
			p.Fill("email", "ada@example.com")
			p.Submit()
			p.next("/apply/register/ticket", "ticket")
			p.Click(`#step label[for="f-type-2"]`) // Regular
			p.Submit()
			p.next("/apply/register/needs", "needs")
			p.Submit()
			p.next("/apply/register/review", "review")
			p.Submit()
			p.next("/apply/register/done", "done")
			if mode.js {
				p.WantNoAxeViolations("register: done")
			}
			ref := p.reference("REG")
			s.wantSubmission(t, "register", ref, "details.name=Ada Lovelace", "details.email=ada@example.com", "ticket.type=regular",
				"needs.dietary=", "needs.access=")
			s.wantConfirmation(t, ref, "ada@example.com")
		})
	}
}
