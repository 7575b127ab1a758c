package ledger

import (
	"context"
	"slices"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// TransferByID returns one transfer with its postings, or an apperr.NotFound
// error.
func (l *Ledger) TransferByID(ctx context.Context, q db.Querier, id int64) (TransferInfo, error) {
	ts, err := transfers(ctx, q, `id = $1`, id)
	if err != nil {
		return TransferInfo{}, err
	}
	if len(ts) == 0 {
		return TransferInfo{}, apperr.Errorf(apperr.NotFound, "No such transfer.")
	}
	return ts[0], nil
}

// EntryTypes lists every entry type, for filters and menus.
func EntryTypes() []EntryType { return slices.Clone(entryTypes) }

// ValidEntryType reports whether t is a known entry type.
func ValidEntryType(t EntryType) bool { return slices.Contains(entryTypes, t) }
