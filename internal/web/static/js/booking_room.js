// A booked reading's room (SCH-6): what every room has (chat.js: live chat,
// voice or video through Agora where configured) with no meter — it was
// paid when booked — and the time left to the booked end counted down.
// When the end comes the page reloads and the room says the reading has
// ended; a room not open yet counts down to its opening and then lets the
// viewer in the same way. The counts are the server's seconds from when
// the page was drawn, so a wrong clock on the device does not matter.
(function () {
  "use strict";
  var room = document.getElementById("booking-room");
  if (!room) return;
  var id = room.dataset.booking;
  var state = room.dataset.room;
  var anchor = Date.now();
  var opensIn = Number(room.dataset.opensIn), startsIn = Number(room.dataset.startsIn), endsIn = Number(room.dataset.endsIn);
  var fmt = window.SoulSeer.countdown;
  var $ = function (sel) { return room.querySelector(sel); };
  var shared = window.SoulSeer.room(room, {
    socket: "/api/v1/bookings/" + id + "/ws",
    draftKey: "soulseer-booking-draft-" + id,
    tokenURL: "/api/v1/bookings/" + id + "/agora-token",
    over: function () { return state !== "open"; },
    // The room as it is now comes first on every (re)connection: one that
    // closed meanwhile (a cancellation) reloads to say so.
    onEvent: function (msg) {
      if (msg.type === "booking.room" && msg.data && msg.data.room !== state) shared.reload();
    }
  });

  function tick() {
    var gone = (Date.now() - anchor) / 1000;
    if (state === "not_yet") {
      var left = $("[data-opens-left]");
      if (left) left.textContent = " in " + fmt(opensIn - gone);
      if (gone >= opensIn) shared.reload();
      return;
    }
    if (state !== "open") return;
    var starts = $("[data-starts-left]");
    if (starts) {
      starts.textContent = fmt(startsIn - gone);
      $("[data-starts-cell]").hidden = gone >= startsIn;
    }
    $("[data-time-left]").textContent = fmt(endsIn - gone);
    if (gone >= endsIn) shared.reload();
  }
  tick();
  setInterval(tick, 500);
})();
