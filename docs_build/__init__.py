"""Build-time glue between the tested snippets and the pages (not reader code).

Pages never contain a number, formula or figure typed by hand: they name a *fact*
(``{{ ns.key }}``) or a *figure* (``{{ figure ns/name }}``), and the MkDocs hooks in
:mod:`docs_build.hooks` fill them in from the functions registered here. The same
functions are imported by the tests, so what a reader sees is what the tests ran.
"""
