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
  // Presence follows the readers shown on the page live, for visitors too
  // (RDR-3): every 15 s, and whenever the tab comes back into view, they are
  // looked up and every part that depends on their presence is updated in
  // place: avatar dots ([data-presence]), badges ([data-presence-badge]),
  // parts that belong to some states only ([data-presence-show="busy"]),
  // controls usable in some states only ([data-presence-enable="online"])
  // and the count of readers online ([data-online-count]).
  function presenceIDs() {
    var ids = {};
    document.querySelectorAll("[data-presence], [data-presence-of]").forEach(function (el) {
      ids[el.dataset.presence || el.dataset.presenceOf] = true;
    });
    return Object.keys(ids).slice(0, 100);
  }
  function states(list, st) { return list.split(" ").indexOf(st) >= 0; }
  function showPresence(id, st) {
    document.querySelectorAll('[data-presence="' + id + '"]').forEach(function (el) {
      el.classList.remove("status-online", "status-busy", "status-offline");
      el.classList.add("status-" + st);
      var dot = el.querySelector(".presence");
      if (dot) dot.title = st.charAt(0).toUpperCase() + st.slice(1);
      var label = el.querySelector(".sr-only");
      if (label) label.textContent = st;
    });
    document.querySelectorAll('[data-presence-of="' + id + '"]').forEach(function (el) {
      if (el.hasAttribute("data-presence-badge")) {
        el.className = "badge badge-" + st;
        el.textContent = st.charAt(0).toUpperCase() + st.slice(1);
      }
      if (el.dataset.presenceShow) el.hidden = !states(el.dataset.presenceShow, st);
      if (el.dataset.presenceEnable) el.disabled = !states(el.dataset.presenceEnable, st);
    });
  }
  function showOnlineCount(n) {
    document.querySelectorAll("[data-online-count]").forEach(function (el) {
      el.dataset.onlineCount = n;
      el.querySelector("strong").textContent = n;
      el.querySelector("strong + span").textContent = (n === 1 ? "reader is" : "readers are") + " online now";
    });
  }
  function refreshPresence() {
    var list = presenceIDs();
    if (!list.length || document.hidden) return;
    fetch("/api/v1/readers/presence?ids=" + list.join(","), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (res) {
        if (!res) return;
        Object.keys(res.statuses).forEach(function (id) { showPresence(id, res.statuses[id]); });
        showOnlineCount(res.online_count);
      })
      .catch(function () { /* try again next time */ });
  }
  setInterval(refreshPresence, 15000);
  document.addEventListener("visibilitychange", refreshPresence);

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
