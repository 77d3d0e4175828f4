// Package definition loads wizards from definition files, so that people
// who do not write Go can define their own: one wizard per YAML (.yaml,
// .yml) or JSON (.json) file, in the format of docs/definitions.md, with a
// JSON Schema in schema/ for editors.
//
// A definition is data, not code, and it is checked before it serves
// anyone: unknown keys, wrong types, missing values and every mistake the
// engine's Check finds (routes to nothing or backwards, conditions on
// fields not asked yet or of the wrong kind, templates naming nothing) are
// all reported in one run, each as FILE:LINE:COLUMN: path: what is wrong.
// A file with any mistake yields no wizard; LoadDir yields none at all
// while any file has one, so a server never starts, or reloads, on half a
// definition.
//
// A file may also name what only Go can be: a field type (a postcode, a
// date asked in three boxes), a check over a step's answers ("this email
// address is already registered") and a component that draws a step. The
// Go program lends them with a Registry, whose Parse, LoadDir and LoadFS
// read files that name them; the package's own functions lend none, so a
// file read by them, or by the wizard server alone, must name none.
package definition
