package web

// headerChips is what the header's money chips show, placed by Class
// (phone-only in the top bar, wide-only in the navigation).
type headerChips struct {
	Page
	Class string
}

// HeaderChips is the header's money for the signed-in user: a client's
// wallet balance; a reader's earnings, and their wallet only when it is not
// empty, so a reader never sees a $0.00 balance beside what they earned.
func (p Page) HeaderChips(class string) headerChips { return headerChips{Page: p, Class: class} }
