package definition

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wizard/wizard"
)

// Registry is what a Go program lends its definition files: its own field
// types, checks and step views, which a file names but cannot define,
// since they are code. A field's kind names a type by its Name, a step's
// or field's checks name checks by their keys in Checks, and a step's
// view names one of Views:
//
//	version: 1
//	title: Apply
//	steps:
//	  - name: address
//	    title: Your address
//	    view: address-card             # one of Views
//	    checks: [deliverable]          # the step's: a key of Checks
//	    fields:
//	      - {name: postcode, kind: postcode, label: Postcode}   # a Type's Name
//	      - {name: email, label: Email, checks: [email-free]}   # about the field
//
// A name the registry lacks is a mistake of the file, reported with its
// position like any other. The package's Parse, LoadDir and LoadFS use an
// empty registry, with which every such name is a mistake; so does a nil
// *Registry.
type Registry struct {
	// Types are the program's field types. A field whose kind is a
	// type's Name gets Kind wizard.Custom and that Type. The format's own
	// kinds (text, date...) win over a type of the same name, and no
	// file may write kind "custom".
	Types []*wizard.FieldType
	// Checks are the program's checks by name. A step's checks: [NAME]
	// adds wizard.Check{Name: NAME, Func: Checks[NAME]} to the step; a
	// field's checks add the same with Field set to the field's name.
	Checks map[string]wizard.CheckFunc
	// Views name the step components the program registered with its
	// views: a step's view must be one of them (see wizard.Step.View).
	Views []string
}

// Parse reads one definition as the package's Parse does, with the
// registry's types, checks and views. The error is an Errors holding every
// mistake of the file, or, when the registry itself is wrong (a nil type,
// two types of one name), an error saying so.
func (reg *Registry) Parse(file string, data []byte) (*wizard.Wizard, error) {
	lent, err := reg.lent()
	if err != nil {
		return nil, err
	}
	w, r := parse(file, data, lent)
	if len(r.errs) > 0 {
		return nil, r.errs
	}
	return w, nil
}

// LoadDir reads every definition file in dir as the package's LoadDir
// does, with the registry's types, checks and views.
func (reg *Registry) LoadDir(dir string) ([]*wizard.Wizard, error) {
	lent, err := reg.lent()
	if err != nil {
		return nil, err
	}
	return load(os.DirFS(dir), ".", func(name string) string { return filepath.Join(dir, name) }, lent)
}

// LoadFS reads every definition file in the directory dir of fsys as the
// package's LoadFS does, with the registry's types, checks and views.
func (reg *Registry) LoadFS(fsys fs.FS, dir string) ([]*wizard.Wizard, error) {
	lent, err := reg.lent()
	if err != nil {
		return nil, err
	}
	return load(fsys, dir, func(name string) string { return path.Join(dir, name) }, lent)
}

// lent is a registry indexed for the reader: its types by name, and the
// sorted names of each sort for messages.
type lent struct {
	types                 map[string]*wizard.FieldType
	checks                map[string]wizard.CheckFunc
	views                 map[string]bool
	typeNames, checkNames []string
	viewNames             []string
}

// lent indexes the registry; a nil registry lends nothing.
func (reg *Registry) lent() (*lent, error) {
	l := &lent{types: map[string]*wizard.FieldType{}, checks: map[string]wizard.CheckFunc{}, views: map[string]bool{}}
	if reg == nil {
		return l, nil
	}
	for i, t := range reg.Types {
		switch {
		case t == nil:
			return nil, fmt.Errorf("definition registry: field type %d is nil", i)
		case l.types[t.Name] != nil:
			return nil, fmt.Errorf("definition registry: two field types named %q", t.Name)
		}
		l.types[t.Name] = t
		l.typeNames = append(l.typeNames, t.Name)
	}
	for name, f := range reg.Checks {
		l.checks[name] = f
		l.checkNames = append(l.checkNames, name)
	}
	for _, v := range reg.Views {
		if !l.views[v] {
			l.views[v] = true
			l.viewNames = append(l.viewNames, v)
		}
	}
	slices.Sort(l.typeNames)
	slices.Sort(l.checkNames)
	slices.Sort(l.viewNames)
	return l, nil
}

// notRegistered says that name is not among the names of a sort ("check",
// "view") the program registered, suggesting the nearest.
func notRegistered(sort, name string, names []string) string {
	if len(names) == 0 {
		return fmt.Sprintf("%s %q is not registered by the program, which registers no %ss", sort, name, sort)
	}
	return fmt.Sprintf("%s %q%s is not registered by the program, which registers %s", sort, name, didYouMean(name, names), andList(names))
}

// didYouMean returns ` (did you mean "NAME"?)` for the name nearest a
// misspelt one, or "" if none is near.
func didYouMean(name string, names []string) string {
	if near := nearest(name, names); near != "" {
		return fmt.Sprintf(" (did you mean %q?)", near)
	}
	return ""
}

// andList joins names as "a", "a and b", "a, b and c".
func andList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
