package main

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/a-h/templ"
	"github.com/alexedwards/scs/v2"
	"github.com/alexedwards/scs/v2/memstore"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/demo"
	"github.com/wizard/wizard/handlers"
	"github.com/wizard/wizard/views"
)

const (
	// clubName is the site's name, in its header and on its home page.
	clubName = "Northfield Walking Club"
	// applyPrefix is where the wizards live in the site: /apply/join/,
	// /apply/register/.
	applyPrefix = "/apply"
	// cssPath is the club's stylesheet, which goes after ours.
	cssPath = "/site.css"
)

// static holds the club's own stylesheet.
//
//go:embed static
var static embed.FS

// siteDeps are what the site works with.
type siteDeps struct {
	// Sink receives the submissions of both wizards.
	Sink wizard.Sink
	// Members is the club's register: the join wizard checks it, and a
	// submission adds to it.
	Members Members
	// Log receives the request log, errors and the confirmations sent.
	Log *slog.Logger
	// Store keeps the sessions; nil means in memory.
	Store scs.Store
	// Config is the wizards' server's; its Prefix and SiteName are the
	// site's. Zero means handlers.DefaultConfig.
	Config *handlers.Config
}

// newSite builds the club's site: its home page at "/", its stylesheet,
// its own not-found page, and under /apply/ the demo's register wizard
// and the club's join wizard, both in the club's layout.
func newSite(d siteDeps) (http.Handler, error) {
	if d.Sink == nil || d.Members == nil || d.Log == nil {
		return nil, errors.New("new site: Sink, Members and Log are required")
	}
	catalog, err := wizard.NewCatalog(demo.Register(), joinWizard(d.Members))
	if err != nil {
		return nil, fmt.Errorf("new site: %w", err)
	}
	cfg := handlers.DefaultConfig()
	if d.Config != nil {
		cfg = *d.Config
	}
	cfg.Prefix = applyPrefix
	cfg.SiteName = clubName
	if d.Store == nil {
		d.Store = memstore.New()
	}
	srv, err := handlers.New(cfg, handlers.Deps{
		Wizards: catalog,
		Store:   d.Store,
		Sink:    d.Sink,
		Log:     d.Log,
		Components: &views.Components{
			Layout: Layout,
			Steps:  map[string]func(views.StepView) templ.Component{"dates": DatesStep},
			Inputs: map[string]func(*wizard.FormField) templ.Component{dateType().Name: DateInput},
		},
		Done: confirm(d.Members, d.Log),
	})
	if err != nil {
		return nil, fmt.Errorf("new site: %w", err)
	}
	css, err := fs.Sub(static, "static")
	if err != nil {
		return nil, fmt.Errorf("new site: %w", err)
	}
	page := views.Page{Frame: views.Frame{Assets: srv.Assets(), SiteName: clubName}}
	mux := http.NewServeMux()
	mux.Handle(applyPrefix+"/", srv)
	mux.Handle("GET "+cssPath, http.FileServerFS(css))
	mux.Handle("GET /{$}", ownPage(http.StatusOK, HomePage(titled(page, clubName)), d.Log))
	mux.Handle("/", ownPage(http.StatusNotFound, NotFoundPage(titled(page, "Page not found – "+clubName)), d.Log))
	return mux, nil
}

// titled returns p with the document title t.
func titled(p views.Page, t string) views.Page {
	p.Title = t
	return p
}

// ownPage serves one of the club's own pages with status.
func ownPage(status int, c templ.Component, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		if err := c.Render(r.Context(), w); err != nil {
			log.Error("render page", "path", r.URL.Path, "err", err)
		}
	})
}

// confirm is the Done hook: after a submission is stored, the new member
// joins the register, and both wizards "send" their confirmation, which
// here is a line in the log.
func confirm(members Members, log *slog.Logger) func(context.Context, wizard.Submission) error {
	return func(ctx context.Context, sub wizard.Submission) error {
		email := answer(sub, "email")
		if sub.Wizard == "join" {
			if err := members.Add(ctx, answer(sub, "username")); err != nil {
				return fmt.Errorf("confirm %s: %w", sub.Reference, err)
			}
		}
		log.InfoContext(ctx, "confirmation sent", "wizard", sub.Wizard, "reference", sub.Reference, "to", email)
		return nil
	}
}

// answer is the first value of the submission's field named field, on
// whichever step.
func answer(sub wizard.Submission, field string) string {
	for _, a := range sub.Answers {
		if a.Field == field && len(a.Values) > 0 {
			return a.Values[0]
		}
	}
	return ""
}

// wizardURL is the address of the wizard named name in the site.
func wizardURL(name string) string { return applyPrefix + "/" + name + "/" }

// minimumAgeText is minimumAge in words for people.
func minimumAgeText() string { return strconv.Itoa(minimumAge) }
