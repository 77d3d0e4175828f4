package sinks

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/wizard/wizard"
)

// ReadJSONL returns the submissions of a file that JSONL writes, in file
// order, without locking it: a running server may be appending to it.
//
// What a reader can meet mid-append is a last line with no newline yet. If
// it does not parse it is skipped, as OpenJSONL would cut it off; if it
// parses it is a whole submission (a JSON object has no valid prefix but
// itself) and is returned. A bad line that ends in a newline, anywhere, is
// an error naming its line number: it is not a write in progress.
func ReadJSONL(path string) ([]wizard.Submission, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open submissions: %w", err)
	}
	defer f.Close()
	var subs []wizard.Submission
	r := bufio.NewReaderSize(f, 64<<10)
	for n := 1; ; n++ {
		line, err := r.ReadBytes('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("read submissions %q: %w", path, err)
		}
		if len(line) == 0 {
			return subs, nil
		}
		complete := line[len(line)-1] == '\n'
		var s wizard.Submission
		if err := json.Unmarshal(line, &s); err != nil {
			if complete {
				return nil, fmt.Errorf("submissions %q line %d: %w", path, n, err)
			}
			return subs, nil
		}
		subs = append(subs, s)
		if !complete {
			return subs, nil
		}
	}
}
