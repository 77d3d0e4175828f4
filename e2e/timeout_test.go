package e2e

import (
	"testing"
	"time"

	"github.com/wizard/wizard/internal/browsertest"
)

// TestTimeoutWarning: with an idle timeout of 8 s the warning appears 2 s
// before the end, without moving focus or touching what was typed; "Keep
// my answers" keeps them past the first deadline. Left alone, the answers
// go: that half proves the first half is not passing by luck.
func TestTimeoutWarning(t *testing.T) {
	const (
		idle = 8 * time.Second
		warn = 2 * time.Second // min(120 s, idle/4)
	)
	for _, keep := range []bool{true, false} {
		name := "keep my answers"
		if !keep {
			name = "left alone"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := idleServer(t, idle)
			p := newPageFor(t, srv, 40*time.Second)
			p.Open("/classic/name")
			p.WaitStep("/classic/name", "name")
			p.Mark()
			p.Fill("v1", "Ada")
			p.Submit()
			p.swapped("/classic/job", "job")
			// The session's clock starts with the last request.
			last := time.Now()
			if got := browsertest.Eval[string](p.Page, `document.getElementById("session-timer").dataset.warnSeconds`); got != "2" {
				t.Errorf("data-warn-seconds %q, want 2", got)
			}
			p.Fill("v2", "Astronomer")

			p.WaitForWithin("the timeout warning", idle, `!document.getElementById("timeout-warning").hidden`)
			if early := time.Since(last); early < idle-warn-time.Second {
				t.Errorf("the warning appeared %v after the last request, want about %v", early.Round(100*time.Millisecond), idle-warn)
			}
			if !p.Visible(`[data-testid="timeout-warning"]`) {
				t.Fatal("the timeout warning is not visible")
			}
			if got := p.Text("#timeout-warning-text"); got != "Your answers will be deleted in 2 seconds because you have not done anything for a while. Do you want to keep them?" {
				t.Errorf("warning says %q", got)
			}
			if !browsertest.Eval[bool](p.Page, `document.activeElement === document.getElementById("f-v2")`) {
				t.Errorf("the warning moved focus away from the field being typed in")
			}
			p.wantValue("v2", "Astronomer")

			if keep {
				p.WantNoAxeViolations("timeout warning")
				p.Click(`[data-testid="keep-session"]`)
				p.WaitFor("the warning to go", `document.getElementById("timeout-warning").hidden`)
				p.wantAnnounced("Your answers will be kept.")
			}
			// Past the deadline the session had before "Keep my answers".
			time.Sleep(time.Until(last.Add(idle + 1500*time.Millisecond)))
			if !keep {
				if got := p.Text("#timeout-warning-text"); got != "Your answers were deleted because you did not do anything for 8 seconds. You can start again." {
					t.Errorf("after the deadline the warning says %q", got)
				}
			}
			p.Reload()
			if keep {
				p.WaitStep("/classic/job", "job")
				if got := p.Text("#step h1"); got != "Ada, what is your job?" {
					t.Errorf("after the first deadline the heading is %q; the answers are gone", got)
				}
				if p.Has(`[data-testid="expired"]`) {
					t.Error("the expiry notice shows although the user kept the answers")
				}
				return
			}
			p.WaitStep("/classic/name?expired=1", "name")
			if !p.Has(`[data-testid="expired"]`) {
				t.Error("no expiry notice after the session ended")
			}
			p.wantValue("v1", "")
		})
	}
}
