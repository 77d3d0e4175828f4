package handlers

import (
	"net/http"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/views"
)

// showExit shows the page of exit ex of wz when the user's journey ends
// there (every step before it answered); any other journey is sent where
// it belongs.
func (s *Server) showExit(w http.ResponseWriter, r *http.Request, wz *wizard.Wizard, ex *wizard.Exit) {
	a, ended := s.load(r, wz)
	j := wz.Journey(a)
	if j.Exited() != ex {
		s.navigate(w, r, j, visit{ended: ended})
		return
	}
	s.renderExit(w, r, j)
}

// renderExit shows the exit a journey ends in: its title and body, from
// the journey's answers, and a way back to the journey's last step, whose
// answer led here. There is nothing to review or submit.
func (s *Server) renderExit(w http.ResponseWriter, r *http.Request, j *wizard.Journey) {
	wz, ex, a := j.Wizard(), j.Exited(), j.Answers()
	steps := j.Steps()
	s.render(w, r, http.StatusOK, views.Exit(views.ExitView{
		Frame:      s.frame(r, wz),
		Wizard:     wz,
		Name:       ex.Name,
		Title:      wizard.Expand(ex.Title, a),
		Body:       wizard.Expand(ex.Body, a),
		BackURL:    s.paths.step(wz, steps[len(steps)-1]),
		RestartURL: s.paths.restart(wz),
	}))
}
