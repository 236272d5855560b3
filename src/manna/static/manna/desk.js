// The desk's editor: line numbers, problems that jump to their line, a live preview
// rendered by the server as you type, the text kept in this browser until it is saved, and
// a warning before leaving with unsaved changes. Without it the form works as it is.
(function () {
  "use strict";
  var form = document.querySelector("form.desk-editor");
  if (!form) return;
  var source = form.querySelector("#source");
  var gutter = form.querySelector(".gutter");
  var status = document.getElementById("draft-status");
  var key = form.getAttribute("data-draft-key");
  var saved = source.value; // the text as the server has it
  var submitting = false;
  var timer = null;

  function lines() {
    var count = Math.max(source.value.split("\n").length, 30);
    var out = [];
    for (var i = 1; i <= count; i++) out.push(i);
    gutter.textContent = out.join("\n");
    gutter.scrollTop = source.scrollTop;
  }

  function jump(line, column) {
    var rows = source.value.split("\n");
    var at = 0;
    for (var i = 0; i < Math.min(line - 1, rows.length); i++) at += rows[i].length + 1;
    var end = at + (rows[line - 1] || "").length;
    source.focus();
    source.setSelectionRange(at + Math.max(column - 1, 0), end);
    var height = source.scrollHeight / Math.max(rows.length, 1);
    source.scrollTop = Math.max(0, (line - 5) * height);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-line]");
    if (!link) return;
    event.preventDefault();
    jump(parseInt(link.getAttribute("data-line"), 10), parseInt(link.getAttribute("data-column"), 10) || 1);
  });

  function keep() {
    try {
      if (source.value === saved) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify({ text: source.value, at: Date.now() }));
    } catch (e) { /* storage full or refused: the warning before leaving still holds */ }
  }

  function preview() {
    var data = new FormData();
    data.append("source", source.value);
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    fetch(form.getAttribute("data-preview"), { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var old = document.getElementById("preview");
        var holder = document.createElement("div");
        holder.innerHTML = html; // the server's rendering, through the same sanitiser as the site
        if (old && holder.firstElementChild) old.replaceWith(holder.firstElementChild);
      })
      .catch(function () { /* offline: the text is kept in this browser; preview later */ });
  }

  // Then the server keeps it too (never published, never a revision: a save makes those).
  var sending = null;
  function autosave() {
    if (source.value === saved) return;
    var data = new FormData();
    data.append("source", source.value);
    data.append("key", form.getAttribute("data-key"));
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    fetch(form.getAttribute("data-autosave"), { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        status.textContent = answer
          ? "Not saved yet; kept on the server at " + answer.saved + " and in this browser."
          : "Not saved yet; kept in this browser.";
      })
      .catch(function () {
        status.textContent = "Not saved yet; kept in this browser (the server will have it when the connection returns).";
      });
  }
  window.addEventListener("online", autosave);

  source.addEventListener("input", function () {
    lines();
    keep();
    status.textContent = source.value === saved ? "" : "Not saved yet; kept in this browser.";
    clearTimeout(timer);
    timer = setTimeout(preview, 600);
    clearTimeout(sending);
    sending = setTimeout(autosave, 2000);
  });

  var putBack = document.querySelector("[data-put-back]");
  var keptText = document.getElementById("kept-text");
  if (putBack && keptText) {
    putBack.hidden = false;
    putBack.addEventListener("click", function () {
      source.value = keptText.content.textContent;
      putBack.closest(".notice").remove();
      source.dispatchEvent(new Event("input"));
    });
  }
  source.addEventListener("scroll", function () { gutter.scrollTop = source.scrollTop; });
  form.addEventListener("submit", function () { submitting = true; });
  window.addEventListener("beforeunload", function (event) {
    if (!submitting && source.value !== saved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Text written here and never saved (a closed tab, a lost connection): offer it back.
  var kept = null;
  try { kept = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { kept = null; }
  if (kept && kept.text === saved) {
    try { localStorage.removeItem(key); } catch (e) { /* nothing to do */ }
  } else if (kept && kept.text) {
    var when = new Date(kept.at).toLocaleString();
    var offer = document.createElement("p");
    offer.className = "notice";
    offer.setAttribute("role", "status");
    offer.textContent = "Text you wrote here on " + when + " was not saved. ";
    var back = document.createElement("button");
    back.type = "button";
    back.textContent = "Put it back in the editor";
    back.addEventListener("click", function () {
      source.value = kept.text;
      offer.remove();
      source.dispatchEvent(new Event("input"));
    });
    offer.appendChild(back);
    form.insertBefore(offer, form.firstChild);
  }
  lines();
})();
