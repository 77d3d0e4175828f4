package handlers

import (
	"bytes"
	"context"
	"io"
	"net/http"

	"github.com/a-h/templ"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/views"
)

// partial reports whether the request wants only the page's content for an
// htmx swap. A history restore (back, forward, reload after an htmx swap)
// and an htmx request targeting the whole body get the full page.
func partial(r *http.Request) bool {
	return htmxHeader(r, "Hx-Request") == "true" &&
		!historyRestore(r) &&
		htmxHeader(r, "Hx-Request-Type") != "full"
}

// historyRestore reports whether htmx asks for a page to restore history
// (back, forward, reload after a swap): it needs the full page.
func historyRestore(r *http.Request) bool {
	return htmxHeader(r, "Hx-History-Restore-Request") == "true"
}

// htmxHeader returns the first value of the request header named by
// canonicalKey, which must be in canonical form ("Hx-Request"). Unlike
// Header.Get it does not canonicalize the key on every call: htmx's
// headers are read several times per request.
func htmxHeader(r *http.Request, canonicalKey string) string {
	if v := r.Header[canonicalKey]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// frame is what every view needs from the request: assets, whether to send
// a partial, the layout, the name in the header (the wizard's title, when
// the page is of wizard wz), and the session's idle timeout when there is
// a session. Call it after the handler has saved what it saves.
func (s *Server) frame(r *http.Request, wz *wizard.Wizard) views.Frame {
	f := views.Frame{Assets: s.assets.views(), Partial: partial(r), HomeURL: s.paths.home, SiteName: s.cfg.SiteName}
	if wz != nil {
		f.WizardTitle = wz.Title
	}
	if c := s.deps.Components; c != nil {
		f.Layout = c.Layout
	}
	if s.cfg.IdleTimeout > 0 && s.hasSession(r.Context()) {
		f.Session = s.session
	}
	return f
}

// render writes a page with the status. It renders into a buffer first so a
// failure never sends half a page. Pages hold personal answers, so they are
// never cached, and they vary by the htmx headers that choose partial or
// full.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	// The page is made from view models the handler has built, so the
	// session can be saved (and its lock let go) before templ writes it.
	if sw, ok := w.(*sessionWriter); ok && !sw.save() {
		return
	}
	buf := s.buffer()
	defer s.bufs.Put(buf)
	// Rendering into memory is quick; a client that hung up meanwhile must
	// not make it fail (the write below fails quietly instead).
	ctx := context.WithoutCancel(r.Context())
	if s.deps.Components != nil {
		ctx = views.WithComponents(ctx, s.deps.Components)
	}
	if err := c.Render(ctx, buf); err != nil {
		// Not through fail: its page is rendered here too, and a component
		// that cannot render must not recurse.
		s.log().Error("render", "method", r.Method, "path", r.URL.Path, "err", err)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, s.renderFailed)
		return
	}
	h := w.Header()
	h["Content-Type"] = s.hdr.html
	h["Cache-Control"] = s.hdr.noStore
	s.hdr.add(h, "Vary", s.hdr.varyHTMX)
	w.WriteHeader(status)
	if _, err := w.Write(buf.Bytes()); err != nil {
		s.log().Debug("write response", "err", err)
	}
}

// buffer returns an empty buffer from the server's pool; pages are rendered
// into one before they are sent, and most fit the buffer a previous page
// grew.
func (s *Server) buffer() *bytes.Buffer {
	if b, ok := s.bufs.Get().(*bytes.Buffer); ok {
		b.Reset()
		return b
	}
	return new(bytes.Buffer)
}

// renderFailedPage is sent when a page cannot be rendered at all; home is
// the URL of the list of wizards (a path without characters to escape, see
// checkPrefix).
func renderFailedPage(home string) string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sorry, something went wrong</title></head>` +
		`<body><main><h1>Sorry, something went wrong</h1><p>Something went wrong on our side. Your saved answers are kept; please try again in a moment.</p>` +
		`<p><a href="` + home + `">Go to the list of wizards</a></p></main></body></html>`
}
