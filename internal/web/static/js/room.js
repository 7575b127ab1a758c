// The reading room: live chat over the reading's WebSocket, the timer and
// cost meter, countdowns, the one-minute warning, and voice/video through the
// Agora SDK when the site has it configured. State changes (accepted,
// paused, resumed) update the page in place from the reading.* messages, so
// a half-written message, the chat's scroll position and a running call
// survive them; only a reading that has ended reloads, to show its summary.
(function () {
  "use strict";
  var room = document.getElementById("room");
  if (!room) return;
  var id = room.dataset.reading;
  var me = room.dataset.user;
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
  function fmt(sec) {
    sec = Math.max(0, Math.floor(sec));
    var h = Math.floor(sec / 3600), m = Math.floor(sec % 3600 / 60), s = sec % 60;
    return (h ? h + ":" + String(m).padStart(2, "0") : m) + ":" + String(s).padStart(2, "0");
  }
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
    if (v.state === "ended" || v.state === "finalized") { reload(); return; }
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

  // Chat. New messages scroll the list down only when it was already at the
  // bottom (or the message is one's own), so reading back is not disturbed.
  var list = $("[data-messages]");
  function atBottom() { return list.scrollHeight - list.scrollTop - list.clientHeight < 24; }
  function addMessage(m) {
    if (!list || list.querySelector('[data-message-id="' + m.id + '"]')) return;
    var follow = atBottom() || String(m.sender_id) === me;
    var empty = list.querySelector("[data-empty]");
    if (empty) empty.remove();
    var li = document.createElement("li");
    li.className = "msg" + (String(m.sender_id) === me ? " is-mine" : "");
    li.dataset.messageId = m.id;
    var who = document.createElement("span");
    who.className = "msg-who";
    who.textContent = m.sender;
    var p = document.createElement("p");
    p.textContent = m.body;
    var t = document.createElement("time");
    t.textContent = new Date(m.created_at).toTimeString().slice(0, 5);
    li.append(who, p, t);
    list.append(li);
    if (follow) list.scrollTop = list.scrollHeight;
    // The message the other side was typing has arrived.
    if (typing && String(m.sender_id) !== me) {
      clearTimeout(typingTimer);
      typing.hidden = true;
    }
  }
  if (list) list.scrollTop = list.scrollHeight;
  var typing = $("[data-typing]"), typingTimer;
  function showTyping(d) {
    if (!typing || String(d.user_id) === me) return;
    typing.textContent = d.name + " is typing…";
    typing.hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { typing.hidden = true; }, 3000);
  }

  // The live connection. A closed connection is retried (at once when the
  // server closed it for a restart: SoulSeer.backoff, app.js); the server
  // keeps the reading paused (not charged) while a party is away. On every
  // (re)connection the server first sends "reading.state", the reading as
  // it is now, so a page that missed changes catches up.
  var ws, retry = window.SoulSeer.backoff(15000), reloading = false;
  function reload() {
    if (reloading) return;
    reloading = true;
    location.reload();
  }
  // A page already on its way out (a form such as End was just sent) must
  // not reload: that would cancel the navigation, and the page it leads to
  // shows the new state anyway.
  window.addEventListener("beforeunload", function () { reloading = true; });
  function connect() {
    ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/api/v1/readings/" + id + "/ws");
    ws.onopen = function () { retry.connected(); room.classList.add("is-live"); };
    ws.onmessage = function (ev) {
      var msg;
      try { msg = JSON.parse(ev.data); } catch (e) { return; }
      var d = msg.data || {};
      switch (msg.type) {
        case "chat.message": addMessage(d); break;
        case "chat.typing": showTyping(d); break;
        case "reading.low_balance": var w = $("[data-warning]"); if (w && state === "active") w.hidden = false; break;
        case "error": console.warn("reading room:", d.message); break;
        default:
          if (msg.type.indexOf("reading.") === 0) apply(d);
      }
    };
    ws.onclose = function (ev) {
      room.classList.remove("is-live");
      if (state === "ended" || state === "finalized" || reloading) return;
      setTimeout(connect, retry.next(ev));
    };
  }
  if (state !== "finalized" && state !== "ended") connect();

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

  // The message being written is kept for this tab (sessionStorage) until
  // it is sent, so a trip to the checkout to top up does not lose it.
  var form = $("[data-chat-form]"), input = $("[data-chat-input]"), lastTyping = 0;
  var draftKey = "soulseer-draft-" + id;
  if (form && input) {
    if (!input.value) input.value = sessionStorage.getItem(draftKey) || "";
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var body = input.value.trim();
      if (!body) return;
      if (ws && ws.readyState === WebSocket.OPEN) {
        ws.send(JSON.stringify({ type: "chat.message", body: body }));
      } else {
        fetch(form.action, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ body: body }) })
          .then(function (r) { return r.ok ? r.json() : null; }).then(function (m) { if (m) addMessage(m); });
      }
      input.value = "";
      sessionStorage.removeItem(draftKey);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); }
    });
    input.addEventListener("input", function () {
      sessionStorage.setItem(draftKey, input.value);
      if (Date.now() - lastTyping > 2000 && ws && ws.readyState === WebSocket.OPEN) {
        lastTyping = Date.now();
        ws.send(JSON.stringify({ type: "chat.typing" }));
      }
    });
  }

  // On a phone the message box stays above the on-screen keyboard: the
  // part of the layout viewport the keyboard covers is the room's
  // --keyboard (app.css lifts the message box by it).
  if (window.visualViewport) {
    var vv = window.visualViewport;
    var lift = function () {
      room.style.setProperty("--keyboard", Math.max(0, window.innerHeight - vv.height - vv.offsetTop) + "px");
    };
    vv.addEventListener("resize", lift);
    vv.addEventListener("scroll", lift);
    lift();
  }

  // Voice and video (OD-10, AGO-2): join the reading's channel with a
  // publisher token, renew it before it expires.
  var start = $("[data-media-start]");
  if (start && window.AgoraRTC) {
    var status = $("[data-media-status]");
    var tokenURL = "/api/v1/readings/" + id + "/agora-token";
    var getToken = function () {
      return fetch(tokenURL, { method: "POST" }).then(function (r) {
        if (!r.ok) return r.json().then(function (p) { throw new Error(p.detail); });
        return r.json();
      });
    };
    start.addEventListener("click", function () {
      start.disabled = true;
      var client = window.AgoraRTC.createClient({ mode: "rtc", codec: "vp8" });
      client.on("user-published", function (user, kind) {
        client.subscribe(user, kind).then(function () {
          if (kind === "video") user.videoTrack.play($("[data-remote]"));
          if (kind === "audio") user.audioTrack.play();
        });
      });
      client.on("token-privilege-will-expire", function () {
        getToken().then(function (t) { client.renewToken(t.token); });
      });
      getToken().then(function (t) {
        return client.join(t.app_id, t.channel, t.token, t.uid);
      }).then(function () {
        var tracks = room.dataset.modality === "video"
          ? window.AgoraRTC.createMicrophoneAndCameraTracks()
          : window.AgoraRTC.createMicrophoneAudioTrack().then(function (a) { return [a]; });
        return tracks;
      }).then(function (tracks) {
        if (tracks[1]) tracks[1].play($("[data-local]"));
        status.textContent = "Connected.";
        return client.publish(tracks);
      }).catch(function (err) {
        status.textContent = "Could not start " + room.dataset.modality + ": " + err.message;
        start.disabled = false;
      });
    });
  }
})();
