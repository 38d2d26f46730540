"""Checks of the built site, shared by the tests and the scripts (never by the build).

- ``htmlcheck``: the built HTML: third-party assets, internal links and anchors, formulas.
- ``pagecode``: a reader's copy of a page's code blocks, run in a fresh interpreter.
- ``pagecheck``: every page in headless Chromium: console, requests, math, figures, axe-core,
  copy buttons; serves a built site as its host would.
"""
