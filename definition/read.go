package definition

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// reader walks the node tree of one file, collecting every mistake with
// its position, and remembers the node of every path it read so that the
// engine's problems, which carry paths, can be placed too.
type reader struct {
	file  string
	lent  *lent
	errs  Errors
	nodes map[string]*yaml.Node
	// paths maps the engine's paths that are not the file's to the
	// file's: a field's checks are the step's to the engine
	// (steps[0].checks[2] for steps[0].fields[1].checks[0]).
	paths map[string]string
}

// filePath returns the path in the file of a path of the engine's.
func (r *reader) filePath(p string) string {
	for engine, file := range r.paths {
		rest, ok := strings.CutPrefix(p, engine)
		if ok && (rest == "" || rest[0] == '.' || rest[0] == '[') {
			return file + rest
		}
	}
	return p
}

func (r *reader) errorf(n *yaml.Node, path, format string, args ...any) {
	line, col := 1, 1
	if n != nil && n.Line > 0 {
		line, col = n.Line, max(n.Column, 1)
	}
	r.errs = append(r.errs, Error{File: r.file, Line: line, Column: col, Path: path, Message: fmt.Sprintf(format, args...)})
}

// at returns the node read at path, or at the nearest enclosing path read.
func (r *reader) at(path string) *yaml.Node {
	for {
		if n := r.nodes[path]; n != nil {
			return n
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			return r.nodes[""]
		}
		path = path[:i]
	}
}

// join appends a key to a path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// object is a mapping read with a known set of keys.
type object struct {
	r    *reader
	path string
	n    *yaml.Node
	vals map[string]*yaml.Node
	// meant holds the known keys that unknown keys look like typos of:
	// such a key is not reported missing as well.
	meant map[string]bool
}

// object reads a mapping whose keys must be among keys: an unknown key, a
// repeated key or a value that is not a mapping is reported.
func (r *reader) object(n *yaml.Node, path string, keys []string) (object, bool) {
	o := object{r: r, path: path, n: n, vals: map[string]*yaml.Node{}, meant: map[string]bool{}}
	r.nodes[path] = n
	if !r.plain(n, path) {
		return o, false
	}
	if n.Kind != yaml.MappingNode {
		r.errorf(n, path, "want a mapping of keys to values, not %s", describe(n))
		return o, false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case k.Kind != yaml.ScalarNode:
			r.errorf(k, path, "a key must be a name, not %s", describe(k))
		case !slices.Contains(keys, k.Value):
			hint := ""
			if near := nearest(k.Value, keys); near != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", near)
				o.meant[near] = true
			}
			r.errorf(k, join(path, k.Value), "unknown key %q%s", k.Value, hint)
		case o.vals[k.Value] != nil:
			r.errorf(k, join(path, k.Value), "key %q given twice", k.Value)
		default:
			o.vals[k.Value] = v
			r.nodes[join(path, k.Value)] = v
		}
	}
	return o, true
}

// has reports whether the key is given.
func (o object) has(key string) bool { return o.vals[key] != nil }

// require reports the keys that are missing.
func (o object) require(keys ...string) bool {
	ok := true
	for _, k := range keys {
		if !o.has(k) && !o.meant[k] {
			o.r.errorf(o.n, join(o.path, k), "missing %q", k)
			ok = false
		}
	}
	return ok
}

// value returns the node, path and text of a key's scalar value; ok is
// false when the key is absent or its value is no scalar (reported).
func (o object) value(key string) (n *yaml.Node, path, text string, ok bool) {
	if n = o.vals[key]; n == nil {
		return nil, "", "", false
	}
	path = join(o.path, key)
	text, ok = o.r.scalar(n, path)
	return n, path, text, ok
}

// text reads a scalar as text ("" when absent). Numbers and booleans are
// taken as written; null and collections are mistakes.
func (o object) text(key string) string {
	_, _, s, _ := o.value(key)
	return s
}

// scalar reads a node as text.
func (r *reader) scalar(n *yaml.Node, path string) (string, bool) {
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		r.errorf(n, path, "want a value, not %s", describe(n))
		return "", false
	}
	return n.Value, true
}

// integer reads a whole number, 0 when absent.
func (o object) integer(key string) int {
	n, path, s, ok := o.value(key)
	if !ok {
		return 0
	}
	v, err := strconv.Atoi(s)
	if err != nil || n.Tag != "!!int" {
		o.r.errorf(n, path, "want a whole number, not %q", s)
	}
	return v
}

// number reads a finite number, nil when absent.
func (o object) number(key string) *float64 {
	n, path, s, ok := o.value(key)
	if !ok {
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) || n.Tag != "!!int" && n.Tag != "!!float" {
		o.r.errorf(n, path, "want a number, not %q", s)
		return nil
	}
	return &v
}

// boolean reads true or false, false when absent.
func (o object) boolean(key string) bool {
	n, path, s, ok := o.value(key)
	if !ok {
		return false
	}
	if n.Tag != "!!bool" {
		o.r.errorf(n, path, "want true or false, not %q", s)
		return false
	}
	return s == "true"
}

// list reads a sequence, calling item with each element's node and path.
func (o object) list(key string, item func(n *yaml.Node, path string)) {
	n := o.vals[key]
	if n == nil {
		return
	}
	o.r.list(n, join(o.path, key), item)
}

func (r *reader) list(n *yaml.Node, path string, item func(n *yaml.Node, path string)) {
	if !r.plain(n, path) {
		return
	}
	if n.Kind != yaml.SequenceNode {
		r.errorf(n, path, "want a list, not %s", describe(n))
		return
	}
	for i, c := range n.Content {
		p := fmt.Sprintf("%s[%d]", path, i)
		r.nodes[p] = c
		item(c, p)
	}
}

// texts reads a list of scalars.
func (o object) texts(key string) []string {
	out := []string{}
	o.list(key, func(n *yaml.Node, path string) {
		if s, ok := o.r.scalar(n, path); ok {
			out = append(out, s)
		}
	})
	return out
}

// plain reports an alias as a mistake: a definition spells out what it
// means, and expanding aliases of aliases could take any time.
func (r *reader) plain(n *yaml.Node, path string) bool {
	if n.Kind == yaml.AliasNode {
		r.errorf(n, path, "aliases (*name) are not supported: write the value out")
		return false
	}
	return true
}

// describe names a node's kind for messages.
func describe(n *yaml.Node) string {
	if n == nil {
		return "nothing"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	if n.Tag == "!!null" {
		return "an empty value"
	}
	return strconv.Quote(n.Value)
}

// nearest returns the known key nearest a misspelt one, or "" if none is
// near.
func nearest(key string, keys []string) string {
	best, dist := "", 3
	for _, k := range keys {
		if d := distance(key, k); d < dist {
			best, dist = k, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b, in bytes.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
