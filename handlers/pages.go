package handlers

import (
	"net/http"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/views"
)

// ending says why the session a request's cookie named is gone, for the
// notice on the page the user lands on.
type ending uint8

const (
	notEnded ending = iota
	// endedExpired: the session expired (or never existed).
	endedExpired
	// endedUnreadable: its saved data could not be read and was deleted.
	endedUnreadable
)

// param is the value of the "expired" query parameter that carries the
// ending through a redirect.
func (e ending) param() string {
	switch e {
	case endedExpired:
		return "1"
	case endedUnreadable:
		return "unreadable"
	}
	return ""
}

// visit is how the user arrives at a step: whether and why their session
// just ended, and whether they came from the review page to change an
// answer (then saving returns them there).
type visit struct {
	ended     ending
	returning bool
}

// visitOf reads the visit from the request's query; ended, when set, says
// how this request found the session.
func visitOf(r *http.Request, ended ending) visit {
	if r.URL.RawQuery == "" {
		return visit{ended: ended} // the usual case: no query to parse
	}
	q := r.URL.Query()
	if ended == notEnded {
		switch q.Get("expired") {
		case endedExpired.param():
			ended = endedExpired
		case endedUnreadable.param():
			ended = endedUnreadable
		}
	}
	return visit{ended: ended, returning: q.Get("return") == "review"}
}

// url returns path with the visit's query: what a redirect or a form action
// carries along, with the session's ending when notice is set.
func (v visit) url(path string, notice bool) string {
	q := ""
	if notice && v.ended != notEnded {
		q = "?expired=" + v.ended.param()
	}
	if v.returning {
		if q == "" {
			return path + "?return=review"
		}
		return path + q + "&return=review"
	}
	return path + q
}

// home lists the wizards.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	v := views.HomeView{Frame: s.frame(r, nil)}
	for _, wz := range s.catalog().All() {
		v.Wizards = append(v.Wizards, views.WizardLink{Title: wz.Title, Intro: wz.Intro, URL: s.paths.wizard(wz)})
	}
	s.render(w, r, http.StatusOK, views.Home(v))
}

// lookup finds the wizard named in the path, reading the catalog for the
// request; it answers 404 and returns ok=false when there is none.
func (s *Server) lookup(w http.ResponseWriter, r *http.Request) (wz *wizard.Wizard, ok bool) {
	if wz = s.catalog().Get(r.PathValue("wizard")); wz == nil {
		s.fail(w, r, http.StatusNotFound, nil)
		return nil, false
	}
	return wz, true
}

// methodsFor returns the methods of the page called name under wz when
// it is not a step: one of the server's own pages, or an exit; "" when
// there is no such page.
func methodsFor(wz *wizard.Wizard, name string) string {
	switch name {
	case "review", "done":
		return "GET, HEAD"
	case "submit":
		return "POST"
	case "restart":
		return "GET, HEAD, POST"
	}
	if wz.Exit(name) != nil {
		return "GET, HEAD"
	}
	return ""
}

// wizardRoot sends the user to the first step of the journey that still
// needs an answer (the exit or the review when none does).
func (s *Server) wizardRoot(w http.ResponseWriter, r *http.Request) {
	wz, ok := s.lookup(w, r)
	if !ok {
		return
	}
	a, ended := s.load(r, wz)
	s.navigate(w, r, wz.Journey(a), visit{ended: ended})
}

// showStep shows a step with its saved answers, if the user may open it
// yet, or the exit of that name (exit and step names are unique together).
func (s *Server) showStep(w http.ResponseWriter, r *http.Request) {
	wz, ok := s.lookup(w, r)
	if !ok {
		return
	}
	if ex := wz.Exit(r.PathValue("step")); ex != nil {
		s.showExit(w, r, wz, ex)
		return
	}
	if st, a, j, v, ok := s.openStep(w, r, wz, false); ok {
		if st.Repeat != nil {
			if len(a[st.Name].Items()) == 0 && st.Repeat.Min > 0 {
				s.goToItem(w, r, j, st, 1, v)
				return
			}
			s.renderSummary(w, r, summaryPage{j: j, st: st, v: v, notice: noticeOf(r, st)})
			return
		}
		s.renderStep(w, r, stepPage{j: j, st: st, values: a[st.Name], v: v})
	}
}

// saveStep validates a step's answers and saves them: 422 with the step
// redrawn on error; on success, the next step of the journey (303 for plain
// forms, the next step's partial for htmx), or back to the review when the
// user came from there and the journey is complete.
func (s *Server) saveStep(w http.ResponseWriter, r *http.Request) {
	wz, ok := s.lookup(w, r)
	if !ok {
		return
	}
	st, a, j, v, ok := s.openStep(w, r, wz, true)
	if !ok {
		return
	}
	if st.Repeat != nil {
		s.saveSummary(w, r, j, st, a, v)
		return
	}
	values, errs, err := j.Validate(st, wizard.Values(r.PostForm))
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, err)
		return
	}
	if len(errs) == 0 {
		if errs, err = s.check(r.Context(), j, st, values); err != nil {
			// Not the user's fault: the step again, with what was typed.
			s.renderStep(w, r, stepPage{j: j, st: st, values: values, status: http.StatusServiceUnavailable, v: v, unsaved: s.unchecked(w, r, err)})
			return
		}
	}
	if len(errs) > 0 {
		s.renderStep(w, r, stepPage{j: j, st: st, values: values, errs: errs, status: http.StatusUnprocessableEntity, v: v})
		return
	}
	saved := a.With(st.Name, values)
	s.save(r.Context(), wz, saved)
	if err := saveNow(w); err != nil {
		// Not saved (a full store, a rate limit, a store outage): the step
		// again, with what was typed and why, to send again later.
		status, problem := s.unsaved(w, r, err)
		s.renderStep(w, r, stepPage{j: j, st: st, values: values, status: status, v: v, unsaved: problem})
		return
	}
	j.Retrace(saved)
	s.moveOn(w, r, j, st, v)
}

// moveOn sends the user on from step st, just saved: to the next step of
// the journey, or back to the review when they came from there (or to
// wherever the journey says when it has no next step).
func (s *Server) moveOn(w http.ResponseWriter, r *http.Request, j *wizard.Journey, st *wizard.Step, v visit) {
	next := j.Next(st.Name)
	if v.returning || next == nil {
		s.navigate(w, r, j, v)
		return
	}
	s.goToStep(w, r, j, next, v)
}

// goToStep moves the user to step st of journey j: its page, or for a
// repeating step without items that needs some, the form of its first.
func (s *Server) goToStep(w http.ResponseWriter, r *http.Request, j *wizard.Journey, st *wizard.Step, v visit) {
	wz := j.Wizard()
	if st.Repeat != nil {
		if len(j.Saved(st.Name).Items()) == 0 && st.Repeat.Min > 0 {
			s.goToItem(w, r, j, st, 1, v)
			return
		}
		s.goTo(w, r, s.paths.step(wz, st), v, func() { s.renderSummary(w, r, summaryPage{j: j, st: st, v: v}) })
		return
	}
	s.goTo(w, r, s.paths.step(wz, st), v, func() {
		s.renderStep(w, r, stepPage{j: j, st: st, values: j.Saved(st.Name), v: v})
	})
}

// openStep finds the step of the path and the user's journey through wz.
// When the step is not open to the user yet, it sends them to where they
// belong and returns ok=false; so it does for a step that no longer exists
// (the definition changed under the session) when the user answered it,
// or posts to it with answers saved. Any other name that is no step
// answers 404, or 405 with the methods of a page of that name. posted says
// the request saves the step: a valid answer to a step that an earlier
// step, answered once but needing an answer again, keeps closed is saved
// before the user is sent there, so that nothing typed is lost.
func (s *Server) openStep(w http.ResponseWriter, r *http.Request, wz *wizard.Wizard, posted bool) (st *wizard.Step, a wizard.Answers, j *wizard.Journey, v visit, ok bool) {
	name := r.PathValue("step")
	st = wz.Step(name)
	if st == nil {
		if allow := methodsFor(wz, name); allow != "" {
			w.Header().Set("Allow", allow)
			s.fail(w, r, http.StatusMethodNotAllowed, nil)
			return nil, nil, nil, visit{}, false
		}
	}
	a, ended := s.load(r, wz)
	if st == nil && !a.Answered(name) && !(posted && len(a) > 0) {
		s.fail(w, r, http.StatusNotFound, nil)
		return nil, nil, nil, visit{}, false
	}
	j = wz.Journey(a)
	v = visitOf(r, ended)
	if open := j.FirstOpen(); st != nil && st.Repeat == nil && posted && open != nil && a.Answered(open.Name) && j.Index(st.Name) > j.Index(open.Name) {
		// A later step of the journey posted while an earlier one, once
		// answered, needs an answer again (say, a new required
		// question): what was typed here is kept if valid, and the user
		// sent to the earlier step. (A post that skips steps never
		// answered saves nothing.)
		if values, errs, err := j.Validate(st, wizard.Values(r.PostForm)); err == nil && len(errs) == 0 {
			a = a.With(st.Name, values)
			s.save(r.Context(), wz, a)
			if err := saveNow(w); err != nil {
				status, problem := s.unsaved(w, r, err)
				s.renderStep(w, r, stepPage{j: j, st: st, values: values, status: status, v: v, unsaved: problem})
				return nil, nil, nil, visit{}, false
			}
			j.Retrace(a)
		}
	}
	if st == nil || !j.Reachable(st.Name) {
		s.navigate(w, r, j, v)
		return nil, nil, nil, visit{}, false
	}
	return st, a, j, v, true
}

// navigate sends the user to where the journey says they belong: the first
// step that still needs an answer, or once none does, the exit the journey
// ends in or else the review.
func (s *Server) navigate(w http.ResponseWriter, r *http.Request, j *wizard.Journey, v visit) {
	wz := j.Wizard()
	st := j.FirstOpen()
	if st == nil {
		if ex := j.Exited(); ex != nil {
			s.goTo(w, r, s.paths.exit(wz, ex), visit{}, func() { s.renderExit(w, r, j) })
			return
		}
		s.goTo(w, r, s.paths.review(wz), visit{}, func() { s.renderReview(w, r, j) })
		return
	}
	s.goToStep(w, r, j, st, v)
}

// goTo moves the user to the page at path: a 303 for plain requests
// (post/redirect/get), and for htmx the page itself, rendered by show, with
// HX-Push-Url so that the address bar follows. The visit travels in the
// query; the expiry notice only through a redirect, since show already
// displays it.
func (s *Server) goTo(w http.ResponseWriter, r *http.Request, path string, v visit, show func()) {
	if partial(r) {
		w.Header()["Hx-Push-Url"] = []string{v.url(path, false)} // canonical: no rewrite of the key
		show()
		return
	}
	if historyRestore(r) {
		// Back or forward to a page the journey no longer allows: htmx
		// would follow a redirect but keep the old address, so send the
		// page the user belongs on and correct the address.
		w.Header().Set("HX-Replace-Url", v.url(path, false))
		show()
		return
	}
	if v.ended != notEnded {
		s.dropStaleCookie(r.Context())
	}
	s.hdr.add(w.Header(), "Vary", s.hdr.varyHTMX)
	http.Redirect(w, r, v.url(path, true), http.StatusSeeOther)
}

// backURL is where a step's Back link leads: the review for a user who
// came from there, the previous step of the journey, or nowhere ("") on
// the first.
func (s *Server) backURL(wz *wizard.Wizard, prev *wizard.Step, v visit) string {
	switch {
	case v.returning:
		return s.paths.review(wz)
	case prev != nil:
		return s.paths.step(wz, prev)
	}
	return ""
}

// stepPage is a step as one response shows it: the journey and step, the
// values in its fields and their errors, the status (0 means 200), how
// the user arrived, and why the answers could not be saved, if they could
// not.
type stepPage struct {
	j       *wizard.Journey
	st      *wizard.Step
	values  wizard.Values
	errs    []wizard.FieldError
	status  int
	v       visit
	unsaved *views.Problem
	// item is set on the form of an item of a repeating step.
	item *views.ItemForm
}

// renderStep shows a step.
func (s *Server) renderStep(w http.ResponseWriter, r *http.Request, p stepPage) {
	j, st, v := p.j, p.st, p.v
	wz := j.Wizard()
	if v.ended != notEnded {
		s.dropStaleCookie(r.Context())
	}
	view := views.StepView{
		Frame:      s.frame(r, wz),
		Form:       j.Form(st, p.values, p.errs),
		Action:     v.url(s.paths.step(wz, st), false),
		RestartURL: s.paths.restart(wz),
		Expired:    v.ended == endedExpired,
		Unreadable: v.ended == endedUnreadable,
		Unsaved:    p.unsaved,
		Item:       p.item,
	}
	switch {
	case p.item != nil:
		// An item's form posts to its own address, and leads back to
		// the list (to the previous step while the list is empty).
		view.Action = v.url(s.paths.item(wz, st, p.item.Number), false)
		if len(j.Saved(st.Name).Items()) > 0 || view.Form.Prev == nil {
			view.BackURL = v.url(s.paths.step(wz, st), false)
		} else {
			view.BackURL = s.paths.step(wz, view.Form.Prev)
		}
	default:
		view.BackURL = s.backURL(wz, view.Form.Prev, v)
	}
	if st.View != "" {
		view.Body = s.deps.Components.Steps[st.View](view)
	}
	status := p.status
	if status == 0 {
		status = http.StatusOK
	}
	s.render(w, r, status, views.Step(view))
}
