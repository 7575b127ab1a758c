// Live updates for signed-in pages: one WebSocket to /api/v1/ws carries the
// user's events. Each event is re-dispatched on document as
// "soulseer:<type>" (detail = its data), and wallet balance changes update
// every [data-wallet-balance] element and fire "wallet-changed" on <body>
// (htmx fragments refresh on it); a reader's earnings update every
// [data-earnings-balance] element. The socket reconnects after a drop, at
// once when the server closed it for a restart (SoulSeer.backoff, app.js).
(function () {
  "use strict";
  if (!document.body.dataset.user || !window.WebSocket) return;
  var money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
  var retry = window.SoulSeer.backoff(30000);
  var leaving = false; // the page is on its way elsewhere
  window.addEventListener("beforeunload", function () { leaving = true; });

  function onMessage(ev) {
    var msg;
    try { msg = JSON.parse(ev.data); } catch (e) { return; }
    // Every session of this user has ended (a suspension, a password
    // reset elsewhere): reloading takes the page to where it now belongs —
    // unless it is already on its way there (a form just sent, such as the
    // one that deleted the account), which a reload would cancel.
    if (msg.type === "account.signed_out") { if (!leaving) location.reload(); return; }
    if (msg.type === "wallet.balance" && msg.data && msg.data.kind === "wallet") {
      document.querySelectorAll("[data-wallet-balance]").forEach(function (el) {
        el.textContent = money.format(msg.data.balance_cents / 100);
        el.classList.remove("is-updated");
        void el.offsetWidth; // restart the highlight animation
        el.classList.add("is-updated");
      });
      document.body.dispatchEvent(new CustomEvent("wallet-changed", { detail: msg.data }));
    }
    if (msg.type === "earnings.balance" && msg.data) {
      document.querySelectorAll("[data-earnings-balance]").forEach(function (el) {
        el.textContent = money.format(msg.data.balance_cents / 100);
        el.classList.remove("is-updated");
        void el.offsetWidth;
        el.classList.add("is-updated");
      });
    }
    if (msg.type === "reading.requested" && msg.data && String(msg.data.reader_id) === document.body.dataset.user) {
      announceRequest(msg.data);
    }
    if (msg.type === "queue.position" && msg.data && msg.data.your_turn) {
      toast("It's your turn — the reader you queued for is free again.", "/readers/" + msg.data.reader_id, "Go to the reader");
    }
    document.dispatchEvent(new CustomEvent("soulseer:" + msg.type, { detail: msg.data }));
  }

  // toast shows a short notice in the corner with an optional link.
  function toast(text, href, label) {
    var box = document.createElement("div");
    box.className = "toast";
    box.setAttribute("role", "alert");
    var p = document.createElement("p");
    p.textContent = text;
    box.append(p);
    if (href) {
      var a = document.createElement("a");
      a.className = "btn btn-gold btn-sm";
      a.href = href;
      a.textContent = label;
      box.append(a);
    }
    document.body.append(box);
    setTimeout(function () { box.remove(); }, 60000);
    return box;
  }

  // announceRequest alerts a reader to a new reading request, with a chime,
  // wherever they are on the site; the dashboard's requests card lists it
  // too, refreshing itself on the same event.
  function announceRequest(r) {
    var box = toast(r.client_name + " asks for a " + r.modality + " reading (" + money.format(r.rate_cents / 100) + document.body.dataset.per + ").",
      "/readings/" + r.id, "Answer");
    box.classList.add("toast-request");
    chime();
  }

  function chime() {
    try {
      var ctx = new (window.AudioContext || window.webkitAudioContext)();
      [660, 880].forEach(function (f, i) {
        var o = ctx.createOscillator(), g = ctx.createGain();
        o.frequency.value = f;
        g.gain.setValueAtTime(0.0001, ctx.currentTime + i * 0.18);
        g.gain.exponentialRampToValueAtTime(0.2, ctx.currentTime + i * 0.18 + 0.02);
        g.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + i * 0.18 + 0.5);
        o.connect(g).connect(ctx.destination);
        o.start(ctx.currentTime + i * 0.18);
        o.stop(ctx.currentTime + i * 0.18 + 0.55);
      });
    } catch (e) { /* sound is a nicety */ }
  }

  function connect() {
    var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/api/v1/ws");
    ws.onopen = function () { retry.connected(); document.body.classList.add("is-live"); };
    ws.onmessage = onMessage;
    ws.onclose = function (ev) {
      document.body.classList.remove("is-live");
      setTimeout(connect, retry.next(ev));
    };
  }
  connect();
})();
