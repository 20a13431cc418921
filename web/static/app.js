// Groundwork's own script: small, no inline code, loaded deferred.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Times are written in UTC by the server ("3 Dec 2026, 18:29 UTC");
  // show them the same way in the viewer's own time zone.
  var months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var clock = null;
  try {
    clock = new Intl.DateTimeFormat("en-GB", { year: "numeric", month: "numeric", day: "numeric",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" });
  } catch (e) { /* an old browser keeps the server's UTC text */ }
  function localTime(d) {
    var p = {};
    clock.formatToParts(d).forEach(function (part) { p[part.type] = part.value; });
    return Number(p.day) + " " + months[Number(p.month) - 1] + " " + p.year + ", " +
      p.hour + ":" + p.minute + " " + p.timeZoneName;
  }
  function localTimes(root) {
    if (!clock) { return; }
    (root || document).querySelectorAll("time[data-local]").forEach(function (t) {
      var d = new Date(t.getAttribute("datetime"));
      if (isNaN(d)) { return; }
      if (!t.title) { t.title = t.textContent.trim(); }
      t.textContent = localTime(d);
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
      block.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (el) {
        if (el.closest(".cell-error")) { return; } // a cell keeps its own mark
        if (failed) { el.setAttribute("aria-invalid", "true"); } else { el.removeAttribute("aria-invalid"); }
      });
    });
  }
  document.addEventListener("htmx:afterSettle", function () {
    localTimes();
    markStates();
  });

  // The Menu button of narrow screens opens and closes the navigation.
  var toggle = document.querySelector(".nav-toggle");
  var panel = document.getElementById("nav-panel");
  if (toggle && panel) {
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      panel.classList.toggle("open", open);
    });
  }

  // Tables wider than the screen scroll sideways: say so, and let the
  // keyboard scroll them.
  function markScrolling() {
    document.querySelectorAll(".table-wrap").forEach(function (w) {
      var scrolls = w.scrollWidth > w.clientWidth + 1;
      w.classList.toggle("scrolls", scrolls);
      if (scrolls && !w.hasAttribute("tabindex")) {
        var set = w.closest("fieldset");
        var caption = w.querySelector("caption") || (set && set.querySelector("legend"));
        w.setAttribute("tabindex", "0");
        w.setAttribute("role", "region");
        w.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
      }
    });
  }
  markScrolling();
  window.addEventListener("resize", markScrolling);
  document.addEventListener("htmx:afterSettle", markScrolling);

  // A refused form's error summary takes focus, so it is announced.
  function autofocus(root) {
    var el = (root || document).querySelector("[data-autofocus]");
    if (el) { el.focus(); }
  }
  autofocus();
  document.addEventListener("htmx:afterSettle", function (e) { autofocus(e.target); });

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
