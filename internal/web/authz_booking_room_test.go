package web_test

import "testing"

// voiceRoomOfA is {voiceroom}: a booking like {soon} whose room is open,
// for voice, so its parties get media tokens.
func voiceRoomOfA(t *testing.T, m *authzWorld) {
	roomOpenOfA(t, m)
	m.exec(t, `UPDATE bookings SET modality = 'voice' WHERE id = $1`, m.vals["soon"])
	m.vals["voiceroom"] = m.vals["soon"]
}

// roomChatOfA is {soon} with a line of client A's in its room's chat,
// which only the booking's parties and admins may read.
func roomChatOfA(t *testing.T, m *authzWorld) {
	roomOpenOfA(t, m)
	text := "Matrix room chat of client A"
	if m.vals["roomchat"] == "" {
		m.vals["roomchat"] = m.secret(true, text, "clientA", "readerA", "admin")
	}
	if _, err := m.s.App.Schedule.Say(ctx, m.client, mustID(t, m.vals["soon"]), text); err != nil {
		t.Fatal(err)
	}
}
