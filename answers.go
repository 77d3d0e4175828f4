package wizard

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// Values holds the answers to one step: field name -> values. Single-valued
// fields hold one value; checkboxes hold one per ticked box.
type Values map[string][]string

// Get returns the field's first value, or "".
func (v Values) Get(field string) string {
	if vs := v[field]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// Answers holds one user's saved answers to one wizard: step name -> values.
// A step is present once it has been answered validly, even if all of its
// fields were optional and left empty. Answers are stored as entered
// (trimmed); whether they still apply is decided by the journey.
type Answers map[string]Values

// Answered reports whether the step has saved answers.
func (a Answers) Answered(step string) bool {
	_, ok := a[step]
	return ok
}

// Get returns the first value of step.field, or "".
func (a Answers) Get(step, field string) string { return a[step].Get(field) }

// Has reports whether value is among the saved values of step.field.
func (a Answers) Has(step, field, value string) bool {
	for _, v := range a[step][field] {
		if v == value {
			return true
		}
	}
	return false
}

// With returns a copy of a in which step's answers are replaced by v.
func (a Answers) With(step string, v Values) Answers {
	b := a.clone()
	b[step] = v
	return b
}

// clone returns a shallow copy: a new map sharing the steps' Values.
func (a Answers) clone() Answers {
	b := make(Answers, len(a)+1)
	for k, vs := range a {
		b[k] = vs
	}
	return b
}

// Encode returns a compact text form of the answers, the inverse of
// ParseAnswers: URL-encoded pairs "step.field=value", plus "step=" for an
// answered step without any value, so that it survives too. Every session
// holds this, so it spends no bytes it does not need.
func (a Answers) Encode() string {
	// The bytes of url.Values.Encode (keys in order, each value escaped),
	// without building a url.Values: the keys are written into one string
	// and the pairs sorted by them.
	type pair struct {
		start, end int      // of the key in keys
		vs         []string // nil for an answered step without values
	}
	n, size := 0, 0
	for step, vals := range a {
		n++
		size += len(step)
		for field, vs := range vals {
			if len(vs) > 0 {
				n++
				size += len(step) + 1 + len(field)
			}
		}
	}
	pairs := make([]pair, 0, n)
	var keys strings.Builder
	keys.Grow(size)
	for step, vals := range a {
		valued := false
		for field, vs := range vals {
			if len(vs) == 0 {
				continue
			}
			valued = true
			p := pair{start: keys.Len(), vs: vs}
			keys.WriteString(step)
			keys.WriteByte('.')
			keys.WriteString(field)
			p.end = keys.Len()
			pairs = append(pairs, p)
		}
		if !valued {
			p := pair{start: keys.Len()}
			keys.WriteString(step)
			p.end = keys.Len()
			pairs = append(pairs, p)
		}
	}
	all := keys.String()
	key := func(p pair) string { return all[p.start:p.end] }
	slices.SortFunc(pairs, func(p, q pair) int { return strings.Compare(key(p), key(q)) })
	var b strings.Builder
	b.Grow(size + 8*len(pairs))
	for _, p := range pairs {
		k := url.QueryEscape(key(p))
		if p.vs == nil {
			writePair(&b, k, "")
		}
		for _, v := range p.vs {
			writePair(&b, k, url.QueryEscape(v))
		}
	}
	return b.String()
}

// writePair writes an escaped key and value to a query being built.
func writePair(b *strings.Builder, k, v string) {
	if b.Len() > 0 {
		b.WriteByte('&')
	}
	b.WriteString(k)
	b.WriteByte('=')
	b.WriteString(v)
}

// ParseAnswers decodes the output of Encode. The empty string is no answers.
// It reads the query syntax url.ParseQuery reads, with the same errors,
// without building a url.Values first: it runs on every request. The
// fields' first values share one allocation.
func ParseAnswers(s string) (Answers, error) {
	a := Answers{}
	var firsts []string
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if strings.Contains(pair, ";") {
			return nil, fmt.Errorf("parse answers: semicolon in %q", pair)
		}
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k, err := unescape(k)
		if err != nil {
			return nil, fmt.Errorf("parse answers: %w", err)
		}
		if v, err = unescape(v); err != nil {
			return nil, fmt.Errorf("parse answers: %w", err)
		}
		step, field, isField := strings.Cut(k, ".")
		vals := a[step]
		if vals == nil {
			vals = Values{}
			a[step] = vals
		}
		switch {
		case !isField:
		case vals[field] == nil:
			if firsts == nil {
				firsts = make([]string, 0, strings.Count(s, "&")+2) // this pair and the rest
			}
			// A slice of its own capacity: a second value copies it.
			firsts = append(firsts, v)
			vals[field] = firsts[len(firsts)-1 : len(firsts) : len(firsts)]
		default:
			vals[field] = append(vals[field], v)
		}
	}
	return a, nil
}

// unescape decodes one key or value of a query, sparing the call (and the
// copy) when there is nothing to decode.
func unescape(s string) (string, error) {
	if !strings.ContainsAny(s, "%+") {
		return s, nil
	}
	return url.QueryUnescape(s)
}
