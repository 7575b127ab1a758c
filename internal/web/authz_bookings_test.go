package web_test

import (
	"net/url"
	"testing"
	"time"
)

// freeTimeInQueryA is {freetimeq}: a time reader A is open for anyone to
// book, as {freetime}, escaped for a query string.
func freeTimeInQueryA(t *testing.T, m *authzWorld) {
	m.vals["freetimeq"] = url.QueryEscape(freeTimeOfA(t, m).Format(time.RFC3339))
}
