package browsertest

import (
	"strings"

	"github.com/chromedp/chromedp"
)

// SetFiles chooses the files at paths in the file input matching the CSS
// selector, as a person picking them would: the input's change event
// fires.
func (tab *Tab) SetFiles(sel string, paths ...string) {
	tab.t.Helper()
	tab.do("choose "+strings.Join(paths, ", ")+" in "+sel, chromedp.SetUploadFiles(chromedp.CSS(sel), paths))
}
