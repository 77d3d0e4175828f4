package handlers

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"strings"

	"github.com/wizard/wizard/views"
)

// asset is one static file ready to serve, with a gzip copy when that is
// smaller.
type asset struct {
	body  []byte
	gz    []byte
	ctype string
}

// assets serves the static files under content-hashed names
// ("app.3f2a1b9c0d.css") with a year-long immutable cache lifetime, so a
// changed file gets a new URL. With a dev directory it serves that
// directory's files as they are on disk, under their plain names, uncached.
type assets struct {
	byURLName map[string]*asset // "app.3f2a1b9c0d.css" -> file
	urls      map[string]string // "app.css" -> "/static/app.3f2a1b9c0d.css"
	devDir    string
	// page is what every full page links to, made once (see views).
	page views.Assets
}

// newAssets loads and hashes every file of fsys, or prepares to serve devDir,
// at URLs under p.
func newAssets(fsys fs.FS, devDir string, p paths) (*assets, error) {
	a := &assets{byURLName: map[string]*asset{}, urls: map[string]string{}, devDir: devDir}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if devDir != "" {
			a.urls[name] = p.static(name)
			return nil
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return fmt.Errorf("read %q: %w", name, err)
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		f := &asset{body: body, ctype: mime.TypeByExtension(ext)}
		if f.ctype == "" {
			f.ctype = "application/octet-stream"
		}
		if f.gz, err = gzipped(body); err != nil {
			return fmt.Errorf("compress %q: %w", name, err)
		}
		a.byURLName[hashed] = f
		a.urls[name] = p.static(hashed)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load static files: %w", err)
	}
	for _, need := range []string{"app.css", "app.js", "htmx.min.js", "favicon.svg"} {
		if a.urls[need] == "" {
			return nil, fmt.Errorf("static file %q is missing", need)
		}
	}
	scripts := []string{a.urls["htmx.min.js"], a.urls["app.js"]}
	a.page = views.Assets{CSS: a.urls["app.css"], Icon: a.urls["favicon.svg"], Scripts: scripts[:2:2]}
	return a, nil
}

// gzipped returns body compressed, or nil when that saves nothing.
func gzipped(body []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(body); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	if buf.Len() >= len(body) {
		return nil, nil
	}
	return buf.Bytes(), nil
}

// views returns the URLs every full page links to. Every page shares
// them: read them, do not change them.
func (a *assets) views() views.Assets { return a.page }

// serve returns the handler of GET /static/{file}.
func (a *assets) serve(s *Server) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("file")
		if a.devDir != "" {
			if a.urls[name] == "" {
				s.fail(w, r, http.StatusNotFound, nil)
				return
			}
			w.Header().Set("Cache-Control", "no-store")
			http.ServeFileFS(w, r, os.DirFS(a.devDir), name)
			return
		}
		f := a.byURLName[name]
		if f == nil {
			s.fail(w, r, http.StatusNotFound, nil)
			return
		}
		h := w.Header()
		h.Set("Content-Type", f.ctype)
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		body := f.body
		if f.gz != nil {
			h.Add("Vary", "Accept-Encoding")
			if acceptsGzip(r) {
				h.Set("Content-Encoding", "gzip")
				body = f.gz
			}
		}
		h.Set("Content-Length", fmt.Sprint(len(body)))
		if _, err := w.Write(body); err != nil {
			s.log().Debug("write static file", "file", name, "err", err)
		}
	}
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip,
// as RFC 9110 (section 12.5.3) says: an entry for gzip (or its alias
// x-gzip) decides, else an entry for "*" does; an entry accepts unless its
// weight is 0 ("q=0", "Q = 0.000") or not a weight at all. When entries for
// the same coding disagree, the refusal wins. With no header, or one naming
// neither (such as "identity"), the plain body is sent: it is always
// acceptable, and clients that say nothing rarely expect gzip.
func acceptsGzip(r *http.Request) bool {
	gzipNamed, gzipOK := false, true
	anyNamed, anyOK := false, true
	for _, line := range r.Header.Values("Accept-Encoding") {
		for _, entry := range strings.Split(line, ",") {
			coding, params, _ := strings.Cut(entry, ";")
			switch coding = strings.TrimSpace(coding); {
			case strings.EqualFold(coding, "gzip"), strings.EqualFold(coding, "x-gzip"):
				gzipNamed, gzipOK = true, gzipOK && qAboveZero(params)
			case coding == "*":
				anyNamed, anyOK = true, anyOK && qAboveZero(params)
			}
		}
	}
	if gzipNamed {
		return gzipOK
	}
	return anyNamed && anyOK
}

// qAboveZero reports whether an Accept-Encoding entry's parameters give it
// a weight above 0. An entry without a weight weighs 1. A weight is a
// qvalue of RFC 9110: "0" or "1", then up to three decimals ("0.5",
// "1.000"); anything else ("0.5000", "2", "-1", "") is not one and counts
// as 0, so that a garbled header gets the plain body, which every client
// can read.
func qAboveZero(params string) bool {
	for _, p := range strings.Split(params, ";") {
		name, value, _ := strings.Cut(p, "=")
		if !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		whole, frac, _ := strings.Cut(strings.TrimSpace(value), ".")
		if len(frac) > 3 || strings.Trim(frac, "0123456789") != "" {
			return false
		}
		switch whole {
		case "0":
			return strings.Trim(frac, "0") != ""
		case "1":
			return strings.Trim(frac, "0") == ""
		}
		return false
	}
	return true
}
