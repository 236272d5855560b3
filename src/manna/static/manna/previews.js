// Reference previews: CSS already shows them on hover and keyboard focus. This adds what
// CSS cannot: Escape closes an open preview, and a preview near the right edge flips left.
(function () {
  "use strict";
  function place(link) {
    var preview = link.querySelector(".ref-preview");
    if (!preview) return;
    preview.style.left = "0";
    preview.style.right = "auto";
    var box = preview.getBoundingClientRect();
    if (box.right > document.documentElement.clientWidth - 8) {
      preview.style.left = "auto";
      preview.style.right = "0";
    }
  }
  document.addEventListener("focusin", function (event) {
    var link = event.target.closest && event.target.closest("a.ref");
    if (link) { link.classList.remove("preview-closed"); place(link); }
  });
  document.addEventListener("mouseover", function (event) {
    var link = event.target.closest && event.target.closest("a.ref");
    if (link) { link.classList.remove("preview-closed"); place(link); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var link = document.activeElement && document.activeElement.closest("a.ref");
    if (link) link.classList.add("preview-closed");
  });
})();
