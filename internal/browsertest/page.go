package browsertest

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
	// TestTimeout bounds the browser work of one test (NewPage).
	TestTimeout = 30 * time.Second
	// waitTimeout bounds a wait for one state of the page.
	waitTimeout = 10 * time.Second
	// pollInterval is how often a wait looks at the page.
	pollInterval = 20 * time.Millisecond
)

// Page is one tab of the shared browser, in a browser context of its own
// (its own cookie jar), looking at one test server. Its methods act as a
// person would (click, type, press back) and fail the test when they
// cannot. Fields are named by an input's id without its "f-" prefix, as
// the views give them.
type Page struct {
	T    testing.TB
	Tab  context.Context // lives until the test ends
	Ctx  context.Context // Tab with the test's deadline
	Base string          // the server's URL, which Open's paths follow
}

// NewPage opens a tab of b on the server at base whose browser work must
// end within timeout (TestTimeout when in doubt). When the test fails,
// the page's state is logged.
func NewPage(tb testing.TB, b *Browser, base string, timeout time.Duration) *Page {
	tb.Helper()
	tab, cancelTab := chromedp.NewContext(b.Context(tb), chromedp.WithNewBrowserContext())
	if err := chromedp.Do(tab); err != nil {
		cancelTab()
		tb.Fatalf("open a tab: %v", err)
	}
	ctx, cancel := context.WithTimeout(tab, timeout)
	p := &Page{T: tb, Tab: tab, Ctx: ctx, Base: base}
	tb.Cleanup(func() {
		cancel()
		cancelTab()
	})
	// Cleanups run last in, first out: this one sees the tab still open.
	tb.Cleanup(func() {
		if tb.Failed() {
			tb.Logf("the page when the test failed:\n%s", p.State())
		}
	})
	return p
}

// State describes the page for a failure message: address, focus and the
// text of the step.
func (p *Page) State() string {
	ctx, cancel := context.WithTimeout(p.Tab, 2*time.Second)
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

// Do runs steps, failing the test with what when one fails.
func (p *Page) Do(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.T.Helper()
	if err := chromedp.Do(p.Ctx, steps...); err != nil {
		p.T.Fatalf("%s: %v", what, err)
	}
}

// Eval evaluates a JavaScript expression in the page.
func Eval[T any](p *Page, expr string) T {
	p.T.Helper()
	v, err := chromedp.Run(p.Ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.T.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// DisableScripts turns JavaScript off for the pages the tab loads next, as
// a person who blocks scripts would.
func (p *Page) DisableScripts() {
	p.T.Helper()
	if _, err := chromedp.Call(p.Ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		p.T.Fatalf("disable scripts: %v", err)
	}
}

// Open types the address of path into the address bar.
func (p *Page) Open(path string) {
	p.T.Helper()
	p.Do("open "+path, chromedp.Navigate(p.Base+path))
}

// Reload presses the reload button.
func (p *Page) Reload() {
	p.T.Helper()
	p.Do("reload", chromedp.Reload())
}

// Back presses the browser's back button. A step pushed by htmx is a
// history entry of the same document, so the action does not wait for a
// load: callers wait for the step they expect.
func (p *Page) Back() {
	p.T.Helper()
	p.history("back", `history.back()`)
}

// Forward presses the browser's forward button; see Back.
func (p *Page) Forward() {
	p.T.Helper()
	p.history("forward", `history.forward()`)
}

// history runs a history call. When it leads to a new document, Chrome
// may answer the call with "navigated or closed" instead of its result:
// the navigation is what was asked for, and the caller waits for its page.
func (p *Page) history(what, call string) {
	p.T.Helper()
	if err := chromedp.Do(p.Ctx, chromedp.Evaluate[chromedp.Void](call)); err != nil && !strings.Contains(err.Error(), "navigated or closed") {
		p.T.Fatalf("%s: %v", what, err)
	}
}

// WaitFor waits until the JavaScript expression is truthy, looking at the
// page until waitTimeout passes. Errors while a new document loads do not
// count.
func (p *Page) WaitFor(what, expr string) {
	p.T.Helper()
	p.WaitForWithin(what, waitTimeout, expr)
}

// WaitForWithin is WaitFor with its own time limit.
func (p *Page) WaitForWithin(what string, limit time.Duration, expr string) {
	p.T.Helper()
	deadline := time.Now().Add(limit)
	var last error
	for {
		ctx, cancel := context.WithTimeout(p.Ctx, time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("!!("+expr+")"))
		cancel()
		if err == nil && ok {
			return
		}
		if err != nil {
			last = err
		}
		if time.Now().After(deadline) || p.Ctx.Err() != nil {
			p.T.Fatalf("waiting for %s: timed out (last error: %v)", what, last)
		}
		time.Sleep(pollInterval)
	}
}

// Path returns the address bar's path and query.
func (p *Page) Path() string {
	p.T.Helper()
	return Eval[string](p, `location.pathname + location.search`)
}

// WaitStep waits until the address bar shows path and the page shows the
// step named step ("review" and "done" for those pages).
func (p *Page) WaitStep(path, step string) {
	p.T.Helper()
	p.WaitFor(fmt.Sprintf("step %q at %s", step, path), fmt.Sprintf(
		`location.pathname + location.search === %s && document.readyState === "complete" &&
		 document.querySelector("#step") && document.querySelector("#step").dataset.step === %s`,
		strconv.Quote(path), strconv.Quote(step)))
}

// Fill puts value into the text field named name: click into it, select
// what is there, type over it.
func (p *Page) Fill(name, value string) {
	p.T.Helper()
	sel := chromedp.CSS("#f-" + name)
	p.Do("fill "+name,
		chromedp.Click(sel),
		chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.KeyEvent(kb.Backspace),
		chromedp.SendKeys(sel, value),
	)
}

// Value returns what the field named name holds now.
func (p *Page) Value(name string) string {
	p.T.Helper()
	return Eval[string](p, fmt.Sprintf(`document.getElementById(%s).value`, strconv.Quote("f-"+name)))
}

// Checked returns the labels of the checked options of the field named
// name, in page order.
func (p *Page) Checked(name string) []string {
	p.T.Helper()
	return Eval[[]string](p, fmt.Sprintf(`[...document.querySelectorAll("#step input:checked")]
		.filter(i => i.name === %s)
		.map(i => document.querySelector("label[for='" + i.id + "']").textContent.trim())`, strconv.Quote(name)))
}

// Choose clicks the option (radio or checkbox) labelled label, on its
// label as a person would.
func (p *Page) Choose(label string) {
	p.T.Helper()
	id := Eval[string](p, fmt.Sprintf(`(() => {
		const l = [...document.querySelectorAll("#step .option label")].find(l => l.textContent.trim() === %s);
		return l ? l.htmlFor : "";
	})()`, strconv.Quote(label)))
	if id == "" {
		p.T.Fatalf("no option labelled %q", label)
	}
	p.Do("choose "+label, chromedp.Click(chromedp.CSS(`label[for="`+id+`"]`)))
}

// Click clicks the element the CSS selector finds first.
func (p *Page) Click(sel string) {
	p.T.Helper()
	p.Do("click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// Submit clicks the step's button (Continue, Submit, ...).
func (p *Page) Submit() {
	p.T.Helper()
	p.Click(`#step [data-testid="submit"]`)
}

// Text returns the visible text of the first element sel finds, trimmed.
func (p *Page) Text(sel string) string {
	p.T.Helper()
	if !p.Has(sel) {
		p.T.Fatalf("no %s on the page", sel)
	}
	s, err := chromedp.Run(p.Ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		p.T.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// Has reports whether the page has an element sel finds.
func (p *Page) Has(sel string) bool {
	p.T.Helper()
	return Eval[bool](p, fmt.Sprintf(`document.querySelector(%s) !== null`, strconv.Quote(sel)))
}

// Visible reports whether the first element sel finds takes up room on
// the page (not display:none, not hidden).
func (p *Page) Visible(sel string) bool {
	p.T.Helper()
	return Eval[bool](p, fmt.Sprintf(`(() => {
		const el = document.querySelector(%s);
		return !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
	})()`, strconv.Quote(sel)))
}

// DoubleClick double-clicks the element sel finds as a mouse does: two
// presses and releases at the same point in quick succession, the second
// with a click count of 2. Both go out before the first click's effect
// (a swap or a navigation) can move the element.
func (p *Page) DoubleClick(sel string) {
	p.T.Helper()
	xy := Eval[[]float64](p, fmt.Sprintf(`(() => {
		const el = document.querySelector(%s);
		el.scrollIntoView({block: "center"});
		const r = el.getBoundingClientRect();
		return [r.x + r.width / 2, r.y + r.height / 2];
	})()`, strconv.Quote(sel)))
	p.Do("double click "+sel,
		chromedp.MouseClickXY(xy[0], xy[1], chromedp.ClickCount(1)),
		chromedp.MouseClickXY(xy[0], xy[1], chromedp.ClickCount(2)),
	)
}

// Press presses the keys, one after the other.
func (p *Page) Press(keys ...string) {
	p.T.Helper()
	p.TypeKeys(strings.Join(keys, ""))
}

// TypeKeys types text where focus is, key by key ("\r" is Enter).
func (p *Page) TypeKeys(text string) {
	p.T.Helper()
	p.Do("type "+strconv.Quote(text), chromedp.KeyEvent(text))
}

// WantFocus checks that the element sel finds has focus.
func (p *Page) WantFocus(sel string) {
	p.T.Helper()
	if !Eval[bool](p, fmt.Sprintf(`document.activeElement === document.querySelector(%s)`, strconv.Quote(sel))) {
		p.T.Fatalf("focus is on %s, want %s", Eval[string](p, `document.activeElement.outerHTML.slice(0, 160)`), sel)
	}
}

// Mark puts a value on window that only a full page load loses.
func (p *Page) Mark() {
	p.T.Helper()
	Eval[bool](p, `(window.__e2eMarker = "still here", true)`)
}

// Marked reports whether the value Mark set survives.
func (p *Page) Marked() bool {
	p.T.Helper()
	return Eval[bool](p, `window.__e2eMarker === "still here"`)
}

// Loaded waits until the browser has loaded the step at path as a new
// document (the marked one gone), as it does without JavaScript, and marks
// the new one.
func (p *Page) Loaded(path, step string) {
	p.T.Helper()
	p.WaitFor("a new document", `window.__e2eMarker !== "still here"`)
	p.WaitStep(path, step)
	p.Mark()
}
