package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
)

// lockedBuffer is a bytes.Buffer safe to read while the log writes to it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Request lines wait in the buffer; a warning takes them and itself out at
// once, in order; Close writes the rest.
func TestLogBuffer(t *testing.T) {
	var out lockedBuffer
	logs := newLogBuffer(&out)
	defer logs.Close()
	log := newLogger(logs)
	log.Info("request", "path", "/a")
	if got := out.String(); got != "" && !strings.Contains(got, "/a") {
		t.Fatalf("unexpected output %q", got)
	}
	log.Warn("store unavailable")
	got := out.String()
	a, w := strings.Index(got, "path=/a"), strings.Index(got, "store unavailable")
	if a < 0 || w < 0 || a > w {
		t.Fatalf("after a warning: got %q, want the request line, then the warning", got)
	}
	log.With("k", "v").Info("last")
	if err := logs.Close(); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.Contains(got, "msg=last k=v") {
		t.Errorf("after Close: got %q, want the last line written", got)
	}
}
