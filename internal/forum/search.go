package forum

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// Hit is a post a search found, with its thread.
type Hit struct {
	ThreadID     int64  `json:"thread_id"`
	PostID       int64  `json:"post_id"`
	Title        string `json:"title"`
	CategorySlug string `json:"category_slug"`
	Author       Author `json:"author"`
	Excerpt      string `json:"excerpt"`
}

// MaxSearchLen bounds a forum search, in characters.
const MaxSearchLen = 200

// searchSQL finds, by engine, the posts standing in standing threads whose
// text or thread title holds every word of $1, best first: SQLite's FTS5
// index (the words quoted, Porter-stemmed) and PostgreSQL's full-text
// search ('english'); the only place the forum differs by engine.
var searchSQL = map[db.Engine]string{
	db.SQLite: `SELECT p.id, p.thread_id, t.title, c.slug, p.author_id, u.display_name, u.role, p.body
		FROM forum_search s JOIN forum_posts p ON p.id = s.rowid JOIN forum_threads t ON t.id = p.thread_id
		JOIN forum_categories c ON c.id = t.category_id JOIN users u ON u.id = p.author_id
		WHERE forum_search MATCH $1 AND %[1]s ORDER BY s.rank LIMIT $2`,
	db.Postgres: `SELECT p.id, p.thread_id, t.title, c.slug, p.author_id, u.display_name, u.role, p.body
		FROM forum_posts p JOIN forum_threads t ON t.id = p.thread_id
		JOIN forum_categories c ON c.id = t.category_id JOIN users u ON u.id = p.author_id,
		plainto_tsquery('english', $1) q
		WHERE p.deleted_at IS NULL AND t.deleted_at IS NULL AND %[1]s
		AND (to_tsvector('english', p.body) @@ q OR to_tsvector('english', t.title) @@ q)
		ORDER BY ts_rank(to_tsvector('english', p.body), q) + ts_rank(to_tsvector('english', t.title), q) DESC, p.id DESC LIMIT $2`,
}

// Search finds up to searchLen posts holding every word of q in their
// text or their thread's title (COM-2), leaving hidden posts and threads
// out (COM-7). An empty search finds nothing.
func (s *Service) Search(ctx context.Context, q string) ([]Hit, error) {
	if utf8.RuneCountInString(q) > MaxSearchLen {
		return nil, apperr.Validation(map[string]string{"q": fmt.Sprintf("Search with at most %d characters.", MaxSearchLen)})
	}
	words := strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	out := []Hit{}
	if len(words) == 0 {
		return out, nil
	}
	arg := strings.Join(words, " ")
	if s.DB.Engine == db.SQLite {
		arg = `"` + strings.Join(words, `" "`) + `"` // FTS5: every word, none read as an operator
	}
	shown := s.shown("p", postFlags) + " AND " + s.shown("t", threadFlags)
	rows, err := s.DB.Read().QueryContext(ctx, fmt.Sprintf(searchSQL[s.DB.Engine], shown), arg, searchLen)
	if err != nil {
		return nil, fmt.Errorf("forum: search: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h Hit
		var role, body string
		if err := rows.Scan(&h.PostID, &h.ThreadID, &h.Title, &h.CategorySlug, &h.Author.ID, &h.Author.DisplayName, &role, &body); err != nil {
			return nil, fmt.Errorf("forum: search: %w", err)
		}
		h.Author.Reader = account.Role(role) == account.RoleReader
		h.Excerpt = excerpt(body, words)
		out = append(out, h)
	}
	return out, rows.Err()
}

// excerptLen is how many characters of a post a search result shows.
const excerptLen = 200

// excerpt is the part of body around the first of words it holds.
func excerpt(body string, words []string) string {
	r := []rune(body)
	lower := []rune(strings.ToLower(body))
	at := 0
	for _, w := range words {
		if i := strings.Index(string(lower), strings.ToLower(w)); i >= 0 {
			at = utf8.RuneCountInString(string(lower)[:i])
			break
		}
	}
	start := max(0, at-excerptLen/4)
	end := min(len(r), start+excerptLen)
	s := strings.Join(strings.Fields(string(r[start:end])), " ")
	if start > 0 {
		s = "…" + s
	}
	if end < len(r) {
		s += "…"
	}
	return s
}
