package message

import (
	"context"

	"github.com/soulseer/soulseer/internal/block"
	"github.com/soulseer/soulseer/internal/db"
)

// refuseBlocked answers someone who would write to the other side of a pair
// either of whom has blocked the other (ACC-6): the neutral "not
// available", whoever blocked whom.
func refuseBlocked(ctx context.Context, q db.Querier, p pair) error {
	blocked, err := block.Blocked(ctx, q, p.clientID, p.readerID)
	if err != nil || !blocked {
		return err
	}
	if p.to.ID == p.readerID {
		return block.ErrReaderUnavailable
	}
	return block.ErrClientUnavailable
}
