package handlers

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/wizard/wizard"
)

// paths builds every URL the server sends (links, form actions, redirects,
// HX-Push-Url, asset URLs, the keepalive URL) and every route it matches,
// under the prefix the server is mounted at: "" at the root, "/apply" for a
// server mounted with mux.Handle("/apply/", srv). A server sees full paths,
// so its routes carry the prefix too. The HTTP contract lives here and in
// routes.
type paths struct {
	prefix string
	// home and keepAlive are built once: every page links to them.
	home, keepAlive string
}

// keepAlivePath extends the session; pages post to it from the timeout
// warning (static/app.js reads its URL from the page).
const keepAlivePath = "/keepalive"

func newPaths(prefix string) paths {
	return paths{prefix: prefix, home: prefix + "/", keepAlive: prefix + keepAlivePath}
}

// checkPrefix accepts "" or a clean path that starts with "/" and has no
// trailing slash, query or fragment, such as "/apply". Its segments may hold
// only letters, digits and "-._~", so that it needs no escaping in HTML or
// a URL, and means nothing special in a ServeMux pattern.
func checkPrefix(prefix string) error {
	switch {
	case prefix == "":
		return nil
	case !strings.HasPrefix(prefix, "/"):
		return fmt.Errorf("prefix %q: must start with /", prefix)
	case strings.HasSuffix(prefix, "/"):
		return fmt.Errorf("prefix %q: must not end with / (mount the server at %q, give %q)", prefix, prefix, strings.TrimRight(prefix, "/"))
	case strings.ContainsAny(prefix, "?#"):
		return fmt.Errorf("prefix %q: must be a path, without ? or #", prefix)
	case path.Clean(prefix) != prefix:
		return fmt.Errorf("prefix %q: must be a clean path (no //, . or ..)", prefix)
	case strings.Trim(prefix, "/abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~") != "":
		return fmt.Errorf("prefix %q: may hold only letters, digits, / and -._~", prefix)
	}
	return nil
}

// route is the ServeMux pattern of method and path under the prefix.
func (p paths) route(method, path string) string { return method + " " + p.prefix + path }

func (p paths) wizard(wz *wizard.Wizard) string { return p.prefix + "/" + wz.Name + "/" }
func (p paths) step(wz *wizard.Wizard, st *wizard.Step) string {
	return p.prefix + "/" + wz.Name + "/" + st.Name
}
func (p paths) review(wz *wizard.Wizard) string  { return p.prefix + "/" + wz.Name + "/review" }
func (p paths) submit(wz *wizard.Wizard) string  { return p.prefix + "/" + wz.Name + "/submit" }
func (p paths) done(wz *wizard.Wizard) string    { return p.prefix + "/" + wz.Name + "/done" }
func (p paths) restart(wz *wizard.Wizard) string { return p.prefix + "/" + wz.Name + "/restart" }
func (p paths) exit(wz *wizard.Wizard, ex *wizard.Exit) string {
	return p.prefix + "/" + wz.Name + "/" + ex.Name
}

// change is the URL that changes the answer to field of step st from the
// review: the step, returning to the review, at the field. (One string
// built at once: the review makes one per answer.)
func (p paths) change(wz *wizard.Wizard, st *wizard.Step, field string) string {
	return p.prefix + "/" + wz.Name + "/" + st.Name + "?return=review#f-" + field
}

// item is the URL of the n-th item (from 1) of repeating step st.
func (p paths) item(wz *wizard.Wizard, st *wizard.Step, n int) string {
	return p.step(wz, st) + "/" + strconv.Itoa(n)
}

// removeItem is the URL that removes the n-th item of repeating step st.
func (p paths) removeItem(wz *wizard.Wizard, st *wizard.Step, n int) string {
	return p.item(wz, st, n) + "/remove"
}

// static is the URL of the static file served under name.
func (p paths) static(name string) string { return p.prefix + "/static/" + name }
