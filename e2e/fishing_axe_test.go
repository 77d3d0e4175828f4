package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wizard/wizard/internal/browsertest"
)

// everyKind is a definition whose one step asks every kind of question,
// with a question revealed under an option and one shown by a condition
// on several options.
const everyKind = `version: 1
title: Every kind of question
steps:
  - name: all
    title: Every kind of question
    help: One of each.
    fields:
      - {name: name, label: Full name, hint: As on your passport., required: true, autocomplete: name}
      - {name: email, kind: email, label: Email address, required: true, autocomplete: email}
      - {name: age, kind: number, label: Age, required: true, min: 0, max: 120}
      - {name: start, kind: date, label: Start date, hint: "For example, 2026-04-01.", required: true}
      - {name: notes, kind: textarea, label: Notes, required: true, min_len: 10}
      - name: size
        kind: select
        label: Size
        required: true
        options: [{value: s, label: Small}, {value: l, label: Large}]
      - name: colour
        kind: radio
        label: Colour
        required: true
        options: [{value: red, label: Red}, {value: green, label: Green}, {value: blue, label: Blue}]
      - {name: shade, label: "Which shade?", required: true, show_when: {field: colour, in: [red, green]}}
      - name: extras
        kind: checkboxes
        label: Extras
        hint: Tick all that apply.
        required: true
        options: [{value: bag, label: A bag}, {value: other, label: Other}]
      - {name: extras_other, label: "Other: please say what", required: true, show_when: {field: extras, contains: other}}
      - {name: agree, kind: yes_no, label: "Do you agree?", required: true}
`

// TestFishingAccessibility runs axe-core (WCAG 2.2 A and AA) and the
// structure checks of TestAccessibility on every page of the fishing
// wizard loaded from examples/fishing.yaml, which together ask every kind
// of question: each step with its conditional questions shown, each step
// refused, the review, the done page and the exit page (swapped in and
// loaded whole); and on a step that asks every kind of question at once.
func TestFishingAccessibility(t *testing.T) {
	check := func(p *page, what string) {
		t.Helper()
		p.WantNoAxeViolations(what)
		p.wantAccessibleStructure(what)
	}
	refused := func(p *page, what string) {
		t.Helper()
		p.Submit()
		p.waitRefused()
		check(p, what+" refused")
	}

	t.Run("fishing", func(t *testing.T) {
		srv := dirServer(t, examplesDir)
		f := fisher{newVisitor(newPageFor(t, srv, 90*time.Second), true, "fishing", "angler")}
		check(f.page, "angler")
		refused(f.page, "angler")
		f.answerAngler(senior)

		check(f.page, "water")
		f.Choose("England")
		f.wantShown("river", true, "choosing England")
		check(f.page, "water with the river shown")
		refused(f.page, "water")
		f.answerWater("Somewhere else", "", "outside")
		check(f.page, "exit")
		f.Reload()
		f.Loaded("/fishing/outside", "outside")
		check(f.page, "exit loaded whole")
		f.Click(`#step [data-testid="back"]`)
		f.arrive("water")
		f.answerWater("England", "River Wye", "concession")

		check(f.page, "concession")
		f.Choose("Yes")
		f.wantShown("proof", true, "answering Yes")
		check(f.page, "concession with the proof shown")
		refused(f.page, "concession")
		f.answerConcession("Yes", "Blue Badge")

		check(f.page, "licence")
		refused(f.page, "licence")
		f.answerLicence("Salmon and sea trout", "12 months", "2026-04-01", "catch")

		check(f.page, "catch")
		f.Choose("Other")
		f.wantShown("methods_other", true, "ticking Other")
		f.Fill("notes", "short")
		refused(f.page, "catch")
		f.answerCatch([]string{"Fly"}, "Trolling", "Stocked with brown trout in May.")

		check(f.page, "contact")
		f.Fill("email", "ada@")
		f.Fill("phone", "call me")
		refused(f.page, "contact")
		f.answerContact("ada@example.org", "")

		check(f.page, "review")
		f.buy()
		check(f.page, "done")
	})

	t.Run("every kind on one step", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "kinds.yaml"), []byte(everyKind), 0o644); err != nil {
			t.Fatal(err)
		}
		srv := dirServer(t, dir)
		p := newPageFor(t, srv, 60*time.Second)
		p.Open("/kinds/")
		p.WaitStep("/kinds/all", "all")
		p.Mark()
		kinds := browsertest.Eval[[]string](p.Page, `[...new Set([...document.querySelectorAll("#step input:not([type=hidden]), #step select, #step textarea")]
			.map(el => el.tagName === "INPUT" ? el.type + (el.inputMode ? "/" + el.inputMode : "") : el.tagName.toLowerCase()))].sort()`)
		if want := "checkbox date email radio select text text/decimal textarea"; strings.Join(kinds, " ") != want {
			t.Errorf("the step's controls are %q, want %q", strings.Join(kinds, " "), want)
		}
		check(p, "every kind")
		p.Choose("Red")
		p.wantShown("shade", true, "choosing Red")
		p.Choose("Other")
		p.wantShown("extras_other", true, "ticking Other")
		check(p, "every kind, conditional questions shown")
		refused(p, "every kind")
	})
}
