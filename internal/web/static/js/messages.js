// Messages, live: the unread count in the header follows the user's live
// events (live.js re-dispatches them as "soulseer:<type>" on document), and
// a conversation's page redraws its thread when a message of it arrives or
// is unlocked, sends from the composer and unlocks paid replies without
// leaving the page. Without JavaScript the same forms post and return.
(function () {
  "use strict";

  // The header's count of unread messages.
  function setUnread(n) {
    document.querySelectorAll("[data-unread-messages]").forEach(function (el) {
      el.textContent = n;
      el.hidden = !n;
    });
    document.querySelectorAll("[data-messages-link]").forEach(function (a) {
      a.setAttribute("aria-label", n ? "Messages, " + n + " unread" : "Messages");
    });
  }
  ["message.new", "message.unlocked", "conversation.read"].forEach(function (type) {
    document.addEventListener("soulseer:" + type, function (e) {
      if (e.detail && typeof e.detail.unread_total === "number") setUnread(e.detail.unread_total);
    });
  });

  var page = document.getElementById("conversation");
  if (!page) return;
  var id = page.dataset.conversation;
  var withID = page.dataset.with;

  // problem reads the detail of an API problem document.
  function problem(res) {
    return res.json().then(function (p) { return p.detail || "Something went wrong."; }, function () { return "Something went wrong."; });
  }

  function scrollDown() {
    var list = page.querySelector("[data-messages]");
    if (list) list.scrollTop = list.scrollHeight;
  }

  // refresh redraws the thread from the server; the first message of a new
  // conversation opens the conversation's own page, once, whether the
  // answer to sending it or its live event comes first.
  var opening = false;
  function refresh(conversationID) {
    if (id === "0") {
      if (conversationID && !opening) {
        opening = true;
        location.assign("/conversations/" + conversationID);
      }
      return;
    }
    window.htmx.ajax("GET", "/conversations/" + id, { target: "#thread", swap: "outerHTML" }).then(scrollDown);
  }
  ["message.new", "message.unlocked"].forEach(function (type) {
    document.addEventListener("soulseer:" + type, function (e) {
      var d = e.detail || {};
      if (String(d.conversation_id) === id || (id === "0" && d.with && String(d.with.id) === withID)) refresh(d.conversation_id);
    });
  });
  scrollDown();

  // The composer sends through the API and shows a refusal beside itself.
  var form = page.querySelector("[data-composer]");
  if (form) {
    var body = form.querySelector("[data-composer-body]");
    var paid = form.querySelector("[data-paid-switch]");
    var error = form.querySelector("[data-composer-error]");
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (!body.value.trim()) return;
      error.hidden = true;
      var sent = { to_user_id: Number(withID), body: body.value, paid: !!(paid && paid.checked) };
      fetch("/api/v1/messages", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(sent) })
        .then(function (res) {
          if (!res.ok) return problem(res).then(function (d) { error.textContent = d; error.hidden = false; });
          body.value = "";
          if (paid) paid.checked = false;
          return res.json().then(function (m) { refresh(m.conversation_id); });
        })
        .catch(function () { error.textContent = "The message was not sent. Check your connection and try again."; error.hidden = false; });
    });
    body.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); }
    });
  }

  // A balance change (a top-up landing, another unlock) shows or hides each
  // locked card's shortfall note and top-up buttons.
  document.body.addEventListener("wallet-changed", function (e) {
    var cents = e.detail && e.detail.balance_cents;
    if (typeof cents !== "number") return;
    page.querySelectorAll("[data-locked]").forEach(function (card) {
      var short = cents < Number(card.dataset.price);
      card.querySelector("[data-unlock-topup]").hidden = !short;
      if (short) card.querySelector("[data-unlock-error]").textContent = "Your balance does not cover this reply. Add funds, then unlock it.";
    });
  });

  // Unlocking a paid reply: the thread redraws with its text; a balance
  // that falls short says by how much, beside the top-up buttons.
  page.addEventListener("submit", function (e) {
    var unlock = e.target.closest("[data-unlock]");
    if (!unlock) return;
    e.preventDefault();
    var card = unlock.closest("[data-locked]");
    var button = unlock.querySelector("button");
    button.disabled = true;
    fetch("/api/v1" + unlock.getAttribute("action"), { method: "POST" })
      .then(function (res) {
        if (res.ok) return refresh();
        return problem(res).then(function (d) {
          card.querySelector("[data-unlock-error]").textContent = d;
          card.querySelector("[data-unlock-topup]").hidden = false;
          button.disabled = false;
        });
      })
      .catch(function () { button.disabled = false; });
  });
})();
