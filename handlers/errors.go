package handlers

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/wizard/wizard/sessionstore"
	"github.com/wizard/wizard/views"
)

// limited is the error of a request refused by a per-client rate limit:
// what was limited, and when the client may try again.
type limited struct {
	what       string
	retryAfter time.Duration
}

func (e *limited) Error() string {
	return fmt.Sprintf("%s refused by the rate limit; retry after %v", e.what, e.retryAfter)
}

// busyRetry is what a 503 for a full session store tells clients to wait.
const busyRetry = time.Minute

// failure is what a person is told about an error status: on an error
// page (message), or above the form whose answers could not be saved,
// shown again as typed (again; only for the statuses a save can fail with).
type failure struct {
	heading string
	message string
	again   string
}

// statusOf is the status for an error of saving a session.
func statusOf(err error) int {
	if _, ok := errors.AsType[*limited](err); ok {
		return http.StatusTooManyRequests
	}
	return http.StatusServiceUnavailable
}

// failureFor returns the fixed message for an error status and, for a few
// causes, for its error; unknown statuses get the message of a 500.
func failureFor(status int, err error) failure {
	if status == http.StatusServiceUnavailable && errors.Is(err, sessionstore.ErrFull) {
		return failure{heading: "Sorry, we are very busy right now",
			message: "Too many people are filling in forms at the moment, so we could not keep your answers. Please try again in a few minutes.",
			again:   "Too many people are filling in forms at the moment, so we could not save these answers yet. They are still below: send them again in a few minutes."}
	}
	if _, ok := errors.AsType[*checkError](err); ok && status == http.StatusServiceUnavailable {
		return failure{heading: "Sorry, we could not check your answers just now",
			message: "Something we need to check your answers did not respond in time. Your answers are kept; please try again in a minute.",
			again:   "Something we need to check these answers did not respond in time. They are still below: send them again in a minute."}
	}
	switch status {
	case http.StatusTooManyRequests:
		return failure{heading: "Please wait a moment",
			message: "We have had too many forms from your network in a short time. Nothing you saved earlier was lost; please wait a minute and try again.",
			again:   "We have had too many forms from your network in a short time, so we could not save these answers yet. They are still below: send them again in a minute."}
	case http.StatusBadRequest, http.StatusUnsupportedMediaType:
		return failure{heading: "We could not read that",
			message: "What your browser sent was not a form we recognise. Nothing you saved earlier was lost; go back and try again."}
	case http.StatusForbidden:
		return failure{heading: "That request was refused",
			message: "Forms can only be sent from this site's own pages. Nothing you saved earlier was lost."}
	case http.StatusNotFound:
		return failure{heading: "Page not found",
			message: "There is no page at this address. Check the address, or start from the list of wizards."}
	case http.StatusMethodNotAllowed:
		return failure{heading: "That action is not possible here",
			message: "This page cannot be used that way. Nothing you saved earlier was lost."}
	case http.StatusServiceUnavailable:
		return failure{heading: "Sorry, the service is temporarily unavailable",
			message: "We cannot reach where we keep answers just now. Your saved answers are safe; please try again in a minute.",
			again:   "We could not save these answers just now. They are still below, and your earlier answers are safe: send them again in a minute."}
	case http.StatusConflict:
		return failure{heading: "These answers do not match what was already sent",
			message: "A form was already sent from this session with different answers, so we have not sent these. Your answers are kept; check them, or start again to send a new form."}
	case http.StatusRequestEntityTooLarge:
		return failure{heading: "That was too much to send",
			message: "What you sent was larger than any of our forms accepts. Nothing you saved earlier was lost; go back and shorten your answer."}
	}
	return failure{heading: "Sorry, something went wrong",
		message: "Something went wrong on our side. Your saved answers are kept; please try again in a moment."}
}

// note logs err (if any) at the level its status deserves, counts a
// rate-limited request, and sets Retry-After when the error says when to
// come back.
func (s *Server) note(w http.ResponseWriter, r *http.Request, status int, err error) {
	retry := time.Duration(0)
	if l, ok := errors.AsType[*limited](err); ok {
		retry = l.retryAfter
		s.metrics.limited(l.what)
	} else if errors.Is(err, sessionstore.ErrFull) {
		retry = busyRetry
	}
	if err != nil {
		level := slog.LevelInfo
		switch {
		case retry > 0: // a flood is not our failure, and must not flood the log at error level
			level = slog.LevelWarn
		case status >= 500:
			level = slog.LevelError
		}
		s.log().Log(r.Context(), level, "request failed", "method", r.Method, "path", r.URL.Path, "status", status, "err", err)
	}
	if retry > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((retry+time.Second-1)/time.Second)))
	}
}

// unsaved notes a failed save of answers that the handler shows again on
// their form, and returns the status and what to tell the user.
func (s *Server) unsaved(w http.ResponseWriter, r *http.Request, err error) (int, *views.Problem) {
	status := statusOf(err)
	err = fmt.Errorf("save session: %w", err)
	s.note(w, r, status, err)
	f := failureFor(status, err)
	return status, &views.Problem{Heading: f.heading, Message: f.again}
}

// fail is the one error helper: it logs err (if any; internal errors at
// error level) and answers with a friendly page for the status, a partial
// for htmx requests. The user never sees err itself.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, err error) {
	f := failureFor(status, err)
	s.failPage(w, r, status, err, problemPage{heading: f.heading, message: f.message})
}

// problemPage is what an error page says: a heading, a sentence, and
// optionally a link back to where the user was.
type problemPage struct {
	heading, message  string
	backURL, backText string
}

// failPage is fail with a page of the caller's: for an error that only
// the caller can explain (an item of a list that is not there).
func (s *Server) failPage(w http.ResponseWriter, r *http.Request, status int, err error, p problemPage) {
	s.note(w, r, status, err)
	s.render(w, r, status, views.Error(views.ErrorView{
		Frame:    s.frame(r, s.catalog().Get(r.PathValue("wizard"))),
		Status:   status,
		Heading:  p.heading,
		Message:  p.message,
		HomeURL:  s.paths.home,
		BackURL:  p.backURL,
		BackText: p.backText,
	}))
}
