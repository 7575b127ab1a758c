package demo

import (
	"context"
	"fmt"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/app"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/flag"
	"github.com/soulseer/soulseer/internal/forum"
)

// forumCategories are the demo forum's sections (COM-1).
var forumCategories = []forum.CategoryInput{
	{Name: "General talk", Description: "Say hello, share what a reading meant to you, and talk about anything else.", SortOrder: 1},
	{Name: "Tarot & oracle", Description: "Spreads, cards, decks and how to read them.", SortOrder: 2},
	{Name: "Readers' lounge", Slug: "readers-lounge", Description: "Where readers talk shop. Everyone may read; only readers post.", ReadersOnly: true, SortOrder: 3},
}

// forumPost is a demo post: who wrote it (an email; "" for the demo
// client, "admin" for the admin) and its Markdown.
type forumPost struct{ by, body string }

// forumThread is a demo thread: its category, title, opening post and
// replies; pinned and edited (its opening post rewritten once) as marked;
// its opening post flagged for spam by flaggedBy (emails, as posts name
// their authors), so the admin's moderation queue has an item (COM-4).
type forumThread struct {
	category, title string
	posts           []forumPost
	pinned, edited  bool
	flaggedBy       []string
}

var forumThreads = []forumThread{
	{category: "general-talk", title: "Welcome to the SoulSeer forum", pinned: true, posts: []forumPost{
		{"admin", "Welcome, everyone! This is a place to talk **between readings**.\n\n- Be kind: everyone here is looking for something.\n- No readings in the forum: book one with a reader instead.\n- Flag anything that worries you and an admin will look at it.\n\nPosts take [Markdown](https://commonmark.org/help/): *italics*, **bold**, > quotes and lists."},
		{"luna@soulseer.demo", "Thank you, Morgan! Happy to be here. Readers wear a little *Reader* badge, so you always know who is who."},
	}},
	{category: "general-talk", title: "My first reading — what a relief", edited: true, posts: []forumPost{
		{"", "I was nervous about my first reading, but Luna was so **gentle**. The Star came up and I cried a little (the good kind).\n\nHas anyone else had a card that just *knew*?"},
		{"orion@soulseer.demo", "> The Star came up and I cried a little\n\nThat card has a way of arriving exactly when it is needed. Welcome, Alex."},
		{ApplicantEmail, "Mine was the Ten of Cups the week before my wedding. I still think about it!"},
	}},
	{category: "tarot-oracle", title: "Favourite three-card spreads?", posts: []forumPost{
		{"luna@soulseer.demo", "I'll start. My go-to three cards:\n\n1. **What you bring** into the situation\n2. **What it asks** of you\n3. **Where it can go** if you listen\n\nWhat are yours?"},
		{"", "I like *past · present · future*, but yours sounds kinder. Trying it tonight!"},
		{"selene@soulseer.demo", "For a decision: *option A · option B · what you are not seeing*. The third card is always the interesting one."},
	}},
	{category: "tarot-oracle", title: "Which deck for a beginner?", posts: []forumPost{
		{ApplicantEmail, "I want to learn. Is the **Rider–Waite–Smith** deck still the best place to start?"},
		{"orion@soulseer.demo", "Yes — most books use its imagery, so everything you read will match the cards in your hands. Pick an oracle deck later, for fun."},
		{FormerMemberEmail, "Seconding Orion. I learned on the Rider–Waite–Smith and kept a card-a-day journal for a month."},
	}},
	{category: "general-talk", title: "Cheap crystals — message me", flaggedBy: []string{"", "orion@soulseer.demo"}, posts: []forumPost{
		{ApplicantEmail, "Selling **charged crystals**, half the shop price. Pay me directly and skip the fees: message me for my number."},
	}},
	{category: "readers-lounge", title: "How do you end a reading that runs long?", posts: []forumPost{
		{"selene@soulseer.demo", "Some clients want to keep going after the cards have said all they will. How do you close kindly?"},
		{"luna@soulseer.demo", "I say what the last card asks them to *do* before we speak again. It gives the reading an ending they can carry."},
	}},
}

// seedForum creates the demo forum's categories and threads, unless its
// first category already exists; the former member who replied in one
// then deletes their account.
func seedForum(ctx context.Context, a *app.App, admin, client account.User) error {
	if _, err := a.Forum.CategoryBySlug(ctx, forum.Slugify(forumCategories[0].Name)); apperr.CodeOf(err) != apperr.NotFound {
		return err
	}
	for _, c := range forumCategories {
		if _, err := a.Forum.CreateCategory(ctx, admin, c); err != nil {
			return fmt.Errorf("demo: forum category %s: %w", c.Name, err)
		}
	}
	author := func(by string) (account.User, error) {
		switch by {
		case "":
			return client, nil
		case "admin":
			return admin, nil
		case FormerMemberEmail:
			return formerMember(ctx, a)
		}
		return a.Accounts.GetByEmail(ctx, by)
	}
	for _, th := range forumThreads {
		if err := seedForumThread(ctx, a, admin, th, author); err != nil {
			return fmt.Errorf("demo: forum thread %q: %w", th.title, err)
		}
	}
	if err := deleteFormerMember(ctx, a); err != nil {
		return fmt.Errorf("demo: former member: %w", err)
	}
	return nil
}

func seedForumThread(ctx context.Context, a *app.App, admin account.User, th forumThread, author func(string) (account.User, error)) error {
	first, err := author(th.posts[0].by)
	if err != nil {
		return err
	}
	t, err := a.Forum.CreateThread(ctx, first, th.category, forum.ThreadInput{Title: th.title, Body: th.posts[0].body})
	if err != nil {
		return err
	}
	if th.edited {
		_, posts, _, err := a.Forum.Thread(ctx, t.ID, 1)
		if err != nil {
			return err
		}
		if _, err := a.Forum.EditPost(ctx, first, posts[0].ID, th.posts[0].body+"\n\n*Edit: it was Luna's Star, and yes, I booked again.*"); err != nil {
			return err
		}
	}
	for _, p := range th.posts[1:] {
		u, err := author(p.by)
		if err != nil {
			return err
		}
		if _, err := a.Forum.Reply(ctx, u, t.ID, p.body); err != nil {
			return err
		}
	}
	if th.pinned {
		yes := true
		if _, err = a.Forum.ChangeThread(ctx, admin, t.ID, forum.ThreadChange{Pinned: &yes}); err != nil {
			return err
		}
	}
	if len(th.flaggedBy) == 0 {
		return nil
	}
	_, posts, _, err := a.Forum.Thread(ctx, t.ID, 1)
	if err != nil {
		return err
	}
	for _, by := range th.flaggedBy {
		u, err := author(by)
		if err != nil {
			return err
		}
		if _, err := a.Flags.Raise(ctx, u, flag.RaiseInput{TargetType: forum.TargetPost, TargetID: posts[0].ID, Reason: "spam",
			Note: "Asks to be paid off the platform."}); err != nil {
			return err
		}
	}
	return nil
}
