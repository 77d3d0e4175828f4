package main

import (
	"io"
	"testing"
)

// TestSinkFlag: -sink (or WIZARD_SINK) chooses the sink, -submissions is a
// shorthand for a file, and giving both is an error.
func TestSinkFlag(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want string // "" for an error
	}{
		{"default", nil, nil, "file:submissions.jsonl"},
		{"file", []string{"-sink", "file:/tmp/s.jsonl"}, nil, "file:/tmp/s.jsonl"},
		{"postgres", []string{"-sink", "postgres://u@db:5432/wiz"}, nil, "postgres://u@db:5432/wiz"},
		{"environment", nil, map[string]string{"WIZARD_SINK": "postgresql://db/wiz"}, "postgresql://db/wiz"},
		{"flag over environment", []string{"-sink", "file:a"}, map[string]string{"WIZARD_SINK": "file:b"}, "file:a"},
		{"shorthand", []string{"-submissions", "x.jsonl"}, nil, "file:x.jsonl"},
		{"shorthand from the environment", nil, map[string]string{"WIZARD_SUBMISSIONS": "y.jsonl"}, "file:y.jsonl"},
		{"both", []string{"-sink", "file:a", "-submissions", "b"}, nil, ""},
		{"both, one from the environment", []string{"-submissions", "b"}, map[string]string{"WIZARD_SINK": "file:a"}, ""},
		{"unknown kind", []string{"-sink", "mysql://db"}, nil, ""},
		{"file without a path", []string{"-sink", "file:"}, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := parseFlags(tc.args, func(k string) string { return tc.env[k] }, io.Discard)
			switch {
			case tc.want == "" && err == nil:
				t.Errorf("sink %q, want an error", o.sink)
			case tc.want != "" && err != nil:
				t.Errorf("err = %v, want sink %q", err, tc.want)
			case tc.want != "" && o.sink != tc.want:
				t.Errorf("sink = %q, want %q", o.sink, tc.want)
			}
		})
	}
}
