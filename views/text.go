package views

import (
	"context"
	"io"
	"strconv"

	"github.com/a-h/templ"
)

// text renders a string HTML-escaped, as { s } does: @text(s) writes the
// same bytes without the copy and boxing templ makes of every { s }
// (through fmt.Sprint), which the hot pages do many times per request.
type text string

// Render implements templ.Component.
func (t text) Render(_ context.Context, w io.Writer) error {
	_, err := io.WriteString(w, templ.EscapeString(string(t)))
	return err
}

// answerLines shows a reviewed answer: its values on separate lines, or
// "Not given" when the question was left empty (see answerText).
type answerLines []string

// Render implements templ.Component.
func (a answerLines) Render(_ context.Context, w io.Writer) error {
	for i, line := range answerText(a) {
		if i > 0 {
			if _, err := io.WriteString(w, "<br>"); err != nil {
				return err
			}
		}
		// The space each line starts with is what the template this
		// replaced wrote; the page stays byte for byte the same.
		if _, err := io.WriteString(w, " "); err != nil {
			return err
		}
		if _, err := io.WriteString(w, templ.EscapeString(line)); err != nil {
			return err
		}
	}
	return nil
}

// restartLink is the "Start again" link to url, or nothing without one.
type restartLink string

// Render implements templ.Component.
func (url restartLink) Render(_ context.Context, w io.Writer) error {
	if url == "" {
		return nil
	}
	return writeAll(w, `<p class="restart"><a href="`, templ.EscapeString(string(url)), `" data-testid="start-again">Start again</a></p>`)
}

// idleNote tells people without JavaScript (who get no warning) how long
// their answers survive without activity.
func idleNote(s *Session) idleNoteOf { return idleNoteOf{s} }

// idleNoteOf is the idle note of a session, nothing without one.
type idleNoteOf struct{ s *Session }

// Render implements templ.Component.
func (n idleNoteOf) Render(_ context.Context, w io.Writer) error {
	if n.s == nil {
		return nil
	}
	number, unit := idleText(n.s.IdleSeconds)
	return writeAll(w, `<p class="idle-note" data-testid="idle-note">We delete your answers after `, number, unit, ` without activity.</p>`)
}

// writeAll writes each string in turn, stopping at the first error.
func writeAll(w io.Writer, ss ...string) error {
	for _, s := range ss {
		if _, err := io.WriteString(w, s); err != nil {
			return err
		}
	}
	return nil
}

// sessionTimer carries the session's idle timeout to the page's script. A
// partial replaces the page's copy out of band (oob), so the timer
// restarts with every swap.
func sessionTimer(s *Session, oob bool) sessionTimerOf { return sessionTimerOf{s, oob} }

// sessionTimerOf is the timer element of a session, or an empty one.
type sessionTimerOf struct {
	s   *Session
	oob bool
}

// Render implements templ.Component.
func (t sessionTimerOf) Render(_ context.Context, w io.Writer) error {
	oob := ""
	if t.oob {
		oob = ` hx-swap-oob="true"`
	}
	if t.s == nil {
		return writeAll(w, `<div id="session-timer" hidden`, oob, `></div>`)
	}
	return writeAll(w, `<div id="session-timer" hidden`, oob,
		` data-idle-seconds="`, strconv.Itoa(t.s.IdleSeconds),
		`" data-warn-seconds="`, strconv.Itoa(t.s.WarnSeconds()),
		`" data-keepalive-url="`, templ.EscapeString(t.s.KeepAliveURL), `"></div>`)
}
