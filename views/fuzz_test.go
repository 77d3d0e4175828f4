package views_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/a-h/templ"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/demo"
	"github.com/wizard/wizard/views"
)

// FuzzAnswersRendering renders what the session's encoding of answers may
// hold into every page that shows answers, for each demo wizard: the review,
// the done page and the first open step, full and partial, as the handlers
// build them. No input may panic or fail to render, and none may put a
// script element on a page: the views escape every answer. A journey that
// is complete (one that could be submitted) holds no control character,
// bidirectional override or invalid UTF-8: validation refuses them at the
// root. The seed corpus (testdata/fuzz/FuzzAnswersRendering) holds real
// encodings and hostile ones.
func FuzzAnswersRendering(f *testing.F) {
	cat, err := wizard.NewCatalog(demo.Wizards()...)
	if err != nil {
		f.Fatal(err)
	}
	// Frames without scripts: any "<script" on a page came from the input.
	frames := []views.Frame{
		{},
		{Partial: true, Session: &views.Session{IdleSeconds: 600, KeepAliveURL: "/keepalive"}},
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := wizard.ParseAnswers(s)
		if err != nil {
			return
		}
		for _, wz := range cat.All() {
			j := wz.Journey(a)
			if j.Complete() {
				checkSubmittable(t, wz, j)
			}
			for _, fr := range frames {
				for name, c := range map[string]templ.Component{
					"review": views.Review(reviewView(fr, j)),
					"done":   views.Done(doneView(fr, j)),
					"step":   views.Step(stepView(fr, j, a)),
				} {
					page := render(t, c)
					if strings.Contains(strings.ToLower(page), "<script") {
						t.Fatalf("%s %s (partial %v) of %q holds a script element:\n%s", wz.Name, name, fr.Partial, s, page)
					}
				}
			}
		}
	})
}

// reviewView is the review page as the handlers build it.
func reviewView(fr views.Frame, j *wizard.Journey) views.ReviewView {
	wz := j.Wizard()
	v := views.ReviewView{Frame: fr, Wizard: wz, Title: "Check your answers",
		SubmitURL: "/" + wz.Name + "/submit", SubmissionID: "0123456789abcdef", RestartURL: "/" + wz.Name + "/restart"}
	for _, it := range j.Review() {
		v.Items = append(v.Items, views.ReviewItem{ReviewItem: it, ChangeURL: "/" + wz.Name + "/" + it.Step.Name + "?return=review#f-" + it.Field})
	}
	return v
}

// doneView is the done page of a submission of the journey's answers.
func doneView(fr views.Frame, j *wizard.Journey) views.DoneView {
	wz := j.Wizard()
	msg := wz.Done
	if msg == "" {
		msg = "Thank you."
	}
	saved := j.Answers()
	return views.DoneView{Frame: fr, Wizard: wz, Message: wizard.Expand(msg, saved),
		Reference: wz.Reference("0123456789abcdef"), Items: wz.Journey(saved).Review(), HomeURL: "/"}
}

// stepView is the first open step (the last step when none is open) with
// its saved answers and, when they no longer pass, their errors, as a
// revalidating submit shows it.
func stepView(fr views.Frame, j *wizard.Journey, a wizard.Answers) views.StepView {
	wz := j.Wizard()
	st := j.FirstOpen()
	if st == nil {
		st = j.Steps()[j.Len()-1]
	}
	var errs []wizard.FieldError
	if saved, ok := a[st.Name]; ok {
		if _, e, err := j.Validate(st, saved); err == nil {
			errs = e
		}
	}
	v := views.StepView{Frame: fr, Form: j.Form(st, a[st.Name], errs),
		Action: "/" + wz.Name + "/" + st.Name, RestartURL: "/" + wz.Name + "/restart"}
	if prev := j.Prev(st.Name); prev != nil {
		v.BackURL = "/" + wz.Name + "/" + prev.Name
	}
	return v
}

// checkSubmittable fails the test if the submission of a complete journey
// holds text that validation refuses.
func checkSubmittable(t *testing.T, wz *wizard.Wizard, j *wizard.Journey) {
	t.Helper()
	for _, ans := range j.Submission("0123456789abcdef", time.Unix(0, 0)).Answers {
		kind := wz.Step(ans.Step).Field(ans.Field).Kind
		for _, v := range ans.Values {
			if !utf8.ValidString(v) {
				t.Fatalf("%s: complete journey submits invalid UTF-8 %q for %s.%s", wz.Name, v, ans.Step, ans.Field)
			}
			for _, r := range v {
				lineBreak := r == '\t' || r == '\n'
				bidi := r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069'
				if bidi || unicode.IsControl(r) && !(kind == wizard.TextArea && lineBreak) {
					t.Fatalf("%s: complete journey submits %q (holding %U) for %s.%s", wz.Name, v, r, ans.Step, ans.Field)
				}
			}
		}
	}
}

// render renders c as the handlers do, into memory, failing the test on an
// error.
func render(t *testing.T, c templ.Component) string {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatalf("render: %v", err)
	}
	return buf.String()
}
