package shop

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/soulseer/soulseer/internal/apperr"
)

// Address is where a physical order is shipped (SHOP-5).
type Address struct {
	Name       string `json:"name"`
	Line1      string `json:"line1"`
	Line2      string `json:"line2"`
	City       string `json:"city"`
	Region     string `json:"region"`
	PostalCode string `json:"postal_code"`
	Country    string `json:"country"` // ISO 3166-1 alpha-2, e.g. "US"
}

const maxAddressFieldLen = 100

// clean trims every field and puts the country in capitals, then checks
// the address, naming each faulty field as shipping_address.<field>.
func (a *Address) clean() error {
	fields := []struct {
		name     string
		v        *string
		required bool
		label    string
	}{
		{"name", &a.Name, true, "the recipient's name"},
		{"line1", &a.Line1, true, "the street address"},
		{"line2", &a.Line2, false, ""},
		{"city", &a.City, true, "the city"},
		{"region", &a.Region, false, ""},
		{"postal_code", &a.PostalCode, true, "the postal code"},
		{"country", &a.Country, true, "the country"},
	}
	errs := map[string]string{}
	for _, f := range fields {
		*f.v = strings.Join(strings.Fields(*f.v), " ")
		switch {
		case *f.v == "" && f.required:
			errs["shipping_address."+f.name] = "Enter " + f.label + "."
		case utf8.RuneCountInString(*f.v) > maxAddressFieldLen:
			errs["shipping_address."+f.name] = fmt.Sprintf("Keep this to %d characters.", maxAddressFieldLen)
		}
	}
	a.Country = strings.ToUpper(a.Country)
	if a.Country != "" && (len(a.Country) != 2 || strings.Trim(a.Country, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "") {
		errs["shipping_address.country"] = "Give the country as its two-letter code, e.g. US or GB."
	}
	return apperr.Validation(errs)
}

// Lines is the address as printed on a label.
func (a Address) Lines() []string {
	var out []string
	for _, l := range []string{a.Name, a.Line1, a.Line2, strings.TrimSpace(a.City + " " + a.Region + " " + a.PostalCode), a.Country} {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}
