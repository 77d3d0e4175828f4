package e2e

import (
	"testing"
)

// TestFishingConditionalFields: the questions of examples/fishing.yaml
// that depend on another answer of their step show and hide as the user
// answers, as the user sees them (whatever hides them: a script, CSS).
//
// The river's condition is on several options of the country (in:
// [england, wales]): with JavaScript it shows only while one of them is
// chosen; without, it always shows and the server ignores it when it does
// not apply. A condition on one option (Yes for the proof, Other for the
// other method) reveals its question under that option, with and without
// JavaScript.
func TestFishingConditionalFields(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			srv := dirServer(t, examplesDir)
			f := newFisher(t, srv, m.js)
			f.answerAngler(senior)

			if m.js {
				f.wantShown("river", false, "loading the water step")
				f.wantReveals("river",
					click{"Somewhere else", false}, click{"England", true}, click{"Somewhere else", false},
					click{"England", true}, click{"Wales", true})
			} else {
				f.wantShown("river", true, "loading the water step without JavaScript")
				f.wantReveals("river", click{"Somewhere else", true}, click{"Wales", true})
			}
			f.Fill("river", "Afon Teifi")
			f.Submit()
			f.arrive("concession")

			// Back to the saved answer: the river shows from the start.
			f.Click(`#step [data-testid="back"]`)
			f.arrive("water")
			f.wantChecked("country", "Wales")
			f.wantShown("river", true, "coming back to Wales")
			f.wantValue("river", "Afon Teifi")
			if m.js {
				// A full page load shows it too.
				f.Reload()
				f.Loaded("/fishing/water", "water")
				f.wantShown("river", true, "reloading the page with Wales chosen")
			}
			f.Submit()
			f.arrive("concession")

			f.wantShown("proof", false, "loading the concession step")
			f.wantReveals("proof", click{"Yes", true}, click{"No", false})
			f.answerConcession("No", "")
			f.answerLicence("Salmon and sea trout", "1 day", "2026-04-01", "catch")

			f.wantShown("methods_other", false, "loading the catch return")
			f.wantReveals("methods_other",
				click{"Other", true}, click{"Spinning", true}, click{"Other", false}, click{"Other", true})
			f.Fill("methods_other", "Trolling")

			// A question shown is asked: Other without saying how is
			// refused.
			f.Fill("methods_other", "")
			f.Submit()
			f.WaitFor("the error summary", `document.querySelector('[data-testid="error-summary"] a[href="#f-methods_other"]')`)
			f.wantShown("methods_other", true, "a refused answer")
			f.Fill("methods_other", "Trolling")
			f.answerCatch(nil, "", "")
			f.answerContact("ada@example.org", "")
			f.wantReview(
				"angler-name=Ada Lovelace", "angler-age=70",
				"water-country=Wales", "water-river=Afon Teifi",
				"concession-disabled=No",
				"licence-type=Salmon and sea trout", "licence-length=1 day", "licence-start=2026-04-01",
				"catch-methods=Spinning, Other", "catch-methods_other=Trolling", "catch-notes=Not given",
				"contact-email=ada@example.org", "contact-phone=Not given")
		})
	}
}
