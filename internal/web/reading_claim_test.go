package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/reading"
	"github.com/soulseer/soulseer/internal/web/api"
)

// OD-14: the summary's satisfaction claim form files a claim only with a
// reason from the short list and its confirmation ticked. A form with
// errors comes back (400) unfolded, with each error beside its field and
// what was typed kept, and files nothing. The API takes the same reasons
// and refuses others field by field.
func TestClaimForm(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := readingWorld(t, s, 1000)
		cl, rdr := w.as["client"], w.as["reader"]
		res := cl.Do("POST", "/api/v1/readings", map[string]any{"reader_id": w.reader.ID, "modality": "text"})
		var r readingJSON
		res.JSON(t, &r)
		api := "/api/v1/readings/" + id(r.ID)
		if res := rdr.Do("POST", api+"/accept", nil); res.Status != http.StatusOK {
			t.Fatalf("accept: %d %s", res.Status, res.Body)
		}
		if res := cl.Do("POST", api+"/end", nil); res.Status != http.StatusOK {
			t.Fatalf("end: %d %s", res.Status, res.Body)
		}
		page := "/readings/" + id(r.ID)

		for _, c := range []struct {
			form    url.Values
			field   string
			message string
			kept    string
		}{
			{url.Values{"reason": {"technical"}, "details": {"The chat froze."}}, "confirm", "Tick the box to send the claim.", "The chat froze."},
			{url.Values{"reason": {"Not satisfied"}, "confirm": {"yes"}}, "reason", "Choose one of the reasons.", ""},
			{url.Values{"details": {"No reason chosen"}, "confirm": {"yes"}}, "reason", "Choose one of the reasons.", "No reason chosen"},
			{url.Values{"reason": {"other"}, "details": {strings.Repeat("x", reading.MaxNoteLen+1)}, "confirm": {"yes"}}, "details", "Use at most 4000 characters.", ""},
		} {
			res := cl.Form(page+"/claim", c.form)
			body := string(res.Body)
			if res.Status != http.StatusBadRequest || !strings.Contains(body, `<p class="field-error" role="alert">`+c.message+`</p>`) ||
				!strings.Contains(body, `data-claim open>`) || !strings.Contains(body, `>`+c.kept+`</textarea>`) {
				t.Errorf("claim with an error on %s: %d, want 400 with %q beside an unfolded form keeping %q:\n%.3000s", c.field, res.Status, c.message, c.kept, body)
			}
			if reason := c.form.Get("reason"); reason == "technical" && !strings.Contains(body, `<option value="technical" selected>`) {
				t.Errorf("claim with an error on %s: the chosen reason is not kept", c.field)
			}
		}
		if status, err := s.App.Readings.ClaimOf(ctx, r.ID); err != nil || status != "" {
			t.Fatalf("a refused form filed a claim: %q %v", status, err)
		}

		for _, bad := range []map[string]any{{"reason": "Not satisfied"}, {"details": "no reason"}, {"reason": "other", "details": strings.Repeat("x", reading.MaxNoteLen+1)}} {
			field := "reason"
			if bad["reason"] == "other" {
				field = "details"
			}
			p := problemOf(t, cl.Do("POST", api+"/claim", bad), http.StatusBadRequest)
			if p.Errors[field] == "" {
				t.Errorf("API claim %v: errors %v do not name %s", bad, p.Errors, field)
			}
		}

		res = cl.Form(page+"/claim", url.Values{"reason": {"technical"}, "details": {"The chat froze twice."}, "confirm": {"yes"}})
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != page {
			t.Fatalf("claim: %d to %q, want 303 back to the summary", res.Status, res.Header.Get("Location"))
		}
		claims, err := s.App.Readings.Claims(ctx, "pending")
		if err != nil || len(claims) != 1 || claims[0].ReadingID != r.ID || claims[0].Reason != "technical" || claims[0].Details != "The chat froze twice." {
			t.Fatalf("claims after sending the form: %+v (%v)", claims, err)
		}
		body := string(cl.Do("GET", page, nil).Body)
		if !strings.Contains(body, "Your satisfaction claim is with our team.") || strings.Contains(body, "data-claim-send") {
			t.Errorf("the summary after the claim does not say it is with the team, or still offers the form:\n%s", body)
		}
		var list struct {
			Claims []struct {
				Reason, Details string
			} `json:"claims"`
		}
		w.as["admin"].Do("GET", "/api/v1/admin/claims", nil).JSON(t, &list)
		if len(list.Claims) != 1 || list.Claims[0].Reason != "technical" || list.Claims[0].Details != "The chat froze twice." {
			t.Errorf("GET /api/v1/admin/claims: %+v", list)
		}
	})
}

// OD-14: the API document offers exactly the claim reasons the service takes.
func TestClaimReasonsDocumented(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	var claim struct {
		Properties map[string]struct {
			Enum []string `json:"enum"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(api.Document, &doc); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(doc.Components.Schemas["ClaimRequest"], &claim); err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, r := range reading.ClaimReasons {
		codes = append(codes, r.Code)
	}
	if got := claim.Properties["reason"].Enum; !slices.Equal(got, codes) {
		t.Errorf("ClaimRequest.reason is one of %v in the document, want %v", got, codes)
	}
}
