// The reading room: live chat over the reading's WebSocket, the timer and
// cost meter, countdowns, the one-minute warning, and voice/video through the
// Agora SDK when the site has it configured. State changes reload the page,
// which the server renders for the new state.
(function () {
  "use strict";
  var room = document.getElementById("room");
  if (!room) return;
  var id = room.dataset.reading;
  var me = room.dataset.user;
  var state = room.dataset.state;
  var rate = Number(room.dataset.rate);
  var period = Number(room.dataset.period);
  var activeAtLoad = Number(room.dataset.active);
  var loadedAt = Date.now();
  var money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
  var $ = function (sel) { return room.querySelector(sel); };

  // Timer and cost meter (OD-13): time counts only while active; every
  // started minute costs the rate.
  function activeSeconds() {
    return activeAtLoad + (state === "active" ? (Date.now() - loadedAt) / 1000 : 0);
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
    if (cost && (state === "active" || state === "paused")) {
      var started = Math.max(Number(room.dataset.billed), Math.ceil(a / period));
      cost.textContent = money.format(started * rate / 100);
    }
    var cd = $("[data-countdown]");
    if (cd && room.dataset.expires) cd.textContent = "(" + fmt(Number(room.dataset.expires) - Date.now() / 1000) + " left)";
    var g = $("[data-grace-left]");
    if (g && room.dataset.grace) g.textContent = "(" + fmt(Number(room.dataset.grace) - Date.now() / 1000) + " left)";
  }
  tick();
  setInterval(tick, 500);

  // Chat.
  var list = $("[data-messages]");
  function addMessage(m) {
    if (!list || list.querySelector('[data-message-id="' + m.id + '"]')) return;
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
    list.scrollTop = list.scrollHeight;
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
  // keeps the reading paused (not charged) while a party is away.
  var ws, retry = window.SoulSeer.backoff(15000), reloading = false;
  function reload() {
    if (reloading) return;
    reloading = true;
    location.reload();
  }
  // A page already on its way out (a form such as Accept or End was just
  // sent) must not reload: that would cancel the navigation, and the page
  // it leads to shows the new state anyway.
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
        case "reading.low_balance": var w = $("[data-warning]"); if (w) w.hidden = false; break;
        case "error": console.warn("reading room:", d.message); break;
        default:
          if (msg.type.indexOf("reading.") === 0 && d.state && d.state !== state) reload();
      }
    };
    ws.onclose = function (ev) {
      room.classList.remove("is-live");
      if (state === "ended" || state === "finalized" || reloading) return;
      setTimeout(connect, retry.next(ev));
    };
  }
  if (state !== "finalized" && state !== "ended") connect();

  var form = $("[data-chat-form]"), input = $("[data-chat-input]"), lastTyping = 0;
  if (form && input) {
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
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); }
    });
    input.addEventListener("input", function () {
      if (Date.now() - lastTyping > 2000 && ws && ws.readyState === WebSocket.OPEN) {
        lastTyping = Date.now();
        ws.send(JSON.stringify({ type: "chat.typing" }));
      }
    });
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
