package definition

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Error is one mistake in a definition file, where it is and what is wrong.
type Error struct {
	File string
	// Line and Column are 1-based; every Error has them.
	Line, Column int
	// Path locates the value in the definition, e.g. "steps[1].next[0].goto";
	// "" for the file as a whole.
	Path    string
	Message string
}

// Error returns "FILE:LINE:COLUMN: path: message".
func (e Error) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Message)
	}
	return fmt.Sprintf("%s:%d:%d: %s: %s", e.File, e.Line, e.Column, e.Path, e.Message)
}

// Errors is every mistake found in one load, in file and position order.
type Errors []Error

// Error returns one mistake per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// sort orders the errors by file, line and column, keeping the order in
// which mistakes at one place were found.
func (es Errors) sort() {
	slices.SortStableFunc(es, func(a, b Error) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
}
