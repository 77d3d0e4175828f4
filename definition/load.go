package definition

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wizard/wizard"
)

// IsDefinition reports whether a file name is that of a definition file:
// it ends in .yaml, .yml or .json.
func IsDefinition(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

// Parse reads one definition. file names it in errors and gives the
// wizard its default name (its base name without the extension); a name
// ending in .json is read as JSON, any other as YAML. The wizard has passed
// Check. The error is an Errors holding every mistake found.
//
// Parse lends the file no field types, checks or views of a program: a
// file that names one is a mistake. Registry.Parse lends them.
func Parse(file string, data []byte) (*wizard.Wizard, error) {
	return (*Registry)(nil).Parse(file, data)
}

// LoadDir reads every definition file in dir (not its subdirectories), in
// the order of their names, which is the order of the list of wizards.
// Errors name the files as dir joined with their names. Either every file
// loads, or the error is an Errors holding every mistake of every file
// and no wizard is returned. Like Parse, it lends no field types, checks
// or views (see Registry.LoadDir).
func LoadDir(dir string) ([]*wizard.Wizard, error) {
	return (*Registry)(nil).LoadDir(dir)
}

// LoadFS is LoadDir for a directory of a file system, such as an embedded
// one; errors name the files by their paths in fsys.
func LoadFS(fsys fs.FS, dir string) ([]*wizard.Wizard, error) {
	return (*Registry)(nil).LoadFS(fsys, dir)
}

// load reads the definition files of dir in fsys, shown names them in
// errors, with what the program lent.
func load(fsys fs.FS, dir string, shown func(string) string, lent *lent) ([]*wizard.Wizard, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read definitions: %w", err)
	}
	var (
		ws    []*wizard.Wizard
		errs  Errors
		owner = map[string]string{} // wizard name -> file
	)
	for _, e := range entries {
		if e.IsDir() || !IsDefinition(e.Name()) {
			continue
		}
		file := shown(e.Name())
		data, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			errs = append(errs, Error{File: file, Line: 1, Column: 1, Message: fmt.Sprintf("cannot read: %v", errors.Unwrap(err))})
			continue
		}
		w, r := parse(file, data, lent)
		errs = append(errs, r.errs...)
		if w == nil {
			continue
		}
		if other, dup := owner[w.Name]; dup {
			r.errs = nil
			r.errorf(r.at("name"), "name", "wizard name %q is taken by %s", w.Name, other)
			errs = append(errs, r.errs...)
			continue
		}
		owner[w.Name] = file
		if len(r.errs) == 0 {
			ws = append(ws, w)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if len(ws) == 0 {
		return nil, fmt.Errorf("no definition files (*.yaml, *.yml, *.json) in %s", shown("."))
	}
	return ws, nil
}

// parse reads one definition; the reader holds its mistakes. The wizard
// is nil when the file is not a definition at all (not YAML or JSON, or
// not a mapping), and has mistakes when the reader has.
func parse(file string, data []byte, lent *lent) (*wizard.Wizard, *reader) {
	r := &reader{file: file, lent: lent, nodes: map[string]*yaml.Node{}, paths: map[string]string{}}
	root, err := document(file, data)
	if err != nil {
		r.syntax(err)
		return nil, r
	}
	if root == nil {
		r.errorf(nil, "", "empty file: a definition starts with \"version: %d\"", Version)
		return nil, r
	}
	name := strings.TrimSuffix(path.Base(filepath.ToSlash(file)), path.Ext(file))
	w := r.wizard(root, name)
	if w == nil {
		return nil, r
	}
	var ce *wizard.CheckError
	if err := w.Check(); errors.As(err, &ce) {
		own := r.errs[:len(r.errs):len(r.errs)]
		for _, p := range ce.Problems {
			path := r.filePath(p.Path)
			if !own.cover(path) {
				r.errorf(r.at(path), path, "%s", p.Message)
			}
		}
	} else if err != nil {
		r.errorf(nil, "", "%v", err)
	}
	r.errs.sort()
	return w, r
}

// cover reports whether one of the errors is at path p or around it: the
// engine's problems there follow from it (a step without a name has an
// invalid name too), so they are not repeated.
func (es Errors) cover(p string) bool {
	return slices.ContainsFunc(es, func(e Error) bool {
		return p == e.Path || strings.HasPrefix(p, e.Path+".") || strings.HasPrefix(p, e.Path+"[")
	})
}

// document parses a file's text into the node of its one document; nil
// when the file holds none.
func document(file string, data []byte) (*yaml.Node, error) {
	// A byte order mark, which some editors write, is no part of the
	// definition (the YAML parser skips it, JSON's does not).
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if strings.EqualFold(path.Ext(file), ".json") {
		doc, err := parseJSON(data)
		if err != nil {
			return nil, err
		}
		return doc.Content[0], nil
	}
	d := yaml.NewDecoder(strings.NewReader(string(data)))
	var doc yaml.Node
	if err := d.Decode(&doc); errors.Is(err, io.EOF) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var more yaml.Node
	if err := d.Decode(&more); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, err
		}
		return nil, &syntaxError{line: more.Line, column: more.Column, msg: "a file holds one wizard: remove the second document (---)"}
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

// yamlLine finds the line number in a YAML parser's message.
var yamlLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?`)

// parserError reports whether a YAML error message is one of libyaml's
// parser's (which yaml.v3 numbers from 0) rather than its scanner's.
func parserError(msg string) bool {
	return strings.HasPrefix(msg, "did not find expected") && msg != "did not find expected comment or line break"
}

// syntax reports a file that cannot be parsed, at the line the parser
// names (its first column when it names none).
func (r *reader) syntax(err error) {
	var se *syntaxError
	if errors.As(err, &se) {
		r.errs = append(r.errs, Error{File: r.file, Line: max(se.line, 1), Column: max(se.column, 1), Message: "syntax: " + se.msg})
		return
	}
	msg, line := err.Error(), 1
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		msg = msg[len(m[0]):]
		if n, convErr := strconv.Atoi(m[1]); convErr == nil {
			line = n
			if parserError(msg) {
				// yaml.v3 gives a parser error the line, counted from
				// 0, where the construct it was reading began.
				line++
				msg += " in what begins on this line"
			}
		}
	}
	if strings.HasPrefix(msg, "did not find expected ',' or") {
		// libyaml's plain scalars inside { } or [ ] end at more than
		// people expect ("Sure?," for one).
		msg += ` (in a value inside { } or [ ], put text holding ":", "#", "?" or "," in quotes)`
	}
	r.errs = append(r.errs, Error{File: r.file, Line: line, Column: 1, Message: "syntax: " + msg})
}
