package live

import (
	"context"
	"fmt"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/e2e"
)

func TestGiftTaps(t *testing.T) {
	e2e.EachEngine(t, testGiftTaps)
}

// testGiftTaps: LIV-5 in the browser. A viewer taps a gift twice at once:
// exactly one gift is sent and their wallet moves once, by its price. A
// viewer whose wallet is short of a gift taps it: they are told in place
// how much to add, with amounts to top up by, and nothing is charged;
// topping up brings them back to the stream, where the gift then goes.
// Pages are checked for accessibility at both widths.
func testGiftTaps(t *testing.T, e db.Engine) {
	ctx := context.Background()
	st, admin := liveStory(t, e)
	s, b := st.S, st.B
	_, stream := irisLive(t, st, admin, "Gifts night")
	cleo := e2e.CreateUser(t, s, "Cleo Marsh", "cleo@example.com", account.RoleClient)
	pat := e2e.CreateUser(t, s, "Pat Lowe", "pat@example.com", account.RoleClient)
	fund(t, st, admin, cleo, 2000)
	fund(t, st, admin, pat, 50)
	gifts, err := s.App.Live.Gifts(ctx, false)
	if err != nil || len(gifts) == 0 {
		t.Fatalf("the gift catalog: %v %v", gifts, err)
	}
	gift := gifts[0]
	if gift.PriceCents <= 50 {
		t.Fatalf("the cheapest gift costs %d cents; Pat's 50 would pay for it", gift.PriceCents)
	}
	path := fmt.Sprintf("/streams/%d", stream.ID)
	button := fmt.Sprintf(`button[data-gift-id="%d"]`, gift.ID)

	// A double tap sends one gift.
	cleoTab := b.NewTab("cleo")
	st.LogIn(cleoTab, cleo.Email, apptest.Password, "/dashboard")
	cleoTab.Visit(path)
	cleoTab.WaitJS("the stream connection to open", `document.getElementById("stream").classList.contains("is-live")`)
	cleoTab.WaitJS("a double tap", `(function () { var b = document.querySelector('`+button+`'); b.click(); b.click(); return true; })()`)
	cleoTab.WaitText("[data-gift-status]", "Iris Vale receives")
	cleoTab.WaitJS("the gift's animation", `document.getElementById("stream").dataset.giftsSeen === "1"`)
	st.CheckWallet(cleo.ID, 2000-gift.PriceCents)
	var sent int
	if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM stream_gifts WHERE stream_id = $1`, stream.ID).Scan(&sent); err != nil || sent != 1 {
		t.Fatalf("a double tap sent %d gifts (%v), want 1", sent, err)
	}

	// A short wallet: told how much to add, with a Top up link; nothing charged.
	patTab := b.NewTab("pat")
	st.LogIn(patTab, pat.Email, apptest.Password, "/dashboard")
	patTab.Visit(path)
	patTab.WaitJS("the stream connection to open", `document.getElementById("stream").classList.contains("is-live")`)
	patTab.ExpectConsoleError("status of 402")
	patTab.Click(button)
	patTab.WaitVisible("[data-gift-error]")
	patTab.WaitText("[data-gift-problem]", "add "+e2e.Money(gift.PriceCents-50))
	patTab.WaitVisible(`[data-gift-error] form[data-topup] button.preset`)
	patTab.CheckAccessibility()
	st.CheckWallet(pat.ID, 50)
	if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM stream_gifts WHERE stream_id = $1`, stream.ID).Scan(&sent); err != nil || sent != 1 {
		t.Fatalf("%d gifts after the short wallet's tap (%v), want 1", sent, err)
	}

	// Topping up in place comes back to the stream, where the gift goes.
	st.PayTestCheckout(patTab, `[data-topup] button.preset[value="$10.00"]`, 10_00, path, false)
	patTab.WaitJS("the stream connection to open", `document.getElementById("stream").classList.contains("is-live")`)
	patTab.Click(button)
	patTab.WaitText("[data-gift-status]", "Iris Vale receives")
	st.CheckWallet(pat.ID, 50+10_00-gift.PriceCents)
}
