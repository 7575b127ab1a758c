package forum_test

import (
	"testing"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/forum"
)

// COM-1: admins create, rename, describe, reorder, restrict and archive
// categories, each change audited; a taken address and bad input are
// refused naming the field; no one else may.
func TestCategories_COM1(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		if w.general.Slug != "general-talk" || !w.readersOnly.ReadersOnly {
			t.Errorf("created %+v and %+v", w.general, w.readersOnly)
		}
		_, err := w.forum.CreateCategory(ctx, w.admin, forum.CategoryInput{Name: "General Talk!"})
		wantCode(t, "a taken address", err, apperr.Conflict)
		wantField(t, "a taken address", err, "slug")
		_, err = w.forum.CreateCategory(ctx, w.admin, forum.CategoryInput{Name: " ", Slug: "Bad Slug"})
		wantField(t, "no name", err, "name")
		wantField(t, "a bad address", err, "slug")
		_, err = w.forum.CreateCategory(ctx, w.reader, forum.CategoryInput{Name: "Mine"})
		wantCode(t, "a reader creating a category", err, apperr.Forbidden)

		moved, err := w.forum.UpdateCategory(ctx, w.admin, w.readersOnly.ID, forum.CategoryInput{Name: "Readers' lounge", Slug: "lounge",
			Description: "For readers.", ReadersOnly: true, SortOrder: -1})
		if err != nil || moved.Name != "Readers' lounge" || moved.Slug != "lounge" || moved.Description != "For readers." {
			t.Fatalf("renamed: %+v %v", moved, err)
		}
		list, err := w.forum.Categories(ctx, false)
		if err != nil || len(list) != 2 || list[0].ID != moved.ID || list[1].ID != w.general.ID {
			t.Fatalf("index after reordering: %+v %v", list, err)
		}
		if _, err := w.forum.UpdateCategory(ctx, w.admin, w.general.ID, forum.CategoryInput{Name: w.general.Name, Archived: true}); err != nil {
			t.Fatal(err)
		}
		if list, _ := w.forum.Categories(ctx, false); len(list) != 1 {
			t.Errorf("index with one archived: %+v", list)
		}
		if all, _ := w.forum.Categories(ctx, true); len(all) != 2 || all[1].ArchivedAt == nil {
			t.Errorf("every category: %+v", all)
		}
		_, err = w.forum.UpdateCategory(ctx, w.admin, 999_999, forum.CategoryInput{Name: "Nothing"})
		wantCode(t, "no such category", err, apperr.NotFound)
		if n := len(w.audited(t, "forum_category.create")); n != 2 {
			t.Errorf("%d creations audited, want 2", n)
		}
		updates := w.audited(t, "forum_category.update")
		if len(updates) != 2 || updates[1].Details["before"] == nil {
			t.Errorf("updates audited: %+v", updates)
		}
	})
}

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{"General Talk!": "general-talk", "  Tarot & Oracle  ": "tarot-oracle", "Été 2027": "t-2027", "!!!": ""} {
		if got := forum.Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}
