package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/delivery"
	"github.com/wizard/wizard/export"
	"github.com/wizard/wizard/internal/pg"
	"github.com/wizard/wizard/sinks"
)

// errUsage marks an error in the command line: exit status 2, not 1.
var errUsage = errors.New("usage")

const submissionsUsage = `Usage:
  wizard submissions export [-wizard NAME] [-since TIME] [-format csv|jsonl] [-sink file:PATH|postgres://...] [-forms DIR]
  wizard submissions redeliver -id ID | -since TIME [-sink postgres://...]

export writes the stored submissions to stdout, oldest first: as CSV (one
wizard's, with a column per question in the wizard's order; -wizard is
needed when the store holds several) or as JSONL, one object per line as
stored. TIME is RFC 3339 (2026-03-01T09:30:00Z) or a date (2026-03-01,
midnight UTC). The sink defaults to $WIZARD_SINK, else file:$WIZARD_SUBMISSIONS,
else ` + sinkDefault + `; the definitions to $WIZARD_FORMS, else the embedded
demo wizards.

redeliver puts webhook deliveries back to pending, due now, with their whole
retry schedule ahead: the one of submission ID (whatever its state, even
delivered), or every one enqueued at or after TIME. It needs the PostgreSQL
sink.
`

// submissionsCmd is the "wizard submissions" command. It returns the exit
// status: 0, 1 for an error (written to stderr), 2 for a usage error.
func submissionsCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	var err error
	switch {
	case len(args) > 0 && args[0] == "export":
		err = exportCmd(ctx, args[1:], getenv, stdout, stderr)
	case len(args) > 0 && args[0] == "redeliver":
		err = redeliverCmd(ctx, args[1:], getenv, stdout)
	default:
		err = fmt.Errorf("%w: want a subcommand, export or redeliver", errUsage)
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stderr, submissionsUsage)
		return 2
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "wizard submissions: %v\n\n%s", err, submissionsUsage)
		return 2
	default:
		fmt.Fprintln(stderr, "wizard submissions:", err)
		return 1
	}
}

// exportCmd is "wizard submissions export".
func exportCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("wizard submissions export", flag.ContinueOnError)
	name := fs.String("wizard", "", "export the submissions of this `wizard` only")
	sinceArg := fs.String("since", "", "export the submissions made at or after `TIME` only")
	format := fs.String("format", "csv", "csv or jsonl")
	sink := fs.String("sink", sinkFromEnv(getenv), "where the submissions are: file:PATH or postgres://...")
	forms := fs.String("forms", getenv("WIZARD_FORMS"), "`dir`ectory of the wizard definitions; the embedded demo if empty")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	if *format != "csv" && *format != "jsonl" {
		return fmt.Errorf("%w: -format %q: want csv or jsonl", errUsage, *format)
	}
	since, err := parseSince(*sinceArg)
	if err != nil {
		return err
	}
	src, err := openSource(ctx, *sink)
	if err != nil {
		return err
	}
	defer src.Close()
	subs, err := src.List(ctx, *name, since)
	if err != nil {
		return err
	}
	if *format == "jsonl" {
		return export.JSONL(stdout, subs)
	}
	wz, err := csvWizard(*name, *forms, subs, stderr)
	if err != nil {
		return err
	}
	if wz == nil {
		return nil // nothing stored, and no wizard named to head a file with
	}
	return export.CSV(stdout, wz, subs)
}

// parseArgs parses the flags of a subcommand, which takes no arguments.
// Its errors wrap errUsage, or are flag.ErrHelp.
func parseArgs(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard) // submissionsCmd prints the usage
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	return nil
}

// redeliverCmd is "wizard submissions redeliver".
func redeliverCmd(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("wizard submissions redeliver", flag.ContinueOnError)
	id := fs.String("id", "", "redeliver the submission with this `ID`")
	sinceArg := fs.String("since", "", "redeliver every delivery enqueued at or after `TIME`")
	sink := fs.String("sink", sinkFromEnv(getenv), "the PostgreSQL sink: postgres://...")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	if (*id == "") == (*sinceArg == "") {
		return fmt.Errorf("%w: redeliver wants -id or -since, one of the two", errUsage)
	}
	since, err := parseSince(*sinceArg)
	if err != nil {
		return err
	}
	kind, url, err := sinkKind(*sink)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if kind != "postgres" {
		return fmt.Errorf("%w: -sink %q: deliveries live in the PostgreSQL sink: give its postgres:// URL", errUsage, *sink)
	}
	ctx, cancel := context.WithTimeout(ctx, sinks.DefaultPostgresTimeout)
	defer cancel()
	cfg, err := pg.ParseConfig(url)
	if err != nil {
		return fmt.Errorf("deliveries database: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("deliveries database: %w", err)
	}
	defer pool.Close()
	if *id != "" {
		if err := delivery.Redeliver(ctx, pool, *id); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "submission %q: delivery pending again\n", *id)
		return nil
	}
	n, err := delivery.RedeliverSince(ctx, pool, since)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d deliveries pending again\n", n)
	return nil
}

// csvWizard returns the definition that heads a CSV export: the wizard
// named, else the one wizard of subs; nil when neither names one. A wizard
// the definitions no longer hold stands in with no questions, so every
// answer gets a step.field column.
func csvWizard(name, forms string, subs []wizard.Submission, stderr io.Writer) (*wizard.Wizard, error) {
	if name == "" {
		var names []string
		for _, s := range subs {
			if !slices.Contains(names, s.Wizard) {
				names = append(names, s.Wizard)
			}
		}
		switch len(names) {
		case 0:
			return nil, nil
		case 1:
			name = names[0]
		default:
			slices.Sort(names)
			return nil, fmt.Errorf("%w: the submissions are of %d wizards (%s): choose one with -wizard, or use -format jsonl", errUsage, len(names), strings.Join(names, ", "))
		}
	}
	c, err := loadCatalog(forms)
	if err != nil {
		return nil, errors.New(mistakes(err))
	}
	if wz := c.Get(name); wz != nil {
		return wz, nil
	}
	fmt.Fprintf(stderr, "wizard submissions: no definition of wizard %q: its columns are named step.field\n", name)
	return &wizard.Wizard{Name: name}, nil
}

// sinkFromEnv returns the sink the server would write to, as far as the
// environment says.
func sinkFromEnv(getenv func(string) string) string {
	if s := getenv("WIZARD_SINK"); s != "" {
		return s
	}
	if p := getenv("WIZARD_SUBMISSIONS"); p != "" {
		return "file:" + p
	}
	return sinkDefault
}

// parseSince reads -since: RFC 3339, or a date meaning its midnight UTC.
// "" is the zero time, which every submission is at or after.
func parseSince(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%w: -since %q: want RFC 3339 (2026-03-01T09:30:00Z) or a date (2026-03-01)", errUsage, s)
}

// source is a store of submissions to export from.
type source interface {
	// List returns the submissions of the wizard named (all if "") made
	// at or after since, oldest first.
	List(ctx context.Context, wizardName string, since time.Time) ([]wizard.Submission, error)
	Close()
}

// openSource opens the store a -sink value names.
func openSource(ctx context.Context, sink string) (source, error) {
	kind, where, err := sinkKind(sink)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	if kind == "file" {
		return fileSource(where), nil
	}
	p, err := sinks.OpenPostgres(ctx, where, sinks.PostgresOptions{})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// fileSource is a JSONL file, read whole while a server may append to it.
type fileSource string

func (f fileSource) List(_ context.Context, wizardName string, since time.Time) ([]wizard.Submission, error) {
	all, err := sinks.ReadJSONL(string(f))
	if err != nil {
		return nil, err
	}
	subs := slices.DeleteFunc(all, func(s wizard.Submission) bool {
		return wizardName != "" && s.Wizard != wizardName || s.Time.Before(since)
	})
	// The file is in the order of writing, which clocks of several
	// processes over time need not agree with.
	slices.SortStableFunc(subs, func(a, b wizard.Submission) int { return a.Time.Compare(b.Time) })
	return subs, nil
}

func (fileSource) Close() {}
