// Package reading runs on-demand readings: a client asks an online reader
// for a text, voice or video reading, the reader accepts, and every started
// minute is charged exactly once until either side ends it (OD-1 … OD-15).
package reading

import (
	"fmt"
	"strings"

	"github.com/soulseer/soulseer/internal/apperr"
)

// State is where a reading is in its life (OD-3).
type State string

// The states, in their usual order.
const (
	Created      State = "created"      // recorded, not yet shown to the reader
	Waiting      State = "waiting"      // the reader is asked to accept or decline
	Active       State = "active"       // both are connected; minutes are charged
	Paused       State = "paused"       // not charged: low balance or a party disconnected
	Reconnecting State = "reconnecting" // a disconnected party is back; resuming
	Ended        State = "ended"        // over; every started minute is charged
	Finalized    State = "finalized"    // the summary is recorded
)

// States lists every state.
var States = []State{Created, Waiting, Active, Paused, Reconnecting, Ended, Finalized}

// OpenStatesSQL is the states of a reading not yet ended, as a SQL list:
// a client has at most one such reading, and closing an account ends them.
const OpenStatesSQL = `('created', 'waiting', 'active', 'paused', 'reconnecting')`

// Event is something that happens to a reading.
type Event string

// The events.
const (
	EventSubmit      Event = "submit"       // the request is shown to the reader
	EventAccept      Event = "accept"       // the reader accepts
	EventDecline     Event = "decline"      // the reader declines
	EventExpire      Event = "expire"       // nobody answered in time (OD-4)
	EventLowBalance  Event = "low_balance"  // the next minute cannot be paid (OD-6)
	EventDisconnect  Event = "disconnect"   // a party lost their connection (OD-7)
	EventReconnect   Event = "reconnect"    // the missing party is back
	EventResume      Event = "resume"       // billing restarts
	EventGraceExpire Event = "grace_expire" // the grace window ran out (OD-7)
	EventAbuse       Event = "abuse"        // too many reconnects (OD-8)
	EventEnd         Event = "end"          // either side ends it
	EventFinalize    Event = "finalize"     // the summary is recorded (OD-11)
)

// Events lists every event.
var Events = []Event{EventSubmit, EventAccept, EventDecline, EventExpire, EventLowBalance, EventDisconnect,
	EventReconnect, EventResume, EventGraceExpire, EventAbuse, EventEnd, EventFinalize}

// transitions is the whole state machine: for each state, the events it
// accepts and the state each leads to. Nothing else decides a transition.
var transitions = map[State]map[Event]State{
	Created: {EventSubmit: Waiting},
	Waiting: {EventAccept: Active, EventDecline: Ended, EventExpire: Ended, EventEnd: Ended},
	Active:  {EventLowBalance: Paused, EventDisconnect: Paused, EventAbuse: Ended, EventEnd: Ended},
	Paused: {EventResume: Active, EventReconnect: Reconnecting, EventDisconnect: Paused, EventGraceExpire: Ended,
		EventAbuse: Ended, EventEnd: Ended},
	Reconnecting: {EventResume: Active, EventLowBalance: Paused, EventDisconnect: Paused, EventAbuse: Ended, EventEnd: Ended},
	Ended:        {EventFinalize: Finalized},
	Finalized:    {},
}

// Next returns the state event leads to from s, or a Conflict error saying
// why it cannot happen.
func Next(s State, e Event) (State, error) {
	to, ok := transitions[s][e]
	if !ok {
		return s, apperr.Errorf(apperr.Conflict, "%s", illegal(s, e))
	}
	return to, nil
}

// illegal explains a refused transition in words a user understands.
func illegal(s State, e Event) string {
	switch {
	case s == Ended || s == Finalized:
		return "This reading has already ended."
	case e == EventAccept || e == EventDecline:
		return "This request is no longer waiting for an answer."
	case e == EventResume && s == Active:
		return "This reading is already running."
	}
	return fmt.Sprintf("A %s reading cannot %s.", s, eventVerb(e))
}

func eventVerb(e Event) string {
	switch e {
	case EventSubmit:
		return "be submitted"
	case EventExpire:
		return "expire"
	case EventLowBalance:
		return "be paused for low balance"
	case EventDisconnect:
		return "register a disconnect"
	case EventReconnect:
		return "register a reconnect"
	case EventResume:
		return "resume"
	case EventGraceExpire:
		return "run out of grace time"
	case EventAbuse:
		return "be ended for reconnect abuse"
	case EventEnd:
		return "end"
	case EventFinalize:
		return "be finalized"
	}
	return string(e)
}

// Open reports whether a reading is still going on (not ended or finalized).
func (s State) Open() bool { return s != Ended && s != Finalized }

// Live reports whether a reading has started and not ended: the reader is busy.
func (s State) Live() bool { return s == Active || s == Paused || s == Reconnecting }

// Label is how pages name a state. An ended reading is "Ended" whether or
// not its summary is recorded yet: "finalized" is bookkeeping, not
// something its parties need to read.
func (s State) Label() string {
	switch s {
	case Created, Waiting:
		return "Waiting"
	case Ended, Finalized:
		return "Ended"
	}
	return strings.ToUpper(string(s[:1])) + string(s[1:])
}
