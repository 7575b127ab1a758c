// The notification bell (MSG-2): its count follows the user's live events
// (live.js re-dispatches them as "soulseer:<type>" on document), and a
// click opens the newest few under it instead of leaving the page. Each of
// them is a form that marks it read and opens its link, so the same works
// without JavaScript from the list at /notifications.
(function () {
  "use strict";
  var bell = document.querySelector("[data-bell]");
  if (!bell) return;
  var toggle = bell.querySelector("[data-bell-toggle]");
  var menu = bell.querySelector("[data-bell-menu]");

  function setUnread(n) {
    document.querySelectorAll("[data-unread-notifications]").forEach(function (el) {
      el.textContent = n;
      el.hidden = !n;
    });
    toggle.setAttribute("aria-label", n ? "Notifications, " + n + " unread" : "Notifications");
  }

  function load() {
    window.htmx.ajax("GET", "/notifications/latest", { target: menu, swap: "innerHTML" });
  }
  function open() {
    menu.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
    load();
  }
  function close() {
    menu.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
  }

  toggle.addEventListener("click", function (e) {
    e.preventDefault();
    if (menu.hidden) open(); else close();
  });
  document.addEventListener("click", function (e) {
    if (!menu.hidden && !bell.contains(e.target)) close();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && !menu.hidden) { close(); toggle.focus(); }
  });

  document.addEventListener("soulseer:notification.new", function (e) {
    var d = e.detail || {};
    if (typeof d.unread === "number") setUnread(d.unread);
    bell.classList.remove("is-ringing");
    void bell.offsetWidth; // restart the animation
    bell.classList.add("is-ringing");
    if (!menu.hidden) load();
  });
  document.addEventListener("soulseer:notification.read", function (e) {
    var d = e.detail || {};
    if (typeof d.unread === "number") setUnread(d.unread);
    if (!menu.hidden) load();
  });
})();
