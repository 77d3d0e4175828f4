package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
)

// Members is the club's register of members, as far as the join wizard
// needs it: in a real site, a table of its database.
type Members interface {
	// Taken reports whether a member already has the username (letter
	// case does not matter). It gives up when ctx ends.
	Taken(ctx context.Context, username string) (bool, error)
	// Add records a new member under the username.
	Add(ctx context.Context, username string) error
}

// memberMap is Members in memory, standing in for the database. It is
// safe for concurrent use.
type memberMap struct {
	mu    sync.Mutex
	names map[string]bool
}

// newMemberMap returns a register holding the usernames.
func newMemberMap(usernames ...string) *memberMap {
	m := &memberMap{names: map[string]bool{}}
	for _, u := range usernames {
		m.names[strings.ToLower(u)] = true
	}
	return m
}

// Taken implements Members.
func (m *memberMap) Taken(ctx context.Context, username string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("look up username %q: %w", username, err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.names[strings.ToLower(username)], nil
}

// Add implements Members.
func (m *memberMap) Add(ctx context.Context, username string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("add member %q: %w", username, err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.names[strings.ToLower(username)] = true
	return nil
}
