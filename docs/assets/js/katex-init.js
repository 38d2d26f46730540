// Render LaTeX with the vendored KaTeX after every page load, instant navigation included
// (Material re-emits document$ on each navigation). Markdown pages carry math that
// pymdownx.arithmatex wrapped as \( \) and \[ \] inside .arithmatex elements; notebook
// pages (mkdocs-jupyter) carry raw $...$ and $$...$$, rendered only inside .jupyter-wrapper.
(function () {
  "use strict";
  var options = { throwOnError: false, errorColor: "#cc0000" };
  function renderAll(root) {
    root.querySelectorAll(".arithmatex").forEach(function (el) {
      renderMathInElement(el, Object.assign({}, options, {
        delimiters: [
          { left: "\\(", right: "\\)", display: false },
          { left: "\\[", right: "\\]", display: true },
        ],
      }));
    });
    root.querySelectorAll(".jupyter-wrapper").forEach(function (el) {
      renderMathInElement(el, Object.assign({}, options, {
        delimiters: [
          { left: "$$", right: "$$", display: true },
          { left: "$", right: "$", display: false },
          { left: "\\(", right: "\\)", display: false },
          { left: "\\[", right: "\\]", display: true },
        ],
        ignoredClasses: ["highlight", "jp-InputArea-editor", "jp-OutputArea-output"],
      }));
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(function () { renderAll(document.body); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { renderAll(document.body); });
  }
})();
