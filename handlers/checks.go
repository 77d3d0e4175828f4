package handlers

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/views"
)

// check runs the checks of step st on its valid values, within
// Config.CheckTimeout.
func (s *Server) check(ctx context.Context, j *wizard.Journey, st *wizard.Step, values wizard.Values) ([]wizard.FieldError, error) {
	if len(st.Checks) == 0 {
		return nil, nil
	}
	ctx, cancel := withTimeout(ctx, s.cfg.CheckTimeout)
	defer cancel()
	errs, err := j.Check(ctx, st, values)
	if err != nil {
		return nil, &checkError{fmt.Errorf("wizard %q: %w", j.Wizard().Name, err)}
	}
	return errs, nil
}

// withTimeout bounds ctx by d; 0 (a Config not from DefaultConfig) adds
// no bound.
func withTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d)
}

// checkError is the error of a check that could not decide: the user is
// told so, not that the store is down.
type checkError struct{ err error }

func (e *checkError) Error() string { return e.err.Error() }
func (e *checkError) Unwrap() error { return e.err }

// checkAll runs the checks of every step of a complete journey, as a
// submit does, within Config.CheckTimeout in all.
func (s *Server) checkAll(ctx context.Context, j *wizard.Journey) (*wizard.Failed, error) {
	ctx, cancel := withTimeout(ctx, s.cfg.CheckTimeout)
	defer cancel()
	f, err := j.CheckAll(ctx)
	if err != nil {
		return nil, &checkError{fmt.Errorf("wizard %q: %w", j.Wizard().Name, err)}
	}
	return f, nil
}

// unchecked logs a check that could not decide and returns what to tell
// the user above their answers (with status 503).
func (s *Server) unchecked(w http.ResponseWriter, r *http.Request, err error) *views.Problem {
	s.note(w, r, http.StatusServiceUnavailable, err)
	f := failureFor(http.StatusServiceUnavailable, err)
	return &views.Problem{Heading: f.heading, Message: f.again}
}

// runDone runs the Done hook, if any, for a stored submission. Its
// failure is logged; the submission stands.
func (s *Server) runDone(ctx context.Context, sub wizard.Submission) {
	if s.deps.Done == nil {
		return
	}
	ctx, cancel := withTimeout(context.WithoutCancel(ctx), s.cfg.DoneTimeout)
	defer cancel()
	if err := s.deps.Done(ctx, sub); err != nil {
		s.log().Error("done hook failed", "wizard", sub.Wizard, "reference", sub.Reference, "err", err)
	}
}
