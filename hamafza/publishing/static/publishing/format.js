// The body's formatting toolbar, the preview per channel and its tabs.
// - The toolbar wraps the selection in the markup formatting.py reads: **bold**,
//   __italic__, [text](https://…), and "> " before each line of a quote. Buttons and
//   Ctrl+B / Ctrl+I / Ctrl+K in the text box; a second press on a wrapped selection
//   unwraps it.
// - The preview asks the server (POST, with the form's CSRF token) how each ticked channel
//   will get the text: the same renderer the outbox sends with. Asked again a moment
//   after the typing stops.
// - The tabs follow the ARIA tabs pattern: arrows, Home and End move between them.
(function () {
  "use strict";

  // -- the toolbar ------------------------------------------------------------------------
  var MARKS = { bold: "**", italic: "__" };

  function replaceRange(box, start, end, text, selectFrom, selectTo) {
    box.focus();
    box.setRangeText(text, start, end, "end");
    box.setSelectionRange(start + selectFrom, start + selectTo);
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function wrap(box, mark) {
    var value = box.value, start = box.selectionStart, end = box.selectionEnd;
    // Spaces at the ends of the selection stay outside the markers (the markup needs it).
    while (start < end && /\s/.test(value[start])) start++;
    while (end > start && /\s/.test(value[end - 1])) end--;
    var inner = value.slice(start, end), n = mark.length;
    if (value.slice(start - n, start) === mark && value.slice(end, end + n) === mark) {
      replaceRange(box, start - n, end + n, inner, 0, inner.length);  // unwrap
    } else if (inner.length > n * 2 && inner.slice(0, n) === mark && inner.slice(-n) === mark) {
      var bare = inner.slice(n, -n);
      replaceRange(box, start, end, bare, 0, bare.length);
    } else {
      replaceRange(box, start, end, mark + inner + mark, n, n + inner.length);
    }
  }

  function link(box) {
    var value = box.value, start = box.selectionStart, end = box.selectionEnd;
    var label = value.slice(start, end).trim() || "متن پیوند";
    var text = "[" + label + "](https://)";
    // The address is selected: the editor types it in place.
    var at = label.length + 3;
    replaceRange(box, start, end, text, at, at + "https://".length);
  }

  function quote(box) {
    var value = box.value;
    var start = value.lastIndexOf("\n", box.selectionStart - 1) + 1;
    var end = value.indexOf("\n", Math.max(box.selectionEnd - (box.selectionEnd > box.selectionStart ? 1 : 0), start));
    if (end === -1) end = value.length;
    var lines = value.slice(start, end).split("\n");
    var quoted = lines.every(function (l) { return !l.trim() || /^> ?/.test(l); });
    var text = lines.map(function (l) {
      if (!l.trim()) return l;
      return quoted ? l.replace(/^> ?/, "") : "> " + l;
    }).join("\n");
    replaceRange(box, start, end, text, 0, text.length);
  }

  function apply(box, action) {
    if (MARKS[action]) wrap(box, MARKS[action]);
    else if (action === "link") link(box);
    else if (action === "quote") quote(box);
  }

  document.querySelectorAll("[data-format-for]").forEach(function (bar) {
    var box = document.getElementById(bar.getAttribute("data-format-for"));
    if (!box || typeof box.setRangeText !== "function") return;
    bar.hidden = false;
    bar.addEventListener("mousedown", function (event) {
      if (event.target.closest("button")) event.preventDefault();  // keep the selection
    });
    bar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-format]");
      if (button) apply(box, button.getAttribute("data-format"));
    });
    box.addEventListener("keydown", function (event) {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      var key = event.key.toLowerCase();
      var action = { b: "bold", i: "italic", k: "link" }[key];
      if (!action) return;
      event.preventDefault();
      apply(box, action);
    });
  });

  // -- the tabs ---------------------------------------------------------------------------
  function tabs(root) {
    var list = root.querySelector('[role="tablist"]');
    if (!list) return;
    var all = Array.prototype.slice.call(list.querySelectorAll('[role="tab"]'));
    function select(tab, focus) {
      all.forEach(function (t) {
        var on = t === tab;
        t.setAttribute("aria-selected", on ? "true" : "false");
        t.tabIndex = on ? 0 : -1;
        var panel = document.getElementById(t.getAttribute("aria-controls"));
        if (panel) panel.hidden = !on;
      });
      root.setAttribute("data-selected", tab.getAttribute("data-channel"));
      if (focus) tab.focus();
    }
    list.addEventListener("click", function (event) {
      var tab = event.target.closest('[role="tab"]');
      if (tab) select(tab, false);
    });
    list.addEventListener("keydown", function (event) {
      var i = all.indexOf(document.activeElement);
      if (i < 0) return;
      var rtl = getComputedStyle(list).direction === "rtl";
      var next = { ArrowLeft: rtl ? 1 : -1, ArrowRight: rtl ? -1 : 1 }[event.key];
      var to = null;
      if (next) to = all[(i + next + all.length) % all.length];
      else if (event.key === "Home") to = all[0];
      else if (event.key === "End") to = all[all.length - 1];
      if (!to) return;
      event.preventDefault();
      select(to, true);
    });
    // After a refresh, the tab the editor was on stays selected.
    var keep = root.getAttribute("data-selected");
    var kept = all.filter(function (t) { return t.getAttribute("data-channel") === keep; })[0];
    if (kept) select(kept, false);
  }
  document.querySelectorAll("[data-previews]").forEach(tabs);

  // -- the live preview -------------------------------------------------------------------
  var form = document.getElementById("compose");
  var section = form && form.querySelector("[data-preview-url]");
  var target = section && section.querySelector("[data-previews]");
  if (!target) return;
  var url = section.getAttribute("data-preview-url");
  var timer = null, asked = 0;

  function payload() {
    var data = new FormData();
    ["csrfmiddlewaretoken", "title", "lead", "body"].forEach(function (name) {
      var box = form.elements[name];
      if (box) data.append(name, box.value);
    });
    if (section.getAttribute("data-post")) data.append("post", section.getAttribute("data-post"));
    form.querySelectorAll('input[name="channels"]:checked').forEach(function (box) {
      data.append("channels", box.value);
      var variant = form.elements["variant_" + box.value];
      if (variant) data.append("variant_" + box.value, variant.value);
    });
    return data;
  }

  function refresh() {
    var mine = ++asked;
    var data = payload();
    fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": data.get("csrfmiddlewaretoken") || "", "Accept": "application/json" },
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }).then(function (answer) {
      if (mine !== asked) return;  // a later answer is on its way
      target.innerHTML = answer.html;  // rendered by the server's templates, escaped there
      tabs(target);
      section.removeAttribute("aria-busy");
    }).catch(function () {
      section.removeAttribute("aria-busy");
    });
  }

  function later(event) {
    if (event && event.target && event.target.type === "file") return;
    section.setAttribute("aria-busy", "true");
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();
