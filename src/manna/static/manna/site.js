// What every page shares:
// - the site menu: on a phone the header is one row, its links behind a Menu button (CSS
//   hides them only when scripts run, `scripting: enabled`: without this script they show);
// - a time zone field marked data-time-zone="guess" (signing up, subscribing) is filled in
//   from the browser while it still holds the default; it stays editable;
// - the service worker (reading offline, templates/web/sw.js) and the offline notice;
// - reading comfort, in the footer: text size and theme, remembered on this device (theme.js
//   applies them before the page is drawn); a devotion's Share button.
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

  // --- reading comfort --------------------------------------------------------------------
  var root = document.documentElement;
  var SIZES = ["small", "", "large", "larger"];
  function remember(key, value) {
    try {
      if (value) window.localStorage.setItem(key, value);
      else window.localStorage.removeItem(key);
    } catch (e) {
      // storage refused: the choice lasts this page
    }
  }
  function button(label, onClick, pressed, spoken) {
    var b = document.createElement("button");
    b.type = "button";
    if (!spoken) b.textContent = label;
    else {
      // What it does, for screen readers; the sign for the eye.
      var sign = document.createElement("span");
      sign.setAttribute("aria-hidden", "true");
      sign.textContent = label;
      var words = document.createElement("span");
      words.className = "visually-hidden";
      words.textContent = spoken;
      b.appendChild(sign);
      b.appendChild(words);
    }
    if (pressed !== undefined) b.setAttribute("aria-pressed", pressed ? "true" : "false");
    b.addEventListener("click", onClick);
    return b;
  }
  function group(label) {
    var g = document.createElement("div");
    g.setAttribute("role", "group");
    g.setAttribute("aria-label", label);
    var name = document.createElement("span");
    name.textContent = label + ":";
    name.setAttribute("aria-hidden", "true");
    g.appendChild(name);
    return g;
  }
  function setSize(step) {
    var at = Math.max(0, Math.min(SIZES.length - 1, SIZES.indexOf(root.dataset.text || "") + step));
    if (SIZES[at]) root.dataset.text = SIZES[at];
    else delete root.dataset.text;
    remember("manna.text", SIZES[at]);
  }
  function setTheme(theme, buttons) {
    if (theme) root.dataset.theme = theme;
    else delete root.dataset.theme;
    remember("manna.theme", theme);
    buttons.forEach(function (b) {
      b.setAttribute("aria-pressed", b.dataset.theme === theme ? "true" : "false");
    });
  }
  var footer = document.querySelector(".site-footer");
  if (footer) {
    var comfort = document.createElement("div");
    comfort.className = "comfort";
    var size = group("Text size");
    size.appendChild(button("A−", function () { setSize(-1); }, undefined, "Smaller text"));
    size.appendChild(button("A+", function () { setSize(1); }, undefined, "Larger text"));
    var theme = group("Theme");
    var themes = [];
    [["", "System"], ["light", "Light"], ["dark", "Dark"]].forEach(function (pair) {
      var b = button(pair[1], function () { setTheme(pair[0], themes); }, (root.dataset.theme || "") === pair[0]);
      b.dataset.theme = pair[0];
      themes.push(b);
      theme.appendChild(b);
    });
    comfort.appendChild(size);
    comfort.appendChild(theme);
    footer.insertBefore(comfort, footer.firstChild);
  }

  // A devotion's Share button: the device's share sheet, else the link copied.
  var share = document.querySelector("[data-share]");
  if (share) {
    var shareButton = share.querySelector("button");
    var said = share.querySelector("[role=status]");
    share.hidden = false;
    shareButton.addEventListener("click", function () {
      var what = { title: document.title, url: share.dataset.share };
      if (navigator.share) {
        navigator.share(what).catch(function () { /* the reader closed the sheet */ });
        return;
      }
      if (navigator.clipboard) {
        navigator.clipboard.writeText(what.url).then(
          function () { said.textContent = "The link is copied."; },
          function () { said.textContent = "Copy this link: " + what.url; }
        );
      } else {
        said.textContent = "Copy this link: " + what.url;
      }
    });
  }
})();
