// Live updates for signed-in pages: one WebSocket to /api/v1/ws carries the
// user's events. Each event is re-dispatched on document as
// "soulseer:<type>" (detail = its data), and wallet balance changes update
// every [data-wallet-balance] element and fire "wallet-changed" on <body>
// (htmx fragments refresh on it). The socket reconnects after a drop.
(function () {
  "use strict";
  if (!document.body.dataset.user || !window.WebSocket) return;
  var money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
  var delay = 1000;

  function onMessage(ev) {
    var msg;
    try { msg = JSON.parse(ev.data); } catch (e) { return; }
    if (msg.type === "wallet.balance" && msg.data && msg.data.kind === "wallet") {
      document.querySelectorAll("[data-wallet-balance]").forEach(function (el) {
        el.textContent = money.format(msg.data.balance_cents / 100);
        el.classList.remove("is-updated");
        void el.offsetWidth; // restart the highlight animation
        el.classList.add("is-updated");
      });
      document.body.dispatchEvent(new CustomEvent("wallet-changed", { detail: msg.data }));
    }
    document.dispatchEvent(new CustomEvent("soulseer:" + msg.type, { detail: msg.data }));
  }

  function connect() {
    var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/api/v1/ws");
    ws.onopen = function () { delay = 1000; document.body.classList.add("is-live"); };
    ws.onmessage = onMessage;
    ws.onclose = function () {
      document.body.classList.remove("is-live");
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
})();
