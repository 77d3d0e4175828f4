package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/views"
)

// A repeating step (wizard.Repeat) has three kinds of page, after the
// GOV.UK "add another" pattern:
//   - /{wizard}/{step}: the summary of its items, each with Change and
//     Remove, asking whether to add another (or whether there are any);
//   - /{wizard}/{step}/{n}: the form of item n, from 1; n one past the
//     last adds an item;
//   - /{wizard}/{step}/{n}/remove: the confirmation that removes item n.
//
// A form for an item carries the item's ID, and a removal the ID of the
// item it was drawn for, so that two tabs, or a form sent twice, never
// change or remove another item than the one the user saw: items are
// changed and removed by ID, never by position alone.

// summaryPage is a repeating step's summary as one response shows it.
type summaryPage struct {
	j      *wizard.Journey
	st     *wizard.Step
	v      visit
	errMsg string
	status int
	notice string
	// unsaved says why the answer could not be saved, if it could not.
	unsaved *views.Problem
}

// renderSummary shows a repeating step's items and its question.
func (s *Server) renderSummary(w http.ResponseWriter, r *http.Request, p summaryPage) {
	j, st, v := p.j, p.st, p.v
	wz := j.Wizard()
	if v.ended != notEnded {
		s.dropStaleCookie(r.Context())
	}
	items := j.Items(st)
	rp := st.Repeat
	view := views.SummaryView{
		Frame:      s.frame(r, wz),
		Form:       j.Form(st, nil, nil),
		Count:      rp.Count(len(items)),
		Error:      p.errMsg,
		Notice:     p.notice,
		Action:     v.url(s.paths.step(wz, st), false),
		RestartURL: s.paths.restart(wz),
		Unsaved:    p.unsaved,
	}
	if len(items) < rp.Max {
		view.Question = rp.AddQuestion(len(items))
	} else {
		view.MaxText = "You have added the most " + rp.Many() + " you can: " + strconv.Itoa(rp.Max) + "."
	}
	for _, it := range items {
		view.Items = append(view.Items, views.SummaryItem{
			ItemSummary: it,
			ChangeURL:   v.url(s.paths.item(wz, st, it.Number), false),
			RemoveURL:   v.url(s.paths.removeItem(wz, st, it.Number), false),
		})
	}
	view.BackURL = s.backURL(wz, view.Form.Prev, v)
	status := p.status
	if status == 0 {
		status = http.StatusOK
	}
	s.render(w, r, status, views.Summary(view))
}

// saveSummary answers a repeating step's question: "yes" leads to the
// form of a new item; "no" (or Continue at the maximum) says the list is
// complete, once it holds at least Min items, and moves on.
func (s *Server) saveSummary(w http.ResponseWriter, r *http.Request, j *wizard.Journey, st *wizard.Step, a wizard.Answers, v visit) {
	wz := j.Wizard()
	rp := st.Repeat
	saved := a[st.Name]
	n := len(saved.Items())
	add := r.PostForm.Get("add")
	if n >= rp.Max {
		add = "no"
	}
	switch add {
	case "yes":
		s.goToItem(w, r, j, st, n+1, v)
		return
	case "no":
		if n < rp.Min {
			s.renderSummary(w, r, summaryPage{j: j, st: st, v: v, status: http.StatusUnprocessableEntity,
				errMsg: "You need to add at least " + rp.Count(rp.Min) + ": choose yes"})
			return
		}
	default:
		msg := "Select yes if you need to add another " + rp.One()
		if n == 0 {
			msg = "Select yes if you have any " + rp.Many()
		}
		s.renderSummary(w, r, summaryPage{j: j, st: st, v: v, status: http.StatusUnprocessableEntity, errMsg: msg})
		return
	}
	a = a.With(st.Name, saved.WithDone(true))
	s.save(r.Context(), wz, a)
	if err := saveNow(w); err != nil {
		status, problem := s.unsaved(w, r, err)
		s.renderSummary(w, r, summaryPage{j: j, st: st, v: v, status: status, unsaved: problem})
		return
	}
	j.Retrace(a)
	s.moveOn(w, r, j, st, v)
}

// itemNumber reads the item number of the path: digits only, without a
// leading zero, at most MaxRepeat+1; 0 when it is not one.
func itemNumber(r *http.Request) int {
	p := r.PathValue("item")
	if p == "" || len(p) > 3 || p[0] == '0' {
		return 0
	}
	for _, c := range []byte(p) {
		if c < '0' || c > '9' {
			return 0
		}
	}
	n, _ := strconv.Atoi(p)
	if n > wizard.MaxRepeat+1 {
		return 0
	}
	return n
}

// openItem finds the repeating step and item number of the path, for a
// user who may open the step. An item number that is not one of the
// step's items (or one past the last, under the maximum) gets a page
// saying so, with a way back to the list; ok is false then, and when
// openStep answered.
func (s *Server) openItem(w http.ResponseWriter, r *http.Request, posted bool) (st *wizard.Step, a wizard.Answers, j *wizard.Journey, v visit, n int, ok bool) {
	wz, ok := s.lookup(w, r)
	if !ok {
		return nil, nil, nil, visit{}, 0, false
	}
	if st := wz.Step(r.PathValue("step")); st == nil || st.Repeat == nil {
		s.fail(w, r, http.StatusNotFound, nil)
		return nil, nil, nil, visit{}, 0, false
	}
	st, a, j, v, ok = s.openStep(w, r, wz, posted)
	if !ok {
		return nil, nil, nil, visit{}, 0, false
	}
	n = itemNumber(r)
	if count := len(a[st.Name].Items()); n < 1 || n > count+1 || n > st.Repeat.Max {
		s.noItem(w, r, j, st, v)
		return nil, nil, nil, visit{}, 0, false
	}
	return st, a, j, v, n, true
}

// openPostedItem is openItem for a post about an item, which also reads
// the ID of the item its form was drawn for: 400 when it is not one.
func (s *Server) openPostedItem(w http.ResponseWriter, r *http.Request) (st *wizard.Step, a wizard.Answers, j *wizard.Journey, v visit, n int, id string, ok bool) {
	st, a, j, v, n, ok = s.openItem(w, r, true)
	if !ok {
		return nil, nil, nil, visit{}, 0, "", false
	}
	if id = r.PostForm.Get("item"); !wizard.ValidItemID(id) {
		s.fail(w, r, http.StatusBadRequest, fmt.Errorf("%s %s: item %q of step %q: not an item ID", r.Method, r.URL.Path, id, st.Name))
		return nil, nil, nil, visit{}, 0, "", false
	}
	return st, a, j, v, n, id, true
}

// noItem answers a request for an item that does not exist (a number past
// the end or the maximum, zero, negative, not a number): 404 with a way
// back to the list.
func (s *Server) noItem(w http.ResponseWriter, r *http.Request, j *wizard.Journey, st *wizard.Step, v visit) {
	rp := st.Repeat
	s.failPage(w, r, http.StatusNotFound, nil, problemPage{
		heading:  "There is no such " + rp.One(),
		message:  fmt.Sprintf("This address names no %s of your list: you have %s, and can have %d at most. Nothing was changed.", rp.One(), rp.Count(len(j.Items(st))), rp.Max),
		backURL:  v.url(s.paths.step(j.Wizard(), st), false),
		backText: "Go to your " + rp.Many(),
	})
}

// showItem shows the form of an item: filled in for an item of the list,
// empty with a new ID for the one past the last.
func (s *Server) showItem(w http.ResponseWriter, r *http.Request) {
	st, a, j, v, n, ok := s.openItem(w, r, false)
	if !ok {
		return
	}
	s.renderItem(w, r, j, st, a[st.Name], n, v)
}

// goToItem moves the user to the form of item n (a new one past the last).
func (s *Server) goToItem(w http.ResponseWriter, r *http.Request, j *wizard.Journey, st *wizard.Step, n int, v visit) {
	s.goTo(w, r, s.paths.item(j.Wizard(), st, n), v, func() {
		s.renderItem(w, r, j, st, j.Saved(st.Name), n, v)
	})
}

// renderItem shows the form of item n of the saved list: filled in for
// an item of the list, empty with a new ID for the one past the last.
func (s *Server) renderItem(w http.ResponseWriter, r *http.Request, j *wizard.Journey, st *wizard.Step, saved wizard.Values, n int, v visit) {
	item := views.ItemForm{Number: n, Label: st.Repeat.ItemLabel(n)}
	var values wizard.Values
	if ids := saved.Items(); n <= len(ids) {
		item.ID = ids[n-1]
		values = saved.Item(item.ID)
	} else {
		item.ID = wizard.NewItemID()
	}
	s.renderStep(w, r, stepPage{j: j, st: st, values: values, v: v, item: &item})
}

// saveItem validates and saves an item, by the ID its form carries: the
// item of that ID is changed wherever it now is, or a new one added. A
// form for an item that was removed meanwhile (in another tab) changes
// nothing and says so; so does a new item past the maximum.
func (s *Server) saveItem(w http.ResponseWriter, r *http.Request) {
	st, a, j, v, n, id, ok := s.openPostedItem(w, r)
	if !ok {
		return
	}
	wz, rp := j.Wizard(), st.Repeat
	saved := a[st.Name]
	at := saved.ItemIndex(id)
	switch {
	case at < 0 && (n <= len(saved.Items()) || saved.WasRemoved(id)):
		s.itemGone(w, r, j, st, v, "This "+rp.One()+" was removed, perhaps in another tab or window, so these answers were not saved. Nothing else was changed.")
		return
	case at < 0 && len(saved.Items()) >= rp.Max:
		s.itemGone(w, r, j, st, v, "You already have the most "+rp.Many()+" you can add ("+strconv.Itoa(rp.Max)+"), perhaps from another tab or window, so this one was not added. Nothing else was changed.")
		return
	}
	item := views.ItemForm{Number: n, Label: rp.ItemLabel(n), ID: id}
	if at >= 0 {
		item.Number, item.Label = at+1, rp.ItemLabel(at+1)
	}
	values, errs, err := j.Validate(st, wizard.Values(r.PostForm))
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, err)
		return
	}
	if len(errs) == 0 {
		if errs, err = s.check(r.Context(), j, st, values); err != nil {
			s.renderStep(w, r, stepPage{j: j, st: st, values: values, status: http.StatusServiceUnavailable, v: v, item: &item, unsaved: s.unchecked(w, r, err)})
			return
		}
	}
	if len(errs) > 0 {
		s.renderStep(w, r, stepPage{j: j, st: st, values: values, errs: errs, status: http.StatusUnprocessableEntity, v: v, item: &item})
		return
	}
	list := saved.WithItem(id, values)
	notice := item.Label + " changed"
	if at < 0 {
		// A new item: the user is asked again whether to add another.
		list = list.WithDone(false)
		notice = item.Label + " added"
	}
	a = a.With(st.Name, list)
	s.save(r.Context(), wz, a)
	if err := saveNow(w); err != nil {
		status, problem := s.unsaved(w, r, err)
		s.renderStep(w, r, stepPage{j: j, st: st, values: values, status: status, v: v, item: &item, unsaved: problem})
		return
	}
	j.Retrace(a)
	s.backToList(w, r, j, st, v, notice)
}

// backToList sends the user, after an item changed, to the review when
// they came from there and it is open, and otherwise to the step's
// summary, which says what changed.
func (s *Server) backToList(w http.ResponseWriter, r *http.Request, j *wizard.Journey, st *wizard.Step, v visit, notice string) {
	if v.returning && j.Complete() {
		s.navigate(w, r, j, v)
		return
	}
	path := s.paths.step(j.Wizard(), st)
	if !v.returning && !partial(r) {
		// Through the redirect; an htmx swap shows it at once.
		path += "?" + noticeParam + "=" + url.QueryEscape(notice)
	}
	s.goTo(w, r, path, v, func() { s.renderSummary(w, r, summaryPage{j: j, st: st, v: v, notice: notice}) })
}

// itemGone answers a post about an item that is not there any more (or
// could not be added): 409, with a way back to the list, nothing changed.
func (s *Server) itemGone(w http.ResponseWriter, r *http.Request, j *wizard.Journey, st *wizard.Step, v visit, message string) {
	s.failPage(w, r, http.StatusConflict, nil, problemPage{
		heading:  "Your list has changed",
		message:  message,
		backURL:  v.url(s.paths.step(j.Wizard(), st), false),
		backText: "Go to your " + st.Repeat.Many(),
	})
}

// confirmRemove asks before removing an item.
func (s *Server) confirmRemove(w http.ResponseWriter, r *http.Request) {
	st, a, j, v, n, ok := s.openItem(w, r, false)
	if !ok {
		return
	}
	if n > len(a[st.Name].Items()) {
		s.noItem(w, r, j, st, v)
		return
	}
	it := j.Items(st)[n-1]
	wz := j.Wizard()
	s.render(w, r, http.StatusOK, views.RemoveItem(views.RemoveView{
		Frame:     s.frame(r, wz),
		Wizard:    wz,
		Label:     it.Label,
		Lines:     it.Lines,
		ItemID:    it.ID,
		Action:    v.url(s.paths.removeItem(wz, st, n), false),
		CancelURL: v.url(s.paths.step(wz, st), false),
	}))
}

// removeItem removes the item whose ID the confirmation carries, wherever
// it now is; one already removed (a second tab, a second click) changes
// nothing and says so.
func (s *Server) removeItem(w http.ResponseWriter, r *http.Request) {
	st, a, j, v, _, id, ok := s.openPostedItem(w, r)
	if !ok {
		return
	}
	wz, rp := j.Wizard(), st.Repeat
	saved := a[st.Name]
	if saved.ItemIndex(id) < 0 {
		s.itemGone(w, r, j, st, v, "This "+rp.One()+" was already removed, perhaps in another tab or window. Nothing else was changed.")
		return
	}
	a = a.With(st.Name, saved.WithoutItem(id))
	s.save(r.Context(), wz, a)
	if err := saveNow(w); err != nil {
		status, _ := s.unsaved(w, r, err)
		s.fail(w, r, status, err)
		return
	}
	j.Retrace(a)
	s.backToList(w, r, j, st, v, rp.Removed())
}

// noticeParam is the query parameter that carries what just changed on a
// list to its summary through a redirect.
const noticeParam = "notice"

// noticeOf reads the notice of a summary's address: only one of the
// notices the server makes for step st ("Guest 2 added", "Guest
// removed"), so that a link cannot make the page say anything else.
func noticeOf(r *http.Request, st *wizard.Step) string {
	n := r.URL.Query().Get(noticeParam)
	if n == "" || st.Repeat == nil {
		return ""
	}
	rp := st.Repeat
	if n == rp.Removed() {
		return n
	}
	for i := 1; i <= rp.Max; i++ {
		if n == rp.ItemLabel(i)+" added" || n == rp.ItemLabel(i)+" changed" {
			return n
		}
	}
	return ""
}
