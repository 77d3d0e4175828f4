package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/views"
)

// review lists the journey's answers once every step is answered.
func (s *Server) review(w http.ResponseWriter, r *http.Request) {
	wz, ok := s.lookup(w, r)
	if !ok {
		return
	}
	a, ended := s.load(r, wz)
	j := wz.Journey(a)
	if !j.Complete() {
		s.navigate(w, r, j, visit{ended: ended})
		return
	}
	s.renderReview(w, r, j)
}

// renderReview shows the review of a complete journey.
func (s *Server) renderReview(w http.ResponseWriter, r *http.Request, j *wizard.Journey) {
	wz := j.Wizard()
	title := j.Expand(wz.ReviewTitle)
	if title == "" {
		title = "Check your answers"
	}
	v := views.ReviewView{
		Frame:        s.frame(r, wz),
		Wizard:       wz,
		Title:        title,
		SubmitURL:    s.paths.submit(wz),
		SubmissionID: s.pendingID(r.Context(), wz),
		RestartURL:   s.paths.restart(wz),
	}
	back := visit{returning: true}
	review := j.Review()
	v.Items = make([]views.ReviewItem, 0, len(review))
	for _, it := range review {
		item := views.ReviewItem{ReviewItem: it}
		switch {
		case it.Item > 0:
			item.ChangeURL = back.url(s.paths.item(wz, it.Step, it.Item), false)
			item.RemoveURL = back.url(s.paths.removeItem(wz, it.Step, it.Item), false)
		case it.Step.Repeat != nil:
			item.ChangeURL = back.url(s.paths.step(wz, it.Step), false)
		default:
			item.ChangeURL = s.paths.change(wz, it.Step, it.Field)
		}
		v.Items = append(v.Items, item)
	}
	s.render(w, r, http.StatusOK, views.Review(v))
}

// submit revalidates the journey and hands it to the sink. A repeated
// submit (double click, back and resubmit, a second tab) stores nothing new
// and shows the first submission's reference.
func (s *Server) submit(w http.ResponseWriter, r *http.Request) {
	wz, ok := s.lookup(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	a, ended := s.load(r, wz)
	if rc, ok := s.receipt(ctx, wz); ok && rc.ID == r.PostForm.Get("submission") {
		s.showAgain(w, r, wz, rc)
		return
	}
	j := wz.Journey(a)
	if !j.Complete() {
		// A repeat whose session is gone: a second click that waited for
		// the first, which renewed the token and cleared the answers.
		if id := r.PostForm.Get("submission"); id != "" {
			if held, err := s.deps.Sink.Submitted(ctx, id); err != nil {
				s.log().Warn("ask sink about a submission", "wizard", wz.Name, "err", err)
			} else if held {
				s.showAgain(w, r, wz, receipt{ID: id, Reference: wz.Reference(id)})
				return
			}
		}
		s.revalidate(w, r, j, a, ended)
		return
	}
	if f, err := s.checkAll(ctx, j); err != nil {
		// The answers stay in the session; the page asks to try again.
		s.fail(w, r, http.StatusServiceUnavailable, err)
		return
	} else if f != nil {
		// A check fails now that passed when the step was saved (say, the
		// email address was registered meanwhile): back to its step.
		s.showErrors(w, r, j, f, visit{ended: ended, returning: true})
		return
	}
	if ok, retry := s.submits.Allow(s.clientKey(r)); !ok {
		// The answers stay in the session; the page says when to try again.
		s.fail(w, r, http.StatusTooManyRequests, &limited{what: "submit", retryAfter: retry})
		return
	}
	sub := j.Submission(s.pendingID(ctx, wz), time.Now().UTC())
	again := false
	err := s.deps.Sink.Submit(ctx, sub)
	if err == nil {
		s.metrics.submitted(wz.Name)
	}
	if errors.Is(err, wizard.ErrAlreadySubmitted) {
		again = true
	} else if errors.Is(err, wizard.ErrConflict) {
		// The ID was stored with other answers (changed after a submit
		// whose session update was lost): sending these under it would
		// silently drop them. The answers stay in the session.
		s.fail(w, r, http.StatusConflict, fmt.Errorf("submit %q of wizard %q: %w", sub.Reference, wz.Name, err))
		return
	} else if err != nil {
		s.log().Error("submit failed", "wizard", wz.Name, "reference", sub.Reference, "err", err)
		s.render(w, r, http.StatusServiceUnavailable, views.SubmitFailed(views.SubmitFailedView{
			Frame: s.frame(r, wz), Wizard: wz, ReviewURL: s.paths.review(wz),
		}))
		return
	}
	// The sink has the submission: the rest of the submit (a new token,
	// the answers cleared, the receipt saved) must happen even if the
	// client has hung up, or the old cookie would still open the answers
	// and the same pending ID. The session is saved likewise (see commit).
	ctx = context.WithoutCancel(ctx)
	// A new token after the answers leave the session: whoever held the old
	// cookie can no longer see them.
	if err := s.sessions.renewToken(ctx, sessionIn(ctx)); err != nil {
		s.log().Error("renew session token after submit", "wizard", wz.Name, "err", err)
	}
	rc := receipt{ID: sub.ID, Reference: sub.Reference, Answers: j.Answers()}
	s.clear(ctx, wz)
	s.putReceipt(ctx, wz, rc)
	if !again {
		s.runDone(ctx, sub)
	}
	s.goTo(w, r, s.paths.done(wz), visit{}, func() { s.renderDone(w, r, wz, rc, again) })
}

// revalidate handles a submit of a journey that is not complete: a step
// whose saved answers no longer pass its rules is shown with its errors
// (422); a step never answered is where the user is sent; a journey that
// ends in an exit goes to its exit page, with nothing submitted.
func (s *Server) revalidate(w http.ResponseWriter, r *http.Request, j *wizard.Journey, a wizard.Answers, ended ending) {
	st := j.FirstOpen()
	if st == nil {
		s.navigate(w, r, j, visit{ended: ended})
		return
	}
	v := visit{ended: ended, returning: true}
	if st.Repeat != nil {
		// An item that no longer passes is shown with its errors.
		if n, item, errs := j.FirstInvalidItem(st); n > 0 {
			s.showErrors(w, r, j, &wizard.Failed{Step: st, Item: n, Values: item, Errors: errs}, v)
			return
		}
		s.navigate(w, r, j, v)
		return
	}
	if saved, ok := a[st.Name]; ok {
		if _, errs, err := j.Validate(st, saved); err == nil && len(errs) > 0 {
			s.showErrors(w, r, j, &wizard.Failed{Step: st, Values: saved, Errors: errs}, v)
			return
		}
	}
	s.navigate(w, r, j, v)
}

// showErrors answers a submit with the step (or the item of a repeating
// step) whose saved answers no longer pass, with its errors (422), at its
// address.
func (s *Server) showErrors(w http.ResponseWriter, r *http.Request, j *wizard.Journey, f *wizard.Failed, v visit) {
	st := f.Step
	p := stepPage{j: j, st: st, values: f.Values, errs: f.Errors, status: http.StatusUnprocessableEntity, v: v}
	path := s.paths.step(j.Wizard(), st)
	if f.Item > 0 {
		path = s.paths.item(j.Wizard(), st, f.Item)
		p.item = &views.ItemForm{Number: f.Item, Label: st.Repeat.ItemLabel(f.Item), ID: j.Saved(st.Name).Items()[f.Item-1]}
	}
	if partial(r) {
		w.Header().Set("HX-Push-Url", v.url(path, false))
	}
	s.renderStep(w, r, p)
}

// showAgain answers a repeated submit with the first submission's done
// page, marked "already submitted", at the done page's own address (so a
// reload does not post again).
func (s *Server) showAgain(w http.ResponseWriter, r *http.Request, wz *wizard.Wizard, rc receipt) {
	s.goTo(w, r, s.paths.done(wz)+"?again="+url.QueryEscape(rc.ID), visit{}, func() { s.renderDone(w, r, wz, rc, true) })
}

// done shows the last submission of the wizard; without one, the user is
// sent where the journey says. With ?again=ID it says that submission was
// already made: from the receipt in the session, or, when a repeated submit
// found the session gone, from the sink (the reference only).
func (s *Server) done(w http.ResponseWriter, r *http.Request) {
	wz, ok := s.lookup(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	a, ended := s.load(r, wz)
	rc, ok := s.receipt(ctx, wz)
	if again := r.URL.Query().Get("again"); again != "" {
		if ok && rc.ID == again {
			s.renderDone(w, r, wz, rc, true)
			return
		}
		if held, err := s.deps.Sink.Submitted(ctx, again); err == nil && held {
			s.renderDone(w, r, wz, receipt{ID: again, Reference: wz.Reference(again)}, true)
			return
		}
	}
	if !ok {
		s.navigate(w, r, wz.Journey(a), visit{ended: ended})
		return
	}
	s.renderDone(w, r, wz, rc, false)
}

// renderDone shows a submission's reference and summary.
func (s *Server) renderDone(w http.ResponseWriter, r *http.Request, wz *wizard.Wizard, rc receipt, again bool) {
	msg := wz.Done
	if msg == "" {
		msg = "Thank you."
	}
	s.render(w, r, http.StatusOK, views.Done(views.DoneView{
		Frame:     s.frame(r, wz),
		Wizard:    wz,
		Message:   wizard.Expand(msg, rc.Answers),
		Reference: rc.Reference,
		Items:     wz.Journey(rc.Answers).Review(),
		Again:     again,
		HomeURL:   s.paths.home,
	}))
}

// confirmRestart asks before deleting the wizard's answers.
func (s *Server) confirmRestart(w http.ResponseWriter, r *http.Request) {
	wz, ok := s.lookup(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, views.Restart(views.RestartView{
		Frame: s.frame(r, wz), Wizard: wz, ActionURL: s.paths.restart(wz), CancelURL: s.paths.wizard(wz),
	}))
}

// restart deletes the wizard's answers and goes to its first step.
func (s *Server) restart(w http.ResponseWriter, r *http.Request) {
	wz, ok := s.lookup(w, r)
	if !ok {
		return
	}
	a, _ := s.load(r, wz)
	if len(a) > 0 {
		s.clear(r.Context(), wz)
	}
	s.navigate(w, r, wz.Journey(nil), visit{})
}

// keepAlive extends the session: any request does, so it only answers
// 204, or 410 when there is no session left to extend.
func (s *Server) keepAlive(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if sessionOf(r).token == "" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusGone)
		fmt.Fprintln(w, "Your session has expired.")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
