package crashtest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
)

// enrolTwoFactor turns on two-factor sign-in for the signed-in client
// through the API, as an admin must before using admin routes and a reader
// before changing payout settings (ACC-7). The client's session goes on
// working; it survives restarts, so the test need not log in again.
func enrolTwoFactor(t *testing.T, base string, c *Client) {
	t.Helper()
	st, b := c.Do("POST", base+"/api/v1/me/2fa/enroll", nil)
	var e struct {
		Secret string `json:"secret"`
	}
	if st != 200 || json.Unmarshal(b, &e) != nil || e.Secret == "" {
		t.Fatalf("enrol two-factor: %d %s", st, b)
	}
	code, err := account.TOTPCode(e.Secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	mustStatus(t, 200, func() (int, []byte) {
		return c.Do("POST", base+"/api/v1/me/2fa/confirm", map[string]string{"code": code})
	})
}
