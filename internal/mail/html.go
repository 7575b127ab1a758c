package mail

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"regexp"
	"strings"

	"github.com/soulseer/soulseer/internal/markup"
)

//go:embed email.html
var emailHTML string

// htmlEmail is the HTML version of every email, parsed once.
var htmlEmail = template.Must(template.New("email").Parse(emailHTML))

// blankLines ends a paragraph of a plain-text body.
var blankLines = regexp.MustCompile(`\n[ \t]*\n\s*`)

// htmlPage is the data of the HTML version of an email.
type htmlPage struct {
	Subject    string
	Paragraphs [][]template.HTML // lines of each paragraph
}

// htmlBody renders an email's plain-text body as its HTML version (EXT-6):
// under the SoulSeer name, each run of lines between blank lines a
// paragraph with its line breaks kept, every character escaped — a name or
// message someone typed stays text — and each web address a link. It loads
// nothing from elsewhere: no images, fonts or style sheets.
func htmlBody(subject, body string) ([]byte, error) {
	body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	p := htmlPage{Subject: subject}
	for _, para := range blankLines.Split(body, -1) {
		if para == "" {
			continue
		}
		var lines []template.HTML
		for _, line := range strings.Split(para, "\n") {
			lines = append(lines, markup.Linkify(line))
		}
		p.Paragraphs = append(p.Paragraphs, lines)
	}
	var b bytes.Buffer
	if err := htmlEmail.Execute(&b, p); err != nil {
		return nil, fmt.Errorf("mail: HTML body: %w", err)
	}
	return b.Bytes(), nil
}
