// Groundwork's own script: small, no inline code, loaded deferred.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Times are written in UTC by the server; show them in local time.
  function localTimes(root) {
    (root || document).querySelectorAll("time[data-local]").forEach(function (t) {
      var d = new Date(t.getAttribute("datetime"));
      if (isNaN(d)) { return; }
      var opts = { hour: "2-digit", minute: "2-digit" };
      if (t.hasAttribute("data-date")) { opts.day = "numeric"; opts.month = "short"; }
      t.textContent = d.toLocaleString([], opts);
      t.title = d.toString();
    });
  }
  localTimes();

  // After an autosave, mark the question as failed or fine, so the field
  // itself says so (aria-invalid and the red border), not only the message.
  function markStates() {
    document.querySelectorAll(".save-state").forEach(function (state) {
      var block = state.closest(".question, .checkpoint");
      if (!block) { return; }
      var failed = state.getAttribute("data-state") === "error";
      block.classList.toggle("has-error", failed);
      if (state.hasAttribute("data-cells")) { markCells(block, state); return; }
      block.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (el) {
        if (failed) { el.setAttribute("aria-invalid", "true"); } else { el.removeAttribute("aria-invalid"); }
      });
    });
  }

  // A table marks only the cells at fault, which the save state lists
  // ("row.column" keys), not every cell of every row.
  function markCells(block, state) {
    var key = block.id.replace(/^q-/, "");
    var bad = (state.getAttribute("data-cells") || "").split(" ").filter(Boolean);
    block.querySelectorAll("td input, td select").forEach(function (el) {
      var cell = el.name.slice(key.length + 1);
      var failed = bad.indexOf(cell) >= 0;
      var td = el.closest("td");
      td.classList.toggle("cell-error", failed);
      if (failed) {
        el.setAttribute("aria-invalid", "true");
        if (!el.getAttribute("aria-describedby")) { el.setAttribute("aria-describedby", state.id); }
      } else {
        el.removeAttribute("aria-invalid");
        var msg = td.querySelector(".cell-message");
        if (msg) { msg.remove(); el.removeAttribute("aria-describedby"); }
      }
    });
  }
  document.addEventListener("htmx:afterSettle", function () {
    localTimes();
    markStates();
  });

  // A refused form's error summary takes focus, so it is announced.
  function autofocus(root) {
    var el = (root || document).querySelector("[data-autofocus]");
    if (el) { el.focus(); }
  }
  autofocus();
  document.addEventListener("htmx:afterSettle", function (e) { autofocus(e.target); });

  // A refused action (an evidence upload, a review, a waiver) shows the
  // phase again at the URL it was posted to; the page says the phase's
  // own, which the address bar takes, so a reload or a shared link opens
  // the phase and not the action.
  function canonicalURL() {
    var el = document.querySelector("[data-canonical-url]");
    if (!el || !window.history.replaceState) { return; }
    var url = el.getAttribute("data-canonical-url");
    if (url.charAt(0) === "/" && location.pathname !== url) { history.replaceState(null, "", url + location.hash); }
  }
  canonicalURL();

  // Session expiry warning. The server ends a session after the idle
  // timeout; a little before that, offer to stay signed in. Nothing on the
  // page is reloaded, so whatever the user has typed stays where it is.
  var meta = document.querySelector('meta[name="gw-idle-timeout"]');
  var box = document.getElementById("session-warning");
  if (!meta || !box) { return; }
  var idle = Number(meta.content) * 1000;
  var warnBefore = Math.min(5 * 60 * 1000, idle / 4);
  var text = document.getElementById("session-warning-text");
  var stay = document.getElementById("session-stay");
  var last = Date.now();
  var ended = false;
  var before = null; // where focus was when the warning took it

  function reset() {
    last = Date.now();
    if (box.hidden) { return; }
    box.hidden = true;
    // Give focus back to where the person was working.
    if (before && before.isConnected && box.contains(document.activeElement)) { before.focus(); }
    before = null;
  }
  function minutes(ms) {
    var m = Math.ceil(ms / 60000);
    return m === 1 ? "1 minute" : m + " minutes";
  }
  function check() {
    if (ended) { return; }
    var left = idle - (Date.now() - last);
    if (left <= 0) {
      ended = true;
      box.classList.add("ended");
      text.textContent = "Your session has ended. Anything you typed on this page is still here: " +
        "sign in again in a new tab, then come back and save.";
      if (box.contains(document.activeElement)) { text.setAttribute("tabindex", "-1"); text.focus(); }
      stay.hidden = true;
      box.hidden = false;
    } else if (left <= warnBefore) {
      text.textContent = "You will be signed out in " + minutes(left) + " because you have been inactive.";
      if (box.hidden) {
        box.hidden = false;
        before = document.activeElement;
        stay.focus();
      }
    }
  }
  stay.addEventListener("click", function () {
    fetch("/session/keepalive", { method: "POST", credentials: "same-origin" }).then(function (r) {
      if (r.ok) { reset(); } else { last = 0; check(); }
    }, function () { /* offline: keep the warning up */ });
  });
  document.addEventListener("htmx:afterRequest", reset);
  setInterval(check, Math.max(250, Math.min(15000, warnBefore / 4)));
})();
