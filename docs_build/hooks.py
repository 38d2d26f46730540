"""MkDocs hooks (declared under ``hooks:`` in mkdocs.yml).

- ``{{ ns.key }}`` in a page is replaced by the fact ``key`` of namespace ``ns``.
- ``{{ figure ns/name }}`` becomes a figure with alt text, one SVG for both palettes,
  drawn now from the registered (tested) plotting function.
- ``{{ cite key }}`` becomes a linked citation and ``{{ references }}`` the page's list of
  what it cites (docs_build/bibliography.py); ``{{ claim id }}`` becomes the mark that
  links a claim to the test asserting it (docs_build/claims.py).
- Every formula is rendered into the finished page by KaTeX (docs_build/katex.py), so readers
  get no KaTeX script; a formula KaTeX cannot parse fails the build.

An unknown name fails the build with the page and the name in the message.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib.metadata
import logging
import posixpath
import re
import subprocess
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent


def _ensure_import_paths() -> None:
    """Make ``docs_build`` and the snippet modules importable (MkDocs resets sys.path
    after loading a hook file, so this runs again in ``on_config``)."""
    for path in (str(ROOT / "snippets"), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)


_ensure_import_paths()

from docs_build import (  # noqa: E402
    bibliography,
    claims,
    includes,
    notebook_css,
    registry,
)

log = logging.getLogger("mkdocs.hooks.docs_build")

FACT_RE = re.compile(r"\{\{\s*([A-Za-z_]\w*)\.([\w.-]+)\s*\}\}")
FIGURE_RE = re.compile(r"\{\{\s*figure\s+([\w/-]+)\s*\}\}")
LEFTOVER_RE = re.compile(r"\{\{[^{}\n]*\}\}")
SOURCE_RE = re.compile(r"\{\{\s*source\s+([\w/.-]+)\s*\}\}")


def source_link(path: str, repo_url: str, page_src_uri: str) -> str:
    """``{{ source x/y.py }}``: a link to the file an include reads, on the repository's
    main branch (found as pymdownx.snippets finds it: under snippets/, then the root)."""
    found = next((b / path for b in includes.BASES if (b / path).is_file()), None)
    if found is None:
        raise PluginError(f"{page_src_uri}: {{{{ source {path} }}}}: no such file")
    return f"[source]({repo_url.rstrip('/')}/blob/main/{found.relative_to(ROOT).as_posix()})"


# What MkDocs was started for ("build", "serve" or "gh-deploy"; `mkdocs serve --clean` is a
# build): MkDocs says so once, before the first build, and this module lives on through
# every rebuild of a serve.
_command = "build"


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command


def on_config(config):
    from docs_build import prepare

    _ensure_import_paths()
    prepare.start_notebooks()  # the kernels run while the chapters are imported
    registry.load_chapters()
    if _command == "serve":
        # Material's search plugin parses every page again after any edit: a third of a
        # serve rebuild (README, "A contributor's loop"). The preview goes without search;
        # `make build` writes the index, and the browser tests search the built site.
        config.plugins["material/search"].config.enabled = False
        log.info("mkdocs serve: no search index (it is built by mkdocs build)")
    return config


def on_pre_build(config) -> None:
    """Compute facts, figures and notebooks in parallel worker processes (a cache warm-up:
    see docs_build/prepare.py), then write the executed notebooks before MkDocs collects
    files, so mkdocs-jupyter renders outputs made by this build."""
    from docs_build import notebooks, prepare

    registry.forget_source_hashes()
    forget_git_state()
    reload_code()
    NOTEBOOK_CSS.reset()  # a new build (mkdocs serve) collects afresh
    _notebook_pages.clear()  # the pages of the last build, to be reused where unchanged
    _notebook_pages.update(_notebook_pages_shown)
    _notebook_pages_shown.clear()
    prepare.warm_caches()
    try:
        _notebook_files[:] = notebooks.generate()
    except notebooks.NotebookError as exc:
        raise PluginError(str(exc)) from None


_notebook_files: list[Path] = []  # this build's executed notebooks (outside docs/)


def reload_code() -> None:
    """``mkdocs serve`` after an edit: run the edited chapters and snippets (and what imports
    them) as they are now, so that their facts, figures and notebooks follow the edit; the
    build's own modules cannot be imported again while MkDocs runs them."""
    reloaded, restart = registry.reload_changed(keep=(sys.modules[__name__],))
    if reloaded:
        log.info("Edited code imported again: %s", ", ".join(reloaded))
    if restart:
        log.warning(
            "Restart mkdocs serve to run the edited %s: until then it runs (and caches "
            "under the keys of) the code it started with",
            ", ".join(p.relative_to(registry.ROOT).as_posix() for p in restart),
        )


NOTEBOOK_CSS = notebook_css.Collected()  # this build's notebook pages' inlined styles


def on_page_content(html: str, page, config, files) -> str:
    """Notebook pages: each figure gets the alt text its cell declares, and the inlined
    JupyterLab styles make way for one shared stylesheet (docs_build/notebook_css.py).
    A notebook repeats its chapter's code and text, so search lists the chapter only (a
    third of the index was notebooks, fetched and indexed by every reader's browser)."""
    src = page.file.src_uri
    if src.startswith("notebooks/") and src.endswith(".ipynb"):
        page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
        url = page.url or ""  # notebooks/cnn/ (its index.html) or notebooks/cnn.html
        html, blocks, classes, variables = notebook_page(
            html, Path(page.file.abs_src_path), url
        )
        for block in blocks:  # as NOTEBOOK_CSS.extract(html) would have collected them
            if block not in NOTEBOOK_CSS.blocks:
                NOTEBOOK_CSS.blocks.append(block)
        NOTEBOOK_CSS.classes |= classes
        NOTEBOOK_CSS.variables |= variables
    return wrap_tables(html)


# Material's script moves each table without a class into a scrolling box of its own (two
# `div`s). Moving a node makes Chromium style and lay out all of it again, the formulas in
# its cells included, and moving a child of the page's article restyles the whole article
# (a rule that counts siblings, `:nth-child` in Chromium's own MathML stylesheet). So the
# build puts each such table in that box itself, the markup Material's script makes, and
# the script leaves a table alone when it is already in one (BOX_PATCH, a filter rather
# than a selector, for the older browsers Material's script is built for; a reader
# without JavaScript gets the same box, and a wide table scrolls for them too).
#
# A table's start or end tag; or text in which a table tag means nothing (a comment, a
# script, a style, preformatted text, a text area), passed over as it is.
TABLE_OR_RAW = re.compile(
    r"(?P<raw><!--.*?-->|<(?P<tag>script|style|pre|textarea)\b.*?</(?P=tag)\s*>)"
    r"|<(?P<close>/?)table(?=[\s/>])(?P<attrs>[^>]*)>",
    re.IGNORECASE | re.DOTALL,
)
CLASS_ATTR = re.compile(r"\sclass\b", re.IGNORECASE)
TABLE_BOX = '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
BOX_PATCH = (
    '...M("table:not([class])",e).map(i=>ti(i))',
    '...M("table:not([class])",e).filter(i=>!i.parentElement.classList.contains('
    '"md-typeset__table")).map(i=>ti(i))',
)


def wrap_tables(html: str) -> str:
    """Each outermost table without a class attribute (Material's `table:not([class])`)
    in the box Material's script would move it into."""
    out, depth, wrapped, last = [], 0, False, 0
    for m in TABLE_OR_RAW.finditer(html):
        if m.group("raw"):
            continue
        if not m.group("close"):
            if depth == 0 and not CLASS_ATTR.search(m.group("attrs")):
                out.append(html[last : m.start()] + TABLE_BOX)
                last, wrapped = m.start(), True
            depth += 1
        else:
            depth -= 1
            if depth < 0:
                break
            if depth == 0 and wrapped:
                out.append(html[last : m.end()] + "</div></div>")
                last, wrapped = m.end(), False
    if depth != 0:
        raise PluginError("a page's table tags do not pair up: see wrap_tables")
    return "".join(out) + html[last:]


# mkdocs serve rebuilds every page after any edit, but a notebook page changes only with
# its notebook: its page, style blocks and classes are kept for the page as given (its
# HTML, its notebook file and its address) and reused while all three are unchanged: the
# last build's (on_pre_build moves them) and this build's. Its stylesheet likewise, for the
# same blocks and classes.
_notebook_pages: dict[str, tuple[str, list[str], set[str]]] = {}
_notebook_pages_shown: dict[str, tuple[str, list[str], set[str]]] = {}
_stylesheet: tuple[str, str] = ("", "")


def notebook_page(
    html: str, path: Path, url: str
) -> tuple[str, list[str], set[str], set[str]]:
    """A notebook page's HTML with alt text and a size on its figures and a link to the
    shared stylesheet instead of its style blocks; the blocks, the classes it uses and
    the custom properties its markup uses."""
    import nbformat

    from docs_build import notebooks

    data, src = path.read_bytes(), f"notebooks/{path.stem}.md"  # its source, for errors
    digest = hashlib.sha256(f"{path}\0{url}\0{len(data)}\0".encode() + data)
    digest.update(html.encode("utf-8", "surrogatepass"))
    key = digest.hexdigest()
    found = _notebook_pages_shown.get(key) or _notebook_pages.get(key)
    if found is None:
        nb = nbformat.reads(data.decode("utf-8"), as_version=4)
        html = notebooks.with_image_sizes(notebooks.with_alt_text(html, nb))
        if notebooks.GENERIC_ALT in html:
            raise PluginError(f"{src}: a figure has no alt text")
        base = url.rstrip("/") if url.endswith("/") else posixpath.dirname(url)
        href = posixpath.relpath(notebook_css.HREF, base or ".")
        collected = notebook_css.Collected()
        html = collected.extract(html, href)
        found = (
            html,
            list(collected.blocks),
            set(collected.classes),
            set(collected.variables),
        )
    _notebook_pages_shown[key] = found
    return found


def notebook_stylesheet() -> str:
    """``NOTEBOOK_CSS.stylesheet()``, made again only when its blocks, classes or
    variables changed."""
    global _stylesheet
    digest = hashlib.sha256("\0".join(NOTEBOOK_CSS.blocks).encode())
    digest.update(" ".join(sorted(NOTEBOOK_CSS.classes)).encode())
    digest.update(" ".join(sorted(NOTEBOOK_CSS.variables)).encode())
    if _stylesheet[0] != digest.hexdigest():
        _stylesheet = (digest.hexdigest(), NOTEBOOK_CSS.stylesheet())
    return _stylesheet[1]


def on_post_build(config) -> None:
    """Serve KaTeX's fonts, each cut down to the characters this build's formulas draw in
    it; close the KaTeX renderer; write the notebook pages' shared stylesheet (after every
    page gave its styles)."""
    from docs_build import katex_fonts

    used = _katex_renderer.characters if _katex_renderer is not None else {}
    katex_fonts.write_subsets(used, Path(config["site_dir"]))
    close_katex()
    if NOTEBOOK_CSS.blocks:
        target = Path(config["site_dir"]) / notebook_css.HREF
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(notebook_stylesheet(), encoding="utf-8")


def on_env(env, config, files):
    """Theme templates are compiled once, not at every build: Jinja's own bytecode cache
    keeps each one's compiled code under .cache/ (checked against the template's source).
    ``mkdocs serve`` makes a new Jinja environment at every rebuild, and compiling
    Material's templates again took about a tenth of a serve rebuild."""
    import jinja2

    folder = registry.CACHE_DIR / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
    return env


@event_priority(50)  # before mkdocs-jupyter's on_files, which takes the notebooks in
def on_files(files: Files, config) -> Files:
    """Add the executed notebooks (written outside docs/, so that ``mkdocs serve`` does not
    see the build's own output as an edit), the figures and the explorer's functions."""
    from docs_build import notebooks

    for path in _notebook_files:
        files.append(
            File(
                path.relative_to(notebooks.PAGES).as_posix(),
                src_dir=str(notebooks.PAGES),
                dest_dir=config.site_dir,
                use_directory_urls=config.use_directory_urls,
            )
        )
    for fig in registry.FIGURES.values():
        try:
            svg = registry.figure_svg(fig)
        except Exception as exc:  # name the figure, keep the cause
            raise PluginError(f"figure {fig.name!r} failed to draw: {exc!r}") from exc
        files.append(File.generated(config, f"figures/{fig.name}.svg", content=svg))
    from docs_build import explorer

    files.append(
        File.generated(config, explorer.FUNCTIONS_JS, content=explorer.functions_js())
    )
    _patch_theme_file(files, config, PALETTE_CSS, without_switching_rule)
    _patch_theme_file(files, config, BUNDLE_JS, patched_bundle)
    return files


# Material's palette stylesheet turns transitions off under every element while the body
# has this attribute. Its script sets the attribute on every page load (not only when a
# reader switches palettes), reads the header's computed style, then removes it: a rule
# under `*` makes each of those two changes restyle the whole page, KaTeX's thousands of
# elements included. Without the rule, the attribute changes restyle nothing; a reader who
# switches palettes sees links, code, the navigation and the search field fade for
# Material's 125-250 ms. (A first visit on a dark system no longer switches at all: it is
# dark from the start, overrides/partials/javascripts/palette.html.)
PALETTE_CSS = re.compile(r"assets/stylesheets/palette\.[0-9a-f]+\.min\.css")
SWITCHING_RULE = (
    "[data-md-color-switching] *,[data-md-color-switching] :after,"
    "[data-md-color-switching] :before{transition-duration:0s!important}"
)


def without_switching_rule(css: str) -> str:
    """Material's palette stylesheet without its rule for switching palettes; fails the
    build if the stylesheet no longer holds it exactly once (Material changed it)."""
    if css.count(SWITCHING_RULE) != 1:
        raise PluginError(
            "Material's palette stylesheet no longer holds its palette-switching rule "
            f"exactly once ({SWITCHING_RULE!r}): see docs_build/hooks.py"
        )
    return css.replace(SWITCHING_RULE, "")


# Material's script, as it starts, adds a `<meta name="color-scheme">` to the head and
# then sets its content to the header's colour scheme. Chromium restyles every element of
# the page at each of those two changes (a colour-scheme change). The head's script
# (overrides/main.html) adds that element, set to the reader's scheme, before the body is
# read; with these two replacements Material's script uses it, and sets its content only
# when the scheme differs (a reader's switch). The strings are Material's minified code:
# the build fails if one is not there exactly once (a new Material release).
BUNDLE_JS = re.compile(r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js")
COLOR_SCHEME_PATCHES = (
    (
        'let o=x("meta",{name:"color-scheme"});document.head.appendChild(o);',
        'let o=document.querySelector("meta[name=color-scheme]");'
        'o||(o=x("meta",{name:"color-scheme"}),document.head.appendChild(o));',
    ),
    (
        "return o.content=a.colorScheme,",
        "return o.content!==a.colorScheme&&(o.content=a.colorScheme),",
    ),
)


# Material's script requests the search index (the largest file a page fetches) as soon
# as it starts, which on most pages is before the page is first drawn. Lighthouse
# simulates a slow phone from that load, so its largest paint then waits for the index
# too (README, "Performance budget"). With this replacement the script asks for the index
# once the head's promise (overrides/main.html) settles: the page loaded and first
# painted, the search box focused, or 10 s gone since the load. The index is requested
# once, as before (`o`, Material's shared request, subscribed to later), and search works
# the same; with a page cached from before this change (no promise in its head), at once.
SEARCH_INDEX_PATCH = (
    'ze(new URL("search/search_index.json",Or.base))}',
    "(o=>new F(r=>{let s,c=!1;(window.__dlg_after_first_paint||Promise.resolve()).then("
    "()=>{c||(s=o.subscribe(r))});return()=>{c=!0,s&&s.unsubscribe()}}))"
    '(ze(new URL("search/search_index.json",Or.base)))}',
)
BUNDLE_PATCHES = (*COLOR_SCHEME_PATCHES, BOX_PATCH, SEARCH_INDEX_PATCH)


def patched_bundle(js: str) -> str:
    """Material's bundle, using the head's colour-scheme element and leaving its content
    alone when it already holds the scheme, leaving a table alone when it is already in
    its box, and requesting the search index after the first paint; fails the build if
    Material's code changed."""
    for old, new in BUNDLE_PATCHES:
        if js.count(old) != 1:
            raise PluginError(
                f"Material's script no longer holds {old!r} exactly once: "
                "see docs_build/hooks.py"
            )
        js = js.replace(old, new)
    return js


def _patch_theme_file(files: Files, config, name: re.Pattern, patch) -> None:
    """Serve ``patch`` of the one theme file whose path matches ``name``."""
    found = [f for f in files if name.fullmatch(f.src_uri)]
    if len(found) != 1:
        raise PluginError(
            f"expected one Material file {name.pattern}, found {[f.src_uri for f in found]}"
        )
    theirs = found[0]
    text = Path(theirs.abs_src_path).read_text(encoding="utf-8")
    files.remove(theirs)
    files.append(File.generated(config, theirs.src_uri, content=patch(text)))


def figure_markdown(fig: registry.Figure, page_src_uri: str) -> str:
    """Markdown for one figure: its SVG (one file for both palettes) as the light and the
    dark image, alt text, size and a caption."""
    src = posixpath.relpath(f"figures/{fig.name}.svg", posixpath.dirname(page_src_uri))
    alt = fig.alt.replace("[", "(").replace("]", ")")
    # markdown="span": the caption is Markdown too, so $...$ in it becomes a formula (without
    # it, md_in_html passes the caption through raw and readers saw "$f'$"; tests/browser).
    caption = (
        f'\n  <figcaption markdown="span">{fig.caption}</figcaption>'
        if fig.caption
        else ""
    )
    # Its size reserves the box before it loads (no layout shift); lazy: figures below
    # the fold wait until the reader scrolls near them. Material displays the image whose
    # address ends in the reader's palette (#only-light, #only-dark), and the SVG draws
    # itself in the dark palette when its address ends in #only-dark (plotting.themed).
    from docs_build import plotting

    width, height = plotting.size_px(registry.figure_svg(fig))
    attrs = f'{{ loading=lazy width="{width}" height="{height}" }}'
    return (
        '<figure class="dlg-figure" markdown="span">\n'
        f"  ![{alt}]({src}#{plotting.LIGHT_FRAGMENT}){attrs}\n"
        f"  ![{alt}]({src}#{plotting.DARK_FRAGMENT}){attrs}{caption}\n"
        "</figure>"
    )


# What last_changed asks git: the uncommitted files and the commit checked out, once per
# build (on_pre_build forgets them: a prose edit under mkdocs serve makes its page's date
# today), and each set of files' last commit date, once per commit checked out. One page
# used to cost two git processes, every build.
_git_state: tuple[str, frozenset[str]] | None = None
_git_dates: dict[tuple[str, tuple[str, ...]], str] = {}


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def git_state() -> tuple[str, frozenset[str]]:
    """(the commit checked out, the files with uncommitted changes: modified, staged or
    untracked, relative to the repository), read once per build."""
    global _git_state
    if _git_state is None:
        head = _git("rev-parse", "HEAD").strip()
        entries = _git("status", "--porcelain", "-z", "--untracked-files=all")
        entries = entries.split("\0")
        files, i = set(), 0
        while i < len(entries):
            entry, i = entries[i], i + 1
            if len(entry) > 3:
                files.add(entry[3:])
                if entry[0] in "RC" or entry[1] in "RC":  # then the path it came from
                    files.add(entries[i])
                    i += 1
        _git_state = (head, frozenset(files))
    return _git_state


def forget_git_state() -> None:
    global _git_state
    _git_state = None


def last_changed(paths: list[Path]) -> str:
    """ISO date of the last commit touching any of ``paths``; today if one has uncommitted
    changes or git is unavailable (a built tarball, say)."""
    rel = tuple(p.relative_to(ROOT).as_posix() for p in paths)
    try:
        head, dirty = git_state()
        if (head, rel) not in _git_dates:
            _git_dates[(head, rel)] = _git("log", "-1", "--format=%cs", "--", *rel)
        date = _git_dates[(head, rel)].strip()
    except (OSError, subprocess.CalledProcessError):
        dirty, date = frozenset(rel), ""
    if date and not dirty.intersection(rel):
        return date
    return datetime.date.today().isoformat()


def page_source(src_uri: str, meta: dict | None = None) -> Path:
    """The tracked file a page is made from: ``docs/<src>``; for a notebook, whose
    ``notebooks/<name>.ipynb`` is generated (under .cache/), ``notebooks/<name>.md``; for a page
    with ``literal_include: FILE`` in its front matter, that file."""
    if meta and meta.get("literal_include"):
        return ROOT / meta["literal_include"]
    if src_uri.startswith("notebooks/") and src_uri.endswith(".ipynb"):
        return ROOT / "notebooks" / f"{Path(src_uri).stem}.md"
    return ROOT / "docs" / src_uri


# Snippet syntax pymdownx.snippets would act on: an include at the start of a line, and a
# section marker anywhere in a line.
SNIPPET_SYNTAX_RE = re.compile(
    r"(?:^[ \t]*|(?<![-;])(?=-+8<-+[ \t]+\[[ \t]*(?:start|end)[ \t]*:))(?=-+8<-+)",
    re.MULTILINE,
)


def literal_page(page, config) -> str:
    """The text of a page's ``literal_include`` file, shown as written: its include lines and
    section markers are escaped (pymdownx.snippets prints ``;--8<--`` as ``--8<--``), and its
    ``{{ ... }}`` are not placeholders (CONTRIBUTING.md explains them)."""
    source = page_source(page.file.src_uri, page.meta)
    if not source.is_file():
        raise PluginError(
            f"{page.file.src_uri}: literal_include {source} does not exist"
        )
    if config is not None:
        page_facts(page, config, [])
    return SNIPPET_SYNTAX_RE.sub(
        lambda m: f"{m.group(0)};", source.read_text(encoding="utf-8")
    )


def page_facts(page, config, refs: list[str]) -> None:
    """Set the footer facts: last change (page or included code), tested torch version,
    links to the snippet files shown; point the edit link at the file to edit."""
    source = page_source(page.file.src_uri, page.meta)
    notebook = source.is_relative_to(ROOT / "notebooks")
    if (
        notebook and source.is_file()
    ):  # what the notebook includes, from its Markdown source
        refs = includes.INCLUDE.findall(source.read_text(encoding="utf-8"))

    sources = []
    for ref in refs:
        path = ref.partition(":")[0]
        found = next((b / path for b in includes.BASES if (b / path).is_file()), None)
        if found is not None and found not in sources:
            sources.append(found)
    page.meta["revision_date"] = last_changed([source, *sources])
    # the installed torch's version, read without importing torch (2 s)
    page.meta["tested_with"] = importlib.metadata.version("torch").split("+")[0]
    repo = (config["repo_url"] or "").rstrip("/") if config else ""
    edit_uri = (config.get("edit_uri") or "") if config else ""
    if (
        source != ROOT / "docs" / page.file.src_uri
        and repo
        and edit_uri.endswith("docs/")
    ):
        # a notebook or a literal include: edit/main/docs/ -> edit/main/<its source>
        page.edit_url = (
            f"{repo}/{edit_uri.removesuffix('docs/')}{source.relative_to(ROOT)}"
        )
    page.meta["snippet_sources"] = [
        (str(p.relative_to(ROOT)), f"{repo}/blob/main/{p.relative_to(ROOT)}")
        for p in sources
        if repo
    ]


def on_page_markdown(markdown: str, page, config, files):
    src = page.file.src_uri
    if getattr(page, "meta", None) and page.meta.get("literal_include"):
        return literal_page(page, config)

    def fact(match: re.Match) -> str:
        ns, key = match.group(1), match.group(2)
        try:
            values = registry.get_facts(ns)
        except KeyError as exc:
            raise PluginError(f"{src}: {{{{ {ns}.{key} }}}}: {exc.args[0]}") from None
        if key not in values:
            raise PluginError(
                f"{src}: unknown fact {{{{ {ns}.{key} }}}}; {ns} has: {', '.join(sorted(values))}"
            )
        return values[key]

    def figure(match: re.Match) -> str:
        name = match.group(1)
        if name not in registry.FIGURES:
            raise PluginError(
                f"{src}: unknown figure {name!r}; registered: {sorted(registry.FIGURES)}"
            )
        # Alt text and captions are claims too: they name facts, filled in here.
        out = FACT_RE.sub(fact, figure_markdown(registry.FIGURES[name], src))
        from docs_build import explorer

        return out + explorer.placeholder(name)  # an activation's figure: its explorer

    refs = includes.INCLUDE.findall(markdown)
    for ref in refs:
        problem = includes.problem(ref)
        if problem:
            raise PluginError(f"{src}: cannot include {ref!r}: {problem}")
    if config is not None:
        page_facts(page, config, refs)

    # Facts first: a fact may contain a figure placeholder (a generated page section does),
    # a citation or a claim.
    markdown = FACT_RE.sub(fact, markdown)
    repo = (config["repo_url"] or "") if config else ""
    try:
        markdown = bibliography.render(markdown)
        markdown = claims.render(markdown, src, ROOT / "docs", repo)
    except (bibliography.UnknownReferenceError, claims.UnknownClaimError) as exc:
        raise PluginError(f"{src}: {exc.args[0]}") from None
    markdown = FIGURE_RE.sub(figure, markdown)
    markdown = SOURCE_RE.sub(lambda m: source_link(m.group(1), repo, src), markdown)
    leftover = LEFTOVER_RE.search(markdown)
    if leftover:
        raise PluginError(f"{src}: unrecognised placeholder {leftover.group(0)!r}")
    return markdown


# One KaTeX renderer per build, closed when the build ends or fails (an open V8 context
# keeps the interpreter from exiting). It reuses the output of each formula it rendered in
# an earlier build (docs_build/katex_cache.py): a prose edit under mkdocs serve runs KaTeX
# on no formula.
_katex_renderer = None


def on_post_page(output: str, page, config) -> str:
    """Render every formula into the page (KaTeX's HTML and MathML): readers get no KaTeX
    script. A formula KaTeX cannot parse fails the build, naming the page and the formula."""
    global _katex_renderer
    from docs_build import katex, katex_cache

    if _katex_renderer is None:
        _katex_renderer = katex_cache.CachedRenderer()
    src = page.file.src_uri
    notebook = src.startswith("notebooks/") and src.endswith(".ipynb")
    try:
        output = _katex_renderer.render_page(output, src, notebook=notebook)
    except katex.MathError as exc:
        raise PluginError(str(exc)) from None
    from docs_build import katex_fonts

    output = katex_fonts.with_preloads(output, _katex_renderer.page_fonts)
    return deferred_bundle(stylesheets_in_head(output), src)


# Material's script is a classic script at the end of the body. As it starts it reads the
# viewport's offset, which makes Chromium style and lay out the whole page then and there
# when no frame has been drawn yet: the script's task then holds the parser's last chunk,
# the script and the layout of every formula (traced under Lighthouse on the softmax page:
# one task of about 120 ms instead of a frame of about 110 ms and a script task of about 30
# ms; README, "Performance budget"). A deferred script runs once the page is parsed, in a
# task of its own, and still before DOMContentLoaded, which Material waits for, and before
# the deferred scripts of ours that use Material's `document$`.
BUNDLE_TAG = re.compile(rf'(<script src="[^"]*{BUNDLE_JS.pattern}")>')


def deferred_bundle(page_html: str, src: str) -> str:
    """The page ``src`` with Material's script deferred; fails the build if the page does
    not hold Material's script tag exactly once (a new Material template)."""
    page_html, found = BUNDLE_TAG.subn(r"\1 defer>", page_html)
    if found != 1:
        raise PluginError(
            f"{src}: expected Material's script tag once, found {found}: "
            "see docs_build/hooks.py"
        )
    return page_html


# A notebook page's shared stylesheet is linked where its style blocks were, in the body.
# Material's script, as it starts, makes each relative address absolute, which reloads a
# stylesheet and restyles the whole page; the head's script does that first for the head's
# links only (overrides/main.html), so every stylesheet link goes there.
# A stylesheet link with the white space before it (removed with it from the body).
STYLESHEET_LINK = re.compile(r'\s*(<link rel="stylesheet" href="[^"]+">)')


def stylesheets_in_head(page_html: str) -> str:
    """The page with each stylesheet link of its body moved to the end of the head's
    stylesheet links."""
    body = page_html.find("<body")
    moved = [m.group(1) for m in STYLESHEET_LINK.finditer(page_html, body)]
    if body < 0 or not moved:
        return page_html
    page_html = page_html[:body] + STYLESHEET_LINK.sub("", page_html[body:])
    last = list(STYLESHEET_LINK.finditer(page_html, 0, body))[-1]
    return page_html[: last.end()] + "".join(moved) + page_html[last.end() :]


def on_post_template(output: str, template_name: str, config) -> str:
    """The not-found page runs Material's script as every other page does (deferred)."""
    if template_name == "404.html":
        return deferred_bundle(output, template_name)
    return output


def close_katex() -> None:
    global _katex_renderer
    if _katex_renderer is not None:
        _katex_renderer.close()
        _katex_renderer = None


def on_build_error(error) -> None:
    from docs_build import prepare

    prepare.close()
    close_katex()
