package definition

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"
)

// parseJSON reads a JSON document into the node tree the YAML parser
// gives, with the line and column of every value, so that one reader
// serves both formats. (YAML parsers take most JSON, but not all of it:
// yaml.v3 refuses the escape "\/", for one.)
func parseJSON(data []byte) (*yaml.Node, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	p := jsonParser{d: d, data: data}
	n, err := p.value()
	if err != nil {
		return nil, err
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		line, col := p.position(p.start())
		return nil, &syntaxError{line, col, "unexpected data after the top-level value"}
	}
	return &yaml.Node{Kind: yaml.DocumentNode, Line: 1, Column: 1, Content: []*yaml.Node{n}}, nil
}

// syntaxError is a JSON syntax error at a position.
type syntaxError struct {
	line, column int
	msg          string
}

func (e *syntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

type jsonParser struct {
	d    *json.Decoder
	data []byte
}

// start is the offset of the next token: past the whitespace, commas and
// colons that follow the last one.
func (p *jsonParser) start() int {
	off := int(p.d.InputOffset())
	for off < len(p.data) && strings.IndexByte(" \t\r\n,:", p.data[off]) >= 0 {
		off++
	}
	return off
}

// position returns the 1-based line and column (in bytes) of an offset.
func (p *jsonParser) position(off int) (int, int) {
	off = min(off, len(p.data))
	before := p.data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	return line, off - bytes.LastIndexByte(before, '\n')
}

func (p *jsonParser) fail(off int, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = int(se.Offset)
	}
	line, col := p.position(off)
	msg := err.Error()
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		msg = "unexpected end of file"
	}
	return &syntaxError{line, col, msg}
}

// value reads one JSON value.
func (p *jsonParser) value() (*yaml.Node, error) {
	off := p.start()
	tok, err := p.d.Token()
	if err != nil {
		return nil, p.fail(off, err)
	}
	line, col := p.position(off)
	n := &yaml.Node{Line: line, Column: col}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			n.Kind, n.Tag = yaml.MappingNode, "!!map"
		} else {
			n.Kind, n.Tag = yaml.SequenceNode, "!!seq"
		}
		for p.d.More() {
			if n.Kind == yaml.MappingNode {
				k, err := p.value()
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, k)
			}
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, v)
		}
		end := p.start()
		if _, err := p.d.Token(); err != nil { // the closing delimiter
			return nil, p.fail(end, err)
		}
		return n, nil
	case string:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!str", t
	case json.Number:
		n.Kind, n.Value = yaml.ScalarNode, t.String()
		n.Tag = "!!int"
		if strings.ContainsAny(n.Value, ".eE") {
			n.Tag = "!!float"
		}
	case bool:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!bool", fmt.Sprint(t)
	case nil:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!null", "null"
	}
	return n, nil
}
