package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"fmt"

	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"net/url"
	"strings"
	"time"
)

// SMTPSender delivers messages to an SMTP server given as
// smtp://user:password@host:port (STARTTLS when offered) or smtps:// (TLS).
type SMTPSender struct {
	url  *url.URL
	from *mail.Address
}

// NewSMTPSender parses the server URL and the From address.
func NewSMTPSender(rawURL, from string) (*SMTPSender, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("mail: SMTP URL: %w", err)
	}
	addr, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("mail: From address %q: %w", from, err)
	}
	return &SMTPSender{url: u, from: addr}, nil
}

// Send delivers one message.
func (s *SMTPSender) Send(ctx context.Context, m Message, id int64, created time.Time) error {
	host := s.url.Hostname()
	port := s.url.Port()
	if port == "" {
		port = map[string]string{"smtps": "465"}[s.url.Scheme]
		if port == "" {
			port = "587"
		}
	}
	addr := net.JoinHostPort(host, port)
	d := net.Dialer{Timeout: 15 * time.Second}
	var conn net.Conn
	var err error
	if s.url.Scheme == "smtps" {
		conn, err = (&tls.Dialer{NetDialer: &d, Config: &tls.Config{ServerName: host}}).DialContext(ctx, "tcp", addr)
	} else {
		conn, err = d.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return fmt.Errorf("mail: dial %s: %w", addr, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	} else {
		_ = conn.SetDeadline(time.Now().Add(time.Minute))
	}
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("mail: smtp hello: %w", err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok && s.url.Scheme == "smtp" {
		if err := c.StartTLS(&tls.Config{ServerName: host}); err != nil {
			return fmt.Errorf("mail: starttls: %w", err)
		}
	}
	if s.url.User != nil {
		pw, _ := s.url.User.Password()
		if err := c.Auth(smtp.PlainAuth("", s.url.User.Username(), pw, host)); err != nil {
			return fmt.Errorf("mail: auth: %w", err)
		}
	}
	if err := c.Mail(s.from.Address); err != nil {
		return fmt.Errorf("mail: MAIL FROM: %w", err)
	}
	if err := c.Rcpt(m.To); err != nil {
		return fmt.Errorf("mail: RCPT TO: %w", err)
	}
	text, err := s.format(m, id, created)
	if err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("mail: DATA: %w", err)
	}
	if _, err := w.Write(text); err != nil {
		return fmt.Errorf("mail: write: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("mail: end of data: %w", err)
	}
	return c.Quit()
}

// format renders the message as RFC 5322 text (EXT-6): its body twice, as
// plain text and as HTML (see htmlBody), in a multipart/alternative entity,
// which is the whole message or, with an attachment, the first part of a
// multipart/mixed one whose second part is the file.
func (s *SMTPSender) format(m Message, id int64, created time.Time) ([]byte, error) {
	body, err := alternative(m)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	domain := "soulseer.local"
	if i := strings.LastIndex(s.from.Address, "@"); i >= 0 {
		domain = s.from.Address[i+1:]
	}
	fmt.Fprintf(&b, "From: %s\r\n", s.from.String())
	fmt.Fprintf(&b, "To: %s\r\n", m.To)
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", m.Subject))
	fmt.Fprintf(&b, "Date: %s\r\n", created.Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <outbox-%d.%d@%s>\r\n", id, created.UnixMilli(), domain)
	b.WriteString("MIME-Version: 1.0\r\n")
	if m.Attachment.Name == "" {
		fmt.Fprintf(&b, "Content-Type: %s\r\n\r\n", body.contentType)
		b.Write(body.content)
		return b.Bytes(), nil
	}
	// The file goes in base64, which keeps its bytes (a calendar's CRLF
	// line ends) exactly.
	mw := multipart.NewWriter(&b)
	fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=%q\r\n\r\n", mw.Boundary())
	texts, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {body.contentType}})
	_, _ = texts.Write(body.content)
	name := mime.QEncoding.Encode("utf-8", m.Attachment.Name)
	file, _ := mw.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {m.Attachment.Type + "; charset=utf-8; name=\"" + name + "\""},
		"Content-Disposition":       {"attachment; filename=\"" + name + "\""},
		"Content-Transfer-Encoding": {"base64"},
	})
	enc := base64.StdEncoding.EncodeToString([]byte(m.Attachment.Content))
	for len(enc) > 76 {
		fmt.Fprintf(file, "%s\r\n", enc[:76])
		enc = enc[76:]
	}
	fmt.Fprintf(file, "%s\r\n", enc)
	_ = mw.Close()
	return b.Bytes(), nil
}

// entity is a MIME entity's Content-Type and content.
type entity struct {
	contentType string
	content     []byte
}

// alternative is the message's body as a multipart/alternative entity:
// the plain text first, then the HTML version, which mail programs that
// show HTML prefer.
func alternative(m Message) (entity, error) {
	html, err := htmlBody(m.Subject, m.Body)
	if err != nil {
		return entity{}, err
	}
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, part := range []struct {
		typ     string
		content []byte
	}{{"text/plain; charset=utf-8", []byte(m.Body)}, {"text/html; charset=utf-8", html}} {
		w, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {part.typ}, "Content-Transfer-Encoding": {"quoted-printable"}})
		qp := quotedprintable.NewWriter(w)
		_, _ = qp.Write(part.content)
		_ = qp.Close()
	}
	_ = mw.Close()
	return entity{contentType: mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": mw.Boundary()}), content: b.Bytes()}, nil
}
