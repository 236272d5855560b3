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
  document.querySelectorAll("a.depth-link").forEach(function (link) {
    link.addEventListener("click", function () {
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
