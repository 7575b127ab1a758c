package mail_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"mime"
	"mime/multipart"
	"net"
	netmail "net/mail"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/riverqueue/river"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/job"
	"github.com/soulseer/soulseer/internal/mail"
)

var ctx = context.Background()

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// received is one message as the SMTP peer got it.
type received struct {
	from, user string
	to         []string
	data       []byte
}

// smtpPeer is a real SMTP server on 127.0.0.1 that keeps what it receives.
// It can require a login and refuse the next recipients with a temporary
// error.
type smtpPeer struct {
	addr           string
	user, password string

	mu       sync.Mutex
	msgs     []received
	failRcpt int
}

func startSMTP(t *testing.T, user, password string) *smtpPeer {
	t.Helper()
	p := &smtpPeer{user: user, password: password}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{peer: p}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ErrorLog = log.New(io.Discard, "", 0)
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })
	return p
}

func (p *smtpPeer) url() string {
	if p.user == "" {
		return "smtp://" + p.addr
	}
	return fmt.Sprintf("smtp://%s:%s@%s", p.user, p.password, p.addr)
}

func (p *smtpPeer) received() []received {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]received(nil), p.msgs...)
}

type smtpSession struct {
	peer *smtpPeer
	user string
	cur  received
}

func (s *smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, password string) error {
		if user != s.peer.user || password != s.peer.password {
			return errors.New("bad credentials")
		}
		s.user = user
		return nil
	}), nil
}

func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.peer.user != "" && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.cur = received{from: from, user: s.user}
	return nil
}

func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.peer.mu.Lock()
	defer s.peer.mu.Unlock()
	if s.peer.failRcpt > 0 {
		s.peer.failRcpt--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Mailbox busy, try again later"}
	}
	s.cur.to = append(s.cur.to, to)
	return nil
}

func (s *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.data = b
	s.peer.mu.Lock()
	s.peer.msgs = append(s.peer.msgs, s.cur)
	s.peer.mu.Unlock()
	return nil
}

func (s *smtpSession) Reset()        { s.cur = received{} }
func (s *smtpSession) Logout() error { return nil }

// send queues msg in its own transaction.
func send(t *testing.T, m *mail.Mailer, msg mail.Message) int64 {
	t.Helper()
	if err := m.DB.Tx(ctx, func(tx *db.Tx) error { return m.Send(ctx, tx, msg) }); err != nil {
		t.Fatal(err)
	}
	list, err := m.Recent(ctx, "", 1)
	if err != nil || len(list) != 1 {
		t.Fatalf("outbox after send: %v %v", list, err)
	}
	return list[0].ID
}

// newQueue returns an initialised job queue on d with the delivery worker
// registered; it is not started.
func newQueue(t *testing.T, d *db.DB, m *mail.Mailer) *job.Queue {
	t.Helper()
	if err := job.Migrate(ctx, d); err != nil {
		t.Fatal(err)
	}
	q := job.New(d, discard(), 20*time.Millisecond)
	job.Register(q, &mail.DeliverWorker{Mailer: m})
	if err := q.Init(); err != nil {
		t.Fatal(err)
	}
	m.Queue = q
	return q
}

// deliveringMailer returns a mailer on d that sends through peer, from
// SoulSeer <no-reply@soulseer.test>, with its delivery jobs running until
// the test ends.
func deliveringMailer(t *testing.T, d *db.DB, peer *smtpPeer) *mail.Mailer {
	t.Helper()
	sender, err := mail.NewSMTPSender(peer.url(), "SoulSeer <no-reply@soulseer.test>")
	if err != nil {
		t.Fatal(err)
	}
	m := &mail.Mailer{DB: d, Clock: clock.NewFake(t0), Sender: sender, Log: discard()}
	q := newQueue(t, d, m)
	qctx, cancel := context.WithCancel(ctx)
	if err := q.Start(qctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = q.Stop(context.Background())
	})
	return m
}

// EXT-6: without SMTP, email stays in the outbox, written in the caller's
// transaction, newest first, filterable by recipient.
func TestOutbox_EXT6(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		clk := clock.NewFake(t0)
		m := &mail.Mailer{DB: d, Clock: clk, Log: discard()}
		first := send(t, m, mail.Message{To: "ana@example.com", Subject: "One", Body: "First"})
		clk.Advance(time.Minute)
		second := send(t, m, mail.Message{To: "bo@example.com", Subject: "Two", Body: "Second"})

		// A rolled-back transaction leaves no email behind.
		_ = d.Tx(ctx, func(tx *db.Tx) error {
			if err := m.Send(ctx, tx, mail.Message{To: "ghost@example.com", Subject: "Never", Body: "x"}); err != nil {
				t.Fatal(err)
			}
			return errors.New("roll back")
		})

		all, err := m.Recent(ctx, "", 0)
		if err != nil || len(all) != 2 || all[0].ID != second || all[1].ID != first {
			t.Fatalf("recent = %+v %v", all, err)
		}
		e := all[1]
		if e.To != "ana@example.com" || e.Subject != "One" || e.Body != "First" || !e.CreatedAt.Equal(t0) || !e.SentAt.IsZero() || e.Attempts != 0 {
			t.Fatalf("outbox email = %+v", e)
		}
		to, err := m.Recent(ctx, "BO@example.com", 10)
		if err != nil || len(to) != 1 || to[0].ID != second {
			t.Fatalf("recent to bo = %+v %v", to, err)
		}
		got, err := m.Get(ctx, first)
		if err != nil || got.Subject != "One" {
			t.Fatalf("get = %+v %v", got, err)
		}
		if _, err := m.Get(ctx, 99999); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("get missing: %v", err)
		}
	})
}

// wait polls cond until it holds or the deadline passes.
func wait(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// EXT-6: with SMTP configured, Send enqueues a job in the same transaction
// and the job delivers the message to a real SMTP server (with login), as
// RFC 5322 text with an encoded subject and the body as quoted-printable
// plain text and HTML alternatives.
func TestSMTPDelivery_EXT6(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		peer := startSMTP(t, "soul", "s3cret")
		m := deliveringMailer(t, d, peer)

		body := "Hello Ana,\n\nYour reading with Luna starts soon. Price = 3.99 per minute; " +
			"this line is long enough that quoted-printable has to wrap it somewhere.\n\n— SoulSeer\n"
		id := send(t, m, mail.Message{To: "ana@example.com", Subject: "Your reading ✨ starts soon", Body: body})

		wait(t, "the SMTP peer to receive the message", func() bool { return len(peer.received()) == 1 })
		got := peer.received()[0]
		if got.user != "soul" || got.from != "no-reply@soulseer.test" || len(got.to) != 1 || got.to[0] != "ana@example.com" {
			t.Fatalf("envelope = user %q from %q to %v", got.user, got.from, got.to)
		}
		msg, err := netmail.ReadMessage(bytes.NewReader(got.data))
		if err != nil {
			t.Fatalf("received message is not RFC 5322: %v\n%s", err, got.data)
		}
		subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		if err != nil || subject != "Your reading ✨ starts soon" {
			t.Fatalf("subject %q (%v)", msg.Header.Get("Subject"), err)
		}
		from, err := msg.Header.AddressList("From")
		if err != nil || len(from) != 1 || from[0].Name != "SoulSeer" || from[0].Address != "no-reply@soulseer.test" {
			t.Fatalf("From = %v (%v)", msg.Header.Get("From"), err)
		}
		if msg.Header.Get("To") != "ana@example.com" || !strings.HasSuffix(msg.Header.Get("Message-ID"), "@soulseer.test>") {
			t.Fatalf("headers = %v", msg.Header)
		}
		if date, err := msg.Header.Date(); err != nil || !date.Equal(t0) {
			t.Fatalf("Date = %v (%v)", date, err)
		}
		nesting, parts := partsOf(t, msg)
		if strings.Join(nesting, " ") != "multipart/alternative" || len(parts) != 2 ||
			parts[0].media != "text/plain" || parts[1].media != "text/html" {
			t.Fatalf("structure %v %+v, want the text and the HTML as alternatives", nesting, parts)
		}
		if text := strings.ReplaceAll(parts[0].content, "\r\n", "\n"); text != body {
			t.Fatalf("text = %q, want %q", text, body)
		}
		if !strings.Contains(parts[1].content, ">SoulSeer</p>") || !strings.Contains(parts[1].content, ">Hello Ana,</p>") {
			t.Fatalf("HTML without the brand line or the greeting as a paragraph:\n%s", parts[1].content)
		}

		wait(t, "the outbox to record the delivery", func() bool {
			e, err := m.Get(ctx, id)
			return err == nil && !e.SentAt.IsZero()
		})
		e, _ := m.Get(ctx, id)
		if e.Attempts != 1 || e.LastError != "" {
			t.Fatalf("outbox after delivery = %+v", e)
		}
	})
}

// EXT-6: a failed delivery is recorded on the outbox row and returned as an
// error, so the job is retried; the retry delivers once; a delivered message
// is never sent again.
func TestSMTPFailureRetried_EXT6(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		peer := startSMTP(t, "", "")
		peer.failRcpt = 1
		sender, err := mail.NewSMTPSender(peer.url(), "no-reply@soulseer.test")
		if err != nil {
			t.Fatal(err)
		}
		clk := clock.NewFake(t0)
		m := &mail.Mailer{DB: d, Clock: clk, Sender: sender, Log: discard()}
		newQueue(t, d, m) // enqueues, but the test works the job by hand
		w := &mail.DeliverWorker{Mailer: m}
		id := send(t, m, mail.Message{To: "bo@example.com", Subject: "Reset", Body: "Link"})
		work := func() error { return w.Work(ctx, &river.Job[mail.DeliverArgs]{Args: mail.DeliverArgs{OutboxID: id}}) }

		if err := work(); err == nil || !strings.Contains(err.Error(), "451") {
			t.Fatalf("first attempt: %v, want the server's 451", err)
		}
		e, _ := m.Get(ctx, id)
		if e.Attempts != 1 || !strings.Contains(e.LastError, "try again later") || !e.SentAt.IsZero() {
			t.Fatalf("outbox after a failed attempt = %+v", e)
		}
		if n := len(peer.received()); n != 0 {
			t.Fatalf("%d messages delivered by a failed attempt", n)
		}

		clk.Advance(time.Minute)
		if err := work(); err != nil {
			t.Fatalf("retry: %v", err)
		}
		e, _ = m.Get(ctx, id)
		if e.Attempts != 2 || e.LastError != "" || !e.SentAt.Equal(t0.Add(time.Minute)) {
			t.Fatalf("outbox after the retry = %+v", e)
		}
		if err := work(); err != nil {
			t.Fatalf("third run: %v", err)
		}
		if n := len(peer.received()); n != 1 {
			t.Fatalf("%d messages delivered, want exactly 1", n)
		}
		if e, _ := m.Get(ctx, id); e.Attempts != 2 {
			t.Fatalf("a delivered message was attempted again: %+v", e)
		}

		// A message whose outbox row is gone is dropped, not retried.
		if err := w.Work(ctx, &river.Job[mail.DeliverArgs]{Args: mail.DeliverArgs{OutboxID: 424242}}); err != nil {
			t.Fatalf("missing outbox row: %v", err)
		}

		// An unreachable server is an error, recorded the same way.
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		dead := ln.Addr().String()
		ln.Close()
		if m.Sender, err = mail.NewSMTPSender("smtp://"+dead, "no-reply@soulseer.test"); err != nil {
			t.Fatal(err)
		}
		id = send(t, m, mail.Message{To: "cy@example.com", Subject: "Down", Body: "x"})
		if err := work(); err == nil {
			t.Fatal("delivery to a closed port succeeded")
		}
		if e, _ := m.Get(ctx, id); e.Attempts != 1 || !strings.Contains(e.LastError, "dial") {
			t.Fatalf("outbox after an unreachable server = %+v", e)
		}
	})
}

// SCH-7, EXT-6: an attached file reaches the SMTP peer as a part of its own
// with its name and type, its bytes (CRLF line ends included) unchanged,
// after the text and its HTML version; the outbox keeps it too.
func TestSMTPAttachment_EXT6(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		peer := startSMTP(t, "soul", "s3cret")
		m := deliveringMailer(t, d, peer)
		ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nSUMMARY:A long line that is folded\r\n  by the calendar writer\r\nEND:VCALENDAR\r\n"
		att := mail.Attachment{Name: "booking-7.ics", Type: "text/calendar; method=PUBLISH", Content: ics}
		id := send(t, m, mail.Message{To: "ana@example.com", Subject: "Booking confirmed", Body: "See you then.\n", Attachment: att})
		if e, err := m.Get(ctx, id); err != nil || e.Attachment != att {
			t.Fatalf("outbox attachment = %+v (%v)", e.Attachment, err)
		}
		wait(t, "the SMTP peer to receive the message", func() bool { return len(peer.received()) == 1 })
		msg, err := netmail.ReadMessage(bytes.NewReader(peer.received()[0].data))
		if err != nil {
			t.Fatal(err)
		}
		nesting, parts := partsOf(t, msg)
		if strings.Join(nesting, " ") != "multipart/mixed multipart/alternative" || len(parts) != 3 {
			t.Fatalf("structure %v %+v, want the alternatives then the file", nesting, parts)
		}
		if body := parts[0].content; parts[0].media != "text/plain" || (body != "See you then.\n" && body != "See you then.\r\n") {
			t.Errorf("text part %+v", parts[0])
		}
		if parts[1].media != "text/html" || !strings.Contains(parts[1].content, "See you then.") {
			t.Errorf("HTML part %+v", parts[1])
		}
		file := parts[2]
		if file.filename != "booking-7.ics" || !strings.HasPrefix(file.header.Get("Content-Type"), "text/calendar; method=PUBLISH") {
			t.Errorf("file part headers %v", file.header)
		}
		if file.content != ics {
			t.Errorf("file content %q, want %q", file.content, ics)
		}
	})
}

// mimePart is one leaf of a received message's MIME tree, decoded.
type mimePart struct {
	media    string
	filename string
	header   textproto.MIMEHeader
	content  string
}

// partsOf reads msg's MIME tree: the media types of the multipart entities
// on the way down (outermost first) and the leaves, in order, with their
// content decoded.
func partsOf(t *testing.T, msg *netmail.Message) (nesting []string, leaves []mimePart) {
	t.Helper()
	var walk func(h textproto.MIMEHeader, body io.Reader)
	walk = func(h textproto.MIMEHeader, body io.Reader) {
		media, params, err := mime.ParseMediaType(h.Get("Content-Type"))
		if err != nil {
			t.Fatalf("Content-Type %q: %v", h.Get("Content-Type"), err)
		}
		if strings.HasPrefix(media, "multipart/") {
			nesting = append(nesting, media)
			r := multipart.NewReader(body, params["boundary"])
			for {
				p, err := r.NextPart() // decodes quoted-printable parts itself
				if err == io.EOF {
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				walk(p.Header, p)
			}
		}
		raw, err := io.ReadAll(body)
		if err != nil {
			t.Fatal(err)
		}
		if h.Get("Content-Transfer-Encoding") == "base64" {
			if raw, err = base64.StdEncoding.DecodeString(strings.ReplaceAll(string(raw), "\r\n", "")); err != nil {
				t.Fatal(err)
			}
		}
		_, disp, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
		leaves = append(leaves, mimePart{media: media, filename: disp["filename"], header: h, content: string(raw)})
	}
	walk(textproto.MIMEHeader(msg.Header), msg.Body)
	return nesting, leaves
}

// EXT-6: every email arrives with an HTML version beside its text, in
// which what someone typed — a name, a message with markup in it — is
// escaped text, never markup, web addresses are links, paragraphs and line
// breaks are kept, and nothing is loaded from elsewhere; an attached file
// still arrives, after both.
func TestSMTPHTMLBody_EXT6(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		peer := startSMTP(t, "", "")
		m := deliveringMailer(t, d, peer)
		body := "Hello <b>Mallory</b>,\n\nLuna wrote: <script>alert('hi')</script> & <img src=x onerror=alert(1)>\n" +
			"Read it at https://soulseer.test/conversations/7?tab=new&page=2.\n\n— SoulSeer\n"
		att := mail.Attachment{Name: "note.txt", Type: "text/plain", Content: "<script>kept as it is</script>\r\n"}
		id := send(t, m, mail.Message{To: "ana@example.com", Subject: "A <new> message", Body: body, Attachment: att})

		wait(t, "the SMTP peer to receive the message", func() bool { return len(peer.received()) == 1 })
		msg, err := netmail.ReadMessage(bytes.NewReader(peer.received()[0].data))
		if err != nil {
			t.Fatal(err)
		}
		nesting, parts := partsOf(t, msg)
		if strings.Join(nesting, " ") != "multipart/mixed multipart/alternative" || len(parts) != 3 ||
			parts[0].media != "text/plain" || parts[1].media != "text/html" || parts[2].filename != "note.txt" {
			t.Fatalf("structure %v %+v", nesting, parts)
		}
		if text := strings.ReplaceAll(parts[0].content, "\r\n", "\n"); text != body {
			t.Errorf("text = %q, want %q", text, body)
		}
		if parts[2].content != att.Content {
			t.Errorf("attachment = %q, want %q", parts[2].content, att.Content)
		}
		html := parts[1].content
		for _, want := range []string{
			"<title>A &lt;new&gt; message</title>",
			">SoulSeer</p>",
			">Hello &lt;b&gt;Mallory&lt;/b&gt;,</p>",
			"Luna wrote: &lt;script&gt;alert(&#39;hi&#39;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;<br>Read it at ",
			`<a href="https://soulseer.test/conversations/7?tab=new&amp;page=2" target="_blank" rel="nofollow noopener noreferrer ugc">https://soulseer.test/conversations/7?tab=new&amp;page=2</a>.</p>`,
			">— SoulSeer</p>",
		} {
			if !strings.Contains(html, want) {
				t.Errorf("HTML lacks %q:\n%s", want, html)
			}
		}
		for _, never := range []string{"<script", "<b>", "<img", "<link", "@import", "url(", "http://"} {
			if strings.Contains(html, never) {
				t.Errorf("HTML holds %q:\n%s", never, html)
			}
		}
		// The outbox keeps the text the admin page shows.
		if e, err := m.Get(ctx, id); err != nil || e.Body != body {
			t.Errorf("outbox body = %q (%v)", e.Body, err)
		}
	})
}
