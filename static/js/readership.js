/* One read of this article, counted without a cookie: the page (the same for every reader, from the
   page cache) names the article on this script's tag, and the script sends one beacon to the site
   itself. Nothing is sent by a browser that asks not to be tracked (Do Not Track, Global Privacy
   Control), and a prerendered page sends only once the reader actually opens it. /privacy/ says what
   is counted. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !navigator.sendBeacon || !window.URLSearchParams) { return; }
  if (navigator.doNotTrack === "1" || window.doNotTrack === "1" || navigator.globalPrivacyControl) { return; }

  function referringHost() {
    try { return document.referrer ? new URL(document.referrer).hostname : ""; } catch (error) { return ""; }
  }

  function send() {
    var body = new URLSearchParams();
    body.set("article", script.dataset.article);
    body.set("from", referringHost());
    navigator.sendBeacon(script.dataset.beacon, body);
  }

  if (document.prerendering) {
    document.addEventListener("prerenderingchange", send, { once: true });
  } else {
    send();
  }
})();
