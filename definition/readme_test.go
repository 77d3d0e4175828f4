package definition_test

import (
	"os"
	"strings"
	"testing"

	"github.com/wizard/wizard/definition"
)

// TestREADMEExampleLoads keeps the README's example definition working.
func TestREADMEExampleLoads(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "<!-- example: pets.yaml")
	if !ok {
		t.Fatal("README has no example marker")
	}
	_, rest, _ = strings.Cut(rest, "```yaml\n")
	src, _, ok := strings.Cut(rest, "```")
	if !ok {
		t.Fatal("README example not closed")
	}
	w, err := definition.Parse("forms/pets.yaml", []byte(src))
	if err != nil {
		t.Fatalf("README example: %v", err)
	}
	if w.Name != "pets" || len(w.Steps) != 4 || len(w.Exits) != 1 {
		t.Errorf("README example: got %q with %d steps and %d exits", w.Name, len(w.Steps), len(w.Exits))
	}
}
