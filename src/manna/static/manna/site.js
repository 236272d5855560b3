// What every page shares. The site menu: on a phone the header is one row, its links
// behind a Menu button (CSS hides them only when scripts run: `scripting: enabled`, so a
// page without this script shows them all).
(function () {
  "use strict";
  var toggle = document.querySelector(".menu-toggle");
  var menu = document.getElementById("site-menu");
  if (!toggle || !menu) return;
  function show(open) {
    menu.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }
  toggle.addEventListener("click", function () {
    show(!menu.classList.contains("open"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.classList.contains("open")) {
      show(false);
      toggle.focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (menu.classList.contains("open") && !event.target.closest(".site-header")) show(false);
  });
})();
