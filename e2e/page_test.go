package e2e

import (
	"testing"
	"time"

	"github.com/wizard/wizard/internal/browsertest"
)

// chrome is the one browser process of the test binary, started by the
// first test that needs it and stopped by TestMain.
var chrome browsertest.Browser

func TestMain(m *testing.M) { browsertest.Main(m, &chrome) }

// page is a tab of the shared browser looking at one test server, with
// the helpers of browsertest.Page and this package's own (steps_test.go).
type page struct {
	*browsertest.Page
}

// newPage opens a tab on srv with the default deadline.
func newPage(tb testing.TB, srv *server) *page {
	tb.Helper()
	return newPageFor(tb, srv, browsertest.TestTimeout)
}

// newPageFor opens a tab on srv whose browser work must end within timeout.
func newPageFor(tb testing.TB, srv *server, timeout time.Duration) *page {
	tb.Helper()
	return &page{browsertest.NewPage(tb, &chrome, srv.URL, timeout)}
}
