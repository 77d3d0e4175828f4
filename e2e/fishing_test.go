package e2e

import (
	"strings"
	"testing"

	"github.com/wizard/wizard/internal/browsertest"
)

// The fishing licence of examples/fishing.yaml, served from its definition
// file as `wizard -forms examples` serves it: the newcomer's wizard, with
// every field kind, a route that skips a step, a nested condition, an exit
// and conditional fields.

// examplesDir holds the repository's example definition files.
const examplesDir = "../examples"

// angler is a person buying a licence, and how they answer.
type angler struct {
	name, age string
}

var (
	// senior answers the concession step: 65 and over.
	senior = angler{name: "Ada Lovelace", age: "70"}
	// adult skips it.
	adult = angler{name: "Izaak Walton", age: "40"}
)

// fisher goes through the fishing wizard. Each of its answer methods
// starts on its step and ends on the page the answer leads to.
type fisher struct{ *visitor }

func newFisher(t *testing.T, srv *server, js bool) fisher {
	t.Helper()
	return fisher{newVisitor(newPageFor(t, srv, journeyTimeout), js, "fishing", "angler")}
}

func (f fisher) answerAngler(a angler) {
	f.T.Helper()
	f.Fill("name", a.name)
	f.Fill("age", a.age)
	f.Submit()
	f.arrive("water")
	if got, want := f.Text("#step h1"), a.name+", where will you fish?"; got != want {
		f.T.Errorf("water step heading %q, want %q", got, want)
	}
}

// answerWater chooses the country labelled country, names the river
// when one is given, and continues to next (a step or the exit).
func (f fisher) answerWater(country, river, next string) {
	f.T.Helper()
	f.Choose(country)
	if river != "" {
		f.wantShown("river", true, "choosing "+country)
		f.Fill("river", river)
	}
	f.Submit()
	f.arrive(next)
}

// answerConcession says yes or no to the disability question and, after
// yes, chooses the proof labelled proof.
func (f fisher) answerConcession(disabled, proof string) {
	f.T.Helper()
	f.Choose(disabled)
	if proof != "" {
		f.wantShown("proof", true, "answering "+disabled)
		f.selectOption("proof", proof)
	}
	f.Submit()
	f.arrive("licence")
}

func (f fisher) answerLicence(typ, length, start, next string) {
	f.T.Helper()
	f.Choose(typ)
	f.selectOption("length", length)
	f.setDate("start", start)
	f.Submit()
	f.arrive(next)
}

// answerCatch ticks the methods labelled methods; other, when given, is
// typed into the question "Other" reveals.
func (f fisher) answerCatch(methods []string, other, notes string) {
	f.T.Helper()
	for _, m := range methods {
		f.Choose(m)
	}
	if other != "" {
		f.wantShown("methods_other", true, "ticking Other")
		f.Fill("methods_other", other)
	}
	if notes != "" {
		f.Fill("notes", notes)
	}
	f.Submit()
	f.arrive("contact")
}

func (f fisher) answerContact(email, phone string) {
	f.T.Helper()
	f.Fill("email", email)
	f.Fill("phone", phone)
	f.Submit()
	f.arrive("review")
}

// buy submits the review and returns the reference the done page shows.
func (f fisher) buy() string {
	f.T.Helper()
	f.Submit()
	f.arrive("done")
	return f.reference("FSH")
}

// wantExitPage checks the page of the exit "outside" for a: its title and
// body from the definition, with the angler's name, and nothing to
// review or submit.
func (f fisher) wantExitPage(a angler) {
	f.T.Helper()
	if !f.Has(`#step[data-testid="exit"]`) {
		f.T.Fatal("the exit page has no data-testid=exit")
	}
	if got, want := f.Text("#step h1"), "You cannot buy this licence"; got != want {
		f.T.Errorf("exit heading %q, want %q", got, want)
	}
	body := "Sorry, " + a.name + ": this licence covers England and Wales only. Scotland and Northern Ireland issue their own permits."
	if got := browsertest.Eval[string](f.Page, `[...document.querySelectorAll("#step p")].map(p => p.textContent.trim()).join("\n")`); !strings.Contains(got, body) {
		f.T.Errorf("exit page paragraphs\n\t%s\nwant among them\n\t%s", strings.ReplaceAll(got, "\n", "\n\t"), body)
	}
	if title := browsertest.Eval[string](f.Page, "document.title"); !strings.HasPrefix(title, "You cannot buy this licence – ") {
		f.T.Errorf("exit page title %q", title)
	}
	for _, sel := range []string{"#step form", `[data-testid="submit"]`, `a[href^="/fishing/review"]`, `a[href^="/fishing/submit"]`, "#step .summary-row"} {
		if f.Has(sel) {
			f.T.Errorf("the exit page has %s; an exit offers no review and no submit", sel)
		}
	}
}

// shortTrip is what an adult answers for a short trout and coarse
// licence, which needs no catch return: labels as the pages show them,
// values as the sink stores them.
type shortTrip struct {
	country, countryValue string
	river                 string
	length, lengthValue   string
	start                 string
}

// buyShortLicence answers the adult's short licence from the licence
// step, checks the review, buys the licence and checks the one
// submission in the sink: the steps of this journey only.
func (f fisher) buyShortLicence(srv *server, trip shortTrip) {
	f.T.Helper()
	f.answerLicence("Trout and coarse, up to 2 rods", trip.length, trip.start, "contact")
	f.answerContact("izaak@example.org", "")
	f.wantReview(
		"angler-name="+adult.name, "angler-age="+adult.age,
		"water-country="+trip.country, "water-river="+trip.river,
		"licence-type=Trout and coarse, up to 2 rods", "licence-length="+trip.length, "licence-start="+trip.start,
		"contact-email=izaak@example.org", "contact-phone=Not given")
	ref := f.buy()
	srv.wantSubmission(f.T, ref,
		"angler.name="+adult.name, "angler.age="+adult.age,
		"water.country="+trip.countryValue, "water.river="+trip.river,
		"licence.type=trout-coarse", "licence.length="+trip.lengthValue, "licence.start="+trip.start,
		"contact.email=izaak@example.org", "contact.phone=")
}

// TestFishingFromItsDefinitionFile goes through the fishing licence,
// loaded from examples/fishing.yaml, by each of its branches to the done
// page, and into its exit and back out, with JavaScript and without. The
// done page shows the reference, the sink holds the answers of the steps
// of the journey taken and of no other.
func TestFishingFromItsDefinitionFile(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			t.Run("concession and catch return", func(t *testing.T) {
				srv := dirServer(t, examplesDir)
				f := newFisher(t, srv, m.js)
				f.answerAngler(senior)
				f.answerWater("England", "River Wye", "concession")
				f.wantProgress("Step 3 of 6")
				f.answerConcession("Yes", "Blue Badge")
				f.answerLicence("Salmon and sea trout", "12 months", "2026-04-01", "catch")
				f.answerCatch([]string{"Fly", "Other"}, "Trolling", "Stocked with brown trout in May.")
				f.answerContact("ada@example.org", "01632 960 001")
				f.wantReview(
					"angler-name=Ada Lovelace", "angler-age=70",
					"water-country=England", "water-river=River Wye",
					"concession-disabled=Yes", "concession-proof=Blue Badge",
					"licence-type=Salmon and sea trout", "licence-length=12 months", "licence-start=2026-04-01",
					"catch-methods=Fly, Other", "catch-methods_other=Trolling", "catch-notes=Stocked with brown trout in May.",
					"contact-email=ada@example.org", "contact-phone=01632 960 001")
				ref := f.buy()
				if got, want := f.Text("#step h1"), "Thank you, Ada Lovelace. Your licence starts on 2026-04-01; we have sent it to ada@example.org."; got != want {
					t.Errorf("done page says %q, want %q", got, want)
				}
				srv.wantSubmission(t, ref,
					"angler.name=Ada Lovelace", "angler.age=70",
					"water.country=england", "water.river=River Wye",
					"concession.disabled=yes", "concession.proof=blue-badge",
					"licence.type=salmon", "licence.length=year", "licence.start=2026-04-01",
					"catch.methods=fly,other", "catch.methods_other=Trolling", "catch.notes=Stocked with brown trout in May.",
					"contact.email=ada@example.org", "contact.phone=01632 960 001")
				f.wantPosts(srv.log())
			})
			t.Run("no concession, no catch return", func(t *testing.T) {
				srv := dirServer(t, examplesDir)
				f := newFisher(t, srv, m.js)
				f.answerAngler(adult)
				f.answerWater("Wales", "Afon Teifi", "licence")
				f.wantProgress("Step 3 of 5")
				f.buyShortLicence(srv, shortTrip{
					country: "Wales", countryValue: "wales", river: "Afon Teifi",
					length: "8 days", lengthValue: "eight-day", start: "2026-05-02",
				})
				f.wantPosts(srv.log())
			})
			t.Run("exit outside and back", func(t *testing.T) {
				srv := dirServer(t, examplesDir)
				f := newFisher(t, srv, m.js)
				f.answerAngler(adult)
				// A river typed before choosing Somewhere else no longer
				// applies: it is not kept.
				f.Choose("England")
				f.Fill("river", "River Tweed")
				f.answerWater("Somewhere else", "", "outside")
				f.wantExitPage(adult)

				// The review and the submit are closed to a journey that
				// ended in an exit: both send the user back to the exit,
				// the submit (a form posted anyway) storing nothing.
				f.Open("/fishing/review")
				f.Loaded("/fishing/outside", "outside")
				crafted := len(srv.log())
				browsertest.Eval[bool](f.Page, `(document.getElementById("main").insertAdjacentHTML("beforeend",
					'<form method="post" action="/fishing/submit" id="e2e-submit"><button>Submit</button></form>'), true)`)
				f.Click("#e2e-submit button")
				f.Loaded("/fishing/outside", "outside")
				if e := srv.log()[crafted]; e.Method != "POST" || e.Path != "/fishing/submit" || e.Status != 303 {
					t.Errorf("the crafted submit: %+v, want POST /fishing/submit answered 303", e)
				}
				f.wantExitPage(adult)
				if n := len(srv.submitted(t)); n != 0 {
					t.Fatalf("the sink holds %d submissions after an exit", n)
				}

				// The exit's Back link leads to the answer that led there;
				// another answer continues the journey.
				f.Click(`#step [data-testid="back"]`)
				f.arrive("water")
				f.wantChecked("country", "Somewhere else")
				f.wantValue("river", "")
				f.answerWater("England", "River Eden", "licence")
				f.buyShortLicence(srv, shortTrip{
					country: "England", countryValue: "england", river: "River Eden",
					length: "1 day", lengthValue: "one-day", start: "2026-06-16",
				})
				log := srv.log()
				f.wantPosts(append(log[:crafted:crafted], log[crafted+1:]...))
			})
		})
	}
}
