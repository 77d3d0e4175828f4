package e2e

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/chromedp"

	"github.com/wizard/wizard/internal/browsertest"
)

// TestAccessibility visits every kind of page (the list of wizards, every
// step of both wizards, the error state of each kind of field, the review,
// the done page, the restart question and an error page) on a desktop and
// on a 375 px wide phone. On each: zero axe-core violations of WCAG 2.2 A
// and AA; every field labelled; every error message linked to its field
// with aria-describedby; the error summary focusable, announced, linking to
// the fields; the progress exposed as a named progress bar; and on the
// phone, nothing scrolls sideways.
func TestAccessibility(t *testing.T) {
	for _, size := range []struct {
		name          string
		width, height int64
		opts          []chromedp.EmulateViewportOption
	}{
		{"desktop", 1024, 768, nil},
		{"phone", 375, 812, []chromedp.EmulateViewportOption{chromedp.EmulateMobile, chromedp.EmulateScale(2)}},
	} {
		t.Run(size.name, func(t *testing.T) {
			srv := defaultServer(t)
			p := newPageFor(t, srv, 90*time.Second)
			p.Do("emulate the viewport", chromedp.EmulateViewport(size.width, size.height, size.opts...))
			p.Open("/")
			if got := browsertest.Eval[int64](p.Page, "document.documentElement.clientWidth"); got != size.width {
				t.Fatalf("the page is %d px wide, want %d", got, size.width)
			}
			check := func(what string) {
				t.Helper()
				p.WantNoAxeViolations(what)
				p.wantAccessibleStructure(what)
				p.wantNoSidewaysScroll(what)
			}
			visitEveryPage(t, p, check)
		})
	}
}

// Answers long enough to need wrapping on a phone.
const (
	longName  = "Maximiliana Featherstonehaugh-Cholmondeley"
	longEmail = "maximiliana.featherstonehaugh-cholmondeley@attendees.conference.example.org"
)

// visitEveryPage walks both wizards through every kind of page, calling
// check on each, named.
func visitEveryPage(t *testing.T, p *page, check func(what string)) {
	t.Helper()
	p.Open("/")
	p.WaitFor("the list of wizards", `document.querySelector('[data-testid="wizards"]')`)
	check("list of wizards")

	p.startRegister()
	check("details")
	p.Submit()
	p.waitRefused()
	check("details refused")
	p.answerDetails(longName, longEmail)
	check("ticket")
	p.Submit()
	p.waitRefused()
	check("ticket refused")
	p.answerTicket("Speaker", "talk")
	check("talk")
	p.Fill("title", talkTitle)
	p.Fill("abstract", "Too short.")
	p.Submit()
	p.waitRefused()
	check("talk refused")
	p.answerTalk(talkTitle, abstract)
	check("guests, none yet")
	p.Submit()
	p.waitRefused()
	check("guests refused")
	p.addGuest(1, longName, "Gluten free")
	check("guests, one added")
	p.Choose("Yes")
	p.Submit()
	p.swapped("/register/guests/2", "guests")
	p.Submit()
	p.waitRefused()
	check("a guest refused")
	p.Fill("name", "Ada Byron")
	p.Submit()
	p.swapped("/register/guests", "guests")
	p.Click(`[data-testid="remove-2"]`)
	p.Loaded("/register/guests/2/remove", "remove")
	check("remove a guest")
	p.Click(`[data-testid="confirm-remove"]`)
	p.swapped("/register/guests", "guests")
	p.answerNoMoreGuests()
	check("needs")
	p.Choose("Other")
	p.Choose("Sign language interpreter")
	check("needs with a question revealed")
	p.Submit()
	p.waitRefused()
	check("needs refused")
	p.Fill("dietary_other", "No mushrooms, no truffles, nothing that grew in the dark")
	p.Submit()
	p.swapped("/register/review", "review")
	check("review")

	// Change the ticket from the review: the student branch.
	p.Click(`[data-testid="change-ticket-type"]`)
	p.Loaded("/register/ticket?return=review", "ticket")
	check("ticket, changed from the review")
	p.Choose("Student")
	p.Submit()
	p.swapped("/register/student?return=review", "student")
	check("student")
	p.Fill("university", "University of London")
	p.Fill("student_id", "no")
	p.Submit()
	p.waitRefused()
	check("student refused")
	p.answerStudentReturning("University of London", "UL-1843")
	check("review after a change")
	p.submitReview("register")
	check("done")

	p.Open("/classic/name")
	p.WaitStep("/classic/name", "name")
	p.Mark()
	check("classic name")
	p.Fill("v1", longName)
	p.Submit()
	p.swapped("/classic/job", "job")
	check("classic job")
	p.Fill("v2", "Engineer")
	p.Submit()
	p.swapped("/classic/review", "review")
	check("classic review")
	p.Click(`#step [data-testid="start-again"]`)
	p.WaitStep("/classic/restart", "restart")
	check("restart question")
	p.Open("/classic/review")
	p.WaitStep("/classic/review", "review")
	p.Mark()
	p.submitReview("classic")
	check("classic done")

	p.Open("/no-such-wizard")
	p.WaitFor("the error page", `document.querySelector('[data-testid="error-page"]')`)
	check("error page")
}

// waitRefused waits for the error summary of a refused answer to have
// focus.
func (p *page) waitRefused() {
	p.T.Helper()
	p.WaitFor("focus on the error summary", `document.activeElement === document.querySelector('[data-testid="error-summary"]')`)
}

// controlRoles are the roles of form controls in Chromium's accessibility
// tree.
var controlRoles = []string{"textbox", "searchbox", "combobox", "listbox", "radio", "checkbox", "spinbutton", "slider", "switch"}

// axNode is a node of the accessibility tree, with its values as text.
type axNode struct {
	Role, Name, Description string
	Props                   map[string]string
}

// axTree returns the nodes of the page's accessibility tree that assistive
// technology sees (ignored nodes left out).
func (p *page) axTree() []axNode {
	p.T.Helper()
	res, err := chromedp.Call(p.Ctx, accessibility.GetFullAXTree, accessibility.GetFullAXTreeParams{})
	if err != nil {
		p.T.Fatalf("accessibility tree: %v", err)
	}
	text := func(v *accessibility.Value) string {
		if v == nil || len(v.Value) == 0 {
			return ""
		}
		var s string
		if json.Unmarshal(v.Value, &s) == nil {
			return s
		}
		return string(v.Value)
	}
	var nodes []axNode
	for _, n := range res.Nodes {
		if n.Ignored {
			continue
		}
		a := axNode{Role: text(n.Role), Name: text(n.Name), Description: text(n.Description), Props: map[string]string{}}
		for _, pr := range n.Properties {
			a.Props[string(pr.Name)] = text(pr.Value)
		}
		nodes = append(nodes, a)
	}
	return nodes
}

// wantAccessibleStructure checks what axe cannot fully see: how fields,
// errors, the error summary and the progress are exposed, in the DOM and
// in the accessibility tree Chromium gives assistive technology.
func (p *page) wantAccessibleStructure(what string) {
	p.T.Helper()
	problems := browsertest.Eval[[]string](p.Page, `(() => {
		const problems = [];
		const html = el => el.outerHTML.slice(0, 160);
		for (const el of document.querySelectorAll("input:not([type=hidden]), select, textarea")) {
			if (!el.labels || el.labels.length === 0 || !el.labels[0].textContent.trim()) {
				problems.push("field without a label: " + html(el));
			}
		}
		const messages = [...document.querySelectorAll(".error-message")];
		for (const m of messages) {
			const field = m.closest(".field");
			const linked = field && [...field.querySelectorAll("[aria-describedby]")].some(el =>
				el.closest(".field") === field && el.getAttribute("aria-describedby").split(/\s+/).includes(m.id));
			if (!m.id || !linked) problems.push("error message not linked with aria-describedby: " + html(m));
		}
		for (const el of document.querySelectorAll("[aria-invalid=true]")) {
			const ids = (el.getAttribute("aria-describedby") || "").split(/\s+/);
			if (!ids.some(id => document.getElementById(id)?.classList.contains("error-message"))) {
				problems.push("invalid field not described by its error: " + html(el));
			}
		}
		const summary = document.querySelector(".error-summary");
		if (messages.length > 0 && !summary) problems.push("error messages without an error summary");
		if (summary) {
			if (summary.getAttribute("tabindex") !== "-1") problems.push("error summary cannot take focus: " + html(summary));
			const links = [...summary.querySelectorAll("a")];
			if (links.length !== messages.length) {
				problems.push("error summary has " + links.length + " links for " + messages.length + " errors");
			}
			for (const a of links) {
				const href = a.getAttribute("href") || "";
				const target = href.startsWith("#") && document.getElementById(href.slice(1));
				if (!target || !target.matches("input, select, textarea")) problems.push("error summary link to no field: " + html(a));
			}
		}
		const h1s = document.querySelectorAll("h1").length;
		if (h1s !== 1) problems.push(h1s + " h1 headings, want 1");
		return problems;
	})()`)
	for _, pr := range problems {
		p.T.Errorf("%s (%s): %s", what, p.Path(), pr)
	}

	tree := p.axTree()
	for _, n := range tree {
		if slices.Contains(controlRoles, n.Role) && strings.TrimSpace(n.Name) == "" {
			p.T.Errorf("%s: a %s without an accessible name", what, n.Role)
		}
	}
	// Every error message reaches assistive technology as the description
	// of its field (or group of options).
	for _, msg := range browsertest.Eval[[]string](p.Page, `[...document.querySelectorAll(".error-message")].map(m => m.textContent.trim())`) {
		if !slices.ContainsFunc(tree, func(n axNode) bool { return strings.Contains(n.Description, msg) }) {
			p.T.Errorf("%s: no field is described by the error %q", what, msg)
		}
	}
	if p.Has(`[data-testid="error-summary"]`) && !slices.ContainsFunc(tree, func(n axNode) bool {
		return n.Role == "alert" && n.Name == "There is a problem"
	}) {
		p.T.Errorf("%s: the error summary is not an alert named \"There is a problem\"", what)
	}
	// Why answers were not saved is an alert named by its heading.
	if p.Has(`[data-testid="unsaved"]`) {
		heading := p.Text(`[data-testid="unsaved"] h2`)
		if !slices.ContainsFunc(tree, func(n axNode) bool { return n.Role == "alert" && n.Name == heading }) {
			p.T.Errorf("%s: the reason answers were not saved is not an alert named %q", what, heading)
		}
	}
	if p.Has(`[data-testid="progress"]`) {
		want := p.Text(`[data-testid="progress"]`)
		m := regexp.MustCompile(`^Step (\d+) of (\d+)$`).FindStringSubmatch(want)
		if !slices.ContainsFunc(tree, func(n axNode) bool {
			return n.Role == "progressbar" && n.Name == want && m != nil && n.Props["valuemax"] == m[2]
		}) {
			p.T.Errorf("%s: no progress bar named %q with the maximum %v in the accessibility tree", what, want, m)
		}
	}
}

// wantNoSidewaysScroll checks that the page fits the width of the
// viewport, naming the elements that stick out when it does not.
func (p *page) wantNoSidewaysScroll(what string) {
	p.T.Helper()
	wide := browsertest.Eval[[]string](p.Page, `(() => {
		const width = document.documentElement.clientWidth;
		if (document.documentElement.scrollWidth <= width) return [];
		return [...document.querySelectorAll("body *")]
			.filter(el => el.getBoundingClientRect().right > width + 0.5)
			.slice(0, 5)
			.map(el => el.outerHTML.slice(0, 120) + " ends at " + Math.round(el.getBoundingClientRect().right) + "px");
	})()`)
	if len(wide) > 0 {
		p.T.Errorf("%s (%s): the page scrolls sideways at %d px; too wide:\n\t%s",
			what, p.Path(), browsertest.Eval[int](p.Page, "document.documentElement.clientWidth"), strings.Join(wide, "\n\t"))
	}
}
