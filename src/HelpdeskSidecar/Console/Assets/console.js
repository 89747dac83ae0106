// HelpdeskSidecar console: a little progressive enhancement; every page works without it.
(function () {
  "use strict";
  // Knowledge sync: poll the status while a sync runs and show its progress.
  var progress = document.getElementById("sync-progress");
  if (progress) {
    var status = document.getElementById("sync-status");
    var button = document.getElementById("sync-now");
    var label = document.getElementById("sync-progress-label");
    var poll = function () {
      fetch(progress.getAttribute("data-status-url"), { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (s) {
          if (!s) { return; }
          // The bar shows (and, without a total yet, animates) only while a sync runs.
          progress.hidden = !s.running;
          if (label) { label.hidden = !s.running; }
          if (s.total > 0) { progress.max = s.total; progress.value = s.done; }
          else if (s.running) { progress.removeAttribute("value"); }
          else { progress.value = 0; }
          status.textContent = s.message;
          if (button) { button.disabled = s.running; }
          if (s.running) { setTimeout(poll, 1000); }
          else if (progress.getAttribute("data-was-running") === "true") { window.location.reload(); }
          progress.setAttribute("data-was-running", s.running ? "true" : "false");
        })
        .catch(function () { setTimeout(poll, 3000); });
    };
    poll();
  }
  // Suggestions filter: submit when a select changes (the button stays for keyboard and no-JS users).
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
// Health page: a Retry form sends once (the server also queues a note at most once, whatever is sent).
(function () {
  "use strict";
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    });
  });
})();
