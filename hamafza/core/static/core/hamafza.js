// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Browsers that know the `scripting` media feature fold the phone menu before this runs;
  // older ones wait for this class (the page carries no inline script: see the CSP).
  document.documentElement.classList.add("js");
  var MONTHS = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"];
  var FA = "۰۱۲۳۴۵۶۷۸۹", AR = "٠١٢٣٤٥٦٧٨٩";

  function toLatin(text) {
    return text.replace(/[۰-۹٠-٩]/g, function (d) {
      var i = FA.indexOf(d);
      return String(i >= 0 ? i : AR.indexOf(d));
    });
  }
  function toPersian(text) {
    return String(text).replace(/[0-9]/g, function (d) { return FA[Number(d)]; });
  }

  // Under a Jalali date box, say the date in words as the person types it, so a slip
  // (month 15, day 32) shows at once. The server still decides; this only informs.
  function describeJalali(text) {
    var m = toLatin(text.trim()).match(/^(\d{4})\s*[\/\-.]\s*(\d{1,2})\s*[\/\-.]\s*(\d{1,2})$/);
    if (!m) return text.trim() ? { bad: true, text: "به شکل ۱۴۰۵/۰۵/۱۷ بنویسید" } : { text: "" };
    var month = Number(m[2]), day = Number(m[3]);
    var longest = month <= 6 ? 31 : 30;
    if (month < 1 || month > 12) return { bad: true, text: "ماه باید از ۱ تا ۱۲ باشد" };
    if (day < 1 || day > longest) return { bad: true, text: MONTHS[month - 1] + " " + toPersian(longest) + " روز دارد" };
    var words = toPersian(day) + " " + MONTHS[month - 1] + " " + toPersian(m[1]);
    // Whether the year is a leap year is the server's to say (the official calendar is
    // astronomical); the hint only warns that 30 Esfand exists in leap years alone.
    if (month === 12 && day === 30) return { text: words + " — فقط در سال کبیسه" };
    return { text: words };
  }

  document.querySelectorAll("input[data-jalali-date]").forEach(function (input) {
    var hint = document.querySelector('output[data-for="' + input.id + '"]');
    if (!hint) return;
    var update = function () {
      var result = describeJalali(input.value);
      hint.textContent = result.text;
      hint.classList.toggle("bad", !!result.bad);
    };
    input.addEventListener("input", update);
    update();
  });

  var toggle = document.querySelector(".menu-toggle");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var menu = document.getElementById(toggle.getAttribute("aria-controls"));
      var open = menu.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // A form sent back with errors: move the focus to its summary, so a screen reader reads
  // it and a keyboard starts from it (the summary's links lead to each field).
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
    summary.focus();
  }

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
    });
  });
})();
