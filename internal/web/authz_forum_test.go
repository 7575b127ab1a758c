package web_test

import (
	"testing"

	"github.com/soulseer/soulseer/internal/forum"
)

// forumThreadOfA is {fslug} and {fcat}, an open forum category named
// {fname}, and in it {thread}, a thread client A started, with {post}, a
// reply of A's to it (COM-1, COM-2).
func forumThreadOfA(t *testing.T, m *authzWorld) {
	t.Helper()
	c, err := m.s.App.Forum.CategoryBySlug(ctx, "matrix-talk")
	if err != nil {
		if c, err = m.s.App.Forum.CreateCategory(ctx, m.admin, forum.CategoryInput{Name: "Matrix talk"}); err != nil {
			t.Fatal(err)
		}
	}
	th, err := m.s.App.Forum.CreateThread(ctx, m.client, c.Slug, forum.ThreadInput{Title: "Matrix thread", Body: "Opening words"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := m.s.App.Forum.Reply(ctx, m.client, th.ID, "A reply of mine")
	if err != nil {
		t.Fatal(err)
	}
	m.vals["fslug"], m.vals["fcat"], m.vals["fname"] = c.Slug, id(c.ID), c.Name
	m.vals["thread"], m.vals["post"] = id(th.ID), id(p.ID)
}
