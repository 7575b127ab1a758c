// A livestream's page and the reader's go-live page (LIV-2, LIV-6, LIV-7,
// LIV-9): what every room has (chat.js: live chat over the stream's
// WebSocket; video through Agora where the site has it — the reader
// publishes, viewers watch) and the stream's own events: stream.chat adds
// a line, stream.gift plays the gift's animation for every viewer and
// refreshes the top gifters, stream.viewers updates the count and
// stream.ended says the stream is over. A tap on a gift sends it with a
// key made for that tap, the button held until the answer comes, so a
// double tap sends one; the sender is shown what the reader receives, and
// a short wallet is told so in place with a link to top up.
(function () {
  "use strict";
  var root = document.getElementById("stream");
  if (!root) return;
  var id = root.dataset.stream;
  var money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
  var $ = function (sel) { return root.querySelector(sel); };
  var ended = false;
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
        case "stream.chat": shared.addMessage(d); moderate(root.querySelector('[data-message-id="' + d.id + '"]')); break;
        case "stream.hidden": hide(d); break;
        case "stream.banned": if (String(d.user_id) === root.dataset.user) shared.reload(); break;
        case "stream.gift": fly(d); refreshGifters(); break;
        case "stream.viewers": setViewers(d.count); break;
        case "stream.state": setViewers(d.viewer_count); if (d.state !== "live") end(); break;
        case "stream.ended": end(); break;
      }
    }
  });

  // LIV-8: a hidden message, or a banned viewer's every message, leaves
  // every screen; a viewer banned now is shown the stream refusing them.
  function hide(d) {
    var sel = d.message_id ? '[data-message-id="' + d.message_id + '"]' : '[data-sender="' + d.user_id + '"]';
    root.querySelectorAll("[data-messages] " + sel).forEach(function (li) { li.remove(); });
  }

  // The reader moderates from their page: each viewer's message gets
  // Hide, Mute (10 minutes) and Ban.
  var moderator = root.dataset.readerStream === "true";
  function moderate(li) {
    if (!moderator || !li || li.classList.contains("is-mine") || li.querySelector(".msg-mod")) return;
    var box = document.createElement("span");
    box.className = "msg-mod";
    [["hide", "Hide"], ["mute", "Mute 10 min"], ["ban", "Ban"]].forEach(function (a) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "linkish small";
      b.textContent = a[1];
      b.setAttribute("aria-label", a[1] + ": " + li.querySelector(".msg-who").textContent);
      b.addEventListener("click", function () {
        b.disabled = true;
        fetch("/api/v1/streams/" + id + "/moderation", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ action: a[0], message_id: Number(li.dataset.messageId), user_id: Number(li.dataset.sender), minutes: 10 })
        }).then(function (r) {
          if (r.ok) return;
          return r.json().then(function (p) { window.alert(p.detail || p.title); });
        }).finally(function () { b.disabled = false; });
      });
      box.append(b);
    });
    li.append(box);
  }
  root.querySelectorAll("[data-messages] [data-message-id]").forEach(moderate);

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

  function end() {
    if (ended) return;
    ended = true;
    root.classList.add("stream-over");
    var note = document.createElement("div");
    note.className = "card banner";
    note.setAttribute("role", "status");
    note.dataset.streamEnded = "";
    var h = document.createElement("h2");
    h.textContent = "This stream has ended.";
    note.append(h);
    root.prepend(note);
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
