package browsertest

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// chromiumNames are where and under which names the browser is looked for,
// in order. WIZARD_CHROMIUM, when set, names it instead.
var chromiumNames = []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// errNoChromium is why the browser tests cannot run on this machine.
var errNoChromium = errors.New("chromium not installed: apt-get install -y chromium")

// Browser is one headless Chromium process shared by the tests of a test
// binary (a launch costs seconds), started by the first test that needs
// it. The zero value is ready to use; Close stops the process.
type Browser struct {
	once   sync.Once
	ctx    context.Context
	cancel context.CancelFunc
	err    error
}

// Context returns the browser's context, starting it on first use.
// Without Chromium the test is skipped, unless CI=true: in CI the browser
// tests must run, so the test fails.
func (b *Browser) Context(tb testing.TB) context.Context {
	tb.Helper()
	b.once.Do(b.start)
	if errors.Is(b.err, errNoChromium) {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("CI=true but %v", b.err)
		}
		tb.Skip(b.err)
	}
	if b.err != nil {
		tb.Fatalf("start chromium: %v", b.err)
	}
	return b.ctx
}

// Main runs the tests of m, then stops b and exits with the tests'
// status: a test package's TestMain.
func Main(m *testing.M, b *Browser) {
	code := m.Run()
	b.Close()
	os.Exit(code)
}

// Close stops the browser, if it was started.
func (b *Browser) Close() {
	if b.cancel != nil {
		b.cancel()
	}
}

// findChromium returns the path of the browser, or "" when there is none.
func findChromium() string {
	names := chromiumNames
	if p := os.Getenv("WIZARD_CHROMIUM"); p != "" {
		names = []string{p}
	}
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// start launches headless Chromium. The machine may have no network, so
// everything that phones home is off. The window is a typical desktop
// size; tests that need another emulate it.
func (b *Browser) start() {
	path := findChromium()
	if path == "" {
		b.err = errNoChromium
		return
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.WindowSize(1024, 768),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	if err := chromedp.Do(ctx); err != nil {
		cancelCtx()
		cancelAlloc()
		b.err = err
		return
	}
	b.ctx = ctx
	b.cancel = func() {
		cancelCtx()
		cancelAlloc()
	}
}
