package pg

import (
	"net"
	"net/url"
	"os"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ParseConfig reads a pool's configuration from a postgres:// URL (or a
// keyword/value string), as pgxpool.ParseConfig does, with one difference:
// when neither the URL nor PGSSLMODE chooses an sslmode, a database on this
// machine (a loopback address or localhost) is reached without TLS. The
// default mode, "prefer", checks no certificate, so on loopback, where no
// one else sees the bytes, its TLS protects nothing, and it cost a fifth of
// the server's CPU under load (docs/performance.md). An explicit sslmode
// is kept.
func ParseConfig(dsn string) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	if !sslmodeChosen(dsn) {
		plainOnLoopback(&cfg.ConnConfig.Config)
	}
	return cfg, nil
}

// sslmodeChosen reports whether the URL or the environment sets sslmode.
func sslmodeChosen(dsn string) bool {
	if os.Getenv("PGSSLMODE") != "" {
		return true
	}
	isURL := strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
	u, err := url.Parse(dsn)
	if !isURL || err != nil {
		// A keyword/value string ("host=... sslmode=..."): err on the
		// side of the user's choice.
		return strings.Contains(dsn, "sslmode")
	}
	return u.Query().Has("sslmode")
}

// plainOnLoopback drops TLS from the attempts that go to a loopback host:
// the main one and its fallbacks ("prefer" made a fallback without TLS for
// each, which then repeats the main attempt and goes too).
func plainOnLoopback(cfg *pgconn.Config) {
	if loopback(cfg.Host) {
		cfg.TLSConfig = nil
	}
	var kept []*pgconn.FallbackConfig
	for _, fb := range cfg.Fallbacks {
		same := fb.Host == cfg.Host && fb.Port == cfg.Port && cfg.TLSConfig == nil
		if loopback(fb.Host) && (fb.TLSConfig != nil || same) {
			continue
		}
		kept = append(kept, fb)
	}
	cfg.Fallbacks = kept
}

// loopback reports whether host names this machine over TCP.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
