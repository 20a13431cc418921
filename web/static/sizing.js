// The sizing calculator's live forms. htmx swaps in only the results; the
// fragment also lists the server's field messages ([data-field-errors]),
// and this script shows each beside its field the way the server renders
// it without JavaScript, but without replacing the inputs, so focus and
// whatever is being typed stay put.
(function () {
  "use strict";

  function describedBy(input, id, on) {
    var ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (x) {
      return x && x !== id;
    });
    if (on) { ids.push(id); }
    if (ids.length) {
      input.setAttribute("aria-describedby", ids.join(" "));
    } else {
      input.removeAttribute("aria-describedby");
    }
  }

  function sync(list) {
    var form = document.getElementById(list.getAttribute("data-field-errors"));
    if (!form) { return; }
    var errors = {};
    list.querySelectorAll("[data-field]").forEach(function (li) {
      errors[li.getAttribute("data-field")] = li.textContent;
    });
    // A summary from a refused page load is out of date now.
    var summary = form.querySelector(".error-summary");
    if (summary) { summary.remove(); }
    form.querySelectorAll(".field").forEach(function (field) {
      var input = field.querySelector("input:not([type=hidden]), select, textarea");
      if (!input || !input.name) { return; }
      var id = "f-" + input.name + "-error";
      var msg = errors[input.name];
      var p = document.getElementById(id);
      if (msg) {
        if (!p) {
          p = document.createElement("p");
          p.className = "field-error";
          p.id = id;
          input.parentNode.insertBefore(p, input);
        }
        var hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent = "Error: ";
        p.replaceChildren(hidden, document.createTextNode(msg));
        field.classList.add("has-error");
        input.setAttribute("aria-invalid", "true");
      } else {
        if (p) { p.remove(); }
        field.classList.remove("has-error");
        input.removeAttribute("aria-invalid");
      }
      describedBy(input, id, !!msg);
    });
  }

  document.addEventListener("htmx:afterSwap", function (e) {
    e.target.querySelectorAll("[data-field-errors]").forEach(sync);
  });
})();
