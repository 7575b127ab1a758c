package live

import (
	"context"
	"strconv"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/agora"
)

// Joined is what a viewer (or the reader) gets on joining a stream: the
// stream, their role in its video channel and, where Agora is set up,
// their media tokens; without Agora the tokens are nil and the stream runs
// with chat and gifts only (AGO-6).
type Joined struct {
	Stream Stream          `json:"stream"`
	Role   string          `json:"role"` // "publisher" for the reader, "subscriber" for viewers
	RTC    *agora.Token    `json:"rtc_token"`
	RTM    *agora.RTMToken `json:"rtm_token"`
}

// Join admits who to live stream id when CanWatch lets them (LIV-2, LIV-3,
// AGO-1, AGO-4): the reader gets a publisher token for the stream's
// channel, everyone else a subscriber token, both lasting agora.DefaultTTL
// (20 minutes), and each an RTM token for Agora's messaging. Joining again
// renews them. An ended stream is a Conflict.
func (s *Service) Join(ctx context.Context, who account.User, id int64) (Joined, error) {
	st, err := s.Watch(ctx, who, id)
	if err != nil {
		return Joined{}, err
	}
	j := Joined{Stream: st, Role: "subscriber"}
	role := agora.Subscriber
	if who.ID == st.ReaderID {
		j.Role, role = "publisher", agora.Publisher
	}
	if !s.Agora.Configured() {
		return j, nil
	}
	rtc, err := s.Agora.RTC(st.Channel(), uint32(who.ID), role)
	if err != nil {
		return Joined{}, err
	}
	rtm, err := s.Agora.RTM(strconv.FormatInt(who.ID, 10))
	if err != nil {
		return Joined{}, err
	}
	j.RTC, j.RTM = &rtc, &rtm
	return j, nil
}
