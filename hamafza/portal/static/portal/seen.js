// Counts a reading of the post (the server keeps one a visitor a day); nothing else.
(function () {
  "use strict";
  var url = document.currentScript && document.currentScript.getAttribute("data-seen-url");
  if (url && navigator.sendBeacon) navigator.sendBeacon(url);
})();
