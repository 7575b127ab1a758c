package web

import (
	"bytes"
	"context"
	"net/http"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
)

// clientMessage is what a party sends over a room's WebSocket: a
// reading's or a booking's.
type clientMessage struct {
	Type string `json:"type"` // "chat.message" or "chat.typing"
	Body string `json:"body"`
}

// decodeClientMessage reads one message a room's connection sent, under
// the rules of a JSON request body (one object of known fields, in UTF-8).
func decodeClientMessage(text []byte) (clientMessage, error) {
	var m clientMessage
	if err := decodeJSONBody(bytes.NewReader(text), &m); err != nil {
		return clientMessage{}, apperr.Errorf(apperr.Invalid, "Send JSON like {\"type\":\"chat.message\",\"body\":\"…\"}.")
	}
	return m, nil
}

// chatSocket is the OnMessage of a room's WebSocket: a "chat.message" is
// said, a "chat.typing" announced, anything else refused.
func chatSocket(say func(ctx context.Context, body string) error, typing func(ctx context.Context) error) func(ctx context.Context, text []byte) error {
	return func(ctx context.Context, text []byte) error {
		m, err := decodeClientMessage(text)
		if err != nil {
			return err
		}
		switch m.Type {
		case "chat.message":
			return say(ctx, m.Body)
		case "chat.typing":
			return typing(ctx)
		}
		return apperr.Errorf(apperr.Invalid, "Unknown message type %q.", m.Type)
	}
}

// apiMessageRequest is the body of POST …/{id}/messages of a room.
type apiMessageRequest struct {
	Body string `json:"body"`
}

// chatMessagesList answers GET …/{id}/messages of a room (OD-9, SCH-6):
// its chat in order, as transcript shows it to the caller.
func chatMessagesList[M any](transcript func(ctx context.Context, viewer account.User, id int64) ([]M, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		msgs, err := transcript(r.Context(), userOf(r), id)
		if err != nil {
			return err
		}
		if msgs == nil {
			msgs = []M{}
		}
		return writeJSON(w, http.StatusOK, map[string]any{"messages": msgs})
	}
}

// chatMessageCreate answers POST …/{id}/messages of a room: the caller
// says the body's message without a WebSocket, and gets it back with 201.
func chatMessageCreate[M any](say func(ctx context.Context, who account.User, id int64, body string) (M, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		var req apiMessageRequest
		if err := decodeJSON(w, r, &req); err != nil {
			return err
		}
		m, err := say(r.Context(), userOf(r), id, req.Body)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusCreated, m)
	}
}
