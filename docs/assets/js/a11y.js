// Accessibility fixes for markup that Material's and mkdocs-jupyter's scripts create at run
// time (templates and CSS cannot reach it). Runs on every page, instant navigation included.
// tests/browser/ checks every page with axe-core.
(function () {
  "use strict";

  // Material 9.8 wraps each code block's copy button in <nav class="md-code__nav">. A <nav> is
  // a navigation landmark, so a page with two code blocks has several unnamed landmarks of the
  // same kind (axe: landmark-unique), and a screen reader lists each copy button as a region.
  // The wrapper only holds buttons: role="none" takes the landmark role away (ARIA allows it
  // on <nav>; "group" is not). The buttons keep their own names ("Copy to clipboard").
  function unlandmarkCodeNavs(root) {
    root.querySelectorAll("nav.md-code__nav:not([role])").forEach(function (nav) {
      nav.setAttribute("role", "none");
    });
  }

  // Notebook code cells and outputs scroll sideways when a line is long, but nothing in them
  // can take focus, so a keyboard user cannot scroll them (axe: scrollable-region-focusable).
  // Material's own code blocks are focusable for this reason; do the same here.
  function focusableNotebookScrollers(root) {
    root.querySelectorAll(
      ".jupyter-wrapper .highlight-ipynb, .jupyter-wrapper .jp-OutputArea-output pre"
    ).forEach(function (el) {
      if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "0");
    });
  }

  // A display formula wider than a phone scrolls inside its own box (site.css); when it
  // actually overflows, it must take focus so a keyboard user can scroll it too.
  function focusableWideFormulas(root) {
    root.querySelectorAll(".md-typeset div.arithmatex, .md-typeset span.arithmatex--display").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
      }
    });
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(function () {
      unlandmarkCodeNavs(document.body);
      focusableNotebookScrollers(document.body);
      // Formulas arrive rendered at build time (docs_build/katex.py): widths are known.
      focusableWideFormulas(document.body);
    });
  }
})();
