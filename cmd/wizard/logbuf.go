package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"sync"
	"time"
)

// logFlushEvery is how long a request's log line may wait in memory.
const logFlushEvery = 100 * time.Millisecond

// logBuffer collects log output and writes it out every logFlushEvery, or
// when 64 KiB are waiting, so that a busy server does not make a write
// system call per request. Close writes what is left; a crash loses at most
// logFlushEvery of lines, and warnings and errors are written at once (see
// newLogger).
type logBuffer struct {
	mu   sync.Mutex
	w    *bufio.Writer
	stop chan struct{}
	done chan struct{}
	once sync.Once
}

func newLogBuffer(w io.Writer) *logBuffer {
	b := &logBuffer{w: bufio.NewWriterSize(w, 64<<10), stop: make(chan struct{}), done: make(chan struct{})}
	go b.flushEvery(logFlushEvery)
	return b
}

// Write implements io.Writer; slog's handlers write one record per call.
func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.w.Write(p)
}

// Flush writes out what is waiting.
func (b *logBuffer) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.w.Flush()
}

func (b *logBuffer) flushEvery(d time.Duration) {
	defer close(b.done)
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			b.Flush()
		case <-b.stop:
			return
		}
	}
}

// Close stops the periodic flush and writes out what is left. It may be
// called more than once.
func (b *logBuffer) Close() error {
	b.once.Do(func() {
		close(b.stop)
		<-b.done
	})
	return b.Flush()
}

// newLogger returns a text logger writing to b, which writes warnings and
// errors out at once: those are read when something goes wrong, when
// waiting is least welcome.
func newLogger(b *logBuffer) *slog.Logger {
	return slog.New(flushOnWarn{Handler: slog.NewTextHandler(b, nil), buf: b})
}

// flushOnWarn flushes the log buffer after each record of level Warn or
// above.
type flushOnWarn struct {
	slog.Handler
	buf *logBuffer
}

func (h flushOnWarn) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if r.Level >= slog.LevelWarn {
		if ferr := h.buf.Flush(); err == nil {
			err = ferr
		}
	}
	return err
}

func (h flushOnWarn) WithAttrs(attrs []slog.Attr) slog.Handler {
	return flushOnWarn{Handler: h.Handler.WithAttrs(attrs), buf: h.buf}
}

func (h flushOnWarn) WithGroup(name string) slog.Handler {
	return flushOnWarn{Handler: h.Handler.WithGroup(name), buf: h.buf}
}
