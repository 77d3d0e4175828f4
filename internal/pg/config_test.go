package pg

import (
	"testing"
)

func TestParseConfigTLS(t *testing.T) {
	t.Setenv("PGSSLMODE", "")
	for _, c := range []struct {
		url       string
		tls       bool // main attempt uses TLS
		fallbacks int
	}{
		{"postgres://u@127.0.0.1:5432/db", false, 0},
		{"postgres://u@localhost:5432/db", false, 0},
		{"postgres://u@[::1]:5432/db", false, 0},
		{"postgres://u@127.0.0.1:5432/db?sslmode=prefer", true, 1},
		{"postgres://u@127.0.0.1:5432/db?sslmode=require", true, 0},
		{"postgres://u@db.example.com:5432/db", true, 1},
		{"postgres://u@10.0.0.5:5432/db?sslmode=disable", false, 0},
		{"host=127.0.0.1 user=u sslmode=require", true, 0},
		{"host=127.0.0.1 user=u", false, 0},
	} {
		cfg, err := ParseConfig(c.url)
		if err != nil {
			t.Fatalf("%s: %v", c.url, err)
		}
		if got := cfg.ConnConfig.TLSConfig != nil; got != c.tls {
			t.Errorf("%s: TLS %v, want %v", c.url, got, c.tls)
		}
		if got := len(cfg.ConnConfig.Fallbacks); got != c.fallbacks {
			t.Errorf("%s: %d fallbacks, want %d", c.url, got, c.fallbacks)
		}
	}
}

func TestParseConfigKeepsEnvironmentSSLMode(t *testing.T) {
	t.Setenv("PGSSLMODE", "require")
	cfg, err := ParseConfig("postgres://u@127.0.0.1:5432/db")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ConnConfig.TLSConfig == nil {
		t.Error("PGSSLMODE=require: no TLS on loopback")
	}
}
