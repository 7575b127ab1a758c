package upload

import (
	"bytes"
)

// The content types uploads may have.
const (
	JPEG = "image/jpeg"
	PNG  = "image/png"
	GIF  = "image/gif"
	WebP = "image/webp"
	PDF  = "application/pdf"
)

// sniff tells what data is from its first bytes: one of the accepted
// types, or "" for anything else (whatever its name says).
func sniff(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return JPEG
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return PNG
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return GIF
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return WebP
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return PDF
	}
	return ""
}

// markup is what a browser taking a file for a web page would look for:
// a PDF holding it near its start is refused as a polyglot.
var markup = [][]byte{[]byte("<html"), []byte("<script"), []byte("<svg"), []byte("<!doctype"), []byte("<body"), []byte("<iframe")}

// checkPDF accepts a PDF that starts as one, ends as one (%%EOF in its last
// kilobyte) and carries no HTML in its first kilobytes.
func checkPDF(data []byte) bool {
	head := bytes.ToLower(data[:min(len(data), 4096)])
	for _, m := range markup {
		if bytes.Contains(head, m) {
			return false
		}
	}
	return bytes.Contains(data[max(0, len(data)-1024):], []byte("%%EOF"))
}
