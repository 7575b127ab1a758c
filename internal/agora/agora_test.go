package agora

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"fmt"
	"io"
	"testing"
	"time"

	accesstoken "github.com/AgoraIO-Community/go-tokenbuilder/accesstoken2"
	"github.com/AgoraIO-Community/go-tokenbuilder/rtmtokenbuilder2"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/clock"
)

// Agora's published AccessToken2 test data.
const (
	vecAppID   = "970CA35de60c44645bbae8a215061b33"
	vecCert    = "5CFd2fd1755d40ecb72977518be15d3b"
	vecChannel = "7d72365eb983485397e3e3f9d460bdda"
	vecUID     = uint32(2882341273)
	vecExpire  = uint32(600)
	vecIssueTs = uint32(1111111)
	vecSalt    = uint32(1)
	// An RTC service with the join privilege for uid 2882341273.
	vecRTCJoin = "007eJxSYBBbsMMnKq7p9Hf/HcIX5kce9b518kCiQgSr5Zrp4X1Tu6UUGCzNDZwdjU1TUs0Mkk1MzExMk5ISUy0SjQxNDcwMk4yN3b8IMEQwMTAwMoAwBIL4CgzmKeZGxmamqUmWFsYmFqbGluapxqnGaZYpJmYGSSkpiVwMRhYWRsYmhkbmxoAAAAD//8JqJOM="
	// The same for uid 0 (any user).
	vecRTCJoinUID0 = "007eJxSYLhzZP08Lxa1Pg57+TcXb/3cZ3wi4V6kbpbOog0G2dOYk20UGCzNDZwdjU1TUs0Mkk1MzExMk5ISUy0SjQxNDcwMk4yN3b8IMEQwMTAwMoAwBIL4CgzmKeZGxmamqUmWFsYmFqbGluapxqnGaZYpJmYGSSkpiQwMgAAAAP//Npwiag=="
)

// payload returns the signed content of a token: version prefix stripped,
// base64 decoded and zlib inflated (compressors may differ byte for byte).
func payload(t *testing.T, token string) []byte {
	t.Helper()
	if len(token) < 3 || token[:3] != "007" {
		t.Fatalf("token %q lacks the AccessToken2 version 007", token)
	}
	raw, err := base64.StdEncoding.DecodeString(token[3:])
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zlib.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// AGO-5: tokens match Agora's published AccessToken2 vectors.
func TestVectors(t *testing.T) {
	for _, c := range []struct {
		name string
		uid  uint32
		want string
	}{{"uid", vecUID, vecRTCJoin}, {"uid 0", 0, vecRTCJoinUID0}} {
		got, err := buildRTC(vecAppID, vecCert, vecChannel, c.uid, Subscriber, vecIssueTs, vecSalt, vecExpire)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(payload(t, got), payload(t, c.want)) {
			t.Errorf("%s: token differs from Agora's vector\n got %s\nwant %s", c.name, got, c.want)
		}
	}
	// A different certificate must not reproduce the vector.
	other, _ := buildRTC(vecAppID, "0CFd2fd1755d40ecb72977518be15d3b", vecChannel, vecUID, Subscriber, vecIssueTs, vecSalt, vecExpire)
	if bytes.Equal(payload(t, other), payload(t, vecRTCJoin)) {
		t.Fatal("a different certificate produced the same signature")
	}
}

// AGO-1: a publisher token for a reading carries join and publish
// privileges for the channel and uid, valid for 20 minutes.
func TestPublisherToken(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	tk := &Tokens{AppID: vecAppID, Certificate: vecCert, Clock: clock.NewFake(now)}
	tok, err := tk.RTC("reading-42", 7, Publisher)
	if err != nil {
		t.Fatal(err)
	}
	if !tok.ExpiresAt.Equal(now.Add(20*time.Minute)) || tok.Channel != "reading-42" || tok.UID != 7 || tok.AppID != vecAppID {
		t.Fatalf("token = %+v", tok)
	}
	at := accesstoken.CreateAccessToken()
	if ok, err := at.Parse(tok.Token); !ok || err != nil {
		t.Fatalf("parse: %v %v", ok, err)
	}
	if at.Expire != 1200 || at.IssueTs != uint32(now.Unix()) {
		t.Fatalf("expire %d issued %d", at.Expire, at.IssueTs)
	}
	rtc := at.Services[accesstoken.ServiceTypeRtc].(*accesstoken.ServiceRtc)
	if rtc.ChannelName != "reading-42" || rtc.Uid != "7" {
		t.Fatalf("service = %+v", rtc)
	}
	for _, p := range []uint16{accesstoken.PrivilegeJoinChannel, accesstoken.PrivilegePublishAudioStream, accesstoken.PrivilegePublishVideoStream, accesstoken.PrivilegePublishDataStream} {
		if rtc.Privileges[p] != 1200 {
			t.Errorf("privilege %d expires %d, want 1200", p, rtc.Privileges[p])
		}
	}
	sub, _ := tk.RTC("stream-1", 9, Subscriber)
	at2 := accesstoken.CreateAccessToken()
	at2.Parse(sub.Token)
	if ps := at2.Services[accesstoken.ServiceTypeRtc].(*accesstoken.ServiceRtc).Privileges; len(ps) != 1 {
		t.Fatalf("subscriber privileges = %v, want join only", ps)
	}
}

// AGO-6: without credentials no token is issued and the error says so.
func TestNotConfigured(t *testing.T) {
	var tk *Tokens
	if tk.Configured() {
		t.Fatal("nil tokens configured")
	}
	_, err := (&Tokens{Clock: clock.System{}}).RTC("c", 1, Publisher)
	if apperr.CodeOf(err) != apperr.Unavailable {
		t.Fatalf("err = %v, want unavailable", err)
	}
}

// vecRTM is Agora's published AccessToken2 vector for an RTM service with
// the login privilege for user "test_user" (the app, certificate, expiry,
// issue time and salt above).
const vecRTM = "007eJxSYOCdJftjyTM2zxW6Xhm/5T0j5LdcUt/xYVt48fb5Mp3PX9coMFiaGzg7GpumpJoZJJuYmJmYJiUlplokGhmaGpgZJhkbu38RYIhgYmBgZABhJgZGBkYwn5OhJLW4JL60OLUIEAAA//9ZVh6A"

// AGO-4 AGO-5: RTM tokens match Agora's published vector, and carry what
// go-tokenbuilder's own RTM builder puts in one: the app, the user and
// the login privilege for the token's lifetime.
func TestRTMVectors_AGO4(t *testing.T) {
	got, err := buildRTM(vecAppID, vecCert, "test_user", vecIssueTs, vecSalt, vecExpire)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(payload(t, got), payload(t, vecRTM)) {
		t.Fatalf("RTM token differs from Agora's vector\n got %s\nwant %s", got, vecRTM)
	}
	if other, _ := buildRTM(vecAppID, "0CFd2fd1755d40ecb72977518be15d3b", "test_user", vecIssueTs, vecSalt, vecExpire); bytes.Equal(payload(t, other), payload(t, vecRTM)) {
		t.Fatal("a different certificate produced the same signature")
	}
	if _, err := buildRTM(vecAppID, vecCert, "", vecIssueTs, vecSalt, vecExpire); err == nil {
		t.Fatal("an RTM token was built for no user")
	}

	ref, err := rtmtokenbuilder2.BuildToken(vecAppID, vecCert, "42", 1200)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	tok, err := (&Tokens{AppID: vecAppID, Certificate: vecCert, Clock: clock.NewFake(now)}).RTM("42")
	if err != nil {
		t.Fatal(err)
	}
	if tok.UserID != "42" || tok.AppID != vecAppID || !tok.ExpiresAt.Equal(now.Add(DefaultTTL)) {
		t.Fatalf("token = %+v", tok)
	}
	mine, theirs := accesstoken.CreateAccessToken(), accesstoken.CreateAccessToken()
	if ok, err := mine.Parse(tok.Token); !ok || err != nil {
		t.Fatalf("parse: %v %v", ok, err)
	}
	if ok, err := theirs.Parse(ref); !ok || err != nil {
		t.Fatalf("parse the builder's: %v %v", ok, err)
	}
	if mine.AppId != theirs.AppId || mine.Expire != theirs.Expire || len(mine.Services) != 1 || len(theirs.Services) != 1 || mine.IssueTs != uint32(now.Unix()) {
		t.Fatalf("token %+v, the builder's %+v", mine, theirs)
	}
	m, r := mine.Services[accesstoken.ServiceTypeRtm].(*accesstoken.ServiceRtm), theirs.Services[accesstoken.ServiceTypeRtm].(*accesstoken.ServiceRtm)
	if m == nil || r == nil || m.UserId != r.UserId || fmt.Sprint(m.Privileges) != fmt.Sprint(r.Privileges) {
		t.Fatalf("RTM service %+v, the builder's %+v", m, r)
	}
	if ok, err := mine.VerifySignature(vecCert); !ok || err != nil {
		t.Fatalf("signature: %v %v", ok, err)
	}
	if _, err := (&Tokens{Clock: clock.System{}}).RTM("42"); apperr.CodeOf(err) != apperr.Unavailable {
		t.Fatalf("without credentials: %v, want unavailable", err)
	}
}
