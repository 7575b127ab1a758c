package autoreload

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
)

// WatchInterval is how often Watch looks at the wallets whose balance
// changed.
const WatchInterval = 200 * time.Millisecond

// Saw notes a committed change of a balance (it is the ledger's
// OnBalanceChange): a wallet's is looked at by Watch shortly after, so the
// transfer's caller — a billing sweep changing thousands of wallets — is
// never held up by it.
func (s *Service) Saw(c ledger.BalanceChange) {
	if c.Kind != ledger.KindWallet {
		return
	}
	s.mu.Lock()
	if s.seen == nil {
		s.seen = map[int64]bool{}
	}
	s.seen[c.UserID] = true
	s.mu.Unlock()
}

// Watch looks, every WatchInterval until ctx ends, at the wallets Saw
// change, and checks those with auto-reload on and a balance under its
// threshold (see Check).
func (s *Service) Watch(ctx context.Context) {
	t := time.NewTicker(WatchInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.look(ctx); err != nil && ctx.Err() == nil {
				s.Log.Error("auto-reload: looking at changed wallets", "err", err)
			}
		}
	}
}

// look checks the wallets seen since it last ran, a few hundred per query.
func (s *Service) look(ctx context.Context) error {
	s.mu.Lock()
	users := make([]int64, 0, len(s.seen))
	for id := range s.seen {
		users = append(users, id)
	}
	s.seen = nil
	s.mu.Unlock()
	slices.Sort(users)
	for _, chunk := range db.Chunks(users, 1) {
		low, err := s.underThreshold(ctx, chunk)
		if err != nil {
			return err
		}
		for _, id := range low {
			if _, err := s.Check(ctx, id); err != nil {
				s.Log.Error("auto-reload: check", "user", id, "err", err)
			}
		}
	}
	return nil
}

// underThreshold returns those of users with auto-reload on whose wallet
// is under its threshold.
func (s *Service) underThreshold(ctx context.Context, users []int64) ([]int64, error) {
	args := make([]any, len(users))
	marks := make([]string, len(users))
	for i, id := range users {
		args[i], marks[i] = id, fmt.Sprintf("$%d", i+1)
	}
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT r.user_id FROM auto_reloads r
		JOIN ledger_accounts a ON a.kind = 'wallet' AND a.user_id = r.user_id
		WHERE r.user_id IN (`+strings.Join(marks, ", ")+`) AND r.enabled AND r.payment_method_id <> '' AND a.balance < r.threshold_cents`, args...)
	if err != nil {
		return nil, fmt.Errorf("autoreload: wallets under threshold: %w", err)
	}
	return db.Collect(rows, func(r db.Row) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
}
