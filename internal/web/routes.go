package web

import (
	"net/http"
	"net/url"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/reading"
)

// access is who may use a route. It is checked on the server before the
// handler runs (ACC-3).
type access int

const (
	public   access = iota // anyone, signed in or not
	signedIn               // any signed-in user
	readers                // users with role reader
	admins                 // users with role admin
)

// check returns nil when u may use a route with this access.
func (a access) check(u account.User) error {
	if a == public {
		return nil
	}
	if u.ID == 0 {
		return apperr.Errorf(apperr.Unauthorized, "Please log in.")
	}
	switch {
	case a == readers && u.Role != account.RoleReader:
		return apperr.Errorf(apperr.Forbidden, "Only readers can do this.")
	case a == admins && u.Role != account.RoleAdmin:
		return apperr.Errorf(apperr.Forbidden, "Only admins can do this.")
	}
	return nil
}

// handlerFunc handles a request and returns an error for the route's error
// page or problem document.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// route is one entry in the route table.
type route struct {
	method  string
	pattern string
	access  access
	api     bool // errors as application/problem+json rather than HTML pages
	// twoFactor: only users with two-factor sign-in may use the route, as
	// for every admin route (ACC-7).
	twoFactor bool
	handle    handlerFunc
}

// needsTwoFactor marks a route that changes where money goes: only a user
// with two-factor sign-in may use it (ACC-7).
func needsTwoFactor(rt route) route {
	rt.twoFactor = true
	return rt
}

// errEnrolTwoFactor refuses an admin route, or one that changes where
// money goes, to a user without two-factor sign-in (ACC-7).
var errEnrolTwoFactor = &apperr.Error{Code: apperr.Forbidden, Problem: "two-factor-enrollment-required",
	Message: "Turn on two-factor sign-in first: it is required to run the platform or change where earnings are paid."}

// checkTwoFactor returns errEnrolTwoFactor when u may not use rt without
// two-factor sign-in.
func (rt route) checkTwoFactor(u account.User) error {
	if (rt.access == admins || rt.twoFactor) && !u.TwoFactor {
		return errEnrolTwoFactor
	}
	return nil
}

// routeTable is every route SoulSeer serves, in one place.
func (s *Server) routeTable() []route {
	page := func(method, pattern string, a access, h handlerFunc) route {
		return route{method: method, pattern: pattern, access: a, handle: h}
	}
	api := func(method, pattern string, a access, h handlerFunc) route {
		return route{method: method, pattern: "/api/v1" + pattern, access: a, api: true, handle: h}
	}
	return []route{
		// Operations.
		page("GET", "/healthz", public, s.healthShow),
		page("GET", "/readyz", public, s.readyShow),
		{method: "GET", pattern: "/metrics", access: public, api: true, handle: s.metricsShow},
		page("GET", "/static/{path...}", public, s.staticShow),
		page("GET", "/media/{key...}", public, s.mediaShow),

		// Public pages.
		page("GET", "/{$}", public, s.landingShow),
		page("GET", "/readers", public, s.directoryShow),
		page("GET", "/readers/{id}", public, s.readerShow),
		page("GET", "/slots", public, s.slotsShow),

		// Sign-up, login, password reset, OIDC.
		page("GET", "/signup", public, s.signupShow),
		page("POST", "/signup", public, s.signupCreate),
		page("GET", "/login", public, s.loginShow),
		page("POST", "/login", public, s.loginCreate),
		page("GET", "/login/two-factor", public, s.loginTwoFactorShow),
		page("POST", "/login/two-factor", public, s.loginTwoFactorCreate),
		page("POST", "/logout", public, s.logoutCreate),
		page("GET", "/password/forgot", public, s.passwordForgotShow),
		page("POST", "/password/forgot", public, s.passwordForgotCreate),
		page("GET", "/password/reset", public, s.passwordResetShow),
		page("POST", "/password/reset", public, s.passwordResetCreate),
		page("GET", "/auth/oidc/login", public, s.oidcLoginStart),
		page("GET", "/auth/oidc/callback", public, s.oidcLoginFinish),

		// Signed-in pages.
		page("GET", "/dashboard", signedIn, s.clientDashboardShow),
		page("POST", "/dashboard/tokens/{id}/revoke", signedIn, s.tokenDelete),
		page("POST", "/readers/{id}/favorite", signedIn, s.favoriteCreate),
		page("POST", "/readers/{id}/unfavorite", signedIn, s.favoriteDelete),
		page("POST", "/readers/{id}/watch", signedIn, s.onlineWatchCreate),
		page("POST", "/readers/{id}/unwatch", signedIn, s.onlineWatchDelete),

		// Notifications and blocking.
		page("GET", "/notifications", signedIn, s.notificationsShow),
		page("GET", "/notifications/latest", signedIn, s.notificationsLatest),
		page("POST", "/notifications/read", signedIn, s.notificationsRead),
		page("GET", "/notifications/preferences", signedIn, s.notificationPreferencesShow),
		page("POST", "/notifications/preferences", signedIn, s.notificationPreferencesUpdate),
		page("GET", "/notifications/unsubscribe/{token}", public, s.notificationUnsubscribeShow),
		page("POST", "/notifications/unsubscribe/{token}", public, s.notificationUnsubscribe),
		page("GET", "/account/blocked", signedIn, s.blockedShow),
		page("POST", "/account/blocked", signedIn, s.blockCreate),
		page("POST", "/account/blocked/{id}/unblock", signedIn, s.blockDelete),

		// Account settings and applications to become a reader.
		page("GET", "/account", signedIn, s.accountShow),
		page("POST", "/account", signedIn, s.accountUpdate),
		page("POST", "/account/avatar", signedIn, s.accountAvatarUpdate),
		page("POST", "/account/email", signedIn, s.accountEmailCreate),
		page("GET", "/account/email/confirm", public, s.accountEmailConfirmShow),
		page("POST", "/account/email/confirm", public, s.accountEmailConfirm),
		page("POST", "/account/password", signedIn, s.accountPasswordUpdate),
		page("POST", "/account/sessions/{id}/end", signedIn, s.accountSessionDelete),
		page("POST", "/account/sessions/end-others", signedIn, s.accountSessionsEnd),
		page("GET", "/account/two-factor", signedIn, s.accountTwoFactorShow), // two-factor sign-in (ACC-7)
		page("POST", "/account/two-factor/setup", signedIn, s.accountTwoFactorSetup),
		page("POST", "/account/two-factor/confirm", signedIn, s.accountTwoFactorConfirm),
		page("POST", "/account/two-factor/recovery-codes", signedIn, s.accountTwoFactorCodes),
		page("POST", "/account/two-factor/disable", signedIn, s.accountTwoFactorDisable),
		page("GET", "/become-a-reader", signedIn, s.readerApplicationShow),
		page("POST", "/become-a-reader", signedIn, s.readerApplicationCreate),
		page("GET", "/accounts/export/{$}", signedIn, s.dataExportShow), // a copy of one's data (SEC-1)
		page("POST", "/accounts/export/{$}", signedIn, s.dataExportCreate),
		page("GET", "/accounts/export/{id}/download", signedIn, s.dataExportDownload),
		page("GET", "/accounts/delete-account/{$}", signedIn, s.deleteAccountShow), // account deletion (SEC-2)
		page("POST", "/accounts/delete-account/{$}", signedIn, s.deleteAccountCreate),
		page("GET", "/accounts/delete-account/confirm", public, s.deleteAccountConfirmShow),
		page("POST", "/accounts/delete-account/confirm", public, s.deleteAccountConfirm),

		// Wallet, top-ups and the Stripe webhook.
		page("GET", "/wallet", signedIn, s.walletShow),
		page("GET", "/wallet/entries", signedIn, s.walletEntriesShow),
		page("POST", "/wallet/topups", signedIn, s.topUpCreate),
		page("GET", "/wallet/history", signedIn, s.walletHistoryShow),
		page("GET", "/wallet/limits", signedIn, s.walletLimitsShow), // spending limits (WAL-11)
		page("POST", "/wallet/limits", signedIn, s.walletLimitsUpdate),
		page("POST", "/wallet/limits/pause", signedIn, s.walletLimitsPause),
		page("POST", "/wallet/limits/pause/end", signedIn, s.walletLimitsPauseEnd),
		page("GET", "/wallet/auto-reload", signedIn, s.walletAutoReloadShow), // auto-reload (WAL-12)
		page("POST", "/wallet/auto-reload", signedIn, s.walletAutoReloadUpdate),
		page("POST", "/wallet/auto-reload/off", signedIn, s.walletAutoReloadOff),
		page("GET", "/wallet/history.csv", signedIn, s.walletHistoryCSV),
		page("GET", "/wallet/test-checkout/{session}", signedIn, s.testCheckoutShow),
		page("POST", "/wallet/test-checkout/{session}/pay", signedIn, s.testCheckoutPay),
		page("GET", "/wallet/test-card/{session}", signedIn, s.testCardShow),
		page("POST", "/wallet/test-card/{session}/save", signedIn, s.testCardSave),
		{method: "POST", pattern: "/stripe/webhook/{$}", access: public, api: true, handle: s.stripeWebhookCreate},

		// Readings.
		page("POST", "/readers/{id}/reading", signedIn, s.readingCreate),
		page("POST", "/readers/{id}/queue", signedIn, s.queueCreate),
		page("POST", "/readers/{id}/unqueue", signedIn, s.queueDelete),
		page("GET", "/readings", signedIn, s.readingHistoryShow),
		page("GET", "/readings/{id}", signedIn, s.readingRoomShow),
		page("POST", "/readings/{id}/accept", readers, s.readingActPage((*reading.Service).Accept)),
		page("POST", "/readings/{id}/decline", readers, s.readingActPage((*reading.Service).Decline)),
		page("POST", "/readings/{id}/end", signedIn, s.readingActPage((*reading.Service).End)),
		page("POST", "/readings/{id}/resume", signedIn, s.readingActPage((*reading.Service).Resume)),
		page("POST", "/readings/{id}/review", signedIn, s.readingReviewCreate),
		page("POST", "/readings/{id}/claim", signedIn, s.readingClaimCreate),
		page("POST", "/readings/{id}/note", signedIn, s.readingNoteUpdate),
		page("GET", "/bookings/{id}/room", signedIn, s.bookingRoomShow), // a booked reading's room (SCH-6)

		// Scheduled readings.
		page("GET", "/readers/{id}/book", signedIn, s.bookingNew),
		page("POST", "/readers/{id}/book", signedIn, s.bookingCreate),
		page("GET", "/bookings", signedIn, s.bookingsShow),
		page("GET", "/bookings/{id}", signedIn, s.bookingShow),
		page("POST", "/bookings/{id}/cancel", signedIn, s.bookingCancel),
		page("GET", "/bookings/{id}/calendar.ics", signedIn, s.apiBookingCalendarShow), // the same file as the API serves

		// Messages.
		page("GET", "/messages", signedIn, s.messagesShow),
		page("GET", "/messages/new", signedIn, s.messageNewShow),
		page("POST", "/messages", signedIn, s.messageCreate),
		page("POST", "/messages/{id}/unlock", signedIn, s.messageUnlock),
		page("GET", "/conversations/{id}", signedIn, s.conversationShow),

		// Livestreams.
		page("GET", "/streams/{id}", signedIn, s.streamShow),
		page("POST", "/streams/{id}/ticket", signedIn, s.streamTicketCreate),
		page("POST", "/streams/{id}/end", signedIn, s.streamEnd),
		page("GET", "/streams/{id}/moderation", signedIn, s.streamModerationShow),
		page("GET", "/readers/{id}/subscribe", signedIn, s.subscriptionNew), // a reader's monthly subscription (LIV-3)
		page("POST", "/readers/{id}/subscribe", signedIn, s.subscriptionCreate),
		page("POST", "/readers/{id}/unsubscribe", signedIn, s.subscriptionCancel),
		page("GET", "/subscriptions", signedIn, s.subscriptionsShow),

		// Forum (COM-1, COM-2): anyone reads; signed-in users write.
		page("GET", "/forum", public, s.forumShow),
		page("GET", "/forum/search", public, s.forumSearchShow),
		page("GET", "/forum/c/{slug}", public, s.forumCategoryShow),
		page("GET", "/forum/c/{slug}/new", signedIn, s.forumThreadNew),
		page("POST", "/forum/c/{slug}/threads", signedIn, s.forumThreadCreate),
		page("GET", "/forum/t/{id}", public, s.forumThreadShow),
		page("POST", "/forum/t/{id}/posts", signedIn, s.forumReplyCreate),
		page("POST", "/forum/t/{id}/moderate", admins, s.forumThreadUpdate),
		page("GET", "/forum/posts/{id}", public, s.forumPostShow),
		page("GET", "/forum/posts/{id}/edit", signedIn, s.forumPostEdit),
		page("POST", "/forum/posts/{id}/edit", signedIn, s.forumPostUpdate),
		page("POST", "/forum/posts/{id}/delete", signedIn, s.forumPostDelete),
		page("GET", "/forum/posts/{id}/revisions", admins, s.forumRevisionsShow),

		// Shop (SHOP-1 … SHOP-8): anyone browses; the cart is the browser's;
		// orders and downloads are their buyer's.
		page("GET", "/shop", public, s.shopShow),
		page("GET", "/shop/products/{id}", public, s.shopProductShow),
		page("GET", "/shop/cart", public, s.shopCartShow),
		page("POST", "/shop/cart", public, s.shopCartUpdate),
		page("GET", "/shop/checkout", signedIn, s.shopCheckoutNew),
		page("POST", "/shop/checkout", signedIn, s.shopCheckoutCreate),
		page("GET", "/shop/orders", signedIn, s.shopOrdersShow),
		page("GET", "/shop/orders/{id}", signedIn, s.shopOrderShow),
		page("POST", "/shop/orders/{id}/downloads", signedIn, s.shopDownloadCreate),
		page("GET", "/shop/downloads/{item}", signedIn, s.shopDownloadShow),
		page("GET", "/admin/shop", admins, s.adminShopShow),
		page("POST", "/admin/shop/sync", admins, s.adminShopSync),
		page("GET", "/admin/shop/products/new", admins, s.adminShopProductNew),
		page("POST", "/admin/shop/products/new", admins, s.adminShopProductCreate),
		page("GET", "/admin/shop/products/{id}", admins, s.adminShopProductEdit),
		page("POST", "/admin/shop/products/{id}", admins, s.adminShopProductUpdate),
		page("GET", "/admin/shop/coupons", admins, s.adminShopCouponsShow),
		page("POST", "/admin/shop/coupons", admins, s.adminShopCouponCreate),
		page("POST", "/admin/shop/coupons/{id}", admins, s.adminShopCouponUpdate),
		page("GET", "/admin/shop/orders", admins, s.adminShopOrdersShow),
		page("GET", "/admin/shop/orders/{id}", admins, s.adminShopOrderShow),
		page("POST", "/admin/shop/orders/{id}/ship", admins, s.adminShopOrderShip),
		page("POST", "/admin/shop/orders/{id}/deliver", admins, s.adminShopOrderDeliver),
		page("POST", "/admin/shop/orders/{id}/refund", admins, s.adminShopOrderRefund),

		// Reader pages.
		page("GET", "/reader/dashboard", readers, s.readerDashboardShow),
		page("GET", "/reader/profile", readers, s.readerProfileEdit),
		page("POST", "/reader/profile", readers, s.readerProfileUpdate),
		page("POST", "/reader/avatar", readers, s.readerAvatarUpdate),
		page("POST", "/reader/presence", readers, s.presenceUpdate),
		page("GET", "/reader/readings", readers, s.readerReadingsShow),
		page("GET", "/reader/availability", readers, s.availabilityShow),
		page("POST", "/reader/availability", readers, s.availabilityUpdate),
		page("POST", "/reader/availability/openings", readers, s.openingCreate),
		page("POST", "/reader/availability/time-off", readers, s.timeOffCreate),
		page("POST", "/reader/clients/{id}/note", readers, s.clientNoteUpdate),
		page("POST", "/reader/reviews/{id}/reply", readers, s.reviewReplyUpdate),
		page("GET", "/reader/live", readers, s.readerLiveShow), // going live (LIV-1)
		page("POST", "/reader/live", readers, s.readerLiveCreate),
		page("POST", "/reader/live/end", readers, s.readerLiveEnd),
		page("POST", "/reader/live/moderators", readers, s.readerLiveModeratorCreate),
		page("POST", "/reader/live/moderators/{user_id}/remove", readers, s.readerLiveModeratorDelete),
		page("POST", "/reader/subscription", readers, s.readerSubscriptionUpdate),
		page("GET", "/reader/payouts", readers, s.readerPayoutsShow), // payouts through Stripe Connect (EXT-3)
		needsTwoFactor(page("POST", "/reader/payouts/onboarding", readers, s.readerPayoutsOnboardingCreate)),
		needsTwoFactor(page("GET", "/reader/payouts/onboarding", readers, s.readerPayoutsOnboardingRefresh)), // Stripe's refresh_url
		needsTwoFactor(page("GET", "/reader/payouts/test-onboarding", readers, s.testOnboardingShow)),
		needsTwoFactor(page("POST", "/reader/payouts/test-onboarding", readers, s.testOnboardingComplete)),

		// Admin pages.
		page("GET", "/admin", admins, s.adminDashboardShow),
		page("GET", "/admin/users", admins, s.adminUsersList),
		page("POST", "/admin/users/{id}/role", admins, s.adminRoleUpdate),
		page("GET", "/admin/readers", admins, s.adminReadersList),
		page("POST", "/admin/readers/{id}/verify", admins, s.adminReaderVerify),
		page("POST", "/admin/readers/{id}/kyc", admins, s.adminReaderKYCUpdate),
		page("GET", "/admin/applications", admins, s.adminApplicationsShow),
		page("POST", "/admin/applications/{id}/approve", admins, s.adminApplicationApprove),
		page("POST", "/admin/applications/{id}/reject", admins, s.adminApplicationReject),
		page("GET", "/admin/outbox", admins, s.adminOutboxList),
		page("GET", "/admin/refunds/{$}", admins, s.adminRefundsShow),
		page("POST", "/admin/refunds/{$}", admins, s.adminRefundCreate),
		page("POST", "/admin/refunds/{id}/resolve", admins, s.adminRefundResolve),
		page("POST", "/admin/adjustments", admins, s.adminAdjustmentCreate),
		page("POST", "/admin/adjustments/{id}/decide", admins, s.adminAdjustmentDecide),
		page("GET", "/admin/reconciliation", admins, s.adminReconciliationShow),
		page("GET", "/admin/claims", admins, s.adminClaimsShow),
		page("GET", "/admin/bookings", admins, s.adminBookingsList),
		page("GET", "/admin/gifts", admins, s.adminGiftsShow),
		page("POST", "/admin/gifts", admins, s.adminGiftCreate),
		page("POST", "/admin/gifts/{id}", admins, s.adminGiftUpdate),
		page("GET", "/admin/flags", admins, s.adminFlagsShow),
		page("POST", "/admin/flags/{id}", admins, s.adminFlagDecide),
		page("GET", "/flag", signedIn, s.flagNew),
		page("POST", "/flag", signedIn, s.flagCreate),
		page("GET", "/uploads/{id}/{name}", public, s.uploadShow),
		page("POST", "/admin/claims/{id}", admins, s.adminClaimResolve),
		page("GET", "/admin/audit", admins, s.adminAuditList),
		page("GET", "/admin/payouts", admins, s.adminPayoutsShow),
		page("POST", "/admin/payouts/run", admins, s.adminPayoutsRun),
		page("POST", "/admin/payouts/holds", admins, s.adminPayoutHoldCreate),
		page("POST", "/admin/payouts/holds/{id}/release", admins, s.adminPayoutHoldDelete),
		page("POST", "/admin/payouts/{id}/retry", admins, s.adminPayoutRetry),
		page("GET", "/admin/forum", admins, s.adminForumShow),
		page("POST", "/admin/forum", admins, s.adminForumCategoryCreate),
		page("POST", "/admin/forum/{id}", admins, s.adminForumCategoryUpdate),

		// JSON API.
		api("GET", "/openapi.json", public, s.openAPIShow),
		api("POST", "/auth/signup", public, s.apiSignupCreate),
		api("POST", "/auth/login", public, s.apiLoginCreate),
		api("POST", "/auth/logout", public, s.apiLogoutCreate),
		api("POST", "/auth/tokens", signedIn, s.apiTokenCreate),
		api("GET", "/auth/tokens", signedIn, s.apiTokensList),
		api("DELETE", "/auth/tokens/{id}", signedIn, s.apiTokenDelete),
		api("POST", "/auth/password/forgot", public, s.apiPasswordForgotCreate),
		api("POST", "/auth/password/reset", public, s.apiPasswordResetCreate),
		api("GET", "/me", signedIn, s.apiMeShow),
		api("PATCH", "/me", signedIn, s.apiMeUpdate),
		api("GET", "/me/dashboard", signedIn, s.apiDashboardShow),
		api("GET", "/me/sessions", signedIn, s.apiSessionsList),
		api("GET", "/me/2fa", signedIn, s.apiTwoFactorShow), // two-factor sign-in (ACC-7)
		api("POST", "/me/2fa/enroll", signedIn, s.apiTwoFactorEnroll),
		api("POST", "/me/2fa/confirm", signedIn, s.apiTwoFactorConfirm),
		api("POST", "/me/2fa/recovery-codes", signedIn, s.apiTwoFactorRecoveryCodes),
		api("POST", "/me/2fa/disable", signedIn, s.apiTwoFactorDisable),
		api("POST", "/me/export", signedIn, s.apiDataExportCreate), // a copy of one's data (SEC-1)
		api("GET", "/me/export", signedIn, s.apiDataExportShow),
		api("GET", "/me/deletion", signedIn, s.apiDeletionShow), // account deletion (SEC-2)
		api("POST", "/me/deletion", signedIn, s.apiDeletionCreate),
		api("POST", "/account-deletions/confirm", public, s.apiDeletionConfirm),
		api("DELETE", "/me/sessions/{id}", signedIn, s.apiSessionDelete),
		api("GET", "/me/reader-application", signedIn, s.apiApplicationShow),
		api("POST", "/me/reader-application", signedIn, s.apiApplicationCreate),
		api("GET", "/ws", signedIn, s.apiWSShow),
		api("GET", "/me/favorites", signedIn, s.apiFavoritesList),
		api("PUT", "/me/favorites/{id}", signedIn, s.apiFavoriteCreate),
		api("DELETE", "/me/favorites/{id}", signedIn, s.apiFavoriteDelete),
		api("PUT", "/me/reader-profile", readers, s.apiReaderProfileUpdate),
		api("PUT", "/me/reader-profile/avatar", readers, s.apiAvatarUpdate),
		api("POST", "/me/presence", readers, s.apiPresenceUpdate),
		api("GET", "/me/availability", readers, s.apiAvailabilityShow),
		api("PUT", "/me/availability", readers, s.apiAvailabilityUpdate),
		api("POST", "/me/slots", readers, s.apiOpeningCreate),
		api("POST", "/me/time-off", readers, s.apiTimeOffCreate),
		api("GET", "/wallet", signedIn, s.apiWalletShow),
		api("GET", "/wallet/entries", signedIn, s.apiWalletEntriesList),
		api("POST", "/wallet/topups", signedIn, s.apiTopUpCreate),
		api("GET", "/me/spending-limits", signedIn, s.apiSpendingLimitsShow), // spending limits (WAL-11)
		api("PUT", "/me/spending-limits", signedIn, s.apiSpendingLimitsUpdate),
		api("POST", "/me/spending-limits/pause", signedIn, s.apiSpendingPauseCreate),
		api("DELETE", "/me/spending-limits/pause", signedIn, s.apiSpendingPauseDelete),
		api("GET", "/me/auto-reload", signedIn, s.apiAutoReloadShow), // auto-reload (WAL-12)
		api("PUT", "/me/auto-reload", signedIn, s.apiAutoReloadUpdate),
		api("DELETE", "/me/auto-reload", signedIn, s.apiAutoReloadDelete),
		api("GET", "/wallet/topups/{id}", signedIn, s.apiTopUpShow),
		api("POST", "/readings", signedIn, s.apiReadingCreate),
		api("GET", "/readings", signedIn, s.apiReadingsList),
		api("GET", "/readings/{id}", signedIn, s.apiReadingShow),
		api("POST", "/readings/{id}/accept", readers, s.apiReadingAct((*reading.Service).Accept)),
		api("POST", "/readings/{id}/decline", readers, s.apiReadingAct((*reading.Service).Decline)),
		api("POST", "/readings/{id}/end", signedIn, s.apiReadingAct((*reading.Service).End)),
		api("POST", "/readings/{id}/resume", signedIn, s.apiReadingAct((*reading.Service).Resume)),
		api("GET", "/readings/{id}/ws", signedIn, s.apiReadingWSShow),
		api("GET", "/readings/{id}/messages", signedIn, chatMessagesList(s.Readings.Transcript)),
		api("POST", "/readings/{id}/messages", signedIn, chatMessageCreate(s.Readings.Say)),
		api("POST", "/readings/{id}/agora-token", signedIn, s.apiAgoraTokenCreate),
		api("POST", "/readings/{id}/review", signedIn, s.apiReviewCreate),
		api("POST", "/readings/{id}/claim", signedIn, s.apiClaimCreate),
		api("PUT", "/readings/{id}/note", signedIn, s.apiReadingNoteUpdate),
		api("PUT", "/readings/{id}/review/reply", readers, s.apiReviewReplyUpdate),
		api("GET", "/bookings/{id}/ws", signedIn, s.apiBookingWSShow),
		api("GET", "/bookings/{id}/messages", signedIn, chatMessagesList(s.Schedule.Transcript)),
		api("POST", "/bookings/{id}/messages", signedIn, chatMessageCreate(s.Schedule.Say)),
		api("POST", "/bookings/{id}/agora-token", signedIn, s.apiBookingAgoraTokenCreate),
		api("PUT", "/clients/{id}/note", readers, s.apiClientNoteUpdate),
		api("GET", "/readers/{id}/queue", signedIn, s.apiQueueShow),
		api("POST", "/readers/{id}/queue", signedIn, s.apiQueueCreate),
		api("DELETE", "/readers/{id}/queue", signedIn, s.apiQueueDelete),
		api("POST", "/messages", signedIn, s.apiMessageCreate),
		api("GET", "/messages", signedIn, s.apiMessagesSearch),
		api("POST", "/messages/{id}/unlock", signedIn, s.apiMessageUnlock),
		api("GET", "/conversations", signedIn, s.apiConversationsList),
		api("GET", "/conversations/{id}/messages", signedIn, s.apiConversationMessagesList),
		api("POST", "/conversations/{id}/read", signedIn, s.apiConversationRead),
		api("GET", "/notifications", signedIn, s.apiNotificationsList),
		api("POST", "/notifications/read", signedIn, s.apiNotificationsRead),
		api("GET", "/me/notification-preferences", signedIn, s.apiNotificationPreferencesShow),
		api("PUT", "/me/notification-preferences", signedIn, s.apiNotificationPreferencesUpdate),
		api("PUT", "/readers/{id}/notify-online", signedIn, s.apiOnlineWatchCreate),
		api("DELETE", "/readers/{id}/notify-online", signedIn, s.apiOnlineWatchDelete),
		api("GET", "/blocks", signedIn, s.apiBlocksList),
		api("PUT", "/blocks/{user_id}", signedIn, s.apiBlockCreate),
		api("DELETE", "/blocks/{user_id}", signedIn, s.apiBlockDelete),
		api("GET", "/readers", public, s.apiReadersList),
		api("GET", "/readers/presence", public, s.apiPresenceShow),
		api("GET", "/readers/{id}", public, s.apiReaderShow),
		api("GET", "/readers/{id}/reviews", public, s.apiReviewsList),
		api("GET", "/readers/{id}/slots", public, s.apiReaderSlotsList),
		api("GET", "/slots", public, s.apiSlotsList),
		api("POST", "/bookings", signedIn, s.apiBookingCreate),
		api("GET", "/bookings", signedIn, s.apiBookingsList),
		api("GET", "/bookings/{id}", signedIn, s.apiBookingShow),
		api("POST", "/bookings/{id}/cancel", signedIn, s.apiBookingCancel),
		api("POST", "/bookings/{id}/join", signedIn, s.apiBookingJoin),
		api("GET", "/bookings/{id}/calendar.ics", signedIn, s.apiBookingCalendarShow),
		api("POST", "/streams", readers, s.apiStreamCreate),
		api("GET", "/streams", public, s.apiStreamsList),
		api("GET", "/streams/{id}", public, s.apiStreamShow),
		api("POST", "/streams/{id}/end", signedIn, s.apiStreamEnd),
		api("POST", "/streams/{id}/join", signedIn, s.apiStreamJoin),
		api("GET", "/streams/{id}/ws", signedIn, s.apiStreamWSShow),
		api("POST", "/streams/{id}/tickets", signedIn, s.apiStreamTicketCreate),
		api("GET", "/streams/{id}/messages", signedIn, chatMessagesList(s.Live.Transcript)),
		api("POST", "/streams/{id}/messages", signedIn, chatMessageCreate(s.Live.Say)),
		api("POST", "/streams/{id}/gifts", signedIn, s.apiStreamGiftCreate),
		api("GET", "/streams/{id}/top-gifters", public, s.apiStreamTopGiftersList),
		api("POST", "/streams/{id}/moderation", signedIn, s.apiStreamModerationCreate),
		api("GET", "/streams/{id}/viewers", signedIn, s.apiStreamViewersList),
		api("GET", "/me/moderators", readers, s.apiModeratorsList),
		api("PUT", "/me/moderators/{user_id}", readers, s.apiModeratorUpdate),
		api("DELETE", "/me/moderators/{user_id}", readers, s.apiModeratorDelete),
		api("PUT", "/me/subscription-price", readers, s.apiSubscriptionPriceUpdate),
		api("GET", "/me/subscriptions", signedIn, s.apiSubscriptionsList),
		api("GET", "/readers/{id}/subscription", public, s.apiSubscriptionShow),
		api("PUT", "/readers/{id}/subscription", signedIn, s.apiSubscriptionUpdate),
		api("DELETE", "/readers/{id}/subscription", signedIn, s.apiSubscriptionDelete),
		api("GET", "/gifts", public, s.apiGiftsList),
		api("GET", "/forum/categories", public, s.apiForumCategoriesList),
		api("GET", "/forum/categories/{slug}/threads", public, s.apiForumThreadsList),
		api("POST", "/forum/categories/{slug}/threads", signedIn, s.apiForumThreadCreate),
		api("GET", "/forum/threads/{id}", public, s.apiForumThreadShow),
		api("POST", "/forum/threads/{id}/posts", signedIn, s.apiForumPostCreate),
		api("PATCH", "/forum/posts/{id}", signedIn, s.apiForumPostUpdate),
		api("DELETE", "/forum/posts/{id}", signedIn, s.apiForumPostDelete),
		api("GET", "/forum/search", public, s.apiForumSearch),
		api("POST", "/admin/forum/categories", admins, s.apiAdminForumCategoryCreate),
		api("PUT", "/admin/forum/categories/{id}", admins, s.apiAdminForumCategoryUpdate),
		api("PATCH", "/admin/forum/threads/{id}", admins, s.apiAdminForumThreadUpdate),
		api("GET", "/admin/forum/posts/{id}/revisions", admins, s.apiAdminForumRevisionsList),
		api("GET", "/admin/users", admins, s.apiAdminUsersList),
		api("POST", "/admin/users/{id}/role", admins, s.apiAdminRoleUpdate),
		api("POST", "/admin/readers/{id}/verify", admins, s.apiAdminReaderVerify),
		api("POST", "/admin/readers/{id}/kyc", admins, s.apiAdminReaderKYCUpdate),
		api("GET", "/admin/applications", admins, s.apiAdminApplicationsList),
		api("POST", "/admin/applications/{id}/approve", admins, s.apiAdminApplicationApprove),
		api("POST", "/admin/applications/{id}/reject", admins, s.apiAdminApplicationReject),
		api("GET", "/admin/refunds", admins, s.apiAdminRefundsList),
		api("POST", "/admin/refunds", admins, s.apiAdminRefundCreate),
		api("POST", "/admin/refunds/{id}/resolve", admins, s.apiAdminRefundResolve),
		api("POST", "/admin/adjustments", admins, s.apiAdminAdjustmentCreate),
		api("GET", "/admin/adjustments", admins, s.apiAdminAdjustmentsList),
		api("POST", "/admin/adjustments/{id}/decide", admins, s.apiAdminAdjustmentDecide),
		api("GET", "/admin/reconciliation", admins, s.apiAdminReconciliationShow),
		needsTwoFactor(api("POST", "/me/payouts/onboarding", readers, s.apiPayoutOnboardingCreate)), // payouts (EXT-3)
		api("GET", "/me/payouts", readers, s.apiPayoutsShow),
		api("POST", "/admin/payouts/run", admins, s.apiAdminPayoutsRun),
		api("GET", "/admin/payouts", admins, s.apiAdminPayoutsList),
		api("GET", "/admin/claims", admins, s.apiAdminClaimsList),
		api("GET", "/admin/bookings", admins, s.apiAdminBookingsList),
		api("GET", "/admin/gifts", admins, s.apiAdminGiftsList),
		api("POST", "/admin/gifts", admins, s.apiAdminGiftCreate),
		api("PUT", "/admin/gifts/{id}", admins, s.apiAdminGiftUpdate),
		api("POST", "/uploads", signedIn, s.apiUploadCreate),
		api("POST", "/flags", signedIn, s.apiFlagCreate),
		api("GET", "/admin/flags", admins, s.apiAdminFlagsList),
		api("POST", "/admin/flags/{id}", admins, s.apiAdminFlagDecide),
		api("POST", "/admin/claims/{id}", admins, s.apiAdminClaimResolve),
		api("GET", "/shop/products", public, s.apiShopProductsList), // the shop (SHOP-1 … SHOP-8)
		api("GET", "/shop/products/{id}", public, s.apiShopProductShow),
		api("POST", "/shop/orders", signedIn, s.apiShopOrderCreate),
		api("GET", "/shop/orders", signedIn, s.apiShopOrdersList),
		api("GET", "/shop/orders/{id}", signedIn, s.apiShopOrderShow),
		api("GET", "/shop/orders/{id}/downloads", signedIn, s.apiShopOrderDownloads),
		api("POST", "/admin/shop/products", admins, s.apiAdminShopProductCreate),
		api("PATCH", "/admin/shop/products/{id}", admins, s.apiAdminShopProductUpdate),
		api("POST", "/admin/shop/products/{id}/file", admins, s.apiAdminShopProductFile),
		api("POST", "/admin/shop/products/{id}/image", admins, s.apiAdminShopProductImage),
		api("POST", "/admin/shop/sync", admins, s.apiAdminShopSyncCreate),
		api("GET", "/admin/shop/sync", admins, s.apiAdminShopSyncShow),
		api("GET", "/admin/shop/coupons", admins, s.apiAdminShopCouponsList),
		api("POST", "/admin/shop/coupons", admins, s.apiAdminShopCouponCreate),
		api("PATCH", "/admin/shop/coupons/{id}", admins, s.apiAdminShopCouponUpdate),
		api("GET", "/admin/shop/orders", admins, s.apiAdminShopOrdersList),
		api("POST", "/admin/shop/orders/{id}/ship", admins, s.apiAdminShopOrderShip),
		api("POST", "/admin/shop/orders/{id}/deliver", admins, s.apiAdminShopOrderDeliver),
		api("POST", "/admin/shop/orders/{id}/refund", admins, s.apiAdminShopOrderRefund),
	}
}

// wrap checks a route's access, runs its handler and turns a returned error
// into the route's kind of error response; media routes get the security
// policy that lets them use the camera and microphone.
func (s *Server) wrap(rt route) http.Handler {
	name := rt.method + " " + rt.pattern
	var media *securityPolicy
	if mediaRoutes[name] {
		p := s.newSecurityPolicy(true)
		media = &p
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if info, ok := r.Context().Value(ctxInfo).(*requestInfo); ok {
			info.route = name
		}
		if media != nil {
			media.set(w.Header())
		}
		if err := rt.access.check(userOf(r)); err != nil {
			s.fail(w, r, rt.api, err)
			return
		}
		if err := rt.checkTwoFactor(userOf(r)); err != nil {
			s.enrolFirst(w, r, rt.api, err)
			return
		}
		if err := rt.handle(w, r); err != nil {
			s.fail(w, r, rt.api, err)
		}
	})
}

// enrolFirst answers a route that needs two-factor sign-in: a page asked
// for is sent to the enrolment, which comes back to it; anything else
// fails with the 403 of type two-factor-enrollment-required (ACC-7).
func (s *Server) enrolFirst(w http.ResponseWriter, r *http.Request, api bool, err error) {
	if api || r.Method != http.MethodGet {
		s.fail(w, r, api, err)
		return
	}
	s.setFlash(w, apperr.MessageOf(err))
	http.Redirect(w, r, "/account/two-factor?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
}

// fail answers a failed request: problem+json for the API; for pages, a
// login redirect when the visitor must sign in, else an error page.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, api bool, err error) {
	if api {
		s.writeProblem(w, r, err)
		return
	}
	if apperr.CodeOf(err) == apperr.Unauthorized && r.Method == http.MethodGet {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	s.renderError(w, r, err)
}
