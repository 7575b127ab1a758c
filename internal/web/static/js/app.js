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

  // Flash messages fade after a while.
  var flash = document.querySelector(".flash");
  if (flash) {
    setTimeout(function () { flash.classList.add("is-fading"); }, 6000);
  }
})();
