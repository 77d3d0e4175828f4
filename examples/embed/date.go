package main

import (
	"strconv"
	"time"

	"github.com/wizard/wizard"
)

// earliestYear is the first year a date of the site may be in: older
// dates are typing mistakes ("190" for "1990").
const earliestYear = 1900

// dateType is a date asked as day, month and year in three inputs (the
// GOV.UK pattern), saved as YYYY-MM-DD so that reviews, submissions and
// checks see one sortable answer. Its inputs are drawn by DateInput,
// registered under the type's name.
func dateType() *wizard.FieldType {
	return &wizard.FieldType{
		Name:  "date-parts",
		Parts: []string{"day", "month", "year"},
		Parse: parseDate,
		Split: splitDate,
	}
}

// parseDate reads a day, month and year (at least one given) as a real
// date, or says what to correct: 31 February is not a date.
func parseDate(vs []string) (answer, message string) {
	d, errD := strconv.Atoi(vs[0])
	m, errM := strconv.Atoi(vs[1])
	y, errY := strconv.Atoi(vs[2])
	switch {
	case vs[0] == "" || vs[1] == "" || vs[2] == "":
		return "", "Enter a day, a month and a year"
	case errD != nil || errM != nil || errY != nil:
		return "", "Enter the date in numbers, for example 27 3 1990"
	case len(vs[2]) != 4 || y < earliestYear:
		return "", "Enter the year as 4 digits, for example 1990"
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if m < 1 || m > 12 || d < 1 || t.Day() != d {
		return "", "Enter a real date"
	}
	return t.Format(time.DateOnly), ""
}

// splitDate gives a saved date back as its day, month and year, as a
// person types them (no leading zeros); nil for what is not a date.
func splitDate(answer string) []string {
	t, err := time.Parse(time.DateOnly, answer)
	if err != nil {
		return nil
	}
	return []string{strconv.Itoa(t.Day()), strconv.Itoa(int(t.Month())), strconv.Itoa(t.Year())}
}
