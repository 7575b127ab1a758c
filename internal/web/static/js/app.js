// SoulSeer's small amount of page behaviour. Everything works without it;
// it only adds niceties. Live features (wallet, readings) add their own files.
(function () {
  "use strict";
  // Close the mobile menu when a link inside it is followed.
  document.addEventListener("click", function (e) {
    if (e.target.closest(".nav a")) {
      var toggle = document.getElementById("menu-toggle");
      if (toggle) toggle.checked = false;
    }
  });
  // Presence dots stay current (RDR-3): every 15 s the readers shown on the
  // page are looked up and their online/busy/offline marks updated in place.
  function refreshPresence() {
    var els = document.querySelectorAll("[data-presence]");
    var ids = {};
    els.forEach(function (el) { ids[el.dataset.presence] = true; });
    var list = Object.keys(ids).slice(0, 100);
    if (!list.length || document.hidden) return;
    fetch("/api/v1/readers/presence?ids=" + list.join(","), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (res) {
        if (!res) return;
        document.querySelectorAll("[data-presence]").forEach(function (el) {
          var st = res.statuses[el.dataset.presence];
          if (!st) return;
          el.classList.remove("status-online", "status-busy", "status-offline");
          el.classList.add("status-" + st);
          var label = el.querySelector(".sr-only");
          if (label) label.textContent = st;
        });
      })
      .catch(function () { /* try again next time */ });
  }
  setInterval(refreshPresence, 15000);

  // Live connections (live.js, room.js) wait between attempts to reconnect
  // by one rule. A connection the server closed with 1001 because it is
  // restarting comes back within a second, at a random moment so the pages
  // of a whole instance do not arrive at once, to whichever instance answers;
  // after any other drop it waits about 1 s, 2 s, 4 s… up to max ms, each
  // wait jittered by ±50 %.
  window.SoulSeer = window.SoulSeer || {};
  window.SoulSeer.backoff = function (max) {
    var delay = 1000;
    return {
      // connected starts the next series of waits from 1 s again.
      connected: function () { delay = 1000; },
      // next returns how long to wait, in ms, after the close event ev.
      next: function (ev) {
        if (ev && ev.code === 1001) {
          delay = 1000;
          return Math.random() * 1000;
        }
        var wait = delay * (0.5 + Math.random());
        delay = Math.min(delay * 2, max);
        return wait;
      }
    };
  };

  // Flash messages fade after a while.
  var flash = document.querySelector(".flash");
  if (flash) {
    setTimeout(function () { flash.classList.add("is-fading"); }, 6000);
  }
})();
