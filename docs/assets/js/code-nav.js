// Material 9.8 wraps each code block's copy button in <nav class="md-code__nav">. A <nav> is a
// navigation landmark, so a page with two code blocks has several unnamed landmarks of the
// same kind (axe: landmark-unique), and a screen reader lists each copy button as a region of
// the page. The wrapper only holds buttons: role="none" takes its landmark role away (ARIA
// allows it on <nav>; "group" is not allowed there). The buttons keep their own names
// ("Copy to clipboard"). Runs on every page, instant navigation included.
(function () {
  "use strict";
  function unlandmark(root) {
    root.querySelectorAll("nav.md-code__nav:not([role])").forEach(function (nav) {
      nav.setAttribute("role", "none");
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(function () { unlandmark(document.body); });
  }
})();
