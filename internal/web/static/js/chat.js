// What a room shares — a pay-per-minute reading's (room.js), a booked
// reading's (booking_room.js) and a livestream's (stream.js): its chat,
// drawn live from the room's WebSocket and sent over it (or, while it is
// down, to the chat form's URL), with typing shown and the unsent message
// kept for the tab; the message box kept above a phone's keyboard; the
// live connection, retried after a drop; and voice and video through the
// Agora SDK when the site has it configured.
(function () {
  "use strict";
  window.SoulSeer = window.SoulSeer || {};

  // SoulSeer.countdown writes seconds as a clock: "4:05", "1:02:03".
  window.SoulSeer.countdown = function (sec) {
    sec = Math.max(0, Math.floor(sec));
    var h = Math.floor(sec / 3600), m = Math.floor(sec % 3600 / 60), s = sec % 60;
    return (h ? h + ":" + String(m).padStart(2, "0") : m) + ":" + String(s).padStart(2, "0");
  };

  // SoulSeer.room wires the shared parts into root, the room's element
  // (its data-user is the viewer, data-modality what Start begins), and
  // returns {reload}. o.socket is the room's WebSocket path, o.draftKey
  // where the unsent message is kept, o.tokenURL where voice and video
  // tokens come from (o.tokenOf picks the token out of its answer, where it
  // is not the answer itself; o.watchOnly joins without publishing, as a
  // stream's viewer does); o.onEvent(msg) gets every message of the socket
  // that is not chat, and o.over() says when the room is over, so a closed
  // socket is not opened again. It returns {reload, addMessage}.
  window.SoulSeer.room = function (root, o) {
    var me = root.dataset.user;
    var $ = function (sel) { return root.querySelector(sel); };

    // Chat. New messages scroll the list down only when it was already at
    // the bottom (or the message is one's own), so reading back is not
    // disturbed.
    var list = $("[data-messages]");
    var typing = $("[data-typing]"), typingTimer;
    function atBottom() { return list.scrollHeight - list.scrollTop - list.clientHeight < 24; }
    function addMessage(m) {
      if (!list || list.querySelector('[data-message-id="' + m.id + '"]')) return;
      var follow = atBottom() || String(m.sender_id) === me;
      var empty = list.querySelector("[data-empty]");
      if (empty) empty.remove();
      var li = document.createElement("li");
      li.className = "msg" + (String(m.sender_id) === me ? " is-mine" : "");
      li.dataset.messageId = m.id;
      li.dataset.sender = m.sender_id;
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
    function showTyping(d) {
      if (!typing || String(d.user_id) === me) return;
      typing.textContent = d.name + " is typing…";
      typing.hidden = false;
      clearTimeout(typingTimer);
      typingTimer = setTimeout(function () { typing.hidden = true; }, 3000);
    }
    // A message the room refused says why under the message box, where
    // the room has a place for it.
    var chatError = $("[data-chat-error]");
    function refused(text) {
      if (!chatError) { console.warn("room:", text); return; }
      chatError.textContent = text;
      chatError.hidden = false;
    }

    // The live connection. A closed connection is retried (at once when the
    // server closed it for a restart: SoulSeer.backoff, app.js) until the
    // room is over.
    var ws, retry = window.SoulSeer.backoff(15000), reloading = false;
    function reload() {
      if (reloading) return;
      reloading = true;
      location.reload();
    }
    // A page already on its way out (a form was just sent) must not
    // reload: that would cancel the navigation, and the page it leads to
    // shows the new state anyway.
    window.addEventListener("beforeunload", function () { reloading = true; });
    function connect() {
      ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + o.socket);
      ws.onopen = function () { retry.connected(); root.classList.add("is-live"); };
      ws.onmessage = function (ev) {
        var msg;
        try { msg = JSON.parse(ev.data); } catch (e) { return; }
        var d = msg.data || {};
        switch (msg.type) {
          case "chat.message": addMessage(d); break;
          case "chat.typing": showTyping(d); break;
          case "error": refused(d.message); break;
          // every session of this user ended: the page reloads to where it
          // now belongs instead of reconnecting
          case "account.signed_out": reload(); break;
          default: o.onEvent(msg);
        }
      };
      ws.onclose = function (ev) {
        root.classList.remove("is-live");
        if (o.over() || reloading) return;
        setTimeout(connect, retry.next(ev));
      };
    }
    if (!o.over()) connect();

    // The message being written is kept for this tab (sessionStorage) until
    // it is sent, so a trip elsewhere (to top up, say) does not lose it.
    var form = $("[data-chat-form]"), input = $("[data-chat-input]"), lastTyping = 0;
    if (form && input) {
      if (!input.value) input.value = sessionStorage.getItem(o.draftKey) || "";
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var body = input.value.trim();
        if (!body) return;
        if (chatError) chatError.hidden = true;
        if (ws && ws.readyState === WebSocket.OPEN) {
          ws.send(JSON.stringify({ type: "chat.message", body: body }));
        } else {
          fetch(form.action, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ body: body }) })
            .then(function (r) {
              return r.json().then(function (m) { if (r.ok) addMessage(m); else refused(m.detail || m.title); });
            }).catch(function () { refused("The message could not be sent. Please try again."); });
        }
        input.value = "";
        sessionStorage.removeItem(o.draftKey);
      });
      input.addEventListener("keydown", function (e) {
        if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); }
      });
      input.addEventListener("input", function () {
        sessionStorage.setItem(o.draftKey, input.value);
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
        root.style.setProperty("--keyboard", Math.max(0, window.innerHeight - vv.height - vv.offsetTop) + "px");
      };
      vv.addEventListener("resize", lift);
      vv.addEventListener("scroll", lift);
      lift();
    }

    // Voice and video (OD-10, AGO-2): join the room's channel with a
    // publisher token, renew it before it expires; leave it (and stop the
    // camera and microphone) when the room is over for this person.
    var start = $("[data-media-start]"), media = null, localTracks = [];
    function leave() {
      localTracks.forEach(function (t) { t.close(); });
      localTracks = [];
      if (media) media.leave();
      media = null;
    }
    if (start && window.AgoraRTC) {
      var status = $("[data-media-status]");
      var getToken = function () {
        return fetch(o.tokenURL, { method: "POST" }).then(function (r) {
          if (!r.ok) return r.json().then(function (p) { throw new Error(p.detail); });
          return r.json().then(function (j) { return o.tokenOf ? o.tokenOf(j) : j; });
        });
      };
      start.addEventListener("click", function () {
        start.disabled = true;
        var client = media = window.AgoraRTC.createClient({ mode: "rtc", codec: "vp8" });
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
          if (o.watchOnly) return [];
          var tracks = root.dataset.modality === "video"
            ? window.AgoraRTC.createMicrophoneAndCameraTracks()
            : window.AgoraRTC.createMicrophoneAudioTrack().then(function (a) { return [a]; });
          return tracks;
        }).then(function (tracks) {
          localTracks = tracks;
          if (o.over()) return leave(); // the room ended while the camera was being asked for
          if (tracks[1]) tracks[1].play($("[data-local]"));
          status.textContent = "Connected.";
          if (tracks.length) return client.publish(tracks);
        }).catch(function (err) {
          if (o.over()) return leave();
          status.textContent = "Could not start " + root.dataset.modality + ": " + err.message;
          start.disabled = false;
        });
      });
    }

    return { reload: reload, addMessage: addMessage, leave: leave };
  };
})();
