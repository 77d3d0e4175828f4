package handlers

import (
	"net/http"

	"github.com/wizard/wizard/views"
)

// failure is what a person is told about an error status.
type failure struct {
	heading string
	message string
}

// failureFor returns the fixed message for an error status; unknown
// statuses get the message of a 500.
func failureFor(status int) failure {
	switch status {
	case http.StatusBadRequest, http.StatusUnsupportedMediaType:
		return failure{"We could not read that",
			"What your browser sent was not a form we recognise. Nothing you saved earlier was lost; go back and try again."}
	case http.StatusForbidden:
		return failure{"That request was refused",
			"Forms can only be sent from this site's own pages. Nothing you saved earlier was lost."}
	case http.StatusNotFound:
		return failure{"Page not found",
			"There is no page at this address. Check the address, or start from the list of wizards."}
	case http.StatusMethodNotAllowed:
		return failure{"That action is not possible here",
			"This page cannot be used that way. Nothing you saved earlier was lost."}
	case http.StatusServiceUnavailable:
		return failure{"Sorry, the service is temporarily unavailable",
			"We cannot reach where we keep answers just now. Your saved answers are safe; please try again in a minute."}
	case http.StatusRequestEntityTooLarge:
		return failure{"That was too much to send",
			"What you sent was larger than any of our forms accepts. Nothing you saved earlier was lost; go back and shorten your answer."}
	}
	return failure{"Sorry, something went wrong",
		"Something went wrong on our side. Your saved answers are kept; please try again in a moment."}
}

// fail is the one error helper: it logs err (if any; internal errors at
// error level) and answers with a friendly page for the status, a partial
// for htmx requests. The user never sees err itself.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, err error) {
	if err != nil {
		level := s.log().Info
		if status >= 500 {
			level = s.log().Error
		}
		level("request failed", "method", r.Method, "path", r.URL.Path, "status", status, "err", err)
	}
	f := failureFor(status)
	s.render(w, r, status, views.Error(views.ErrorView{
		Frame:   s.frame(r),
		Status:  status,
		Heading: f.heading,
		Message: f.message,
		HomeURL: "/",
	}))
}
