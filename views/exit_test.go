package views_test

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/views"
)

// TestExitParagraphs: blank lines, spaces only or none, separate the
// paragraphs of an exit's body; line breaks within one are kept.
func TestExitParagraphs(t *testing.T) {
	for _, tc := range []struct {
		body string
		want []string
	}{
		{"", nil},
		{"One.", []string{"One."}},
		{"One.\n\nTwo.", []string{"One.", "Two."}},
		{"\n\n  One,\r\n  still one.\r\n \t\r\n\n\nTwo.  \n", []string{"One,\nstill one.", "Two."}},
	} {
		if got := (views.ExitView{Body: tc.body}).Paragraphs(); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Paragraphs(%q) = %q, want %q", tc.body, got, tc.want)
		}
	}
}

// TestExitPage: one component, full or partial, with the heading the
// script focuses, the paragraphs escaped, the way back and no submit.
func TestExitPage(t *testing.T) {
	v := views.ExitView{
		Wizard: &wizard.Wizard{Title: "Licence"}, Name: "too-young",
		Title: "You are <b>too</b> young", Body: "Sorry.\n\n<script>x</script>",
		BackURL: "/licence/angler", RestartURL: "/licence/restart",
	}
	for _, partial := range []bool{false, true} {
		v.Partial = partial
		var b bytes.Buffer
		if err := views.Exit(v).Render(context.Background(), &b); err != nil {
			t.Fatal(err)
		}
		page := b.String()
		for _, want := range []string{
			`<section id="step" class="step" data-step="too-young" data-testid="exit" aria-labelledby="step-title">`,
			`<h1 id="step-title" tabindex="-1" data-testid="step-title">You are &lt;b&gt;too&lt;/b&gt; young</h1>`,
			`<p>Sorry.</p><p>&lt;script&gt;x&lt;/script&gt;</p>`,
			`<a class="back-link" href="/licence/angler" hx-get="/licence/angler"`,
			`href="/licence/restart"`,
			`<title>You are &lt;b&gt;too&lt;/b&gt; young – Licence</title>`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("partial=%v: page lacks %q:\n%s", partial, want, page)
			}
		}
		if strings.Contains(page, "<form") || strings.Contains(page, "<script>") {
			t.Errorf("partial=%v: a form or a script on the exit page:\n%s", partial, page)
		}
		if full := strings.HasPrefix(page, "<!doctype html>"); full == partial {
			t.Errorf("partial=%v: full page = %v", partial, full)
		}
	}
}
