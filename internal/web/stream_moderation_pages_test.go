package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/live"
)

// LIV-2, LIV-7, LIV-8: moderating a stream from the pages. Luna's go-live
// page lists her moderators and appoints one by email, refusing a blank
// email, an unknown one and her own beside the field; Cleo, appointed,
// sees the moderation panel on the stream's page — who is watching, who
// is muted (until when) or banned — and a muted viewer's page says until
// when they are muted; a banned viewer's page says they are banned.
// Removed, Cleo no longer sees the panel. An admin's stream page, and the
// Live now strip of the home page and the directory, offer to end the
// stream; ending it is audited as stream.end and the stream's page says
// it ended.
func TestStreamModerationPages_LIV8(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, apptest.Start(t, e, roomyLimits()))
			luna, cleo, admin := w.as["reader"], w.as["client"], w.as["admin"]
			viewer := bearer(t, w.s, w.s.CreateUser("vic@example.com", account.RoleClient))
			bo := w.s.CreateUser("bo@example.com", account.RoleClient)
			st, err := w.s.App.Live.Start(ctx, w.reader, liveInput("Moon talk", "public"))
			if err != nil {
				t.Fatal(err)
			}
			path := "/streams/" + id(st.ID)
			pageWants(t, luna, "/reader/live", http.StatusOK, "Your moderators", "No moderators yet", "data-moderation-panel", "Muted and banned")
			formWants(t, luna, "/reader/live/moderators", url.Values{"email": {""}}, http.StatusBadRequest, "Write the email of the person to appoint.")
			formWants(t, luna, "/reader/live/moderators", url.Values{"email": {"nobody@example.com"}}, http.StatusBadRequest,
				"Nobody here has the email nobody@example.com.", `value="nobody@example.com"`)
			formWants(t, luna, "/reader/live/moderators", url.Values{"email": {"luna@example.com"}}, http.StatusBadRequest, "You moderate your own streams already.")
			pageWants(t, cleo, path+"/moderation", http.StatusForbidden)
			if strings.Contains(pageWants(t, cleo, path, http.StatusOK), "data-moderation-panel") {
				t.Error("a viewer who does not moderate sees the moderation panel")
			}
			formWants(t, luna, "/reader/live/moderators", url.Values{"email": {"cleo@example.com"}}, http.StatusSeeOther)
			pageWants(t, luna, "/reader/live", http.StatusOK, `data-moderator="`+id(w.client.ID)+`"`, "Remove cleo as a moderator")

			// Cleo moderates: the panel lists the viewers, and the muted and banned.
			release := w.s.App.Live.Watching(st.ID, bo.ID)
			defer release()
			if err := w.s.App.Live.SyncViewers(ctx); err != nil {
				t.Fatal(err)
			}
			pageWants(t, cleo, path, http.StatusOK, "data-moderation-panel", `data-moderates="true"`, `data-viewer="`+id(bo.ID)+`"`, "Nobody is muted or banned.")
			vic := pageWants(t, viewer, path, http.StatusOK)
			if !strings.Contains(vic, "data-muted-note hidden") {
				t.Error("a viewer not muted is told they are muted")
			}
			mod := w.s.App.Live
			if err := mod.Moderate(ctx, w.client, st.ID, live.ModerationInput{Action: live.ActMute, UserID: bo.ID, Minutes: 10}); err != nil {
				t.Fatal(err)
			}
			if err := mod.Moderate(ctx, w.client, st.ID, live.ModerationInput{Action: live.ActBan, UserID: w.s.CreateUser("al@example.com", account.RoleClient).ID}); err != nil {
				t.Fatal(err)
			}
			pageWants(t, cleo, path+"/moderation", http.StatusOK, "bo", "muted until", "Unmute bo", "al", "banned", "Unban al")
			asBo := bearer(t, w.s, bo)
			if body := pageWants(t, asBo, path, http.StatusOK, "You are muted until <time data-muted-until>"); strings.Contains(body, "data-muted-note hidden") {
				t.Error("the muted viewer is not told they are muted")
			}
			al, err := w.s.App.Accounts.GetByEmail(ctx, "al@example.com")
			if err != nil {
				t.Fatal(err)
			}
			pageWants(t, bearer(t, w.s, al), path, http.StatusForbidden, "You have been banned from Luna Vale&#39;s streams.")

			formWants(t, luna, "/reader/live/moderators/"+id(w.client.ID)+"/remove", nil, http.StatusSeeOther)
			pageWants(t, cleo, path+"/moderation", http.StatusForbidden)
			pageWants(t, luna, "/reader/live", http.StatusOK, "No moderators yet")

			// LIV-2: an admin ends the stream from its page, audited.
			if strings.Contains(pageWants(t, viewer, path, http.StatusOK), "End this stream") {
				t.Error("a viewer is offered to end the stream")
			}
			for _, p := range []string{"/", "/readers"} {
				pageWants(t, admin, p, http.StatusOK, `action="`+path+`/end"`, "End stream: Moon talk")
				if strings.Contains(pageWants(t, viewer, p, http.StatusOK, "Moon talk"), path+"/end") {
					t.Errorf("a viewer is offered to end the stream on %s", p)
				}
			}
			pageWants(t, admin, path, http.StatusOK, "End this stream")
			formWants(t, admin, path+"/end", nil, http.StatusSeeOther)
			pageWants(t, viewer, path, http.StatusOK, "This stream has ended.")
			var n int
			if err := w.s.App.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'stream.end' AND actor_id = $1`, w.admin.ID).Scan(&n); err != nil || n != 1 {
				t.Errorf("the admin's end was audited %d times (%v), want 1", n, err)
			}
			formWants(t, admin, path+"/end", nil, http.StatusConflict)
		})
	}
}

// pageWants GETs path as c, failing the test unless it answers status
// with a body holding each of wants; it returns the body.
func pageWants(t *testing.T, c *apptest.Client, path string, status int, wants ...string) string {
	t.Helper()
	res := c.Do("GET", path, nil)
	body := string(res.Body)
	if res.Status != status {
		t.Fatalf("GET %s: %d, want %d: %.600s", path, res.Status, status, body)
	}
	for _, want := range wants {
		if !strings.Contains(body, want) {
			t.Errorf("GET %s lacks %q", path, want)
		}
	}
	return body
}

// formWants POSTs the form v to path as c, failing the test unless it
// answers status with a body holding each of wants.
func formWants(t *testing.T, c *apptest.Client, path string, v url.Values, status int, wants ...string) {
	t.Helper()
	res := c.Form(path, v)
	if res.Status != status {
		t.Fatalf("POST %s: %d, want %d: %.600s", path, res.Status, status, res.Body)
	}
	for _, want := range wants {
		if !strings.Contains(string(res.Body), want) {
			t.Errorf("POST %s lacks %q", path, want)
		}
	}
}
