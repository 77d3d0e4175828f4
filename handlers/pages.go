package handlers

import (
	"errors"
	"mime"
	"net/http"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/views"
)

// URLs of a wizard's pages. The HTTP contract lives here and in routes.
func wizardURL(wz *wizard.Wizard) string                { return "/" + wz.Name + "/" }
func stepURL(wz *wizard.Wizard, st *wizard.Step) string { return "/" + wz.Name + "/" + st.Name }
func doneURL(wz *wizard.Wizard) string                  { return "/" + wz.Name + "/done" }

// home lists the wizards.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	v := views.HomeView{Frame: s.frame(r)}
	for _, wz := range s.wizards.All() {
		v.Wizards = append(v.Wizards, views.WizardLink{Title: wz.Title, Intro: wz.Intro, URL: wizardURL(wz)})
	}
	s.render(w, r, http.StatusOK, views.Home(v))
}

// lookup finds the wizard and, when the route has one, the step named in
// the path; it answers 404 and returns ok=false when either is unknown.
func (s *Server) lookup(w http.ResponseWriter, r *http.Request) (wz *wizard.Wizard, st *wizard.Step, ok bool) {
	wz = s.wizards.Get(r.PathValue("wizard"))
	if wz == nil {
		s.fail(w, r, http.StatusNotFound, nil)
		return nil, nil, false
	}
	if name := r.PathValue("step"); name != "" {
		if st = wz.Step(name); st == nil {
			s.fail(w, r, http.StatusNotFound, nil)
			return nil, nil, false
		}
	}
	return wz, st, true
}

// wizardRoot sends the user to the first step of the journey that still
// needs an answer (the done page when none does).
func (s *Server) wizardRoot(w http.ResponseWriter, r *http.Request) {
	wz, _, ok := s.lookup(w, r)
	if !ok {
		return
	}
	a, expired := s.load(r, wz)
	s.navigate(w, r, wz.Journey(a), expired)
}

// showStep shows a step with its saved answers, if the user may open it yet.
func (s *Server) showStep(w http.ResponseWriter, r *http.Request) {
	wz, st, ok := s.lookup(w, r)
	if !ok {
		return
	}
	a, expired := s.load(r, wz)
	j := wz.Journey(a)
	if !j.Reachable(st.Name) {
		s.navigate(w, r, j, expired)
		return
	}
	expired = expired || r.URL.Query().Get("expired") == "1"
	s.renderStep(w, r, j, st, a[st.Name], nil, http.StatusOK, expired)
}

// saveStep validates a step's answers and saves them: 422 with the step
// redrawn on error; on success, the next step of the journey (303 for plain
// forms, the next step's partial for htmx).
func (s *Server) saveStep(w http.ResponseWriter, r *http.Request) {
	wz, st, ok := s.lookup(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	a, expired := s.load(r, wz)
	j := wz.Journey(a)
	if !j.Reachable(st.Name) {
		s.navigate(w, r, j, expired)
		return
	}
	values, errs, err := wizard.Validate(st, a, wizard.Values(r.PostForm))
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, err)
		return
	}
	if len(errs) > 0 {
		s.renderStep(w, r, j, st, values, errs, http.StatusUnprocessableEntity, expired)
		return
	}
	a = a.With(st.Name, values)
	s.save(r.Context(), wz, a)
	j = wz.Journey(a)
	next := j.Next(st.Name)
	if next == nil {
		s.goTo(w, r, doneURL(wz), false, func() { s.renderDone(w, r, j) })
		return
	}
	s.goTo(w, r, stepURL(wz, next), false, func() { s.renderStep(w, r, j, next, a[next.Name], nil, http.StatusOK, false) })
}

// done shows the page after the last step, once every step of the journey
// is answered.
func (s *Server) done(w http.ResponseWriter, r *http.Request) {
	wz, _, ok := s.lookup(w, r)
	if !ok {
		return
	}
	a, expired := s.load(r, wz)
	j := wz.Journey(a)
	if !j.Complete() {
		s.navigate(w, r, j, expired)
		return
	}
	s.renderDone(w, r, j)
}

// parseForm reads a urlencoded form body, answering 415, 413 or 400 and
// returning false when it cannot.
func (s *Server) parseForm(w http.ResponseWriter, r *http.Request) bool {
	if ct := r.Header.Get("Content-Type"); ct != "" || r.ContentLength != 0 {
		media, _, err := mime.ParseMediaType(ct)
		if err != nil || media != "application/x-www-form-urlencoded" {
			s.fail(w, r, http.StatusUnsupportedMediaType, nil)
			return false
		}
	}
	if err := r.ParseForm(); err != nil {
		if _, tooBig := errors.AsType[*http.MaxBytesError](err); tooBig {
			s.fail(w, r, http.StatusRequestEntityTooLarge, nil)
		} else {
			s.fail(w, r, http.StatusBadRequest, err)
		}
		return false
	}
	return true
}

// navigate sends the user to where the journey says they belong: the first
// step that still needs an answer, or the done page. An expired session is
// carried along so that the step shows the notice.
func (s *Server) navigate(w http.ResponseWriter, r *http.Request, j *wizard.Journey, expired bool) {
	wz := j.Wizard()
	st := j.FirstOpen()
	if st == nil {
		s.goTo(w, r, doneURL(wz), expired, func() { s.renderDone(w, r, j) })
		return
	}
	s.goTo(w, r, stepURL(wz, st), expired, func() {
		s.renderStep(w, r, j, st, j.Answers()[st.Name], nil, http.StatusOK, expired)
	})
}

// goTo moves the user to url: a 303 for plain requests (post/redirect/get),
// and for htmx the page itself, rendered by show, with HX-Push-Url so that
// the address bar follows.
func (s *Server) goTo(w http.ResponseWriter, r *http.Request, url string, expired bool, show func()) {
	if partial(r) {
		w.Header().Set("HX-Push-Url", url)
		show()
		return
	}
	if expired {
		url += "?expired=1"
	}
	w.Header().Add("Vary", "HX-Request, HX-Request-Type")
	http.Redirect(w, r, url, http.StatusSeeOther)
}

// renderStep shows a step with the given values and errors.
func (s *Server) renderStep(w http.ResponseWriter, r *http.Request, j *wizard.Journey, st *wizard.Step,
	values wizard.Values, errs []wizard.FieldError, status int, expired bool) {
	wz := j.Wizard()
	v := views.StepView{
		Frame:   s.frame(r),
		Form:    j.Form(st, values, errs),
		Action:  stepURL(wz, st),
		HomeURL: "/",
		Expired: expired,
	}
	if v.Form.Prev != nil {
		v.BackURL = stepURL(wz, v.Form.Prev)
	}
	s.render(w, r, status, views.Step(v))
}

// renderDone shows the page after the last step.
func (s *Server) renderDone(w http.ResponseWriter, r *http.Request, j *wizard.Journey) {
	wz := j.Wizard()
	msg := wz.Done
	if msg == "" {
		msg = "Thank you."
	}
	s.render(w, r, http.StatusOK, views.Done(views.DoneView{
		Frame:   s.frame(r),
		Wizard:  wz,
		Message: wizard.Expand(msg, j.Answers()),
		HomeURL: "/",
	}))
}
