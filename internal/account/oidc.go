package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// OIDCProvider signs users in through an OpenID Connect issuer such as Auth0
// (ACC-2). Discovery happens on first use, so an issuer that is briefly down
// does not stop the site from starting.
type OIDCProvider struct {
	Name         string // shown on the button, e.g. "Auth0"
	Issuer       string
	ClientID     string
	ClientSecret string
	RedirectURL  string

	mu       sync.Mutex
	provider *oidc.Provider
}

func (p *OIDCProvider) discover(ctx context.Context) (*oidc.Provider, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.provider != nil {
		return p.provider, nil
	}
	prov, err := oidc.NewProvider(ctx, p.Issuer)
	if err != nil {
		return nil, &apperr.Error{Code: apperr.Unavailable, Message: "Sign-in with " + p.Name + " is not reachable right now. Please try again or use email and password."}
	}
	p.provider = prov
	return prov, nil
}

func (p *OIDCProvider) oauth(prov *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     p.ClientID,
		ClientSecret: p.ClientSecret,
		RedirectURL:  p.RedirectURL,
		Endpoint:     prov.Endpoint(),
		Scopes:       []string{oidc.ScopeOpenID, "profile", "email"},
	}
}

// AuthCodeURL returns where to send the browser to sign in. state and nonce
// tie the callback to this browser; verifier is the PKCE secret.
func (p *OIDCProvider) AuthCodeURL(ctx context.Context, state, nonce, verifier string) (string, error) {
	prov, err := p.discover(ctx)
	if err != nil {
		return "", err
	}
	return p.oauth(prov).AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), nil
}

// Identity is who the issuer says signed in.
type Identity struct {
	Issuer        string
	Subject       string
	Email         string
	EmailVerified bool
	Name          string
}

// Exchange trades the callback's code for a verified ID token and returns
// the identity in it; the token's nonce must match.
func (p *OIDCProvider) Exchange(ctx context.Context, code, verifier, nonce string) (Identity, error) {
	prov, err := p.discover(ctx)
	if err != nil {
		return Identity{}, err
	}
	tok, err := p.oauth(prov).Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return Identity{}, fmt.Errorf("account: oidc exchange: %w", err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok {
		return Identity{}, errors.New("account: oidc: no id_token in response")
	}
	idt, err := prov.Verifier(&oidc.Config{ClientID: p.ClientID}).Verify(ctx, raw)
	if err != nil {
		return Identity{}, fmt.Errorf("account: oidc verify: %w", err)
	}
	if idt.Nonce != nonce {
		return Identity{}, errors.New("account: oidc: nonce mismatch")
	}
	var claims struct {
		Email         string `json:"email"`
		EmailVerified bool   `json:"email_verified"`
		Name          string `json:"name"`
		Nickname      string `json:"nickname"`
	}
	if err := idt.Claims(&claims); err != nil {
		return Identity{}, fmt.Errorf("account: oidc claims: %w", err)
	}
	name := claims.Name
	if name == "" {
		name = claims.Nickname
	}
	return Identity{Issuer: idt.Issuer, Subject: idt.Subject, Email: claims.Email, EmailVerified: claims.EmailVerified, Name: name}, nil
}

// LoginOIDC returns the user for an identity: the one linked to it, else the
// account with the same verified email (now linked), else a new client
// account (ACC-2).
func (s *Service) LoginOIDC(ctx context.Context, id Identity) (User, error) {
	if id.Issuer == "" || id.Subject == "" {
		return User{}, errors.New("account: oidc identity without issuer or subject")
	}
	var userID int64
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT user_id FROM oidc_identities WHERE issuer = $1 AND subject = $2`, id.Issuer, id.Subject).Scan(&userID)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		email, emailErr := NormalizeEmail(id.Email)
		if emailErr != nil {
			return apperr.Errorf(apperr.Invalid, "Your %s account has no usable email address.", "sign-in provider")
		}
		existing, err := getUser(ctx, tx, "email = $1", email)
		switch {
		case err == nil && id.EmailVerified:
			userID = existing.ID
		case err == nil:
			return apperr.Errorf(apperr.Conflict, "An account with this email already exists. Log in with your password, or verify your email with the provider first.")
		case apperr.CodeOf(err) == apperr.NotFound && !id.EmailVerified:
			// An unverified address could belong to someone else, who would
			// later share this account through a password reset.
			return apperr.Errorf(apperr.Conflict, "Please verify your email address with your sign-in provider first.")
		case apperr.CodeOf(err) == apperr.NotFound:
			name, nameErr := NormalizeDisplayName(id.Name)
			if nameErr != nil {
				name, _ = NormalizeDisplayName(strings.Split(email, "@")[0])
			}
			u, err := s.insertUser(ctx, tx, email, name, "", nil, RoleClient)
			if err != nil {
				return err
			}
			userID = u.ID
		default:
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO oidc_identities (issuer, subject, user_id, created_at) VALUES ($1, $2, $3, $4)`,
			id.Issuer, id.Subject, userID, db.Millis(s.Clock.Now()))
		return err
	})
	if err != nil {
		return User{}, err
	}
	return s.touchLogin(ctx, userID)
}
