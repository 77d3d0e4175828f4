// Package sinks holds wizard.Sink implementations.
package sinks

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"

	"github.com/wizard/wizard"
)

// JSONL appends each submission as one JSON object per line to a file,
// synced to disk before Submit returns. It remembers the IDs in the file, so
// a submission whose ID is already there is not written again. One JSONL
// value must own its file: two processes appending to one file could each
// write the same ID once.
type JSONL struct {
	path string
	mu   sync.Mutex
	seen map[string]bool
}

// OpenJSONL prepares a sink appending to path, reading the IDs already in
// the file (it need not exist yet).
func OpenJSONL(path string) (*JSONL, error) {
	s := &JSONL{path: path, seen: map[string]bool{}}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open submissions %q: %w", path, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for line := 1; sc.Scan(); line++ {
		var rec struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return nil, fmt.Errorf("submissions %q line %d: %w", path, line, err)
		}
		s.seen[rec.ID] = true
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read submissions %q: %w", path, err)
	}
	return s, nil
}

// Submit appends the submission and syncs the file. See wizard.Sink.
func (s *JSONL) Submit(ctx context.Context, sub wizard.Submission) error {
	line, err := json.Marshal(sub)
	if err != nil {
		return fmt.Errorf("encode submission %q: %w", sub.ID, err)
	}
	line = append(line, '\n')
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen[sub.ID] {
		return fmt.Errorf("submission %q: %w", sub.ID, wizard.ErrAlreadySubmitted)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("submission %q: %w", sub.ID, err)
	}
	f, err := os.OpenFile(s.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open submissions %q: %w", s.path, err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("stat submissions %q: %w", s.path, err)
	}
	_, err = f.Write(line)
	if err == nil {
		err = f.Sync()
	}
	if err != nil {
		// Cut off a partial line so the file stays one object per line.
		f.Truncate(info.Size())
		f.Close()
		return fmt.Errorf("write submission %q to %q: %w", sub.ID, s.path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close submissions %q: %w", s.path, err)
	}
	s.seen[sub.ID] = true
	return nil
}

// Submitted reports whether a submission with the ID was stored. See
// wizard.Sink.
func (s *JSONL) Submitted(ctx context.Context, id string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seen[id], nil
}
