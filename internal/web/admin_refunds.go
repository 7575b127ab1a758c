package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/payment"
)

// adminRefundsPage is the data of /admin/refunds/.
type adminRefundsPage struct {
	Page
	Refunds []payment.Refund
	Review  []payment.Refund // card refunds Stripe never confirmed or refused: an admin decides
	// Credits admins asked for their own wallets: another admin decides.
	Requests []payment.AdjustmentRequest
	Key      string
	Message  string
	// Errors are the field errors of the form named by ErrorForm ("topup-7",
	// "charge-12", "review-3", "request-4" or "adjust", as the ids of the
	// forms' rows): shown beside that form, or under the message when the
	// form is not on the page.
	Errors    map[string]string
	ErrorForm string
	// The user being looked up, with what can be refunded; or, when several
	// users match, the ones to choose from.
	Lookup      string
	Found       *account.User
	Matches     []account.User
	MoreMatches bool
	UserBalance int64 // the found user's wallet (Page.Balance is the admin's own)
	TopUps      []payment.TopUp
	Charges     []refundableCharge
	forms       map[string]bool // the ids of the forms on the page
}

// refundableCharge is a wallet charge with how much of it was refunded.
type refundableCharge struct {
	ledger.Entry
	Refunded int64
}

// Left is how much of the charge can still go back to the wallet.
func (c refundableCharge) Left() int64 { return -c.Amount - c.Refunded }

// FormErrors returns the field errors of the form with that id.
func (p adminRefundsPage) FormErrors(form string) map[string]string {
	if form != p.ErrorForm {
		return nil
	}
	return p.Errors
}

// ErrorShown reports whether the failed form is on the page, where its
// field errors stand beside it.
func (p adminRefundsPage) ErrorShown() bool { return p.forms[p.ErrorForm] }

// adminRefundsShow renders the refunds page: find a user, then refund a
// top-up to the card or a wallet charge to the wallet, or adjust the wallet
// (WAL-7, WAL-8); and decide the credits other admins asked for their own
// wallets (SEC-4).
func (s *Server) adminRefundsShow(w http.ResponseWriter, r *http.Request) error {
	data := adminRefundsPage{Page: s.page(w, r, "Refunds & adjustments"), Key: payment.NewKey(), Lookup: r.URL.Query().Get("user")}
	return s.renderRefunds(w, r, http.StatusOK, data)
}

func (s *Server) renderRefunds(w http.ResponseWriter, r *http.Request, status int, data adminRefundsPage) error {
	ctx := r.Context()
	var err error
	if data.Refunds, err = s.Payments.Refunds(ctx, "", 50); err != nil {
		return err
	}
	if data.Review, err = s.Payments.Refunds(ctx, payment.RefundReview, 500); err != nil {
		return err
	}
	if data.Requests, err = s.Payments.AdjustmentRequests(ctx, payment.AdjustPending, 500); err != nil {
		return err
	}
	data.forms = map[string]bool{}
	for _, ref := range data.Review {
		data.forms["review-"+strconv.FormatInt(ref.ID, 10)] = true
	}
	for _, a := range data.Requests {
		data.forms["request-"+strconv.FormatInt(a.ID, 10)] = true
	}
	if q := strings.TrimSpace(data.Lookup); q != "" {
		u, err := s.lookupUser(ctx, q, &data)
		if e := apperr.As(err); e != nil && e.Code == apperr.Invalid {
			if data.Message == "" {
				data.Message = e.Fields["q"]
			}
		} else if err != nil {
			return err
		}
		if u != nil {
			if err := s.fillRefundable(ctx, *u, &data); err != nil {
				return err
			}
		} else if data.Matches == nil && data.Message == "" {
			data.Message = "No user matches " + q + "."
		}
	}
	return s.render(w, status, "admin_refunds", data)
}

// lookupUser finds the user an admin asked for: by id, or by (part of) an
// email or display name, within the search bound of every user search. A
// single match, or an exact email, is the user; several matches are listed
// on the page to choose from.
func (s *Server) lookupUser(ctx context.Context, q string, data *adminRefundsPage) (*account.User, error) {
	if id, err := strconv.ParseInt(q, 10, 64); err == nil {
		u, err := s.Accounts.Get(ctx, id)
		if apperr.CodeOf(err) == apperr.NotFound {
			return nil, nil
		}
		return &u, err
	}
	const most = 20
	list, total, err := s.Accounts.List(ctx, account.ListFilter{Query: q, Limit: most})
	if err != nil {
		return nil, err
	}
	for _, u := range list {
		if strings.EqualFold(u.Email, q) {
			return &u, nil
		}
	}
	if len(list) == 1 {
		return &list[0], nil
	}
	if len(list) > 1 {
		data.Matches, data.MoreMatches = list, total > most
	}
	return nil, nil
}

// fillRefundable puts the user's wallet, top-ups and wallet charges on the
// page, each charge with how much of it was refunded already.
func (s *Server) fillRefundable(ctx context.Context, u account.User, data *adminRefundsPage) error {
	data.Found = &u
	var err error
	if data.UserBalance, err = s.Ledger.Balance(ctx, s.DB.Read(), ledger.Wallet(u.ID)); err != nil {
		return err
	}
	if data.TopUps, err = s.Payments.TopUps(ctx, u.ID, 20); err != nil {
		return err
	}
	for _, t := range data.TopUps {
		data.forms["topup-"+strconv.FormatInt(t.ID, 10)] = true
	}
	entries, err := s.Ledger.Entries(ctx, ledger.Wallet(u.ID), ledger.EntryFilter{Limit: 50})
	if err != nil {
		return err
	}
	refunded, err := s.Payments.RefundedCharges(ctx, u.ID)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Amount < 0 && e.Type != ledger.TypeRefund && e.Type != ledger.TypeAdjustment && e.Type != ledger.TypeDisputeHold {
			data.Charges = append(data.Charges, refundableCharge{Entry: e, Refunded: refunded[e.TransferID]})
			data.forms["charge-"+strconv.FormatInt(e.TransferID, 10)] = true
		}
	}
	data.forms["adjust"] = true
	return nil
}

// moneyFieldError is what every money form says about an amount
// ledger.ParseCents refuses.
const moneyFieldError = "Enter an amount in dollars with at most two decimals, such as 25 or 3.99."

func formInt(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(r.PostFormValue(name)), 10, 64)
	return n
}

// adminRefundCreate makes a refund from the refunds page.
func (s *Server) adminRefundCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	in := payment.RefundInput{Kind: r.PostFormValue("kind"), TopUpID: formInt(r, "topup_id"), TransferID: formInt(r, "transfer_id"),
		Reason: r.PostFormValue("reason"), Key: r.PostFormValue("key")}
	if v := strings.TrimSpace(r.PostFormValue("amount")); v != "" {
		c, ok := ledger.ParseCents(v)
		if !ok || c == 0 {
			return s.refundsFormError(w, r, refundForm(in), apperr.Validation(map[string]string{"amount_cents": moneyFieldError}))
		}
		in.AmountCents = c
	}
	ref, err := s.Payments.RefundMoney(r.Context(), userOf(r), in)
	if err != nil {
		return s.refundsFormError(w, r, refundForm(in), err)
	}
	s.setFlash(w, "Refund of "+ledger.FormatCents(ref.AmountCents)+" recorded ("+ref.Status+").")
	http.Redirect(w, r, "/admin/refunds/?user="+strconv.FormatInt(ref.UserID, 10), http.StatusSeeOther)
	return nil
}

// adminAdjustmentCreate credits or debits a wallet from the refunds page.
func (s *Server) adminAdjustmentCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	in := payment.AdjustInput{UserID: formInt(r, "user_id"), Reason: r.PostFormValue("reason"), Key: r.PostFormValue("key")}
	c, ok := ledger.ParseCents(r.PostFormValue("amount"))
	if !ok || c == 0 {
		return s.refundsFormError(w, r, "adjust", apperr.Validation(map[string]string{"amount_cents": moneyFieldError}))
	}
	in.AmountCents = c
	if r.PostFormValue("direction") == "debit" {
		in.AmountCents = -c
	}
	res, err := s.Payments.Adjust(r.Context(), userOf(r), in)
	if err != nil {
		return s.refundsFormError(w, r, "adjust", err)
	}
	if res.RequestID != 0 {
		s.setFlash(w, "A credit to your own wallet needs a second admin: request "+strconv.FormatInt(res.RequestID, 10)+
			" for "+ledger.FormatCents(in.AmountCents)+" is "+res.Status+".")
	} else {
		s.setFlash(w, "Adjustment of "+ledger.FormatCents(in.AmountCents)+" recorded.")
	}
	http.Redirect(w, r, "/admin/refunds/?user="+strconv.FormatInt(in.UserID, 10), http.StatusSeeOther)
	return nil
}

// refundForm is the id of the form a refund was asked from: the top-up's
// or the charge's row.
func refundForm(in payment.RefundInput) string {
	if in.Kind == payment.RefundCard {
		return "topup-" + strconv.FormatInt(in.TopUpID, 10)
	}
	return "charge-" + strconv.FormatInt(in.TransferID, 10)
}

// refundsFormError shows the refunds page again with what was wrong with
// the form whose id is form, beside that form.
func (s *Server) refundsFormError(w http.ResponseWriter, r *http.Request, form string, err error) error {
	e := apperr.As(err)
	if e == nil || (e.Code != apperr.Invalid && e.Code != apperr.InsufficientFunds && e.Code != apperr.Conflict && e.Code != apperr.NotFound) {
		return err
	}
	data := adminRefundsPage{Page: s.page(w, r, "Refunds & adjustments"), Key: payment.NewKey(), Errors: e.Fields, ErrorForm: form,
		Message: e.Message, Lookup: r.PostFormValue("lookup")}
	return s.renderRefunds(w, r, statusOf(e.Code), data)
}

// apiRefundRequest is the body of POST /api/v1/admin/refunds.
type apiRefundRequest struct {
	Kind           string `json:"kind"`
	TopUpID        int64  `json:"topup_id"`
	TransferID     int64  `json:"transfer_id"`
	AmountCents    int64  `json:"amount_cents"`
	Reason         string `json:"reason"`
	IdempotencyKey string `json:"idempotency_key"`
}

// refundResponse is a refund in API responses.
type refundResponse struct {
	ID                 int64  `json:"id"`
	Kind               string `json:"kind"`
	UserID             int64  `json:"user_id"`
	TopUpID            int64  `json:"topup_id,omitempty"`
	OriginalTransferID int64  `json:"transfer_id,omitempty"`
	AmountCents        int64  `json:"amount_cents"`
	Reason             string `json:"reason"`
	Status             string `json:"status"`
	StripeRefundID     string `json:"stripe_refund_id,omitempty"`
	Failure            string `json:"failure,omitempty"`
}

func refundJSON(r payment.Refund) refundResponse {
	return refundResponse{ID: r.ID, Kind: r.Kind, UserID: r.UserID, TopUpID: r.TopUpID, OriginalTransferID: r.OriginalTransferID,
		AmountCents: r.AmountCents, Reason: r.Reason, Status: r.Status, StripeRefundID: r.StripeRefundID, Failure: r.Failure}
}

// apiAdminRefundCreate refunds a top-up to the card or a charge to the wallet (WAL-7).
func (s *Server) apiAdminRefundCreate(w http.ResponseWriter, r *http.Request) error {
	var req apiRefundRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	ref, err := s.Payments.RefundMoney(r.Context(), userOf(r), payment.RefundInput{Kind: req.Kind, TopUpID: req.TopUpID,
		TransferID: req.TransferID, AmountCents: req.AmountCents, Reason: req.Reason, Key: req.IdempotencyKey})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, refundJSON(ref))
}

// apiAdminRefundsList lists recent refunds.
func (s *Server) apiAdminRefundsList(w http.ResponseWriter, r *http.Request) error {
	list, err := s.Payments.Refunds(r.Context(), "", 200)
	if err != nil {
		return err
	}
	out := make([]refundResponse, 0, len(list))
	for _, ref := range list {
		out = append(out, refundJSON(ref))
	}
	return writeJSON(w, http.StatusOK, map[string]any{"refunds": out})
}

// apiAdjustmentRequest is the body of POST /api/v1/admin/adjustments.
type apiAdjustmentRequest struct {
	UserID         int64  `json:"user_id"`
	AmountCents    int64  `json:"amount_cents"`
	Reason         string `json:"reason"`
	IdempotencyKey string `json:"idempotency_key"`
}

// adjustmentResponse is what POST /api/v1/admin/adjustments did.
type adjustmentResponse struct {
	Status     string `json:"status"`
	TransferID int64  `json:"transfer_id,omitempty"`
	RequestID  int64  `json:"request_id,omitempty"`
	Replayed   bool   `json:"replayed"`
}

// apiAdminAdjustmentCreate credits (positive) or debits (negative) a wallet
// (WAL-8): 201 when the money moved, 202 when it is a credit to the
// caller's own wallet waiting for another admin (SEC-4), 200 when the
// idempotency key was used before.
func (s *Server) apiAdminAdjustmentCreate(w http.ResponseWriter, r *http.Request) error {
	var req apiAdjustmentRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	res, err := s.Payments.Adjust(r.Context(), userOf(r), payment.AdjustInput{UserID: req.UserID, AmountCents: req.AmountCents,
		Reason: req.Reason, Key: req.IdempotencyKey})
	if err != nil {
		return err
	}
	status := http.StatusCreated
	switch {
	case res.Replayed:
		status = http.StatusOK
	case res.Status == payment.AdjustPending:
		status = http.StatusAccepted
	}
	return writeJSON(w, status, adjustmentResponse{Status: res.Status, TransferID: res.TransferID, RequestID: res.RequestID, Replayed: res.Replayed})
}

// adminRefundResolve settles a card refund in review from the refunds page.
func (s *Server) adminRefundResolve(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	ref, err := s.Payments.ResolveRefund(r.Context(), userOf(r), id, r.PostFormValue("action"), r.PostFormValue("stripe_refund_id"))
	if err != nil {
		return s.refundsFormError(w, r, "review-"+strconv.FormatInt(id, 10), err)
	}
	s.setFlash(w, "Refund "+strconv.FormatInt(ref.ID, 10)+" is now "+ref.Status+".")
	http.Redirect(w, r, "/admin/refunds/", http.StatusSeeOther)
	return nil
}

// apiRefundResolveRequest is the body of POST /api/v1/admin/refunds/{id}/resolve.
type apiRefundResolveRequest struct {
	Action         string `json:"action"`
	StripeRefundID string `json:"stripe_refund_id"`
}

// apiAdminRefundResolve settles a card refund in review (WAL-7).
func (s *Server) apiAdminRefundResolve(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req apiRefundResolveRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	ref, err := s.Payments.ResolveRefund(r.Context(), userOf(r), id, req.Action, req.StripeRefundID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, refundJSON(ref))
}
