// A livestream's page and the reader's go-live page (LIV-2, LIV-6, LIV-7,
// LIV-8, LIV-9): what every room has (chat.js: live chat over the stream's
// WebSocket; video through Agora where the site has it — the reader
// publishes, viewers watch) and the stream's own events: stream.chat adds
// a line, stream.gift plays the gift's animation for every viewer and
// refreshes the top gifters, stream.viewers updates the count and
// stream.ended says the stream is over. A tap on a gift sends it with a
// key made for that tap, the button held until the answer comes, so a
// double tap sends one; the sender is shown what the reader receives, and
// a short wallet is told so in place with amounts to top up by. Those who
// moderate the stream (its reader, their moderators, admins) get Hide,
// Mute (for the minutes they choose) and Ban on each viewer's message and
// a moderation panel — who is watching, who is muted or banned, with
// Unmute and Unban — fetched again as viewers come and go and moderators
// act. A muted viewer is told until when and cannot send; a banned one,
// or one whose stream ended, is told so, leaves the video and the page
// stops reconnecting.
(function () {
  "use strict";
  var root = document.getElementById("stream");
  if (!root) return;
  var id = root.dataset.stream;
  var money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
  var $ = function (sel) { return root.querySelector(sel); };
  var ended = false; // the stream ended, or this viewer may no longer watch it
  var shared = window.SoulSeer.room(root, {
    socket: "/api/v1/streams/" + id + "/ws",
    draftKey: "soulseer-stream-draft-" + id,
    tokenURL: "/api/v1/streams/" + id + "/join",
    tokenOf: function (j) {
      if (!j.rtc_token) throw new Error("video is not available");
      return j.rtc_token;
    },
    watchOnly: root.dataset.readerStream !== "true",
    over: function () { return ended; },
    onEvent: function (msg) {
      var d = msg.data || {};
      switch (msg.type) {
        case "stream.chat": shared.addMessage(d); tools(root.querySelector('[data-message-id="' + d.id + '"]')); break;
        case "stream.hidden": hide(d); break;
        case "stream.banned":
          if (String(d.user_id) === root.dataset.user) shut("You have been banned from " + root.dataset.readerName + "'s streams.");
          refreshPanel();
          break;
        case "stream.unbanned": refreshPanel(); break;
        case "stream.muted":
          if (String(d.user_id) === root.dataset.user) setMuted(d.until);
          refreshPanel();
          break;
        case "stream.gift": fly(d); refreshGifters(); break;
        case "stream.viewers": setViewers(d.count); refreshPanel(); break;
        case "stream.state": setViewers(d.viewer_count); if (d.state !== "live") end(d.end_reason); break;
        case "stream.ended": end(d.reason); break;
        case "stream.refused": shut(d.reason); break;
      }
    }
  });

  // LIV-8: a hidden message, or a banned viewer's every message, leaves
  // every screen; a viewer banned now is shown the stream refusing them.
  function hide(d) {
    var sel = d.message_id ? '[data-message-id="' + d.message_id + '"]' : '[data-sender="' + d.user_id + '"]';
    root.querySelectorAll("[data-messages] " + sel).forEach(function (li) { li.remove(); });
  }

  // Those who moderate get Hide, Mute (minutes chosen in place) and Ban
  // on each viewer's message.
  var moderator = root.dataset.moderates === "true";
  var modError = $("[data-mod-error]");
  function act(body, btn) {
    if (btn) btn.disabled = true;
    if (modError) modError.hidden = true;
    return fetch("/api/v1/streams/" + id + "/moderation", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (r) {
      if (r.ok) { refreshPanel(); return; }
      return r.json().then(function (p) {
        if (modError) { modError.textContent = p.detail || p.title; modError.hidden = false; }
      });
    }).finally(function () { if (btn) btn.disabled = false; });
  }
  function button(label, aria, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "linkish small";
    b.textContent = label;
    b.setAttribute("aria-label", aria);
    b.addEventListener("click", function () { onClick(b); });
    return b;
  }
  function moderate(li) {
    if (!moderator || !li || li.classList.contains("is-mine") || li.dataset.sender === root.dataset.readerId || li.querySelector(".msg-mod")) return;
    var who = li.querySelector(".msg-who").textContent, user = Number(li.dataset.sender);
    var box = document.createElement("span");
    box.className = "msg-mod";
    var minutes = document.createElement("select");
    minutes.setAttribute("aria-label", "Mute " + who + " for");
    [[5, "5 minutes"], [10, "10 minutes"], [30, "30 minutes"], [60, "1 hour"], [1440, "1 day"]].forEach(function (o) {
      var opt = document.createElement("option");
      opt.value = o[0];
      opt.textContent = o[1];
      if (o[0] === 10) opt.selected = true;
      minutes.append(opt);
    });
    var confirm = button("Mute", "Mute " + who + " for the time chosen", function (b) {
      act({ action: "mute", user_id: user, minutes: Number(minutes.value) }, b).then(function () { choose.hidden = true; });
    });
    var choose = document.createElement("span");
    choose.className = "msg-mod-mute";
    choose.hidden = true;
    choose.append(minutes, " ", confirm);
    box.append(
      button("Hide", "Hide: " + who, function (b) { act({ action: "hide", message_id: Number(li.dataset.messageId) }, b); }),
      button("Mute…", "Mute: " + who, function () { choose.hidden = !choose.hidden; if (!choose.hidden) minutes.focus(); }),
      button("Ban", "Ban: " + who, function (b) { act({ action: "ban", user_id: user }, b); }),
      choose);
    li.append(box);
  }
  // Anyone else may flag another viewer's message to the site's moderators
  // (COM-4); the flag page returns here.
  function flaggable(li) {
    if (moderator || !li || li.classList.contains("is-mine") || Number(root.dataset.user) === 0 || li.querySelector(".msg-flag")) return;
    var a = document.createElement("a");
    a.className = "linkish small msg-flag";
    a.href = "/flag?target_type=stream_message&target_id=" + li.dataset.messageId + "&next=" + encodeURIComponent("/streams/" + id);
    a.textContent = "Flag";
    a.setAttribute("aria-label", "Flag this message from " + li.querySelector(".msg-who").textContent);
    li.append(a);
  }
  function tools(li) { moderate(li); flaggable(li); }
  root.querySelectorAll("[data-messages] [data-message-id]").forEach(tools);

  // The moderation panel: fetched again (at most every half second) as
  // viewers come and go and moderators act; Unmute and Unban act in place.
  // A moderator dismissed meanwhile is refused it, and the page drops it.
  var panel = $("[data-moderation-panel]"), panelTimer = null;
  function refreshPanel() {
    if (!panel || panelTimer) return;
    panelTimer = setTimeout(function () {
      fetch("/streams/" + id + "/moderation").then(function (r) {
        if (r.status === 403) { unmoderate(); return null; }
        return r.ok ? r.text() : null;
      }).then(function (html) {
        panelTimer = null;
        if (html !== null && panel) panel.innerHTML = html;
      }, function () { panelTimer = null; });
    }, 500);
  }
  // Someone no longer a moderator loses the card and the message tools.
  function unmoderate() {
    moderator = false;
    if (panel) panel.remove();
    panel = null;
    root.querySelectorAll(".msg-mod").forEach(function (el) { el.remove(); });
  }
  if (panel) {
    panel.addEventListener("click", function (e) {
      var b = e.target.closest("[data-mod-action]");
      if (b) act({ action: b.dataset.modAction, user_id: Number(b.dataset.userId) }, b);
    });
  }

  // A muted viewer is told until when, on their clock, and cannot send.
  var chatInput = $("[data-chat-input]"), chatSend = $("[data-chat-form] button[type=submit]");
  function hhmm(iso) {
    try {
      return new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: root.dataset.zone }).format(new Date(iso));
    } catch (e) {
      return new Date(iso).toTimeString().slice(0, 5);
    }
  }
  function setMuted(until) {
    var note = $("[data-muted-note]");
    if (!note) return;
    if (until) $("[data-muted-until]").textContent = hhmm(until);
    note.hidden = !until;
    if (chatInput) chatInput.disabled = !!until;
    if (chatSend) chatSend.disabled = !!until;
  }
  if ($("[data-muted-note]") && !$("[data-muted-note]").hidden) {
    if (chatInput) chatInput.disabled = true;
    if (chatSend) chatSend.disabled = true;
  }

  function setViewers(n) {
    var el = $("[data-viewers]");
    if (el && typeof n === "number") el.textContent = n;
  }

  // A gift flies across the screen of every viewer (reduced motion: it
  // shows in place, app.css), with the gift's icon where the tray has it;
  // the stream's data-gifts-seen counts the gifts this page has shown.
  function fly(g) {
    root.dataset.giftsSeen = Number(root.dataset.giftsSeen || 0) + 1;
    var el = document.createElement("div");
    el.className = "gift-fly anim-" + g.animation;
    el.dataset.giftFly = g.id;
    var ico = root.querySelector('[data-gift-id="' + g.gift_id + '"] .gift-ico');
    if (ico) el.append(ico.cloneNode(true));
    var text = document.createElement("span");
    text.textContent = g.sender_name + " sent " + (g.quantity > 1 ? g.quantity + " × " : "") + g.gift_name;
    el.append(text);
    $("[data-gift-stage]").append(el);
    setTimeout(function () { el.remove(); }, 3500);
  }

  function refreshGifters() {
    fetch("/api/v1/streams/" + id + "/top-gifters").then(function (r) { return r.ok ? r.json() : null; }).then(function (res) {
      if (!res) return;
      var list = res.gifters;
      var ol = $("[data-gifters]");
      ol.replaceChildren();
      (list || []).forEach(function (g) {
        var li = document.createElement("li");
        var name = document.createElement("span");
        name.textContent = g.name;
        var amount = document.createElement("strong");
        amount.textContent = money.format(g.amount_cents / 100);
        li.append(name, " ", amount);
        ol.append(li);
      });
    });
  }

  // The stream is over for this viewer: it ended (an admin's end says
  // so), or they were banned or refused; the page says why, stops
  // reconnecting and takes no more chat or gifts.
  function end(reason) {
    shut(reason === "admin" ? "This stream has ended: an admin ended it." : "This stream has ended.", true);
  }
  function shut(text, isEnd) {
    if (ended) return;
    ended = true;
    shared.leave(); // the video stops too, not only when its token runs out
    root.classList.add("stream-over");
    var note = document.createElement("div");
    note.className = "card banner";
    note.setAttribute("role", "status");
    note.dataset[isEnd ? "streamEnded" : "streamRefused"] = "";
    var h = document.createElement("h2");
    h.textContent = text;
    note.append(h);
    root.prepend(note);
    root.querySelectorAll("[data-chat-form] textarea, [data-chat-form] button, button[data-gift-id]").forEach(function (el) { el.disabled = true; });
  }

  // The gift tray.
  var status = $("[data-gift-status]"), errBox = $("[data-gift-error]");
  function refused(text, short) {
    $("[data-gift-problem]").textContent = text;
    $("[data-topup]").hidden = !short;
    errBox.hidden = false;
  }
  function newKey() {
    return window.crypto && crypto.randomUUID ? crypto.randomUUID() : Date.now() + "-" + Math.random().toString(36).slice(2);
  }
  root.querySelectorAll("button[data-gift-id]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      if (btn.disabled || ended) return;
      btn.disabled = true;
      status.textContent = "";
      errBox.hidden = true;
      fetch("/api/v1/streams/" + id + "/gifts", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ gift_id: Number(btn.dataset.giftId), quantity: 1, idempotency_key: newKey() })
      }).then(function (r) {
        return r.json().then(function (b) {
          if (!r.ok) { refused(b.detail || b.title, r.status === 402); return; }
          status.textContent = "You sent " + b.gift_name + ": " + root.dataset.readerName + " receives " +
            money.format(b.reader_cents / 100) + " of your " + money.format(b.amount_cents / 100) + ".";
        });
      }).catch(function () {
        refused("The gift could not be sent. Please try again.", false);
      }).finally(function () { btn.disabled = false; });
    });
  });
})();
