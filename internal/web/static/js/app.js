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
  // Flash messages fade after a while.
  var flash = document.querySelector(".flash");
  if (flash) {
    setTimeout(function () { flash.classList.add("is-fading"); }, 6000);
  }
})();
