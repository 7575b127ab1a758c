// Package agora issues Agora AccessToken2 RTC tokens for voice and video:
// publisher tokens for the two parties of a reading, subscriber tokens for
// livestream viewers (AGO-1), and RTM tokens for clients that use Agora's
// messaging beside a livestream (AGO-4). Without an app id and certificate
// nothing is issued and voice/video say they are not configured (AGO-6).
package agora

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"time"

	accesstoken "github.com/AgoraIO-Community/go-tokenbuilder/accesstoken2"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/clock"
)

// DefaultTTL is how long a token works; clients renew before it runs out (AGO-2).
const DefaultTTL = 20 * time.Minute

// Role is what a token allows in a channel.
type Role int

// The roles.
const (
	Subscriber Role = iota // join and receive
	Publisher              // join, receive and send audio, video and data
)

// Tokens builds RTC tokens.
type Tokens struct {
	AppID       string
	Certificate string
	TTL         time.Duration
	Clock       clock.Clock
}

// Configured reports whether voice and video can be used.
func (t *Tokens) Configured() bool { return t != nil && t.AppID != "" && t.Certificate != "" }

// Token is an issued RTC token with what the client needs to join.
type Token struct {
	Token     string    `json:"token"`
	AppID     string    `json:"app_id"`
	Channel   string    `json:"channel"`
	UID       uint32    `json:"uid"`
	ExpiresAt time.Time `json:"expires_at"`
}

// ErrNotConfigured is returned when no Agora credentials are set.
var ErrNotConfigured = apperr.Errorf(apperr.Unavailable, "Voice and video are not configured on this site; text chat works.")

// RTC issues a token for uid in channel with the role's privileges.
func (t *Tokens) RTC(channel string, uid uint32, role Role) (Token, error) {
	if !t.Configured() {
		return Token{}, ErrNotConfigured
	}
	now, salt, ttl, err := t.issue()
	if err != nil {
		return Token{}, err
	}
	tok, err := buildRTC(t.AppID, t.Certificate, channel, uid, role, uint32(now.Unix()), salt, uint32(ttl.Seconds()))
	if err != nil {
		return Token{}, fmt.Errorf("agora: build token: %w", err)
	}
	return Token{Token: tok, AppID: t.AppID, Channel: channel, UID: uid, ExpiresAt: now.Add(ttl)}, nil
}

// RTMToken is an issued Agora RTM (Signaling) token: it logs UserID in to
// the app's messaging until ExpiresAt.
type RTMToken struct {
	Token     string    `json:"token"`
	AppID     string    `json:"app_id"`
	UserID    string    `json:"user_id"`
	ExpiresAt time.Time `json:"expires_at"`
}

// RTM issues an RTM login token for userID (AGO-4), valid for the TTL like
// RTC tokens; clients renew it the same way.
func (t *Tokens) RTM(userID string) (RTMToken, error) {
	if !t.Configured() {
		return RTMToken{}, ErrNotConfigured
	}
	now, salt, ttl, err := t.issue()
	if err != nil {
		return RTMToken{}, err
	}
	tok, err := buildRTM(t.AppID, t.Certificate, userID, uint32(now.Unix()), salt, uint32(ttl.Seconds()))
	if err != nil {
		return RTMToken{}, fmt.Errorf("agora: build RTM token: %w", err)
	}
	return RTMToken{Token: tok, AppID: t.AppID, UserID: userID, ExpiresAt: now.Add(ttl)}, nil
}

// issue returns what every token issued now shares: the time, a random
// non-zero salt and the lifetime.
func (t *Tokens) issue() (now time.Time, salt uint32, ttl time.Duration, err error) {
	ttl = t.TTL
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return time.Time{}, 0, 0, err
	}
	return t.Clock.Now(), binary.BigEndian.Uint32(b[:]) | 1, ttl, nil
}

// buildRTC builds an AccessToken2 with one RTC service: join for every role,
// plus publishing audio, video and data for publishers. issueTs and salt are
// parameters so tests can reproduce Agora's published vectors.
func buildRTC(appID, cert, channel string, uid uint32, role Role, issueTs, salt, expire uint32) (string, error) {
	if channel == "" {
		return "", errors.New("empty channel")
	}
	at := accesstoken.NewAccessToken(appID, cert, expire)
	at.IssueTs, at.Salt = issueTs, salt
	account := ""
	if uid != 0 {
		account = strconv.FormatUint(uint64(uid), 10)
	}
	svc := accesstoken.NewServiceRtc(channel, account)
	svc.AddPrivilege(accesstoken.PrivilegeJoinChannel, expire)
	if role == Publisher {
		svc.AddPrivilege(accesstoken.PrivilegePublishAudioStream, expire)
		svc.AddPrivilege(accesstoken.PrivilegePublishVideoStream, expire)
		svc.AddPrivilege(accesstoken.PrivilegePublishDataStream, expire)
	}
	at.AddService(svc)
	return at.Build()
}

// buildRTM builds an AccessToken2 with one RTM service granting login to
// userID, exactly as go-tokenbuilder's rtmtokenbuilder2.BuildToken does;
// issueTs and salt are parameters so tests can reproduce Agora's
// published vectors.
func buildRTM(appID, cert, userID string, issueTs, salt, expire uint32) (string, error) {
	if userID == "" {
		return "", errors.New("empty user id")
	}
	at := accesstoken.NewAccessToken(appID, cert, expire)
	at.IssueTs, at.Salt = issueTs, salt
	svc := accesstoken.NewServiceRtm(userID)
	svc.AddPrivilege(accesstoken.PrivilegeLogin, expire)
	at.AddService(svc)
	return at.Build()
}
