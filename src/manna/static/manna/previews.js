// Reference previews. CSS already shows them on hover and keyboard focus; this adds what
// CSS cannot:
// - on a touch screen, the first tap on a reference opens its card (the address does not
//   change); tapping the card or the reference again follows it; tapping elsewhere closes it;
// - Escape closes an open preview, and a preview near the right edge flips left;
// - following a reference remembers the way back: the Bible page then offers a link to the
//   place it was followed from (the browser's Back button does the same without this).
(function () {
  "use strict";
  var BACK = "manna.back";
  var finger = false; // the last pointer was a finger (or a pen): previews open on tap
  var open = null; // the reference whose card a tap opened

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
  function close() {
    if (!open) return;
    open.classList.remove("preview-open");
    open.classList.add("preview-closed"); // a finger's :hover stays: keep the card shut
    open = null;
  }
  function openCard(link) {
    close();
    var preview = link.querySelector(".ref-preview");
    if (!preview.querySelector(".ref-preview-follow")) {
      var follow = document.createElement("span");
      follow.className = "ref-preview-follow";
      follow.textContent = "Open in the Bible ›";
      preview.appendChild(follow);
    }
    link.classList.remove("preview-closed");
    link.classList.add("preview-open");
    open = link;
    place(link);
  }
  function remember(link) {
    var preview = link.querySelector(".ref-preview");
    var heading = document.querySelector("main h1");
    try {
      window.sessionStorage.setItem(
        BACK,
        JSON.stringify({
          to: link.pathname,
          from: location.pathname + location.search + (preview && preview.id ? "#" + preview.id : ""),
          title: heading ? heading.textContent.trim() : document.title,
        })
      );
    } catch (e) {
      // storage refused (private mode): the Back button still works
    }
  }

  document.addEventListener("pointerdown", function (event) {
    finger = event.pointerType === "touch" || event.pointerType === "pen";
  });
  document.addEventListener("keydown", function (event) {
    finger = false;
    if (event.key === "Escape") {
      var link = document.activeElement && document.activeElement.closest("a.ref");
      if (link) link.classList.add("preview-closed");
      close();
    }
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.ref");
    if (!link) {
      close();
      return;
    }
    if (finger && open !== link && link.querySelector(".ref-preview")) {
      event.preventDefault();
      openCard(link);
      return;
    }
    remember(link);
  });
  document.addEventListener("focusin", function (event) {
    var link = event.target.closest && event.target.closest("a.ref");
    if (link) { link.classList.remove("preview-closed"); place(link); }
  });
  document.addEventListener("mouseover", function (event) {
    if (finger) return;
    var link = event.target.closest && event.target.closest("a.ref");
    if (link) { link.classList.remove("preview-closed"); place(link); }
  });

  window.addEventListener("load", function () {
    // Back at the place a reference was followed from: that reference, in view (once the
    // browser has done its own scrolling to the address's fragment).
    var hash = location.hash.slice(1);
    var target = hash && document.getElementById(hash);
    if (target && target.classList.contains("ref-preview")) {
      var link = target.closest("a.ref");
      link.classList.add("preview-closed");
      link.scrollIntoView({ block: "center" });
      link.focus({ preventScroll: true });
    }
    // On the page a reference led to: the way back.
    var back = null;
    try {
      back = JSON.parse(window.sessionStorage.getItem(BACK) || "null");
    } catch (e) {
      back = null;
    }
    var header = document.querySelector("main article header");
    if (!back || back.to !== location.pathname || !header) return;
    var way = document.createElement("p");
    way.className = "way-back";
    var a = document.createElement("a");
    a.href = back.from;
    a.textContent = "← Back to " + back.title;
    way.appendChild(a);
    header.insertBefore(way, header.firstChild);
  });
})();
