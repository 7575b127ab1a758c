package web

import (
	"net/http"
	"strconv"

	"github.com/soulseer/soulseer/internal/block"
)

// blockListResponse is everyone the caller has blocked.
type blockListResponse struct {
	Blocks []block.Entry `json:"blocks"`
}

// blockedUserID is the {user_id} of a blocks route; anything but a positive
// id matches nothing.
func blockedUserID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("user_id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFoundRoute
	}
	return id, nil
}

// apiBlockCreate blocks a user (ACC-6): a client blocks a reader, a reader
// a client. Blocking again changes nothing and answers the same block.
func (s *Server) apiBlockCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := blockedUserID(r)
	if err != nil {
		return err
	}
	e, err := s.Blocks.Block(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, e)
}

// apiBlockDelete lifts the caller's block of a user; a block the other
// made stays, and lifting none changes nothing.
func (s *Server) apiBlockDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := blockedUserID(r)
	if err != nil {
		return err
	}
	if err := s.Blocks.Unblock(r.Context(), userOf(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiBlocksList lists everyone the caller has blocked, most recent first.
func (s *Server) apiBlocksList(w http.ResponseWriter, r *http.Request) error {
	list, err := s.Blocks.List(r.Context(), userOf(r).ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, blockListResponse{Blocks: list})
}
