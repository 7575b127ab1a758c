package demo_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/demo"
	"github.com/soulseer/soulseer/internal/forum"
)

// COM-1 COM-2: the demo forum has its three categories, the readers'
// lounge readers-only, with threads by the demo client and readers:
// Markdown rendered, a pinned welcome, an edited post with its earlier
// text kept, reader badges; loading the demo again adds nothing.
func TestDemoForum_COM2(t *testing.T) {
	eachLoaded(t, func(t *testing.T, s *apptest.Server) {
		cs, err := s.App.Forum.Categories(ctx, false)
		if err != nil || len(cs) != 3 {
			t.Fatalf("categories %+v %v", cs, err)
		}
		if cs[0].Slug != "general-talk" || cs[1].Slug != "tarot-oracle" || cs[2].Slug != "readers-lounge" || !cs[2].ReadersOnly {
			t.Errorf("categories %+v", cs)
		}
		if cs[0].ThreadCount != 3 || cs[1].ThreadCount != 2 || cs[2].ThreadCount != 1 {
			t.Errorf("thread counts %d %d %d, want 3 2 1 (once, though loaded twice)", cs[0].ThreadCount, cs[1].ThreadCount, cs[2].ThreadCount)
		}
		_, threads, _, err := s.App.Forum.Threads(ctx, "general-talk", forum.Active, 1)
		if err != nil || !threads[0].Pinned || threads[0].Title != "Welcome to the SoulSeer forum" {
			t.Fatalf("general talk %+v %v", threads, err)
		}
		first := slices.IndexFunc(threads, func(th forum.Thread) bool { return th.Title == "My first reading — what a relief" })
		if first < 0 {
			t.Fatalf("no first-reading thread in %+v", threads)
		}
		_, posts, _, err := s.App.Forum.Thread(ctx, threads[first].ID, 1)
		if err != nil || len(posts) != 3 {
			t.Fatalf("posts %+v %v", posts, err)
		}
		client, err := s.App.Accounts.GetByEmail(ctx, demo.ClientEmail)
		if err != nil {
			t.Fatal(err)
		}
		if p := posts[0]; p.Author.ID != client.ID || p.EditedAt == nil || !strings.Contains(string(p.BodyHTML), "<strong>gentle</strong>") {
			t.Errorf("the client's opening post %+v", p)
		}
		if !posts[1].Author.Reader || !strings.Contains(string(posts[1].BodyHTML), "<blockquote>") {
			t.Errorf("Orion's reply %+v", posts[1])
		}
		admin, err := s.App.Accounts.GetByEmail(ctx, demo.AdminEmail)
		if err != nil {
			t.Fatal(err)
		}
		if revs, err := s.App.Forum.Revisions(ctx, admin, posts[0].ID); err != nil || len(revs) != 1 {
			t.Errorf("revisions %+v %v", revs, err)
		}
	})
}

// COM-4 COM-6 COM-7: the demo's spam post waits in the admin's moderation
// queue with its two flags, shown behind the flagged warning (fewer flags
// than hide it); loading the demo again flags nothing more.
func TestDemoFlags_COM6(t *testing.T) {
	eachLoaded(t, func(t *testing.T, s *apptest.Server) {
		admin, err := s.App.Accounts.GetByEmail(ctx, demo.AdminEmail)
		if err != nil {
			t.Fatal(err)
		}
		q, err := s.App.Flags.Queue(ctx, admin)
		if err != nil || len(q) != 1 || len(q[0].Flags) != 2 || q[0].TargetType != forum.TargetPost || !strings.Contains(q[0].Item.Text, "charged crystals") {
			t.Fatalf("the queue %+v %v", q, err)
		}
		post, _, err := s.App.Forum.Post(ctx, q[0].TargetID)
		if err != nil {
			t.Fatal(err)
		}
		_, posts, _, err := s.App.Forum.Thread(ctx, post.ThreadID, 1)
		if err != nil || !posts[0].Flagged || posts[0].Hidden {
			t.Errorf("the flagged post %+v %v", posts, err)
		}
	})
}

// SEC-2: the demo's former member replied in the beginner's-deck thread
// and deleted their account: the reply stays as "Deleted user" with the
// text removed, their address is free to sign up again, and loading the
// demo again deletes nobody else.
func TestDemoFormerMember_SEC2(t *testing.T) {
	eachLoaded(t, func(t *testing.T, s *apptest.Server) {
		if _, err := s.App.Accounts.GetByEmail(ctx, demo.FormerMemberEmail); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("the former member's address still has an account (%v)", err)
		}
		_, threads, _, err := s.App.Forum.Threads(ctx, "tarot-oracle", forum.Active, 1)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(threads, func(th forum.Thread) bool { return th.Title == "Which deck for a beginner?" })
		if i < 0 {
			t.Fatalf("no beginner's-deck thread in %+v", threads)
		}
		_, posts, _, err := s.App.Forum.Thread(ctx, threads[i].ID, 1)
		if err != nil || len(posts) != 3 {
			t.Fatalf("posts %+v %v", posts, err)
		}
		if p := posts[2]; p.Author.DisplayName != account.DeletedName || !p.Deleted || p.Body != "" {
			t.Errorf("the former member's reply %+v", p)
		}
		var deleted int
		if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE deleted_at IS NOT NULL`).Scan(&deleted); err != nil || deleted != 1 {
			t.Errorf("%d deleted accounts (%v), want the former member's once", deleted, err)
		}
	})
}
