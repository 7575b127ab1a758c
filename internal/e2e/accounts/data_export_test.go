package accounts

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/browsertest"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/demo"
	"github.com/soulseer/soulseer/internal/e2e"
	"github.com/soulseer/soulseer/internal/privacy"
)

// TestDataExport follows the demo client taking a copy of their data
// (SEC-1): from the account page to Export your data, which lists what an
// export holds; Export my data shows it being built, then — once the
// background job is done and its notification arrives — the link and its
// expiry, without a reload, and the button waiting for tomorrow, saying
// when. The link serves the ZIP as an attachment, never sniffed, holding
// the README and one JSON file per section.
func TestDataExport(t *testing.T) {
	e2e.EachEngine(t, testDataExport)
}

// exportDownload is what fetching the export's link answered.
type exportDownload struct {
	Status      int    `json:"status"`
	Type        string `json:"type"`
	Disposition string `json:"disposition"`
	NoSniff     string `json:"nosniff"`
	Body        string `json:"body"` // base64
}

// fetchExport fetches the page's download link as the browser would and
// returns the answer with its bytes in base64.
const fetchExport = `fetch(document.querySelector("[data-export-download]").href).then(function (r) {
  return r.arrayBuffer().then(function (buf) {
    var bytes = new Uint8Array(buf), bin = "";
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return {status: r.status, type: r.headers.get("Content-Type") || "", disposition: r.headers.get("Content-Disposition") || "",
      nosniff: r.headers.get("X-Content-Type-Options") || "", body: btoa(bin)};
  });
})`

func testDataExport(t *testing.T, e db.Engine) {
	st := e2e.Demo(t, e)
	tab := st.B.NewTab("client")
	st.LogIn(tab, demo.ClientEmail, demo.Password, "/dashboard")
	tab.Visit("/account")
	tab.ClickNav(`[data-export-link]`)
	if p := tab.Path(); p != "/accounts/export/" {
		t.Fatalf("the account page's export link led to %s", p)
	}
	tab.WaitText("#export-state", "You have not asked for a copy of your data yet.")
	if n := tab.Count(".export-files dt"); n != len(privacy.Files()) {
		t.Errorf("the page lists %d files, want %d", n, len(privacy.Files()))
	}

	tab.ClickNav(`[data-export-start]`)
	tab.WaitText(".flash", "Your export is being built.")
	tab.WaitHTMX("the export's link", `document.querySelector("[data-export-download]")`)
	tab.WaitText("#export-state", "The link works only for you, until")
	tab.WaitText("[data-next-export]", "You can ask for one export a day: your next is possible from")
	if !browsertest.Eval[bool](tab, `document.querySelector("[data-export-start]").disabled`) {
		t.Error("Export my data is still offered the same day")
	}

	got := browsertest.Eval[exportDownload](tab, fetchExport)
	if got.Status != 200 || got.Type != "application/zip" || got.NoSniff != "nosniff" || !strings.HasPrefix(got.Disposition, "attachment; filename=soulseer-data-") {
		t.Fatalf("the download: %d %q %q %q", got.Status, got.Type, got.Disposition, got.NoSniff)
	}
	body, err := base64.StdEncoding.DecodeString(got.Body)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("the download is not a ZIP: %v", err)
	}
	want := privacy.Files()
	if len(zr.File) != len(want) {
		t.Errorf("the ZIP holds %d files, want the %d the page lists", len(zr.File), len(want))
	}
	for i, f := range zr.File {
		if i < len(want) && f.Name != want[i].Name {
			t.Errorf("file %d of the ZIP is %s, want %s", i+1, f.Name, want[i].Name)
		}
	}
}
