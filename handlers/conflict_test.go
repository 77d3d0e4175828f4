package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/handlers"
)

// conflictSink holds every ID already, with other content.
type conflictSink struct{}

func (conflictSink) Submit(_ context.Context, s wizard.Submission) error {
	return fmt.Errorf("submission %q: %w", s.ID, wizard.ErrConflict)
}

func (conflictSink) Submitted(context.Context, string) (bool, error) { return true, nil }

// TestSubmitConflict: a sink that holds the ID with other answers is
// answered with the 409 page, without the error's text, and the answers
// stay to be checked.
func TestSubmitConflict(t *testing.T) {
	ts := newServerWith(t, handlers.DefaultConfig(), conflictSink{})
	c := newClient(t, ts)
	c.post("/classic/name", form("v1", "Ada"), nil)
	c.post("/classic/job", form("v2", "Analyst"), nil).wantRedirect(t, "/classic/review")
	c.post("/classic/submit", form("submission", submissionID(t, c, "/classic/review")), nil).
		wantStatus(t, http.StatusConflict).
		wantBody(t, "These answers do not match what was already sent", "Your answers are kept").
		wantNoBody(t, wizard.ErrConflict.Error(), "submission &#34;")
	c.get("/classic/review", nil).wantStatus(t, 200).wantBody(t, "Ada", "Analyst")
}
