// Starts the activation explorers (explorer.js) of a page, and nothing on a page without one:
// the explorer's code and the printed functions (explorer-functions.js, written by the build)
// load when the first explorer comes near the screen. Runs on every page Material's instant
// navigation shows, and stops the previous page's explorers first.
(function () {
  "use strict";
  var base = document.currentScript.src.replace(/[^/]*$/, "");
  var loading = null;
  var observer = null;

  function script(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.async = false;
      s.onload = resolve;
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }

  function load() {
    if (!loading) {
      loading = Promise.all([script(base + "explorer-functions.js"), script(base + "explorer.js")]);
    }
    return loading;
  }

  function start() {
    if (observer) observer.disconnect();
    if (window.dlgExplorer && window.dlgExplorer.stopAll) window.dlgExplorer.stopAll();
    var all = document.querySelectorAll(".dlg-explorer[data-explorer]");
    if (!all.length) return;
    var mount = function (target) {
      load().then(function () {
        // An explorer that opens in the upper third of the screen (or above it) would push
        // down what the reader is looking at: scroll by what it adds, so that stays put.
        var next = target.nextElementSibling;
        var keep = next && target.getBoundingClientRect().top < window.innerHeight / 3;
        var before = keep ? next.getBoundingClientRect().top : 0;
        window.dlgExplorer.mount(target);
        if (keep) window.scrollBy(0, next.getBoundingClientRect().top - before);
      });
    };
    // A shared link (#explore=elu...) starts its explorer at once and scrolls to it.
    var m = /^#explore=([\w-]+)/.exec(location.hash);
    if (m) {
      var chosen = document.querySelector('.dlg-explorer[data-explorer="' + m[1] + '"]') ||
        document.querySelector(".dlg-explorer[data-choose]");
      if (chosen) {
        load().then(function () {
          window.dlgExplorer.mount(chosen);
          chosen.scrollIntoView();
        });
      }
    }
    observer = new IntersectionObserver(
      function (entries) {
        entries.forEach(function (e) {
          if (e.isIntersecting) {
            observer.unobserve(e.target);
            mount(e.target.dlgExplorerTarget);
          }
        });
      },
      { rootMargin: "200px" }
    );
    // A hidden element never intersects the screen: watch what stands before it (the static
    // figure it explores).
    all.forEach(function (target) {
      var watched = target.previousElementSibling || target.parentNode;
      watched.dlgExplorerTarget = target;
      observer.observe(watched);
    });
  }

  if (typeof document$ !== "undefined") document$.subscribe(start);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
