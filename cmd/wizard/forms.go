package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/definition"
	"github.com/wizard/wizard/demo"
)

// loadCatalog loads the wizards of the definition directory dir, or the
// embedded demo wizards when dir is "". The error lists every mistake of
// every file.
func loadCatalog(dir string) (*wizard.Catalog, error) {
	var (
		ws  []*wizard.Wizard
		err error
	)
	if dir == "" {
		ws, err = definition.LoadFS(demo.Forms(), ".")
	} else {
		ws, err = definition.LoadDir(dir)
	}
	if err != nil {
		return nil, err
	}
	return wizard.NewCatalog(ws...)
}

// mistakes formats a loading error for people: one mistake per line,
// after a line saying how many there are.
func mistakes(err error) string {
	var errs definition.Errors
	if errors.As(err, &errs) {
		noun := "mistakes"
		if len(errs) == 1 {
			noun = "mistake"
		}
		return fmt.Sprintf("%d %s in the wizard definitions:\n%s", len(errs), noun, errs.Error())
	}
	return err.Error()
}

// check is the "wizard check [DIR]" command: it loads the definitions of
// DIR ($WIZARD_FORMS when not given, the embedded demo wizards when
// neither is) as the server would, prints every mistake to stderr and
// returns 1 if there is any, or prints what it loaded and returns 0. It
// returns 2 for a usage error.
func check(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	dir := getenv("WIZARD_FORMS")
	switch {
	case len(args) == 1 && !strings.HasPrefix(args[0], "-"):
		dir = args[0]
	case len(args) > 0:
		fmt.Fprintln(stderr, "Usage: wizard check [DIR]\n\nChecks the wizard definition files (*.yaml, *.yml, *.json) of DIR, or of\n$WIZARD_FORMS, and prints every mistake as FILE:LINE:COLUMN: path: message.\nExits 1 if there is any.")
		return 2
	}
	c, err := loadCatalog(dir)
	if err != nil {
		fmt.Fprintln(stderr, mistakes(err))
		return 1
	}
	where := dir
	if where == "" {
		where = "the embedded demo"
	}
	names := make([]string, 0, len(c.All()))
	for _, w := range c.All() {
		names = append(names, w.Name)
	}
	noun := "wizards"
	if len(names) == 1 {
		noun = "wizard"
	}
	fmt.Fprintf(stdout, "ok: %d %s in %s: %s\n", len(names), noun, where, strings.Join(names, ", "))
	return 0
}

// reloader loads the definitions again on SIGHUP, and with watch set
// whenever a definition file changes, and hands them to set. A load with
// mistakes logs them all and keeps the wizards being served.
type reloader struct {
	dir   string
	set   func(*wizard.Catalog) error
	log   *slog.Logger
	watch time.Duration // poll interval; 0: no watching
	// notify, when set, is POSTed to after each reload (templ's proxy,
	// which then reloads the browser).
	notify string
}

// start listens for SIGHUP at once, then reloads in the background until
// ctx ends.
func (rl *reloader) start(ctx context.Context) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		defer signal.Stop(hup)
		rl.run(ctx, hup)
	}()
}

// run reloads on each signal from hup and, when watching, each change.
func (rl *reloader) run(ctx context.Context, hup <-chan os.Signal) {
	var tick <-chan time.Time
	last := ""
	if rl.watch > 0 {
		t := time.NewTicker(rl.watch)
		defer t.Stop()
		tick = t.C
		last = fingerprint(rl.dir)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			rl.reload(ctx, "SIGHUP")
		case <-tick:
			if fp := fingerprint(rl.dir); fp != last {
				last = fp
				rl.reload(ctx, "a definition file changed")
			}
		}
	}
}

// reload loads the definitions and, if they have no mistake, serves them.
func (rl *reloader) reload(ctx context.Context, why string) {
	if rl.dir == "" {
		rl.log.Info("nothing to reload: the server runs the embedded demo wizards (see -forms)", "why", why)
		return
	}
	c, err := loadCatalog(rl.dir)
	if err == nil {
		err = rl.set(c)
	}
	if err != nil {
		var errs definition.Errors
		if errors.As(err, &errs) {
			for _, e := range errs {
				rl.log.Error("definition mistake", "at", fmt.Sprintf("%s:%d:%d", e.File, e.Line, e.Column), "path", e.Path, "problem", e.Message)
			}
		}
		rl.log.Error("reload failed: still serving the definitions loaded before", "dir", rl.dir, "why", why, "err", mistakes(err))
		return
	}
	rl.log.Info("reloaded the wizard definitions", "dir", rl.dir, "why", why, "wizards", len(c.All()))
	if rl.notify != "" {
		rl.tellProxy(ctx)
	}
}

// tellProxy asks templ's proxy to reload the browser.
func (rl *reloader) tellProxy(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rl.notify, nil)
	if err == nil {
		var resp *http.Response
		if resp, err = http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}
	if err != nil {
		rl.log.Warn("could not ask the proxy to reload the browser", "url", rl.notify, "err", err)
	}
}

// fingerprint sums up the definition files of dir (names, sizes and
// modification times), so that polling notices a file saved, added or
// removed.
func fingerprint(dir string) string {
	entries, _ := os.ReadDir(dir) // unreadable: nothing to load either
	var b strings.Builder
	for _, e := range entries {
		if e.IsDir() || !definition.IsDefinition(e.Name()) {
			continue
		}
		if info, err := e.Info(); err == nil {
			fmt.Fprintf(&b, "%s %d %d\n", e.Name(), info.Size(), info.ModTime().UnixNano())
		}
	}
	return b.String()
}
