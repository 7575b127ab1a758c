package ledger

import (
	"context"

	"github.com/soulseer/soulseer/internal/apperr"
)

// ShortOfFunds reports whether err is the ledger's refusal of a debit the
// balance cannot cover — not a refusal by a rule above the ledger, such as
// a client's spending limit (WAL-11): those carry a problem type and a
// message of their own, which callers pass on as they are.
func ShortOfFunds(err error) bool {
	e := apperr.As(err)
	return e != nil && e.Code == apperr.InsufficientFunds && e.Problem == ""
}

// Shortfall is the answer to a user whose wallet cannot pay price: an
// InsufficientFunds error saying their balance, then what — a format
// given the price and the amount missing, e.g. "this reading costs %s:
// add %s to book it".
func (l *Ledger) Shortfall(ctx context.Context, userID, price int64, what string) error {
	have, err := l.Balance(ctx, l.DB.Read(), Wallet(userID))
	if err != nil {
		return err
	}
	return apperr.Errorf(apperr.InsufficientFunds, "Your balance is %s and "+what+".", FormatCents(have), FormatCents(price), FormatCents(price-have))
}
