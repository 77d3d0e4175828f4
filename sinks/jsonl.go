// Package sinks holds wizard.Sink implementations.
package sinks

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/wizard/wizard"
)

// ErrInUse is returned (wrapped, with the file's name) by OpenJSONL when
// another sink, in this process or another, holds the file.
var ErrInUse = errors.New("in use by another sink (its lock is held)")

// JSONL appends each submission as one JSON object per line to a file,
// synced to disk before Submit returns. It remembers the IDs in the file, so
// a submission whose ID is already there is not written again. Every ID
// stays in memory for the sink's life, about 24 to 38 bytes each for IDs
// of the shape handlers makes (see idSet): fine for a demo or a small
// service, but millions of submissions want a database sink.
//
// One JSONL value owns its file: two writers could each store the same ID
// once. On Linux OpenJSONL enforces this with an exclusive flock held until
// Close (elsewhere it is up to whoever starts the process). The file stays
// open for the sink's life; if it is renamed or deleted, the next Submit
// opens a new file at the path, as a log rotation expects, and goes on
// refusing the IDs it already holds.
//
// A crash during a write can leave a torn last line; OpenJSONL cuts it off
// (see there). A submission whose Submit returned nil was synced whole,
// newline included, so a torn line is never one that was acknowledged.
type JSONL struct {
	path string

	mu sync.Mutex
	// f is the locked file, opened for appending; nil after Close.
	f *os.File
	// info identifies f, to notice the path naming another file.
	info os.FileInfo
	// size is the length of f's complete content: after a failed write it
	// may hold more, which dirty says and the next Submit cuts off.
	size  int64
	dirty bool
	// needNewline is set when f's last line is a whole object without its
	// newline (a torn write that stopped just there, or a hand edit).
	needNewline bool
	ids         idSet
	dropped     int64
}

// OpenJSONL opens (creating it if need be) and locks path, and reads the IDs
// already in it. Callers must Close the sink when done with it, to release
// the lock; the end of the process releases it too, however it ends.
//
// Every line must be a JSON object, except that a last line with no newline
// that does not parse is what a crash during a write leaves: it is cut off
// (the file is truncated to the end of the last complete line) and
// DroppedBytes says how many bytes went. A last line with no newline that
// does parse is kept, and the next Submit writes its newline first. A bad
// line that ends in a newline, anywhere, is an error: it is not a torn
// write, and the file is left as it is.
//
// If another sink holds the file, OpenJSONL fails with an error wrapping
// ErrInUse that names the file.
func OpenJSONL(path string) (*JSONL, error) {
	s := &JSONL{path: path}
	if err := s.open(); err != nil {
		return nil, err
	}
	return s, nil
}

// open opens, locks and reads s.path, adding its IDs to s.ids, and makes it
// the file Submit appends to, closing the one before. On error s is as it
// was.
func (s *JSONL) open() error {
	f, err := os.OpenFile(s.path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open submissions %q: %w", s.path, err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return fmt.Errorf("submissions %q: %w", s.path, err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("stat submissions %q: %w", s.path, err)
	}
	ids := newIDSet()
	size, needNewline, dropped, err := s.read(f, &ids)
	if err != nil {
		f.Close()
		return err
	}
	if dropped > 0 {
		if err := f.Truncate(size); err != nil {
			f.Close()
			return fmt.Errorf("cut torn last line off submissions %q: %w", s.path, err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return fmt.Errorf("sync submissions %q: %w", s.path, err)
		}
	}
	if s.f != nil {
		if s.dirty {
			s.f.Truncate(s.size) // best effort: the file is no longer ours
		}
		s.f.Close()
	}
	if s.info == nil {
		s.ids = ids // the first file: nothing to merge with
	} else {
		s.ids.merge(ids)
	}
	s.f, s.info, s.size, s.dirty, s.needNewline = f, info, size, false, needNewline
	s.dropped += dropped
	return nil
}

// read adds the IDs of f's lines to ids and returns the length of what is
// kept: all of f, or all but a torn last line of dropped bytes.
func (s *JSONL) read(f *os.File, ids *idSet) (size int64, needNewline bool, dropped int64, err error) {
	r := bufio.NewReaderSize(f, 64<<10)
	for n := 1; ; n++ {
		line, err := r.ReadBytes('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return 0, false, 0, fmt.Errorf("read submissions %q: %w", s.path, err)
		}
		if len(line) == 0 {
			return size, false, 0, nil
		}
		complete := line[len(line)-1] == '\n'
		var rec struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(line, &rec); err != nil {
			if complete {
				return 0, false, 0, fmt.Errorf("submissions %q line %d: %w", s.path, n, err)
			}
			return size, false, int64(len(line)), nil
		}
		ids.add(rec.ID)
		size += int64(len(line))
		if !complete {
			return size, true, 0, nil
		}
	}
}

// DroppedBytes reports how many bytes of torn last lines OpenJSONL cut off
// the file (and any file opened after the first was moved): 0 unless the
// last run crashed in the middle of a write. The bytes are not an
// acknowledged submission, but worth a warning in the log.
func (s *JSONL) DroppedBytes() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dropped
}

// Submit appends the submission and syncs the file. See wizard.Sink. After
// Close it fails with an error wrapping os.ErrClosed.
func (s *JSONL) Submit(ctx context.Context, sub wizard.Submission) error {
	line, err := json.Marshal(sub)
	if err != nil {
		return fmt.Errorf("encode submission %q: %w", sub.ID, err)
	}
	line = append(line, '\n')
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ids.has(sub.ID) {
		return fmt.Errorf("submission %q: %w", sub.ID, wizard.ErrAlreadySubmitted)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("submission %q: %w", sub.ID, err)
	}
	if s.f == nil {
		return fmt.Errorf("submission %q to %q: %w", sub.ID, s.path, os.ErrClosed)
	}
	if err := s.follow(); err != nil {
		return fmt.Errorf("submission %q: %w", sub.ID, err)
	}
	if s.dirty {
		if err := s.f.Truncate(s.size); err != nil {
			return fmt.Errorf("submission %q: cut a failed write off %q: %w", sub.ID, s.path, err)
		}
		s.dirty = false
	}
	if s.needNewline {
		line = append([]byte{'\n'}, line...)
	}
	_, err = s.f.Write(line)
	if err == nil {
		err = s.f.Sync()
	}
	if err != nil {
		// Cut off a partial line so the file stays one object per line;
		// if that fails too, the next Submit tries again before writing.
		s.dirty = s.f.Truncate(s.size) != nil
		return fmt.Errorf("write submission %q to %q: %w", sub.ID, s.path, err)
	}
	s.size += int64(len(line))
	s.needNewline = false
	s.ids.add(sub.ID)
	return nil
}

// follow reopens the path if it no longer names the open file (renamed or
// deleted, say by a log rotation), so that no submission is written to a
// file nobody will read.
func (s *JSONL) follow() error {
	info, err := os.Stat(s.path)
	if err == nil && os.SameFile(info, s.info) {
		return nil
	}
	return s.open()
}

// Submitted reports whether a submission with the ID was stored. See
// wizard.Sink. It answers after Close too.
func (s *JSONL) Submitted(ctx context.Context, id string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ids.has(id), nil
}

// Close closes the file, which releases its lock. A Submit in progress
// finishes first; later ones fail. Closing twice is a no-op.
func (s *JSONL) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f = nil
	if err != nil {
		return fmt.Errorf("close submissions %q: %w", s.path, err)
	}
	return nil
}
