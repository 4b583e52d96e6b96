// The composer's live help: each chosen channel's character count against its limit,
// the album warnings, and the scheduled time shown only when wanted. The server checks
// the same limits (hamafza/publishing/limits.py) on submit; this only informs.
(function () {
  "use strict";
  var form = document.getElementById("compose");
  // A length as the platform counts it (limits.py says which): UTF-16 code units, as
  // String.length gives, or characters (code points).
  function measure(text, counting) {
    return counting === "codepoints" ? Array.from(text).length : text.length;
  }
  var data = document.getElementById("channel-limits");
  if (!form || !data) return;
  var LIMITS = JSON.parse(data.textContent);
  var FA = "۰۱۲۳۴۵۶۷۸۹";
  function fa(n) {
    return String(n).replace(/\d/g, function (d) { return FA[Number(d)]; }).replace(/\B(?=([۰-۹]{3})+(?![۰-۹]))/g, "٬");
  }
  function value(name) {
    var box = form.elements[name];
    return box ? box.value : "";
  }
  // Paragraphs a blank line apart, spaces inside a line collapsed: as the server stores it.
  function bodyText(text) {
    return text.replace(/\r\n?/g, "\n").split(/\n\s*\n/).map(function (p) {
      return p.split("\n").map(function (l) { return l.trim().replace(/\s+/g, " "); })
        .filter(Boolean).join("\n");
    }).filter(Boolean).join("\n\n");
  }
  // The formatting markup (formatting.py) as the platform counts it once rendered in its
  // style: Telegram and Rubika count the visible text only, plain text writes a link's
  // address out and quotes in «», Bale keeps its one-character markers. The server's
  // preview gives the exact figure; this follows the typing.
  var LINK = /\[([^\[\]\n]+)\]\((https?:\/\/[^\s()<>"]+)\)/g;
  var EMPHASIS = /(\*\*|__)(?=\S)([^\n]*?\S)\1/g;
  function shown(markup, style) {
    var text = markup;
    if (style === "plain") text = text.replace(LINK, function (m, label, url) { return label === url ? url : label + " (" + url + ")"; });
    else if (style === "bale_markdown") text = text.replace(LINK, "[$1]($2)");
    else text = text.replace(LINK, "$1");
    for (var i = 0; i < 3; i++) {
      text = text.replace(EMPHASIS, function (m, mark, inner) {
        return style === "bale_markdown" ? mark[0] + inner + mark[0] : inner;
      });
    }
    if (style === "plain" || style === "bale_markdown") {
      text = text.replace(/(^|\n)(> ?[^\n]*(?:\n> ?[^\n]*)*)/g, function (m, start, block) {
        return start + "«" + block.replace(/(^|\n)> ?/g, "$1") + "»";
      });
    } else {
      text = text.replace(/(^|\n)> ?/g, "$1");
    }
    return text;
  }
  function channelText(id, style) {
    var variant = value("variant_" + id).trim();
    if (variant) return shown(variant, style);
    // As the outbox builds it: the title and the lead (or the body when there is none).
    var rest = value("lead").trim() || shown(bodyText(value("body")), style);
    return [value("title").trim(), rest.trim()].filter(Boolean).join("\n\n");
  }
  function photoCount() {
    var n = 0;
    form.querySelectorAll(".photos .photo").forEach(function (item) {
      var remove = item.querySelector('input[type="checkbox"]');
      if (!remove || !remove.checked) n += 1;
    });
    var file = form.elements.photo;
    if (file && file.files) n += file.files.length;
    return n;
  }
  var MB = 1024 * 1024;
  function megabytes(size) {
    return fa((size / MB).toFixed(1).replace(/\.0$/, "")).replace(".", "٫");
  }
  // The photos picked, listed by name and size before they are sent.
  function listPicked() {
    var list = form.querySelector("[data-picked]"), file = form.elements.photo;
    if (!list || !file) return;
    list.textContent = "";
    Array.prototype.forEach.call(file.files || [], function (f) {
      var item = document.createElement("li");
      var size = f.size < MB / 10 ? fa(Math.max(1, Math.round(f.size / 1024))) + " کیلوبایت" : megabytes(f.size) + " مگابایت";
      item.textContent = f.name + " (" + size + ")";
      list.appendChild(item);
    });
    list.hidden = !list.children.length;
  }
  // The video or document the post will carry: a file just picked (its kind as the
  // browser guesses it; the server reads it from the bytes), or the one saved.
  function attachment() {
    var input = form.elements.attachment, remove = form.elements.attachment_remove;
    if (input && input.files && input.files.length) {
      var f = input.files[0];
      return { kind: /^video\//.test(f.type) ? "video" : "document", size: f.size };
    }
    var saved = form.querySelector("[data-attachment-kind]");
    if (!saved || (remove && remove.checked)) return null;
    return { kind: saved.getAttribute("data-attachment-kind"), size: Number(saved.getAttribute("data-attachment-size")) };
  }
  function ticked() {
    var ids = [];
    form.querySelectorAll('input[name="channels"]:checked').forEach(function (b) { ids.push(b.value); });
    return ids;
  }
  // Which ticked channel cannot take the file, in the words limits.py uses.
  function attachmentWarnings() {
    var box = form.querySelector("[data-attachment-warn]"), file = attachment();
    if (!box) return;
    var lines = [];
    if (file) {
      ticked().forEach(function (id) {
        var limits = LIMITS[id];
        if (!limits) return;
        var what = file.kind === "video" ? "ویدیو" : "سند";
        var takes = file.kind === "video" ? limits.videos : limits.documents;
        if (!takes) lines.push(limits.name + " پیوست " + what + " نمی‌گیرد.");
        else if (limits.max_file_bytes && file.size > limits.max_file_bytes) {
          lines.push(limits.name + " پرونده‌ای بزرگ‌تر از " + fa(Math.floor(limits.max_file_bytes / MB)) +
            " مگابایت را از ربات نمی‌گیرد و این " + what + " " + megabytes(file.size) + " مگابایت است.");
        }
      });
    }
    box.textContent = lines.join(" ");
    box.hidden = !lines.length;
  }
  // «بی‌صدا» and «سنجاق» only while a ticked channel's platform has them.
  function options() {
    var on = ticked();
    var shown = 0;
    form.querySelectorAll("[data-option]").forEach(function (option) {
      var ids = (option.getAttribute("data-option-channels") || "").split(" ");
      option.hidden = !ids.some(function (id) { return on.indexOf(id) !== -1; });
      if (!option.hidden) shown += 1;
    });
    var card = form.querySelector("[data-options]");
    if (card) card.hidden = !shown;
  }
  function update() {
    var photos = photoCount();
    form.querySelectorAll("li.channel").forEach(function (row) {
      var id = row.getAttribute("data-channel"), limits = LIMITS[id];
      var box = row.querySelector('input[name="channels"]');
      var counter = row.querySelector("output.counter");
      var details = row.querySelector("details");
      var albumWarn = row.querySelector("[data-album-warn]");
      var on = box && box.checked;
      if (details) details.hidden = !on;
      if (!limits) return;
      if (counter) {
        var length = measure(channelText(id, limits.formatting), limits.counting);
        var caption = photos && limits.caption && length <= limits.caption;
        var limit = caption ? limits.caption : limits.text;
        counter.hidden = !on;
        counter.textContent = fa(length) + " / " + fa(limit) + (caption ? " (توضیح عکس)" : "");
        counter.classList.toggle("over", length > limit);
      }
      if (albumWarn) {
        var text = "";
        if (on && photos > 1 && !limits.albums) text = limits.name + " آلبوم ندارد: فقط عکس نخست همراه متن فرستاده می‌شود.";
        else if (on && photos > limits.max_album) text = "آلبوم بیش از " + fa(limits.max_album) + " عکس نمی‌گیرد.";
        albumWarn.textContent = text;
        albumWarn.hidden = !text;
      }
    });
    listPicked();
    attachmentWarnings();
    options();
    var later = form.querySelector('input[name="when"][value="later"]');
    var box = form.querySelector("[data-when-later]");
    if (later && box) box.hidden = !later.checked;
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
