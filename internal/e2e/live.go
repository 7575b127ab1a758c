package e2e

import "github.com/soulseer/soulseer/internal/browsertest"

// WaitLive waits until the page's live connection (live.js, /api/v1/ws) is
// open, so events from now on reach it.
func (st *Story) WaitLive(tab *browsertest.Tab) {
	st.T.Helper()
	tab.WaitJS("the live connection to open", `document.body.classList.contains("is-live")`)
}
