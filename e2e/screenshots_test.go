package e2e

import (
	"os"
	"path/filepath"
	"testing"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/wizard/wizard/internal/browsertest"
)

// TestScreenshots writes the pictures of the README: a step, an error, the
// review and the done page of the register wizard, as a desktop browser
// shows them. It runs only when WIZARD_SCREENSHOTS names the directory to
// write to (`make screenshots` writes docs/screenshots).
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("WIZARD_SCREENSHOTS")
	if dir == "" {
		t.Skip("set WIZARD_SCREENSHOTS to a directory to write the screenshots (make screenshots)")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	srv := defaultServer(t)
	p := newPage(t, srv)
	p.Do("emulate a desktop", chromedp.EmulateViewport(1024, 768))
	p.startRegister()
	p.Fill("name", "Ada")
	p.Fill("email", "ada@")
	p.Submit()
	p.waitRefused()
	p.screenshot(filepath.Join(dir, "error.png"))

	p.Fill("name", adaName)
	p.Fill("email", adaEmail)
	p.Submit()
	p.swapped("/register/ticket", "ticket")
	p.Choose("Speaker")
	p.screenshot(filepath.Join(dir, "step.png"))

	p.Submit()
	p.swapped("/register/talk", "talk")
	p.answerTalk(talkTitle, abstract)
	p.addGuest(1, "Charles Babbage", "Vegetarian")
	p.answerNoMoreGuests()
	p.answerNeeds("Vegetarian", "Hearing loop")
	p.screenshot(filepath.Join(dir, "review.png"))

	p.submitReview("register")
	p.screenshot(filepath.Join(dir, "done.png"))
}

// screenshot writes a PNG of the whole page to path, with the mouse out of
// the way and focus on nothing, so that no hover or focus style shows.
func (p *page) screenshot(path string) {
	p.T.Helper()
	p.Do("move the mouse away", chromedp.MouseEvent(chromedp.MouseMoved, 0, 0))
	browsertest.Eval[bool](p.Page, `(document.activeElement && document.activeElement.blur(), true)`)
	png, err := chromedp.Call(p.Ctx, cdppage.CaptureScreenshot, cdppage.CaptureScreenshotParams{
		Format:                cdppage.CaptureScreenshotFormatPng,
		CaptureBeyondViewport: new(true),
		FromSurface:           new(true),
	})
	if err != nil {
		p.T.Fatalf("screenshot %s: %v", path, err)
	}
	if err := os.WriteFile(path, png.Data, 0o644); err != nil {
		p.T.Fatal(err)
	}
	p.T.Logf("wrote %s", path)
}
