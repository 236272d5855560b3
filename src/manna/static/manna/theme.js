// The reader's theme and text size, chosen on this device (site.js offers the choice):
// set before the page is drawn, so that it never flashes in the other one.
(function () {
  "use strict";
  try {
    var theme = window.localStorage.getItem("manna.theme");
    var text = window.localStorage.getItem("manna.text");
    if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
    if (text === "small" || text === "large" || text === "larger") {
      document.documentElement.dataset.text = text;
    }
  } catch (e) {
    // storage refused: the system's theme and the usual size
  }
})();
