package e2e

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

const (
	// testTimeout bounds the browser work of one test.
	testTimeout = 30 * time.Second
	// waitTimeout bounds a wait for one state of the page.
	waitTimeout = 10 * time.Second
	// pollInterval is how often a wait looks at the page.
	pollInterval = 20 * time.Millisecond
)

// page is one tab of the shared browser, in a browser context of its own
// (its own cookie jar), looking at one test server. Its methods act as a
// person would (click, type, press back) and fail the test when they cannot.
type page struct {
	t    testing.TB
	tab  context.Context // lives until the test ends
	ctx  context.Context // tab with the test's deadline
	base string
}

// newPage opens a tab on srv with the default deadline.
func newPage(tb testing.TB, srv *server) *page {
	tb.Helper()
	return newPageFor(tb, srv, testTimeout)
}

// newPageFor opens a tab on srv whose browser work must end within timeout.
func newPageFor(tb testing.TB, srv *server, timeout time.Duration) *page {
	tb.Helper()
	tab, cancelTab := chromedp.NewContext(browser(tb), chromedp.WithNewBrowserContext())
	if err := chromedp.Do(tab); err != nil {
		cancelTab()
		tb.Fatalf("open a tab: %v", err)
	}
	ctx, cancel := context.WithTimeout(tab, timeout)
	p := &page{t: tb, tab: tab, ctx: ctx, base: srv.URL}
	tb.Cleanup(func() {
		cancel()
		cancelTab()
	})
	// Cleanups run last in, first out: this one sees the tab still open.
	tb.Cleanup(func() {
		if tb.Failed() {
			tb.Logf("the page when the test failed:\n%s", p.state())
		}
	})
	return p
}

// state describes the page for a failure message: address, focus and the
// text of the step.
func (p *page) state() string {
	ctx, cancel := context.WithTimeout(p.tab, 2*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const a = document.activeElement;
		const step = document.getElementById("step");
		return "url: " + location.href +
			"\ntitle: " + document.title +
			"\nfocus: " + (a ? a.outerHTML.slice(0, 120) : "none") +
			"\nstep: " + (step ? step.innerText.slice(0, 1500) : document.body && document.body.innerText.slice(0, 1500));
	})()`))
	if err != nil {
		return "(page unreadable: " + err.Error() + ")"
	}
	return s
}

// do runs steps, failing the test with what when one fails.
func (p *page) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, steps...); err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](p *page, expr string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// disableScripts turns JavaScript off for the pages the tab loads next, as
// a person who blocks scripts would.
func (p *page) disableScripts() {
	p.t.Helper()
	if _, err := chromedp.Call(p.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		p.t.Fatalf("disable scripts: %v", err)
	}
}

// open types the address of path into the address bar.
func (p *page) open(path string) {
	p.t.Helper()
	p.do("open "+path, chromedp.Navigate(p.base+path))
}

// reload presses the reload button.
func (p *page) reload() {
	p.t.Helper()
	p.do("reload", chromedp.Reload())
}

// back presses the browser's back button. A step pushed by htmx is a
// history entry of the same document, so the action does not wait for a
// load: callers wait for the step they expect.
func (p *page) back() {
	p.t.Helper()
	p.history("back", `history.back()`)
}

// forward presses the browser's forward button; see back.
func (p *page) forward() {
	p.t.Helper()
	p.history("forward", `history.forward()`)
}

// history runs a history call. When it leads to a new document, Chrome
// may answer the call with "navigated or closed" instead of its result:
// the navigation is what was asked for, and the caller waits for its page.
func (p *page) history(what, call string) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, chromedp.Evaluate[chromedp.Void](call)); err != nil && !strings.Contains(err.Error(), "navigated or closed") {
		p.t.Fatalf("%s: %v", what, err)
	}
}

// waitFor waits until the JavaScript expression is truthy, looking at the
// page until waitTimeout passes. Errors while a new document loads do not
// count.
func (p *page) waitFor(what, expr string) {
	p.t.Helper()
	p.waitForWithin(what, waitTimeout, expr)
}

// waitForWithin is waitFor with its own time limit.
func (p *page) waitForWithin(what string, limit time.Duration, expr string) {
	p.t.Helper()
	deadline := time.Now().Add(limit)
	var last error
	for {
		ctx, cancel := context.WithTimeout(p.ctx, time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("!!("+expr+")"))
		cancel()
		if err == nil && ok {
			return
		}
		if err != nil {
			last = err
		}
		if time.Now().After(deadline) || p.ctx.Err() != nil {
			p.t.Fatalf("waiting for %s: timed out (last error: %v)", what, last)
		}
		time.Sleep(pollInterval)
	}
}

// path returns the address bar's path and query.
func (p *page) path() string {
	p.t.Helper()
	return eval[string](p, `location.pathname + location.search`)
}

// waitStep waits until the address bar shows path and the page shows the
// step named step ("review" and "done" for those pages).
func (p *page) waitStep(path, step string) {
	p.t.Helper()
	p.waitFor(fmt.Sprintf("step %q at %s", step, path), fmt.Sprintf(
		`location.pathname + location.search === %s && document.readyState === "complete" &&
		 document.querySelector("#step") && document.querySelector("#step").dataset.step === %s`,
		strconv.Quote(path), strconv.Quote(step)))
}

// fill puts value into the text field named name: click into it, select
// what is there, type over it.
func (p *page) fill(name, value string) {
	p.t.Helper()
	sel := chromedp.CSS("#f-" + name)
	p.do("fill "+name,
		chromedp.Click(sel),
		chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.KeyEvent(kb.Backspace),
		chromedp.SendKeys(sel, value),
	)
}

// value returns what the field named name holds now.
func (p *page) value(name string) string {
	p.t.Helper()
	return eval[string](p, fmt.Sprintf(`document.getElementById(%s).value`, strconv.Quote("f-"+name)))
}

// checked returns the labels of the checked options of the field named
// name, in page order.
func (p *page) checked(name string) []string {
	p.t.Helper()
	return eval[[]string](p, fmt.Sprintf(`[...document.querySelectorAll("#step input:checked")]
		.filter(i => i.name === %s)
		.map(i => document.querySelector("label[for='" + i.id + "']").textContent.trim())`, strconv.Quote(name)))
}

// choose clicks the option (radio or checkbox) labelled label, on its
// label as a person would.
func (p *page) choose(label string) {
	p.t.Helper()
	id := eval[string](p, fmt.Sprintf(`(() => {
		const l = [...document.querySelectorAll("#step .option label")].find(l => l.textContent.trim() === %s);
		return l ? l.htmlFor : "";
	})()`, strconv.Quote(label)))
	if id == "" {
		p.t.Fatalf("no option labelled %q", label)
	}
	p.do("choose "+label, chromedp.Click(chromedp.CSS(`label[for="`+id+`"]`)))
}

// click clicks the element the CSS selector finds first.
func (p *page) click(sel string) {
	p.t.Helper()
	p.do("click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// submit clicks the step's button (Continue, Submit, ...).
func (p *page) submit() {
	p.t.Helper()
	p.click(`#step [data-testid="submit"]`)
}

// text returns the visible text of the first element sel finds, trimmed.
func (p *page) text(sel string) string {
	p.t.Helper()
	if !p.has(sel) {
		p.t.Fatalf("no %s on the page", sel)
	}
	s, err := chromedp.Run(p.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		p.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// has reports whether the page has an element sel finds.
func (p *page) has(sel string) bool {
	p.t.Helper()
	return eval[bool](p, fmt.Sprintf(`document.querySelector(%s) !== null`, strconv.Quote(sel)))
}

// visible reports whether the first element sel finds takes up room on
// the page (not display:none, not hidden).
func (p *page) visible(sel string) bool {
	p.t.Helper()
	return eval[bool](p, fmt.Sprintf(`(() => {
		const el = document.querySelector(%s);
		return !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
	})()`, strconv.Quote(sel)))
}

// doubleClick double-clicks the element sel finds as a mouse does: two
// presses and releases at the same point in quick succession, the second
// with a click count of 2. Both go out before the first click's effect
// (a swap or a navigation) can move the element.
func (p *page) doubleClick(sel string) {
	p.t.Helper()
	xy := eval[[]float64](p, fmt.Sprintf(`(() => {
		const el = document.querySelector(%s);
		el.scrollIntoView({block: "center"});
		const r = el.getBoundingClientRect();
		return [r.x + r.width / 2, r.y + r.height / 2];
	})()`, strconv.Quote(sel)))
	p.do("double click "+sel,
		chromedp.MouseClickXY(xy[0], xy[1], chromedp.ClickCount(1)),
		chromedp.MouseClickXY(xy[0], xy[1], chromedp.ClickCount(2)),
	)
}

// press presses the keys, one after the other.
func (p *page) press(keys ...string) {
	p.t.Helper()
	p.typeKeys(strings.Join(keys, ""))
}

// typeKeys types text where focus is, key by key ("\r" is Enter).
func (p *page) typeKeys(text string) {
	p.t.Helper()
	p.do("type "+strconv.Quote(text), chromedp.KeyEvent(text))
}

// wantFocus checks that the element sel finds has focus.
func (p *page) wantFocus(sel string) {
	p.t.Helper()
	if !eval[bool](p, fmt.Sprintf(`document.activeElement === document.querySelector(%s)`, strconv.Quote(sel))) {
		p.t.Fatalf("focus is on %s, want %s", eval[string](p, `document.activeElement.outerHTML.slice(0, 160)`), sel)
	}
}
