package reading

import (
	"testing"

	"github.com/soulseer/soulseer/internal/apperr"
)

// OD-3: every state × event — the legal transitions lead where the product
// says, and every other combination is refused with a clear Conflict error
// that leaves the state as it was.
func TestStateMachineTable(t *testing.T) {
	legal := map[State]map[Event]State{
		Created:      {EventSubmit: Waiting},
		Waiting:      {EventAccept: Active, EventDecline: Ended, EventExpire: Ended, EventEnd: Ended},
		Active:       {EventLowBalance: Paused, EventDisconnect: Paused, EventAbuse: Ended, EventEnd: Ended},
		Paused:       {EventResume: Active, EventReconnect: Reconnecting, EventDisconnect: Paused, EventGraceExpire: Ended, EventAbuse: Ended, EventEnd: Ended},
		Reconnecting: {EventResume: Active, EventLowBalance: Paused, EventDisconnect: Paused, EventAbuse: Ended, EventEnd: Ended},
		Ended:        {EventFinalize: Finalized},
		Finalized:    {},
	}
	for _, s := range States {
		for _, e := range Events {
			got, err := Next(s, e)
			want, ok := legal[s][e]
			switch {
			case ok && (err != nil || got != want):
				t.Errorf("%s + %s = %s, %v; want %s", s, e, got, err, want)
			case !ok && err == nil:
				t.Errorf("%s + %s was allowed (→ %s); want refused", s, e, got)
			case !ok && (apperr.CodeOf(err) != apperr.Conflict || got != s || apperr.MessageOf(err) == ""):
				t.Errorf("%s + %s: got %s, %v; want Conflict leaving %s", s, e, got, err, s)
			}
		}
	}
}
