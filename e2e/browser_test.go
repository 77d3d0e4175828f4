package e2e

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

// shared is the one browser process of the test binary, started by the
// first test that needs it and stopped by TestMain.
var shared struct {
	once   sync.Once
	ctx    context.Context
	cancel context.CancelFunc
	err    error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.cancel != nil {
		shared.cancel()
	}
	os.Exit(code)
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

// browser returns the context of the shared browser, starting it on first
// use. Without Chromium the test is skipped, unless CI=true: in CI the
// browser tests must run, so the test fails.
func browser(tb testing.TB) context.Context {
	tb.Helper()
	shared.once.Do(startBrowser)
	if errors.Is(shared.err, errNoChromium) {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("CI=true but %v", shared.err)
		}
		tb.Skip(shared.err)
	}
	if shared.err != nil {
		tb.Fatalf("start chromium: %v", shared.err)
	}
	return shared.ctx
}

// startBrowser launches headless Chromium. The machine may have no network,
// so everything that phones home is off. The window is a typical desktop
// size; tests that need another emulate it.
func startBrowser() {
	path := findChromium()
	if path == "" {
		shared.err = errNoChromium
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
		shared.err = err
		return
	}
	shared.ctx = ctx
	shared.cancel = func() {
		cancelCtx()
		cancelAlloc()
	}
}
