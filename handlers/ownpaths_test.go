package handlers

import (
	"strings"
	"testing"

	"github.com/wizard/wizard"
)

// TestOwnPathsAreNoWizardNames: every top-level path the server serves
// itself is refused as a wizard's name by the engine, so that no catalog
// can hide one of the server's pages or be hidden by one.
func TestOwnPathsAreNoWizardNames(t *testing.T) {
	for _, own := range []string{"static", "healthz", "metrics", strings.TrimPrefix(keepAlivePath, "/")} {
		w := &wizard.Wizard{Name: own, Title: "Own", Steps: []*wizard.Step{{Name: "a", Title: "A"}}}
		if _, err := wizard.NewCatalog(w); err == nil || !strings.Contains(err.Error(), "taken by the server's own pages") {
			t.Errorf("a wizard called %s: %v, want it refused", own, err)
		}
	}
}
