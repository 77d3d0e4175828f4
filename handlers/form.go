package handlers

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
)

// withForm reads and parses a POST's form body before next runs, so that
// a session's lock is never held while a client sends its body: a client
// that stalls (by accident or on purpose) holds nothing but its own
// connection, and a request whose body cannot be read is answered (415,
// 413 or 400) before any session work.
func (s *Server) withForm(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.parseForm(w, r) {
			next.ServeHTTP(w, r)
		}
	})
}

// parseForm reads a urlencoded form body, answering 415, 413 or 400 and
// returning false when it cannot.
func (s *Server) parseForm(w http.ResponseWriter, r *http.Request) bool {
	const form = "application/x-www-form-urlencoded"
	if ct := r.Header.Get("Content-Type"); ct != form && (ct != "" || r.ContentLength != 0) {
		media, _, err := mime.ParseMediaType(ct)
		if err != nil || media != form {
			s.fail(w, r, http.StatusUnsupportedMediaType, nil)
			return false
		}
	}
	if err := s.readPostForm(r); err != nil {
		if _, tooBig := errors.AsType[*http.MaxBytesError](err); tooBig {
			s.fail(w, r, http.StatusRequestEntityTooLarge, nil)
		} else {
			s.fail(w, r, http.StatusBadRequest, err)
		}
		return false
	}
	return true
}

// readPostForm parses the request body into r.PostForm, as ParseForm does
// for a urlencoded body, without also merging it with the URL's query into
// r.Form, which nothing here reads. The body is read into one of the
// server's pooled buffers (see buffer).
func (s *Server) readPostForm(r *http.Request) error {
	if r.PostForm != nil {
		return nil
	}
	body := s.buffer()
	defer s.bufs.Put(body)
	if r.Body != nil {
		if _, err := body.ReadFrom(r.Body); err != nil {
			r.PostForm = url.Values{}
			return fmt.Errorf("read form: %w", err)
		}
	}
	v, err := url.ParseQuery(body.String())
	r.PostForm = v
	if err != nil {
		return fmt.Errorf("parse form: %w", err)
	}
	return nil
}
