// The reading room: the timer and cost meter, countdowns and the one-minute
// warning, on top of what every room has (chat.js: live chat over the
// reading's WebSocket, voice/video through the Agora SDK when the site has
// it configured). State changes (accepted, paused, resumed) update the page
// in place from the reading.* messages, so a half-written message, the
// chat's scroll position and a running call survive them; only a reading
// that has ended reloads, to show its summary.
(function () {
  "use strict";
  var room = document.getElementById("room");
  if (!room) return;
  var id = room.dataset.reading;
  var state = room.dataset.state;
  var pause = room.dataset.pause;
  var rate = Number(room.dataset.rate);
  var period = Number(room.dataset.period);
  var billed = Number(room.dataset.billed);
  var activeBase = Number(room.dataset.active);
  var expires = Number(room.dataset.expires || 0), grace = Number(room.dataset.grace || 0);
  var anchor = Date.now();
  var money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
  var $ = function (sel) { return room.querySelector(sel); };
  var live = function (s) { return s === "active" || s === "paused" || s === "reconnecting"; };

  // Timer and cost meter (OD-13): time counts only while active; every
  // started period costs the rate.
  function activeSeconds() {
    return activeBase + (state === "active" ? (Date.now() - anchor) / 1000 : 0);
  }
  var fmt = window.SoulSeer.countdown;
  function tick() {
    var a = activeSeconds();
    var timer = $("[data-timer]"), cost = $("[data-cost]");
    if (timer) timer.textContent = fmt(a);
    if (cost && live(state)) {
      var started = Math.max(billed, Math.ceil(a / period));
      cost.textContent = money.format(started * rate / 100);
    }
    var cd = $("[data-countdown]");
    if (cd) cd.textContent = state === "waiting" && expires ? "(" + fmt(expires - Date.now() / 1000) + " left)" : "";
    var g = $("[data-grace-left]");
    if (g) g.textContent = state === "paused" && grace ? "(" + fmt(grace - Date.now() / 1000) + " left)" : "";
  }
  tick();
  setInterval(tick, 500);

  // show makes the page fit the reading's state: each [data-when] part is
  // shown in the states it names ("waiting", "live", "paused:low_balance"),
  // and elements with data-when-waiting / data-when-live texts say theirs.
  function show() {
    room.querySelectorAll("[data-when]").forEach(function (el) {
      el.hidden = !el.dataset.when.split(" ").some(function (w) {
        var p = w.split(":");
        return (p[0] === state || (p[0] === "live" && live(state))) && (!p[1] || p[1] === pause);
      });
    });
    room.querySelectorAll("[data-when-live]").forEach(function (el) {
      el.textContent = live(state) ? el.dataset.whenLive : el.dataset.whenWaiting;
    });
    var badge = $("[data-room-state]");
    if (badge) {
      badge.textContent = JSON.parse(badge.dataset.labels)[state] || state;
      badge.className = "badge badge-" + state;
    }
  }

  // apply takes the reading as a reading.* message has it. A reading that
  // has ended reloads into its summary; any other change is shown in place.
  function apply(v) {
    if (!v || !v.state) return;
    if (v.state === "ended" || v.state === "finalized") { shared.reload(); return; }
    var was = state + ":" + pause;
    state = v.state;
    pause = v.pause_reason || "";
    billed = v.billed_minutes;
    activeBase = v.active_seconds;
    anchor = Date.now();
    expires = v.expires_at ? Date.parse(v.expires_at) / 1000 : 0;
    grace = v.grace_until ? Date.parse(v.grace_until) / 1000 : 0;
    room.dataset.state = state;
    room.dataset.pause = pause;
    if (was === state + ":" + pause) { tick(); return; }
    // The warning is for a running reading; a pause says it anew, and a
    // resumed reading warns again if it needs to.
    var w = $("[data-warning]");
    if (w) w.hidden = true;
    show();
    tick();
    var say = $("[data-announce]"), badge = $("[data-room-state]");
    if (say && badge) say.textContent = "The reading is now " + badge.textContent.toLowerCase() + ".";
  }

  // The live connection, chat and voice/video (chat.js). On every
  // (re)connection the server first sends "reading.state", the reading as
  // it is now, so a page that missed changes catches up; the server keeps
  // the reading paused (not charged) while a party is away.
  var shared = window.SoulSeer.room(room, {
    socket: "/api/v1/readings/" + id + "/ws",
    draftKey: "soulseer-draft-" + id,
    tokenURL: "/api/v1/readings/" + id + "/agora-token",
    over: function () { return state === "ended" || state === "finalized"; },
    onEvent: function (msg) {
      if (msg.type === "reading.low_balance") {
        var w = $("[data-warning]");
        if (w && state === "active") w.hidden = false;
      } else if (msg.type.indexOf("reading.") === 0) {
        apply(msg.data || {});
      }
    }
  });

  // The reader accepts in place: the answer is the running reading.
  var accept = $("[data-accept-form]");
  if (accept) {
    accept.addEventListener("submit", function (e) {
      e.preventDefault();
      var btn = $("[data-accept]"), err = $("[data-accept-error]");
      btn.disabled = true;
      fetch("/api/v1/readings/" + id + "/accept", { method: "POST" }).then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok) throw new Error(body.detail || body.title);
          apply(body);
        });
      }).catch(function (e) {
        err.textContent = e.message;
        err.hidden = false;
      }).finally(function () { btn.disabled = false; });
    });
  }
})();
