// Package pgtest gives tests a PostgreSQL schema of their own on the test
// server that WIZARD_TEST_POSTGRES names.
package pgtest

import (
	"context"
	"crypto/rand"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// connectTimeout bounds the wait for the test server to answer.
const connectTimeout = 3 * time.Second

// URL returns the address of the test database (WIZARD_TEST_POSTGRES) with
// a new schema selected by search_path, dropped when the test ends. Without
// the variable, or when the server does not answer, the test is skipped,
// except under CI=true, where it fails: CI must not pass by skipping.
func URL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("WIZARD_TEST_POSTGRES")
	if u == "" {
		missing(tb, "WIZARD_TEST_POSTGRES is not set")
	}
	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		missing(tb, "WIZARD_TEST_POSTGRES: server unreachable: "+err.Error())
	}
	defer conn.Close(context.Background())
	schema := "wizardtest_" + strings.ToLower(rand.Text()[:10])
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		conn, err := pgx.Connect(context.Background(), u)
		if err != nil {
			tb.Error(err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	return u + sep + "search_path=" + schema
}

// missing skips the test, or fails it under CI=true.
func missing(tb testing.TB, msg string) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatal(msg)
	}
	tb.Skip(msg + " (skipped outside CI)")
}
