// Practice pages: the session timer's clock, and the journal editor's autosave.
// Both pages work without this script (the timer's buttons and the editor's Save are
// plain forms); the script only adds a ticking clock and saving while one types.
//
// Nothing typed is lost: every keystroke's text is kept in this browser (localStorage)
// before it is sent, and stays there until the server has confirmed that exact text. A
// draft left by a closed tab is sent the next time any journal page opens.
//
// Nothing typed reaches another account: drafts are kept under the account's mark
// (data-owner, opaque) and sent with it, the server refuses a draft whose mark is not
// the signed-in account's, and signing out first sends what is unsent (what cannot be
// sent stays, for the same account's next sign-in, under its own mark).
(function () {
  "use strict";

  // --- the timer's clock --------------------------------------------------------------
  var timer = document.querySelector("[data-timer]");
  if (timer) {
    var clock = timer.querySelector("[data-clock]");
    var remaining = parseInt(timer.getAttribute("data-remaining"), 10) || 0;
    var deadline = Date.now() + remaining * 1000;
    var show = function (seconds) {
      var s = Math.max(0, Math.round(seconds));
      clock.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
    };
    if (timer.getAttribute("data-state") === "running") {
      var tick = function () {
        var left = (deadline - Date.now()) / 1000;
        show(left);
        if (left <= 0) {
          timer.classList.add("time-up");
          clock.textContent = "Time is up. Finish when you are ready.";
          return;
        }
        window.setTimeout(tick, 250);
      };
      tick();
    }
  }

  // --- the journal editor -------------------------------------------------------------
  var form = document.querySelector("form[data-journal]");
  var outbox = document.querySelector("[data-journal-outbox]");
  var OWNER = outbox ? outbox.getAttribute("data-owner") : "";
  var KEY = "manna.journal.drafts." + OWNER;
  var RETRY_MS = 4000;
  var TYPING_MS = 800;

  function drafts() {
    try {
      return JSON.parse(window.localStorage.getItem(KEY) || "{}");
    } catch (e) {
      return {};
    }
  }
  function saveDrafts(all) {
    window.localStorage.setItem(KEY, JSON.stringify(all));
  }
  function forget(uid, text) {
    var all = drafts();
    if (all[uid] && all[uid].body === text) {
      delete all[uid];
      saveDrafts(all);
    }
  }
  // Every practice page carries the save address and a CSRF token, so drafts left by
  // closed tabs are sent from whichever practice page opens next.
  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    return outbox ? outbox.getAttribute("data-csrf") : "";
  }
  function post(url, draft) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrfToken());
    ["uid", "version", "writer", "kind", "devotion", "body"].forEach(function (name) {
      data.append(name, draft[name] == null ? "" : draft[name]);
    });
    data.append("owner", OWNER);
    return window
      .fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return { error: "The server answered " + response.status + "." };
          })
          .then(function (answer) {
            answer.status = response.status;
            return answer;
          });
      });
  }

  // Drafts other tabs left unsent (closed while offline): send them now.
  function flushOthers(url, current) {
    var all = drafts();
    return Promise.all(
      Object.keys(all).map(function (uid) {
        if (uid === current) return null;
        var draft = all[uid];
        return post(url, draft)
          .then(function (answer) {
            if (answer.status === 200) forget(uid, draft.body);
          })
          .catch(function () {});
      })
    );
  }

  if (!window.fetch || !OWNER) return;

  // Signing out sends what is unsent first (for at most a few seconds).
  var signout = document.querySelector("form[data-signout]");
  if (signout && outbox) {
    signout.addEventListener("submit", function (event) {
      if (signout.getAttribute("data-flushed") || !Object.keys(drafts()).length) return;
      event.preventDefault();
      if (form) keep();
      var done = function () {
        signout.setAttribute("data-flushed", "1");
        signout.submit();
      };
      Promise.race([
        flushOthers(outbox.getAttribute("data-url"), null),
        new Promise(function (resolve) {
          window.setTimeout(resolve, 3000);
        }),
      ]).then(done, done);
    });
  }
  if (!form) {
    if (outbox) flushOthers(outbox.getAttribute("data-url"), null);
    return;
  }
  var body = form.elements.body;
  var status = form.querySelector("[data-save-status]");
  var field = function (name) {
    return form.elements[name];
  };
  var sending = false;
  var again = false;
  var waiting = null;

  function say(text, kind) {
    status.textContent = text;
    status.className = "save-status" + (kind ? " save-" + kind : "");
  }
  function current() {
    return {
      uid: field("uid").value,
      version: field("version").value,
      writer: field("writer").value,
      kind: field("kind") ? field("kind").value : "",
      devotion: field("devotion") ? field("devotion").value : "",
      body: body.value,
    };
  }
  function keep() {
    var all = drafts();
    all[field("uid").value] = current();
    saveDrafts(all);
  }
  function later(ms) {
    window.clearTimeout(waiting);
    waiting = window.setTimeout(send, ms);
  }

  function send() {
    if (sending) {
      again = true;
      return;
    }
    var draft = current();
    sending = true;
    again = false;
    say("Saving…", "busy");
    post(form.action, draft)
      .then(function (answer) {
        sending = false;
        if (answer.status === 200) {
          forget(draft.uid, draft.body);
          if (answer.uid !== draft.uid) {
            // Another tab changed the entry: this text lives on as an entry of its own.
            forget(draft.uid, body.value);
            field("uid").value = answer.uid;
            if (body.value !== draft.body) keep();
          }
          field("version").value = answer.version;
          say(
            answer.conflict
              ? "Saved as a separate entry: this one was changed in another tab meanwhile."
              : "Saved.",
            answer.conflict ? "warning" : "ok"
          );
          if (again || body.value !== draft.body) later(0);
          return;
        }
        if (answer.status === 400) {
          say((answer.error || "Not saved.") + " Your text is kept here.", "error");
          return;
        }
        if (answer.status === 403) {
          say("Not saved: reload the page (your text is kept in this browser).", "error");
          return;
        }
        say((answer.error || "Not saved yet.") + " Trying again…", "error");
        later(RETRY_MS);
      })
      .catch(function () {
        sending = false;
        say("Offline: your text is kept in this browser and will be sent when the connection returns.", "warning");
        later(RETRY_MS);
      });
  }

  // A draft this browser kept for this entry that the server has not confirmed wins.
  var pending = drafts()[field("uid").value];
  if (pending && pending.body === body.value) forget(field("uid").value, body.value);
  else if (pending) {
    body.value = pending.body;
    field("version").value = pending.version;
    field("writer").value = pending.writer;
    say("Restored what you wrote here before; sending it…", "warning");
    later(0);
  }
  flushOthers(form.action, field("uid").value);

  body.addEventListener("input", function () {
    keep();
    say("Not saved yet…", "busy");
    later(TYPING_MS);
  });
  form.addEventListener("submit", function (event) {
    keep();
    var button = event.submitter;
    if (button && button.hasAttribute("formaction")) {
      // A session's timer button: the page reloads with the text sent along (the same
      // tab's save, so it lands in this entry even while an autosave is on its way).
      window.clearTimeout(waiting);
      return;
    }
    event.preventDefault();
    later(0);
  });
  window.addEventListener("online", function () {
    if (drafts()[field("uid").value]) later(0);
  });
})();
