// The depth control keeps the reader's place: switching depth goes to the part of the
// devotion being read (or the nearest part before it that the new depth shows). Without
// this script the control is plain links and the page opens at the top.
(function () {
  "use strict";
  var RANK = { glimpse: 0, walk: 1, study: 2 };
  function currentMark() {
    var marks = document.querySelectorAll(".depth-mark");
    var found = -1;
    for (var i = 0; i < marks.length; i++) {
      if (marks[i].getBoundingClientRect().top <= 120) found = i;
    }
    return { marks: marks, index: found };
  }
  // A signed-in reader's choice is kept on the account by a POST (a GET never writes):
  // sent as the link is followed, so choosing a depth remembers it, as before.
  var keep = document.querySelector("form[data-depth-remember]");
  function remember(depth) {
    if (!keep || !window.fetch) return;
    var data = new FormData(keep);
    data.set("depth", depth);
    window.fetch(keep.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      keepalive: true,
    });
  }
  document.querySelectorAll("a.depth-link").forEach(function (link) {
    link.addEventListener("click", function () {
      remember(link.getAttribute("data-depth"));
      var target = RANK[link.getAttribute("data-depth")];
      var here = currentMark();
      for (var i = here.index; i >= 0; i--) {
        var mark = here.marks[i];
        if (RANK[mark.getAttribute("data-depth")] <= target) {
          link.href = link.href.split("#")[0] + "#" + mark.id;
          return;
        }
      }
    });
  });
})();
