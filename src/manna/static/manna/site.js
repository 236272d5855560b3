// What every page shares:
// - the site menu: on a phone the header is one row, its links behind a Menu button (CSS
//   hides them only when scripts run, `scripting: enabled`: without this script they show);
// - a time zone field marked data-time-zone="guess" (signing up, subscribing) is filled in
//   from the browser while it still holds the default; it stays editable;
// - the service worker (reading offline, templates/web/sw.js) and the offline notice.
(function () {
  "use strict";
  if ("serviceWorker" in navigator && document.body.dataset.serviceWorker) {
    navigator.serviceWorker.register(document.body.dataset.serviceWorker, { scope: "/" })
      .catch(function () { /* no offline reading here: the site works as before */ });
  }
  function offlineNotice() {
    var note = document.querySelector(".offline-notice");
    if (navigator.onLine) {
      if (note) note.remove();
      return;
    }
    if (note) return;
    note = document.createElement("p");
    note.className = "offline-notice";
    note.setAttribute("role", "status");
    note.textContent =
      "You are offline. Pages you opened before are here; what you write is kept on this " +
      "device and sent when the connection returns.";
    var main = document.getElementById("main");
    if (main) main.insertBefore(note, main.firstChild);
  }
  window.addEventListener("online", offlineNotice);
  window.addEventListener("offline", offlineNotice);
  offlineNotice();

  document.querySelectorAll('input[data-time-zone="guess"]').forEach(function (field) {
    if (field.value && field.value !== "UTC") return; // chosen already (a form sent back)
    try {
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (zone) field.value = zone;
    } catch (e) {
      // an old browser: the field keeps its default
    }
  });

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
