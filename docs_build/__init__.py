"""Build-time glue between the tested snippets and the pages (not reader code).

Pages never contain a number, formula or figure typed by hand: they name a *fact*
(``{{ ns.key }}``) or a *figure* (``{{ figure ns/name }}``), and the MkDocs hooks in
:mod:`docs_build.hooks` fill them in from the functions registered here. The same
functions are imported by the tests, so what a reader sees is what the tests ran.
"""

import os
import sys

# One CPU thread, however the build is started (mkdocs build or serve, make, the tests):
# the site's models are tiny, so one thread trains them fastest (no synchronization, no
# oversubscription when the build's workers, its notebook kernels and pytest share the
# cores), and one thread count everywhere keeps results and cache keys the same. Set before
# torch starts its thread pool; the build's worker processes and kernels inherit it.
BUILD_THREADS = 1
os.environ["OMP_NUM_THREADS"] = str(BUILD_THREADS)
if (
    "torch" in sys.modules
):  # imported first (pytest plugins, a notebook): set it there too
    sys.modules["torch"].set_num_threads(BUILD_THREADS)
