// The subscribe form: the time zone filled in from the browser (still editable).
(function () {
  "use strict";
  var field = document.querySelector("form.subscribe-form [data-time-zone]");
  if (!field || (field.value && field.value !== "UTC")) return;
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) field.value = zone;
  } catch (e) { /* an old browser: the field keeps its default */ }
})();
