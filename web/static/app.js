// Groundwork's own script: small, no inline code, loaded deferred.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // What a person types into (a file goes with its own upload form), and
  // the blocks that save themselves: an answer, a checkpoint.
  var FIELDS = "input:not([type=hidden]):not([type=file]), select, textarea";
  var AUTOSAVED = ".question[hx-post], .checkpoint[hx-post]";

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

  // A button that cannot be undone (removing a file) asks first.
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("button[data-confirm]");
    if (b && !window.confirm(b.getAttribute("data-confirm"))) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);

  // A link to something folded away in a <details> (a notification's link
  // to a comment on a question) opens the <details> around it, and the page
  // goes there. A target that is itself a <details> (a resolved thread)
  // stays as it is.
  // hashTarget is the element the address's #fragment names, if any.
  function hashTarget() {
    return location.hash.length > 1 ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  }
  function openTarget() {
    var el = hashTarget();
    var opened = false;
    for (var d = el && el.parentElement && el.parentElement.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) {
      if (!d.open) { d.open = true; opened = true; }
    }
    if (opened) { el.scrollIntoView(); }
  }
  openTarget();
  window.addEventListener("hashchange", openTarget);

  // What a form lower in the page did (an evidence file added, a comment
  // posted) is said where the page opens again (its #target), not at the
  // top out of sight; and it takes the focus, so that screen readers read
  // it and the keyboard goes on from there.
  (function () {
    var flash = document.querySelector("main > .notice[role=status]");
    var el = flash && hashTarget();
    if (!el || !el.closest("main") || !el.matches("div, li")) { return; }
    el.insertBefore(flash, el.firstChild);
    flash.tabIndex = -1;
    // Once loaded: going to the #target takes the focus away again.
    var focus = function () {
      if (document.activeElement === document.body || !document.activeElement) { flash.focus({ preventScroll: true }); }
    };
    if (document.readyState === "complete") { focus(); } else { window.addEventListener("load", function () { setTimeout(focus, 0); }); }
  })();

  // After an autosave, mark the question as failed or fine, so the field
  // itself says so (aria-invalid and the red border), not only the message.
  function markStates() {
    document.querySelectorAll(".save-state").forEach(function (state) {
      var block = state.closest(".question, .checkpoint");
      if (!block) { return; }
      var failed = state.getAttribute("data-state") === "error";
      block.classList.toggle("has-error", failed);
      if (state.hasAttribute("data-cells")) { markCells(block, state); return; }
      // A checkpoint whose evidence link or note was refused names that
      // field: the tick and the other field are not at fault.
      var only = (state.getAttribute("data-fields") || "").split(" ").filter(Boolean);
      block.querySelectorAll(FIELDS).forEach(function (el) {
        if (failed && (!only.length || only.indexOf(el.name) >= 0)) { el.setAttribute("aria-invalid", "true"); } else { el.removeAttribute("aria-invalid"); }
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

  // The Menu button of narrow screens opens and closes the navigation.
  var toggle = document.querySelector(".nav-toggle");
  var panel = document.getElementById("nav-panel");
  // Escape closes it, back on the button, and so does the focus leaving
  // the button and the menu (Tab past its last link, into the page).
  if (toggle && panel) {
    var setOpen = function (open) {
      toggle.setAttribute("aria-expanded", String(open));
      panel.classList.toggle("open", open);
    };
    var isOpen = function () { return toggle.getAttribute("aria-expanded") === "true"; };
    toggle.addEventListener("click", function () { setOpen(!isOpen()); });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && isOpen() && (toggle.contains(e.target) || panel.contains(e.target))) {
        setOpen(false);
        toggle.focus();
      }
    });
    document.addEventListener("focusin", function (e) {
      if (isOpen() && !toggle.contains(e.target) && !panel.contains(e.target)) { setOpen(false); }
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

  // Unsaved input (issue 11 items 1 and 2). What a person typed is never
  // dropped silently:
  //  - a save that fails (a 5xx, a 503 while the database is away, or no
  //    answer at all) says "Not saved — retrying" beside the field and is
  //    tried again with growing pauses; the typed value stays in the field;
  //  - a value the server refused, or one not saved yet, is kept as a draft
  //    in localStorage (per assessment, question and version) and restored
  //    when the phase is opened again, with a note and a button to discard it;
  //  - leaving the page while any field is unsaved asks first.
  // draftNote says that a field holds text this browser kept, with a
  // button that discards it (then the note goes).
  function draftNote(text, discarded) {
    var p = document.createElement("p");
    p.className = "draft-note small";
    p.setAttribute("role", "status");
    p.appendChild(document.createTextNode(text));
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "button-link";
    discard.textContent = "Discard it";
    discard.addEventListener("click", function () {
      p.remove();
      discarded();
    });
    p.appendChild(discard);
    return p;
  }

  function unsavedInput() {
    var dirty = {};    // block id -> typed and not yet answered by the server
    var typed = {};    // block id -> count of edits
    var sent = {};     // block id -> count of edits when the last save was sent
    var sending = {};  // block id -> the values that save sent
    var answered = {}; // block id -> the server answered a save since the last settle
    var retries = {};  // block id -> failed attempts in a row
    var pending = {};  // block id -> the values of the save last answered
    var saved = {};    // block id -> its values when the server last saved them
    var leaving = false;
    var prefix = "gw-draft:";

    function blockOf(el) {
      return el && el.closest ? el.closest(AUTOSAVED) : null;
    }
    function stateOf(block) {
      var s = block.querySelector(".save-state");
      return s ? s.getAttribute("data-state") : "ok";
    }
    // The version field: "_v.key" for a question, "_cv.key" for a checkpoint.
    function versionField(block) {
      return block.querySelector('input[type=hidden][name^="_v."], input[type=hidden][name^="_cv."]');
    }
    function version(block) {
      var v = versionField(block);
      return v ? v.value : "0";
    }
    function store() {
      try { return window.localStorage; } catch (e) { return null; }
    }
    function draftKeys(block) {
      var ls = store(), keys = [], start = prefix + block.getAttribute("hx-post") + "@";
      if (!ls) { return keys; }
      for (var i = 0; i < ls.length; i++) {
        var k = ls.key(i);
        if (k && k.indexOf(start) === 0) { keys.push(k); }
      }
      return keys;
    }
    function fields(block) {
      return block.querySelectorAll(FIELDS);
    }
    function valuesOf(block) {
      var values = [];
      fields(block).forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") {
          values.push([el.name, el.value, el.checked]);
        } else {
          values.push([el.name, el.value]);
        }
      });
      return values;
    }
    // alreadySaved: nothing typed since the server saved what the block
    // holds, or since the save of just these values was sent (it may be on
    // its way, or answered and not settled yet).
    function alreadySaved(block) {
      var values = JSON.stringify(valuesOf(block));
      if (!dirty[block.id] && saved[block.id] === values) { return true; }
      return sent[block.id] !== undefined && (typed[block.id] || 0) === sent[block.id] && sending[block.id] === values;
    }
    function saveDraft(block) {
      var ls = store();
      if (!ls) { return; }
      var values = valuesOf(block);
      clearDraft(block);
      try {
        ls.setItem(prefix + block.getAttribute("hx-post") + "@" + version(block), JSON.stringify(values));
      } catch (e) { /* storage full or refused: the warning on leaving remains */ }
    }
    function clearDraft(block) {
      var ls = store();
      draftKeys(block).forEach(function (k) { ls.removeItem(k); });
    }

    // A table draft may have more rows than the page: copy the first row,
    // renumbered, until it has as many.
    function ensureRows(block, values) {
      var body = block.querySelector("tbody");
      if (!body || !body.rows.length) { return; }
      var key = block.id.replace(/^q-/, "");
      var want = 0;
      values.forEach(function (v) {
        var m = v[0].slice(key.length + 1).match(/^(\d+)\./);
        if (v[0].indexOf(key + ".") === 0 && m) { want = Math.max(want, Number(m[1]) + 1); }
      });
      while (body.rows.length < want) {
        var n = body.rows.length, tr = body.rows[0].cloneNode(true);
        tr.querySelector(".row-no").textContent = String(n + 1);
        tr.querySelectorAll("td").forEach(function (td) {
          td.classList.remove("cell-error");
          var msg = td.querySelector(".cell-message");
          if (msg) { msg.remove(); }
        });
        tr.querySelectorAll("input, select").forEach(function (el) {
          el.name = el.name.replace(key + ".0.", key + "." + n + ".");
          el.value = "";
          el.removeAttribute("aria-invalid");
          el.removeAttribute("aria-describedby");
          el.removeAttribute("data-autofocus");
          var label = el.getAttribute("aria-label");
          if (label) { el.setAttribute("aria-label", label.replace(/, row \d+$/, ", row " + (n + 1))); }
        });
        tr.querySelectorAll("button[name=_op]").forEach(function (b) {
          b.value = "remove:" + key + ":" + n;
          b.setAttribute("hx-vals", JSON.stringify({ _op: b.value }));
          var hidden = b.querySelector(".visually-hidden");
          if (hidden) { hidden.textContent = " row " + (n + 1); }
        });
        body.appendChild(tr);
        if (window.htmx) { window.htmx.process(tr); }
      }
    }

    function note(block) {
      if (block.querySelector(".draft-note")) { return; }
      block.insertBefore(draftNote("Restored unsaved input kept by this browser. ", function () {
        // The answer to the draft's own save may still come, refused: it
        // does not keep the draft again (the block goes with the answer
        // below, and its fields with it).
        block.gwDiscarded = true;
        clearDraft(block);
        delete dirty[block.id];
        // Show the stored answer again, the focus in its field (the button
        // pressed is gone with the block it was in).
        var id = block.id;
        window.htmx.ajax("GET", block.getAttribute("hx-post"), { target: "#" + id, swap: "outerHTML" }).then(function () {
          var again = document.getElementById(id);
          var field = again && again.querySelector(FIELDS);
          if (field && (!document.activeElement || document.activeElement === document.body)) { field.focus(); }
        });
      }), block.querySelector(".save-live"));
    }

    function restore(block) {
      var keys = draftKeys(block);
      if (!keys.length) { return; }
      var k = keys[keys.length - 1], values;
      try { values = JSON.parse(store().getItem(k)); } catch (e) { return; }
      if (!Array.isArray(values)) { return; }
      ensureRows(block, values);
      values.forEach(function (v) {
        block.querySelectorAll("[name]").forEach(function (el) {
          if (el.name !== v[0] || el.type === "hidden" || el.type === "file") { return; }
          if (el.type === "checkbox" || el.type === "radio") {
            if (el.value === v[1]) { el.checked = !!v[2]; }
          } else {
            el.value = v[1];
          }
        });
      });
      // A folded section (a checkpoint's Evidence) opens to show what came back.
      block.querySelectorAll("details").forEach(function (d) {
        if (!d.open && Array.prototype.some.call(d.querySelectorAll(FIELDS), function (el) { return el.value !== el.defaultValue; })) { d.open = true; }
      });
      // The draft started from this version: a save in between is then a
      // conflict that shows both answers, not an overwrite.
      var hidden = versionField(block);
      if (hidden) { hidden.value = k.slice(k.lastIndexOf("@") + 1); }
      note(block);
      dirty[block.id] = true;
      typed[block.id] = (typed[block.id] || 0) + 1;
      window.htmx.trigger(block, "change"); // the server says what it thinks of it now
    }

    // notSaved puts why an answer is not saved beside it, as state.
    function notSaved(block, state, text) {
      var el = block.querySelector(".save-state");
      if (!el) { return; }
      el.setAttribute("data-state", state);
      el.innerHTML = "";
      var p = document.createElement("p");
      p.className = "field-error";
      p.textContent = text;
      el.appendChild(p);
    }
    function retrying(block, seconds) {
      notSaved(block, "retrying", "Not saved — retrying in " + seconds + " s. What you typed is kept here.");
    }
    // signedOut says that a save was refused because the session has ended
    // (signed out in another tab, or idle): no retries, which would fail the
    // same way, until the person is back on this tab after signing in again.
    function signedOut(block) {
      notSaved(block, "signedout", "Not saved: you are signed out. What you typed is kept here, and saved when you come back to this tab after signing in again.");
    }
    function retrySignedOut() {
      document.querySelectorAll('.question .save-state[data-state="signedout"], .checkpoint .save-state[data-state="signedout"]').forEach(function (state) {
        var block = blockOf(state);
        if (!block || !block.isConnected) { return; }
        state.setAttribute("data-state", "retrying"); // focus and visibilitychange both come on return: once
        window.htmx.trigger(block, "change");
      });
    }
    window.addEventListener("focus", retrySignedOut);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") { retrySignedOut(); }
    });

    function failed(e) {
      var block = blockOf(e.detail.elt);
      if (!block || block.gwDiscarded) { return; }
      dirty[block.id] = true;
      saveDraft(block);
      if (e.detail.xhr && e.detail.xhr.status === 401) {
        signedOut(block);
        return;
      }
      var n = retries[block.id] = (retries[block.id] || 0) + 1;
      var seconds = Math.min(30, Math.pow(2, n - 1)); // 1, 2, 4 … 30 s
      retrying(block, seconds);
      setTimeout(function () {
        if (block.isConnected && dirty[block.id]) { window.htmx.trigger(block, "change"); }
      }, seconds * 1000);
    }
    document.addEventListener("htmx:responseError", failed);
    document.addEventListener("htmx:sendError", failed);

    function edited(e) {
      var block = blockOf(e.target);
      // A change htmx is asked to send (a retry, a restored draft) is no
      // edit, nor is a file chosen (it goes with its own upload form).
      if (!block || e.target === block || e.target.type === "hidden" || e.target.type === "file") { return; }
      // Leaving a field fires "change" for what was typed in it, though
      // the save as one typed may have stored it already: no edit then
      // (nor a question on leaving the page).
      if (e.type === "change" && alreadySaved(block)) { return; }
      dirty[block.id] = true;
      typed[block.id] = (typed[block.id] || 0) + 1;
      saveDraft(block);
    }
    // Capture: counted before htmx sends the save a change starts.
    document.addEventListener("input", edited, true);
    document.addEventListener("change", edited, true);
    // Nor is a save sent again for it, nor one for a file chosen, unless
    // something typed waits to go with it. A change htmx is asked to send
    // (a retry, a restored draft, a resend after signing in) is sent.
    document.addEventListener("htmx:confirm", function (e) {
      var block = blockOf(e.detail.elt), ev = e.detail.triggeringEvent;
      if (!block || !ev || ev.target === block) { return; }
      if (ev.target.type === "file" ? !dirty[block.id] : ev.type === "change" && alreadySaved(block)) {
        e.preventDefault();
      } else if (typingDate(ev.target) && (ev.type === "change" || ev.target.value < "1000")) {
        e.preventDefault();
        // The field's "change" at each key also cancels the pause of its
        // "input": the pause after the last key is kept here.
        clearTimeout(datePause[block.id]);
        if (ev.target.value >= "1000") {
          datePause[block.id] = setTimeout(function () {
            if (block.isConnected) { window.htmx.trigger(block, "change"); }
          }, 700);
        }
      }
    });
    // A date field changes at every key typed into it, not only when the
    // date is whole: "2027" typed into the year makes 0002, 0020, 0202 and
    // then 2027. While it has the focus, only the pause after the last key
    // saves it, and not a year with fewer than four digits; leaving it
    // with one sends it, to be refused beside the field.
    var datePause = {}; // by block id
    function typingDate(el) {
      return el.type === "date" && el === document.activeElement;
    }
    document.addEventListener("focusout", function (e) {
      var el = e.target, block = blockOf(el);
      if (block && el.type === "date" && el.value !== "" && el.value < "1000" && !alreadySaved(block)) {
        window.htmx.trigger(block, "change");
      }
    });
    // "Keep mine" and "Keep theirs" replace the panel they are in: the
    // focus goes back to the answer's field rather than to the page.
    document.addEventListener("htmx:afterSettle", function (e) {
      var id = e.detail.xhr && e.detail.xhr.gwRefocus;
      if (!id) { return; }
      var block = document.getElementById(id);
      var field = block && block.querySelector(FIELDS);
      if (field && (document.activeElement === document.body || !document.activeElement)) { field.focus(); }
    });
    document.addEventListener("htmx:beforeRequest", function (e) {
      var block = blockOf(e.detail.elt);
      if (block && e.detail.xhr && e.detail.elt.closest(".conflict") && e.detail.elt === document.activeElement) { e.detail.xhr.gwRefocus = block.id; }
      if (block) {
        sent[block.id] = typed[block.id] || 0;
        sending[block.id] = JSON.stringify(valuesOf(block));
        if (e.detail.xhr) {
          e.detail.xhr.gwValues = sending[block.id]; // what this save sends
          e.detail.xhr.gwBlock = block.id; // a row's button is out of the page once its answer replaced the block
        }
      }
    });
    document.addEventListener("htmx:afterRequest", function (e) {
      var id = e.detail.xhr && e.detail.xhr.gwBlock;
      if (id && e.detail.successful) {
        retries[id] = 0;
        answered[id] = true;
        // The values of this save, not of one sent after it ("Keep theirs"
        // asks with GET and sends none).
        pending[id] = e.detail.xhr.gwValues;
      }
    });
    // After the server answered: a saved answer needs no draft; a refused
    // one or one in conflict keeps it (rows included, after a row change).
    document.addEventListener("htmx:afterSettle", function () {
      Object.keys(answered).forEach(function (id) {
        var block = document.getElementById(id);
        delete answered[id];
        if (!block || block.gwDiscarded) { return; }
        var current = (typed[id] || 0) === sent[id]; // nothing typed since
        if (stateOf(block) === "ok") {
          if (!current) { return; }
          saved[id] = pending[id];
          clearDraft(block);
          delete dirty[id];
          var n = block.querySelector(".draft-note");
          if (n) { n.remove(); }
        } else {
          saveDraft(block);
          if (current) { delete dirty[id]; }
        }
      });
    });

    function unsaved() {
      for (var id in dirty) {
        if (dirty[id]) { return true; }
      }
      return document.querySelector(["error", "conflict", "retrying", "signedout"].map(function (s) {
        return '.question .save-state[data-state="' + s + '"], .checkpoint .save-state[data-state="' + s + '"]';
      }).join(", ")) !== null;
    }
    // Posting the phase form itself saves everything: no question then.
    var form = document.getElementById("phase-form");
    if (form) { form.addEventListener("submit", function () { leaving = true; }); }
    window.addEventListener("beforeunload", function (e) {
      if (leaving || !unsaved()) { return; }
      e.preventDefault();
      e.returnValue = "Some answers are not saved."; // browsers before preventDefault asked
    });

    // After htmx has set up the page, so that a restored draft is sent.
    function restoreAll() {
      setTimeout(function () { document.querySelectorAll(AUTOSAVED).forEach(restore); }, 0);
    }
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", restoreAll);
    } else {
      restoreAll();
    }
  }
  if (window.htmx) { unsavedInput(); }

  // Unposted comments and reasons are never dropped silently: posting one
  // comment reloads the page, which would empty every other comment box.
  // What is typed in them is kept in localStorage (per page and field) and
  // put back when the page shows the field empty again, with a note and a
  // button to discard it; posting the field's own form forgets it (a
  // refused post comes back from the server with the text in the field).
  function unpostedText() {
    var fields = 'textarea[name="comment"], textarea[name="reopen_reason"], textarea[name="reason"]';
    var ls = null;
    try { ls = window.localStorage; } catch (e) { return; }
    if (!ls) { return; }
    function key(field) { return "gw-comment:" + location.pathname + "#" + field.id; }
    function keep(field) {
      try {
        if (field.value.trim() && field.value !== field.defaultValue) { ls.setItem(key(field), field.value); } else { ls.removeItem(key(field)); }
      } catch (e) { /* storage full or refused: nothing kept */ }
    }
    document.addEventListener("input", function (ev) {
      if (ev.target.matches && ev.target.matches(fields) && ev.target.id) { keep(ev.target); }
    });
    document.addEventListener("submit", function (ev) {
      Array.prototype.forEach.call(ev.target.elements || [], function (el) {
        if (el.matches && el.matches(fields) && el.id) { ls.removeItem(key(el)); }
      });
    });
    function restore(field) {
      var kept = ls.getItem(key(field));
      if (!kept || field.value.trim()) { return; }
      field.value = kept;
      field.dispatchEvent(new Event("input", { bubbles: true })); // the counter, and kept again
      for (var d = field.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) { d.open = true; }
      field.insertAdjacentElement("beforebegin", draftNote("Restored text you had not posted, kept by this browser. ", function () {
        ls.removeItem(key(field));
        field.value = "";
        field.dispatchEvent(new Event("input", { bubbles: true }));
        field.focus();
      }));
    }
    // A refused post comes back with its text in the field: keep it too,
    // or a reload of the page (its own address, not the post's) loses it.
    document.querySelectorAll(fields).forEach(function (f) {
      if (f.id && f.getAttribute("aria-invalid") === "true" && f.value.trim()) {
        try { ls.setItem(key(f), f.value); } catch (e) { /* nothing kept */ }
      }
    });
    document.querySelectorAll(fields).forEach(function (f) { if (f.id) { restore(f); } });
  }
  unpostedText();

  // Mentions: typing @ in a comment suggests the people who can be
  // mentioned (the page's "People you can mention"), by handle or by the
  // start of one of their names. The arrow keys choose, Enter or Tab takes
  // one, Escape closes the list; a click takes one too.
  function mentionSuggestions() {
    var people = Array.prototype.map.call(document.querySelectorAll("#people li[data-handle]"), function (li) {
      return { handle: li.getAttribute("data-handle"), name: li.getAttribute("data-name"), role: li.getAttribute("data-role") };
    });
    if (!people.length) { return; }
    var list = document.createElement("ul");
    list.id = "mention-list";
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "People you can mention");
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    document.body.appendChild(list);
    document.body.appendChild(status);
    var field = null, at = 0, matches = [], active = 0;

    // The @word just before the caret: where its @ is, and the word.
    function typed(f) {
      if (f.selectionStart !== f.selectionEnd) { return null; }
      var before = f.value.slice(0, f.selectionStart);
      var m = /(^|[^\p{L}\p{N}_.@+-])@([\p{L}\p{N}._%+-]*)$/u.exec(before); // as the server reads mentions
      return m ? { at: before.length - m[2].length - 1, word: m[2].toLowerCase() } : null;
    }
    function matching(word) {
      return people.filter(function (p) {
        return p.handle.toLowerCase().indexOf(word) === 0 ||
          p.name.toLowerCase().split(/[^\p{L}\p{N}]+/u).some(function (w) { return w.indexOf(word) === 0; }); // as the server's namedLike
      }).slice(0, 8);
    }
    function close() {
      if (!field) { return; }
      list.hidden = true;
      field.removeAttribute("aria-activedescendant");
      field = null;
      status.textContent = "";
    }
    function place() {
      var r = field.getBoundingClientRect();
      list.style.left = (r.left + window.scrollX) + "px";
      list.style.top = (r.bottom + window.scrollY + 2) + "px";
      list.style.width = Math.min(r.width, 360) + "px";
    }
    function mark() {
      Array.prototype.forEach.call(list.children, function (li, i) { li.setAttribute("aria-selected", i === active ? "true" : "false"); });
      field.setAttribute("aria-activedescendant", "mention-" + active);
      list.children[active].scrollIntoView({ block: "nearest" });
    }
    function show(f, q) {
      var found = matching(q.word);
      if (!found.length) { close(); return; }
      var again = field === f && matches.length === found.length;
      field = f;
      at = q.at;
      matches = found;
      active = 0;
      list.textContent = "";
      matches.forEach(function (p, i) {
        var li = document.createElement("li");
        li.id = "mention-" + i;
        li.setAttribute("role", "option");
        li.appendChild(document.createTextNode(p.name + " "));
        var role = document.createElement("span");
        role.className = "muted";
        role.textContent = "(" + p.role + ") @" + p.handle;
        li.appendChild(role);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); take(i); });
        list.appendChild(li);
      });
      f.setAttribute("aria-controls", list.id);
      f.setAttribute("aria-autocomplete", "list");
      place();
      list.hidden = false;
      mark();
      if (!again) {
        status.textContent = (matches.length === 1 ? "1 person" : matches.length + " people") +
          " to mention: the up and down arrows choose, Enter takes one.";
      }
    }
    function take(i) {
      var f = field, p = matches[i];
      f.setRangeText("@" + p.handle + " ", at, f.selectionStart, "end");
      close();
      f.focus();
      f.dispatchEvent(new Event("input", { bubbles: true })); // the counter, the kept draft
    }
    document.addEventListener("input", function (e) {
      var f = e.target;
      if (!f.matches || !f.matches('textarea[name="comment"]') || f !== document.activeElement) { return; }
      var q = typed(f);
      if (q) { show(f, q); } else if (field === f) { close(); }
    });
    // A key that took a suggestion writes nothing more. Browsers send no
    // keypress after a keydown whose default is prevented; some input
    // methods (and the DevTools protocol) send it all the same.
    var swallow = false;
    document.addEventListener("keypress", function (e) {
      if (swallow) { e.preventDefault(); }
      swallow = false;
    }, true);
    document.addEventListener("keyup", function () { swallow = false; }, true);
    document.addEventListener("keydown", function (e) {
      if (!field || e.target !== field) { return; }
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        active = (active + (e.key === "ArrowDown" ? 1 : matches.length - 1)) % matches.length;
        mark();
      } else if ((e.key === "Enter" || e.key === "Tab") && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey) {
        take(active);
        swallow = true;
      } else if (e.key === "Escape") {
        close();
      } else {
        return;
      }
      e.preventDefault();
    }, true);
    document.addEventListener("focusout", function (e) { if (e.target === field) { close(); } });
    window.addEventListener("resize", function () { if (field) { place(); } });
  }
  mentionSuggestions();

  // The report's Print button: hidden without JavaScript, where the
  // browser's own print does the same.
  document.querySelectorAll("button[data-print]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });

  // Session expiry warning. The server ends a session after the idle
  // timeout; a little before that, offer to stay signed in. Nothing on the
  // page is reloaded, so whatever the user has typed stays where it is.
  var meta = document.querySelector('meta[name="gw-idle-timeout"]');
  var box = document.getElementById("session-warning");
  if (!meta || !box) { return; }
  var idle = Number(meta.content) * 1000;
  var warnBefore = Math.min(5 * 60 * 1000, idle / 4);
  // How long the session stays alive without another request, as the
  // server said with the page or its last answer (Gw-Idle-Left, in ms):
  // it writes the session's last-seen time at most once a minute, so that
  // may be less than the idle timeout.
  function leftOf(ms) {
    var n = parseInt(ms, 10);
    return n >= 0 && n <= idle ? n : idle;
  }
  var text = document.getElementById("session-warning-text");
  var stay = document.getElementById("session-stay");
  var again = document.getElementById("session-signin");
  var said = document.getElementById("session-said");
  var saying = 0; // the timer that fills said
  var ended = false;
  var before = null; // where focus was when the warning came
  // The session is shared by the tabs of this browser: each writes the
  // latest deadline it heard of, and none warns before it (another tab in
  // use keeps this one's session alive). Under its session's name: one
  // heard under an earlier session (signed out, a 30-day one) is not this
  // one's, and is dropped.
  var shared = "gw-session-deadline:" + (meta.getAttribute("data-session") || "");
  try {
    Object.keys(window.localStorage).forEach(function (k) {
      if (k.indexOf("gw-session-deadline") === 0 && k !== shared) { window.localStorage.removeItem(k); }
    });
  } catch (e) { /* no storage: this tab's own requests only */ }
  function sharedDeadline() {
    try { return Number(window.localStorage.getItem(shared)) || 0; } catch (e) { return 0; }
  }
  function heard(left) {
    deadline = Math.max(Date.now() + leftOf(left), sharedDeadline());
    try { window.localStorage.setItem(shared, String(deadline)); } catch (e) { /* warned by this tab's own requests only */ }
  }
  var deadline = 0;
  heard(meta.getAttribute("data-left-ms"));

  function reset(left) {
    heard(left);
    hide();
  }
  function hide() {
    ended = false;
    box.classList.remove("ended");
    stay.hidden = false;
    again.hidden = true;
    if (box.hidden) { return; }
    box.hidden = true;
    clearTimeout(saying);
    said.textContent = "";
    // Give focus back to where the person was working, or to the page's
    // main part when nothing had it (not to the document, where the next
    // Tab starts from the top).
    var back = before && before !== document.body && before.isConnected ? before : document.getElementById("main");
    if (back && (box.contains(document.activeElement) || document.activeElement === document.body)) { back.focus({ preventScroll: true }); }
    before = null;
  }
  // end says the session is over (idle, or signed out elsewhere): what was
  // typed stays, and a link signs in again in a new tab, back to this page.
  function end(why) {
    ended = true;
    box.classList.add("ended");
    text.textContent = why + " Anything you typed on this page is still here: sign in again in a new tab, then come back to this one.";
    clearTimeout(saying);
    said.textContent = text.textContent;
    again.href = "/signin?next=" + encodeURIComponent(location.pathname + location.search);
    again.hidden = false;
    stay.hidden = true;
    box.hidden = false;
  }
  // A field being typed in keeps its focus when the warning comes (the
  // next keys would go to the button); typing is activity, and extends
  // the session as the button does.
  function typing(el) {
    return el && (el.isContentEditable || el.tagName === "TEXTAREA" || el.tagName === "SELECT" ||
      (el.tagName === "INPUT" && !/^(button|submit|reset|checkbox|radio|file|image)$/.test(el.type)));
  }
  // HX-Request: a session that has ended is answered 401, not sent (and
  // followed) to the sign-in page, which would answer 200. Anything else
  // (a 502 while the server restarts, no network) keeps the warning up.
  var asking = false;
  function keepAlive() {
    if (asking) { return; }
    asking = true;
    fetch("/session/keepalive", { method: "POST", credentials: "same-origin", headers: { "HX-Request": "true" }, redirect: "manual" }).then(function (r) {
      asking = false;
      if (r.ok) { reset(r.headers.get("Gw-Idle-Left")); } else if (r.status === 401) { end("You are signed out."); }
    }, function () { asking = false; });
  }
  function minutes(ms) {
    var m = Math.ceil(ms / 60000);
    return m === 1 ? "1 minute" : m + " minutes";
  }
  function check() {
    if (ended) { return; }
    if (sharedDeadline() > deadline) { // another tab was in use
      deadline = sharedDeadline();
      if (!box.hidden && deadline - Date.now() > warnBefore) { hide(); }
    }
    var left = deadline - Date.now();
    if (left <= 0) {
      var inBox = box.contains(document.activeElement);
      end("Your session has ended because you were inactive.");
      if (inBox) { text.setAttribute("tabindex", "-1"); text.focus(); }
    } else if (left <= warnBefore) {
      text.textContent = "You will be signed out in " + minutes(left) + " because you have been inactive.";
      if (box.hidden) {
        box.hidden = false;
        before = document.activeElement;
        if (!typing(before)) {
          stay.focus();
        } else { // said aloud, since the focus does not bring it
          saying = setTimeout(function () { said.textContent = text.textContent; }, 50);
        }
      }
    }
  }
  stay.addEventListener("click", keepAlive);
  document.addEventListener("input", function () {
    if (!box.hidden && !ended) { keepAlive(); }
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    var status = e.detail.xhr ? e.detail.xhr.status : 0;
    var left = e.detail.xhr ? e.detail.xhr.getResponseHeader("Gw-Idle-Left") : null;
    if (ended) {
      // Signed in again: only a save proves it (public fragments, such
      // as the sizing calculator's, answer anyone).
      if (status >= 200 && status < 300 && e.detail.elt.closest && e.detail.elt.closest(AUTOSAVED)) { reset(left); }
      return;
    }
    if (status > 0 && status !== 401 && left !== null) { reset(left); } // the server saw the session, whatever it answered
  });
  // The server answers 401 to a page's request once its session is over.
  document.addEventListener("htmx:responseError", function (e) {
    if (e.detail.xhr && e.detail.xhr.status === 401 && !ended) { end("You are signed out."); }
  });
  setInterval(check, Math.max(250, Math.min(15000, warnBefore / 4)));
})();

// Downloads that take a while to make (the report's PDF): a link marked
// data-download says "Preparing…" at once and refuses a second click until
// the file starts to arrive. The link adds ?download=TOKEN; the server's
// answer sets the cookie download_TOKEN, which is how the page learns that
// the browser has the file. An error answers with a page, which replaces
// this one and says what went wrong.
(function () {
  "use strict";
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest && ev.target.closest("a[data-download]");
    if (!link || ev.defaultPrevented || ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) { return; }
    ev.preventDefault();
    if (link.getAttribute("aria-disabled") === "true") { return; }
    var status = link.parentNode.querySelector(".download-status");
    var token = "";
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    bytes.forEach(function (b) { token += ("0" + b.toString(16)).slice(-2); });
    var cookie = "download_" + token;
    var began = Date.now();
    link.setAttribute("aria-disabled", "true");
    link.classList.add("busy");
    function say(text) { if (status) { status.textContent = text; } }
    say("Preparing the PDF… this takes a few seconds.");
    var timer = setInterval(function () {
      var seconds = Math.round((Date.now() - began) / 1000);
      if (document.cookie.split("; ").indexOf(cookie + "=1") >= 0) {
        document.cookie = cookie + "=; Max-Age=0; Path=/; SameSite=Lax";
        done("The PDF is ready: your browser is downloading it.");
      } else if (seconds >= 60) {
        done("The PDF is taking longer than expected. If no download starts, try again in a minute.");
      } else if (seconds >= 3) {
        say("Preparing the PDF… " + seconds + " seconds so far.");
      }
    }, 250);
    function done(text) {
      clearInterval(timer);
      link.removeAttribute("aria-disabled");
      link.classList.remove("busy");
      say(text);
    }
    var href = link.getAttribute("href");
    window.location.assign(href + (href.indexOf("?") < 0 ? "?" : "&") + "download=" + token);
  });
})();

// A file larger than the server takes is refused here, before it is sent:
// the server refuses it only once the upload arrives, and a browser still
// sending shows a broken connection rather than the server's answer. The
// message goes where the server puts its own (data-error-id), and goes
// again when another file is chosen.
(function () {
  "use strict";
  function tooLarge(input) {
    var max = Number(input.getAttribute("data-max-bytes"));
    var file = input.files && input.files[0];
    return file && max > 0 && file.size > max ? input.getAttribute("data-too-large") : "";
  }
  function show(input, msg) {
    var id = input.getAttribute("data-error-id");
    var p = document.getElementById(id);
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (x) { return x && x !== id; });
    var field = input.closest(".field");
    if (!msg) {
      if (p && p.hasAttribute("data-from-page")) {
        p.remove();
        input.setAttribute("aria-describedby", described.join(" "));
        input.removeAttribute("aria-invalid");
        if (field) { field.classList.remove("has-error"); }
      }
      return;
    }
    if (!p) {
      p = document.createElement("p");
      p.className = "field-error";
      p.id = id;
      var row = input.closest(".upload-row") || input;
      row.parentNode.insertBefore(p, row);
    }
    p.setAttribute("data-from-page", "");
    p.textContent = "";
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = "Error: ";
    p.appendChild(hidden);
    p.appendChild(document.createTextNode(msg));
    described.push(id);
    input.setAttribute("aria-describedby", described.join(" "));
    input.setAttribute("aria-invalid", "true");
    if (field) { field.classList.add("has-error"); }
  }
  // A new file makes the server's message about the last one stale: it
  // goes, with its line in the summary at the top of the page.
  function forget(input) {
    var p = document.getElementById(input.getAttribute("data-error-id"));
    if (p && !p.hasAttribute("data-from-page")) { p.setAttribute("data-from-page", ""); show(input, ""); }
    var href = input.getAttribute("data-summary-href"), prefix = input.getAttribute("data-summary-prefix") || "";
    document.querySelectorAll(".error-summary").forEach(function (summary) {
      summary.querySelectorAll("a[href='" + href + "']").forEach(function (a) {
        if (a.textContent.trim().indexOf(prefix) === 0) { a.closest("li").remove(); }
      });
      if (!summary.querySelector("li")) { summary.remove(); }
    });
  }
  document.addEventListener("change", function (ev) {
    var input = ev.target;
    if (input.matches && input.matches("input[type=file][data-max-bytes]")) {
      forget(input);
      show(input, tooLarge(input));
    }
  });
  document.addEventListener("submit", function (ev) {
    var inputs = Array.prototype.filter.call(ev.target.elements || [], function (el) {
      return el.matches("input[type=file][data-max-bytes]");
    });
    for (var i = 0; i < inputs.length; i++) {
      var msg = tooLarge(inputs[i]);
      if (msg) {
        ev.preventDefault();
        ev.stopImmediatePropagation();
        show(inputs[i], msg);
        inputs[i].focus();
        return;
      }
    }
  }, true);
})();

// A form that htmx sends when its button is pressed (an action item's
// owner and due date) and that is not saved at all (no network, the portal
// restarting, signed out) says so in its status line (data-status names
// it; else at the end of the form); what was typed stays. A refused value
// comes back from the server beside its field instead.
(function () {
  "use strict";
  function failed(e) {
    var form = e.detail.elt && e.detail.elt.closest ? e.detail.elt.closest("form[hx-post]") : null;
    if (!form) { return; }
    var code = e.type === "htmx:sendError" || !e.detail.xhr ? 0 : e.detail.xhr.status;
    var text = code === 401 ? "Not saved: you are signed out. What you typed is still here: sign in again in a new tab, then save again." :
      code === 0 || code === 502 || code === 503 || code === 504 ? "Not saved: the portal could not be reached. What you typed is still here: save again in a moment." :
      "Not saved: the portal refused it (error " + code + "). Reload the page to see this item as it is now.";
    var status = document.getElementById(form.getAttribute("data-status") || "");
    var line = document.createElement(status ? "span" : "p");
    line.className = "field-error form-failed";
    line.textContent = text;
    if (status) { // its status line says so, in place of what it said
      status.innerHTML = "";
      status.appendChild(line);
      return;
    }
    var old = form.querySelector(".form-failed");
    if (old) { old.remove(); }
    line.setAttribute("role", "alert");
    form.appendChild(line);
  }
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);
  // What such a form holds is not saved: leaving the page asks first.
  window.addEventListener("beforeunload", function (e) {
    if (!document.querySelector(".form-failed")) { return; }
    e.preventDefault();
    e.returnValue = "Some changes are not saved.";
  });
})();

// A table row being filled in is saved when the person leaves the row, not
// while they are still in it with cells to go: its autosave would be
// refused ("row 3, Mobile users is required") before they reached them. A
// person's name, job function and e-mail are held the same way, as one
// row. A complete row saves as they type, like any answer; the
// unsaved-answer guard counts a held row as unsaved.
(function () {
  "use strict";
  function rowOf(el) { return el && el.closest ? el.closest(".table-question tbody tr, .person-fields") : null; }
  function incomplete(row) {
    var filled = 0, empty = 0;
    row.querySelectorAll("input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea").forEach(function (el) {
      if (el.value.trim() === "") { empty++; } else { filled++; }
    });
    return filled > 0 && empty > 0;
  }
  var held = null; // the question whose save waits for its row to be left
  document.addEventListener("htmx:confirm", function (e) {
    var block = e.detail.elt;
    if (!block.hasAttribute("hx-trigger")) { return; } // a button: add or remove a row
    // A cell's "change" comes as the focus leaves it, while the page has
    // no focused element yet (Tab to the next cell): the cell says which
    // row; leaving the row (focusout, below) sends what was held.
    var ev = e.detail.triggeringEvent;
    var row = rowOf(ev && ev.type === "change" && ev.target !== block ? ev.target : document.activeElement);
    if (row && block.contains(row) && incomplete(row)) {
      e.preventDefault();
      held = block;
      // What the answer's save state said ("Saved at …") is no longer so.
      var state = block.querySelector(".save-state");
      if (state && state.getAttribute("data-state") !== "held") {
        state.setAttribute("data-state", "held");
        state.innerHTML = "";
        var p = document.createElement("p");
        p.className = "muted small";
        p.textContent = row.matches("tr") ? "Not saved yet: the row is saved when you leave it." :
          "Not saved yet: these fields are saved when you leave them.";
        state.appendChild(p);
      }
    } else if (held === block) {
      held = null;
    }
  });
  document.addEventListener("focusout", function (e) {
    var row = rowOf(e.target);
    if (!row || !held || !held.contains(row) || (e.relatedTarget && row.contains(e.relatedTarget))) { return; }
    var block = held;
    held = null;
    if (document.body.contains(block)) { htmx.trigger(block, "change"); }
  });
})();

// A button marked data-copy="ID" copies the text of the field ID (a link
// made for someone to pass on) and says so in the status next to it; where
// the clipboard is refused, it selects the field for Ctrl+C.
(function () {
  "use strict";
  document.addEventListener("click", function (ev) {
    var button = ev.target.closest && ev.target.closest("button[data-copy]");
    if (!button) { return; }
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("data-copy") + "-copied");
    if (!field) { return; }
    function say(text) {
      if (status) { status.textContent = text; }
    }
    function byHand() {
      field.focus();
      field.select();
      var copied = false;
      try { copied = document.execCommand && document.execCommand("copy"); } catch (e) { /* refused */ }
      say(copied ? "Copied." : "Press Ctrl+C (or Cmd+C) to copy the selected link.");
    }
    say("");
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(function () { say("Copied."); }, byHand);
    } else {
      byHand();
    }
  });
})();

// A text field marked data-max-chars="N" counts its characters as the
// server does (each character once, a line break once, spaces at either
// end not at all). From 80 % of the limit a line under it says how many
// are left, and past the limit how many too many, before anything is sent;
// the field names the line in aria-describedby. A status region, there
// from the start and empty, says it aloud only when the line appears and
// when the limit is passed or met again, not at every key.
(function () {
  "use strict";
  var number = function (n) { return n.toLocaleString("en-GB"); };
  function count(field) {
    return Array.from(field.value.replace(/\r\n?/g, "\n").trim()).length;
  }
  function parts(field) {
    var line = document.getElementById(field.id + "-count");
    if (line) { return [line, document.getElementById(field.id + "-count-said")]; }
    line = document.createElement("p");
    line.id = field.id + "-count";
    line.className = "char-count";
    line.hidden = true;
    var said = document.createElement("span");
    said.id = field.id + "-count-said";
    said.className = "visually-hidden";
    said.setAttribute("role", "status");
    field.insertAdjacentElement("afterend", said);
    field.insertAdjacentElement("afterend", line);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + line.id);
    return [line, said];
  }
  function update(field) {
    var max = Number(field.getAttribute("data-max-chars"));
    if (!field.id || !(max > 0)) { return; }
    var p = parts(field), line = p[0], said = p[1];
    var n = count(field);
    var state = n > max ? "over" : n >= max * 0.8 ? "near" : "";
    var text = state === "over" ? number(n - max) + (n - max === 1 ? " character" : " characters") + " too many: at most " + number(max) + "."
      : number(max - n) + (max - n === 1 ? " character" : " characters") + " left of " + number(max) + ".";
    line.hidden = !state;
    line.classList.toggle("over", state === "over");
    line.textContent = state ? text : "";
    if ((line.getAttribute("data-state") || "") !== state) {
      line.setAttribute("data-state", state);
      // In a later task: a region whose text changes is read, one that
      // appears already filled often is not.
      setTimeout(function () { said.textContent = state ? text : ""; }, 50);
    }
  }
  function all(root) {
    (root || document).querySelectorAll("[data-max-chars]").forEach(update);
  }
  document.addEventListener("input", function (ev) {
    if (ev.target.matches && ev.target.matches("[data-max-chars]")) { update(ev.target); }
  });
  document.addEventListener("htmx:afterSettle", function (e) { all(e.target); });
  all();

  // Following an unread notification marks it read (the same request as
  // its "Mark as read" button), before the page it leads to is asked for,
  // so that page's header counts it no more. Opened in another tab, it is
  // marked read as the tab opens.
  function markRead(a, then) {
    var done = false, go = function () { if (!done) { done = true; if (then) { then(); } } };
    setTimeout(go, 1500); // a slow answer does not hold the person up
    fetch(a.getAttribute("data-read"), { method: "POST", credentials: "same-origin", redirect: "manual", keepalive: true })
      .then(go, go);
  }
  function followed(e) {
    var a = e.target.closest ? e.target.closest("a[data-read]") : null;
    if (!a || e.defaultPrevented) { return; }
    if (e.type === "click" && e.button === 0 && !(e.metaKey || e.ctrlKey || e.shiftKey || e.altKey)) {
      e.preventDefault();
      markRead(a, function () { window.location.href = a.href; });
    } else if (e.type === "click" || e.button === 1) {
      markRead(a);
    } else {
      return; // the context menu: nothing is opened yet
    }
    a.removeAttribute("data-read");
  }
  document.addEventListener("click", followed);
  document.addEventListener("auxclick", followed);

  // A question an answer shows or hides (out of band, after a save)
  // takes its comments bar along; one with comments stays in sight.
  document.addEventListener("htmx:afterSettle", function () {
    document.querySelectorAll(".q-comments[data-comments]").forEach(function (c) {
      var q = document.getElementById(c.id.replace(/^qc-/, "q-"));
      if (q) { c.hidden = q.hidden && c.getAttribute("data-comments") === "0"; }
    });
  });

  // A box an autosave replaces out of band (what the phase still lacks)
  // stays open if the person opened it.
  document.addEventListener("htmx:oobBeforeSwap", function (e) {
    var old = e.detail.target, fresh = e.detail.fragment;
    if (!old || !fresh || !old.querySelectorAll) { return; }
    old.querySelectorAll("details[id][open]").forEach(function (d) {
      var n = fresh.querySelector("#" + CSS.escape(d.id));
      if (n) { n.open = true; }
    });
  });
})();

// A link of an error summary shows its field whole, label and message
// above it, and puts the focus in it: the browser alone scrolls the input
// to the top of the screen, its label and message out of sight above.
(function () {
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest(".error-summary a[href^='#']");
    if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey) { return; }
    var el = document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
    if (!el || !el.matches("input, textarea, select")) { return; }
    ev.preventDefault();
    (el.closest(".field, .question, fieldset") || el).scrollIntoView({ block: "start" });
    el.focus({ preventScroll: true });
  });
})();

// Enter in a one-line field of a question or checkpoint that saves itself
// saves that field where it is, as leaving it would: the browser would
// post the whole phase form and reload the page at its top, far from
// where the person was. Without JavaScript Enter still posts the form,
// which saves everything.
(function () {
  function saves(ev) {
    var el = ev.target;
    return ev.key === "Enter" && !ev.isComposing && !ev.ctrlKey && !ev.metaKey && !ev.altKey && !ev.shiftKey &&
      el.matches && el.matches("#phase-form input:not([type=file]):not([type=submit]):not([type=button]):not([type=hidden])") &&
      el.closest(".question[hx-post], .checkpoint[hx-post]") !== null;
  }
  document.addEventListener("keydown", function (ev) {
    if (ev.defaultPrevented || !saves(ev)) { return; }
    ev.preventDefault();
    ev.target.dispatchEvent(new Event("change", { bubbles: true }));
  });
  // The form is posted on the keypress that follows, which some input
  // methods (and the DevTools protocol) send despite the keydown's.
  document.addEventListener("keypress", function (ev) {
    if (saves(ev)) { ev.preventDefault(); }
  });
})();

// A form is posted once: a second click, or Enter, while the first post is
// on its way would start a second assessment or post a comment twice. The
// guard holds until the page goes (the answer is a new page) or comes back
// from the browser's history. It lets go when the page stays after all:
// the person chose to stay when the page asked before leaving (unsaved
// answers), or the post never came back (stopped, no connection) within
// 15 s. A form whose answer may be a download, after which the page stays,
// is left out (data-repeat); htmx's forms, which it posts itself, are too
// (it prevents the submit first).
(function () {
  "use strict";
  var timer = 0;
  function release() {
    clearTimeout(timer);
    document.querySelectorAll("form[data-posting]").forEach(function (form) {
      form.removeAttribute("data-posting");
      form.removeAttribute("aria-busy");
    });
  }
  window.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (ev.defaultPrevented || !form.matches || !form.matches("form[method=post]:not([data-repeat])")) { return; }
    if (form.hasAttribute("data-posting")) {
      ev.preventDefault();
      return;
    }
    form.setAttribute("data-posting", "");
    form.setAttribute("aria-busy", "true");
    clearTimeout(timer);
    timer = setTimeout(release, 15000);
  });
  // The page's own handlers ask before leaving by preventing this event
  // (whichever runs first): the timer runs once every handler has, and
  // after the question, so only if the person stayed, or while the post
  // they chose is on its way (a second click may then post again: the
  // question came first).
  window.addEventListener("beforeunload", function (ev) {
    setTimeout(function () { if (ev.defaultPrevented) { release(); } }, 0);
  });
  window.addEventListener("pageshow", function (ev) {
    if (ev.persisted) { release(); }
  });
})();

// The report's toolbar sticks to the top of the screen where it is wide:
// a section followed from the contents starts below it, however many rows
// its links wrap onto (report.css gives a guess without JavaScript).
(function () {
  "use strict";
  var bar = document.querySelector(".report-toolbar");
  if (!bar || !window.ResizeObserver) { return; }
  new ResizeObserver(function () {
    var sticky = getComputedStyle(bar).position === "sticky";
    document.documentElement.style.scrollPaddingTop = sticky ? (bar.offsetHeight + 12) + "px" : "";
  }).observe(bar);
})();
