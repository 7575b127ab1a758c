package live

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/realtime"
)

// watchers are the open stream connections on this instance, by topic:
// who each belongs to and how to end it.
type watchers struct {
	mu sync.Mutex
	m  map[string]map[*watcher]struct{}
}

type watcher struct {
	userID int64
	end    context.CancelFunc
}

// Watching records that userID watches stream id through a connection
// that end closes, until the release it returns is called: the viewer
// list is made of these (LIV-7), and a ban closes the banned viewer's
// connections on this instance (LIV-8).
func (s *Service) Watching(id, userID int64, end context.CancelFunc) (release func()) {
	topic := realtime.StreamTopic(id)
	w := &watcher{userID: userID, end: end}
	s.watchers.mu.Lock()
	defer s.watchers.mu.Unlock()
	if s.watchers.m == nil {
		s.watchers.m = map[string]map[*watcher]struct{}{}
	}
	if s.watchers.m[topic] == nil {
		s.watchers.m[topic] = map[*watcher]struct{}{}
	}
	s.watchers.m[topic][w] = struct{}{}
	return func() {
		s.watchers.mu.Lock()
		defer s.watchers.mu.Unlock()
		delete(s.watchers.m[topic], w)
		if len(s.watchers.m[topic]) == 0 {
			delete(s.watchers.m, topic)
		}
	}
}

// kick ends userID's connections to topic on this instance.
func (s *Service) kick(topic string, userID int64) {
	s.watchers.mu.Lock()
	defer s.watchers.mu.Unlock()
	for w := range s.watchers.m[topic] {
		if w.userID == userID {
			w.end()
		}
	}
}

// Viewer is one user watching a stream.
type Viewer struct {
	UserID      int64  `json:"user_id"`
	DisplayName string `json:"display_name"`
}

// Viewers lists the users watching stream id through a connection to this
// instance, by name, for the reader, admins and the reader's moderators
// (LIV-7); anyone else is Forbidden.
func (s *Service) Viewers(ctx context.Context, who account.User, id int64) ([]Viewer, error) {
	st, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	ok, err := s.mayModerate(ctx, who, st.ReaderID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, apperr.Errorf(apperr.Forbidden, "Only the stream's reader, their moderators and admins see who is watching.")
	}
	s.watchers.mu.Lock()
	ids := []int64{}
	for w := range s.watchers.m[realtime.StreamTopic(id)] {
		if !slices.Contains(ids, w.userID) {
			ids = append(ids, w.userID)
		}
	}
	s.watchers.mu.Unlock()
	out := []Viewer{}
	if len(ids) == 0 {
		return out, nil
	}
	marks := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, u := range ids {
		marks[i], args[i] = fmt.Sprintf("$%d", i+1), u
	}
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT id, display_name FROM users WHERE id IN (`+strings.Join(marks, ", ")+`) ORDER BY display_name, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("live: viewers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v Viewer
		if err := rows.Scan(&v.UserID, &v.DisplayName); err != nil {
			return nil, fmt.Errorf("live: viewers: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
