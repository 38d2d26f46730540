"""The build hooks fail loudly, naming the page, on anything a page cannot resolve."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from docs_build import hooks, includes, plotting, registry


def page(src: str = "chapter/page.md") -> SimpleNamespace:
    return SimpleNamespace(file=SimpleNamespace(src_uri=src))


def render(markdown: str) -> str:
    return hooks.on_page_markdown(markdown, page(), config=None, files=None)


def test_known_fact_is_substituted() -> None:
    registry.load_chapters()
    out = render("PyTorch {{ site.torch_version }} here.")
    assert out == f"PyTorch {registry.get_facts('site')['torch_version']} here."


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        ("{{ site.no_such_fact }}", "chapter/page.md: unknown fact"),
        ("{{ nowhere.key }}", "unknown fact namespace 'nowhere'"),
        (
            "{{ figure nowhere/nothing }}",
            "chapter/page.md: unknown figure 'nowhere/nothing'",
        ),
        ("{{ something odd }}", "chapter/page.md: unrecognised placeholder"),
        (
            '--8<-- "no/such/file.py"',
            "chapter/page.md: cannot include 'no/such/file.py'",
        ),
    ],
)
def test_unresolvable_reference_fails_with_page_named(
    markdown: str, message: str
) -> None:
    with pytest.raises(PluginError, match=message.replace("(", r"\(")):
        render(markdown)


def test_facts_in_a_figures_alt_text_and_caption_are_filled_in(monkeypatch) -> None:
    """Alt text and captions are claims: they name facts, as the page does, and an unknown
    one fails the build like any other."""
    registry.load_chapters()
    version = registry.get_facts("site")["torch_version"]
    fig = registry.Figure(
        name="demo/facts",
        alt="Measured with PyTorch {{ site.torch_version }}.",
        caption="Torch {{ site.torch_version }}.",
        draw=lambda: None,
    )
    monkeypatch.setitem(registry.FIGURES, fig.name, fig)
    monkeypatch.setattr(registry, "figure_svg", lambda f: SVG)
    out = render("{{ figure demo/facts }}")
    assert f"![Measured with PyTorch {version}.]" in out
    assert f"Torch {version}.</figcaption>" in out
    monkeypatch.setitem(
        registry.FIGURES,
        fig.name,
        registry.Figure(fig.name, "{{ site.nope }}", "", fig.draw),
    )
    with pytest.raises(PluginError, match=r"chapter/page\.md: unknown fact"):
        render("{{ figure demo/facts }}")


def test_missing_section_is_named(tmp_path, monkeypatch) -> None:
    (tmp_path / "demo.py").write_text(
        "# --8<-- [start:real]\nx = 1\n# --8<-- [end:real]\n"
    )
    assert includes.problem("demo.py:real", (tmp_path,)) is None
    assert "no section" in includes.problem("demo.py:imaginary", (tmp_path,))
    assert "has the sections real" in includes.problem("demo.py:imaginary", (tmp_path,))


def test_a_section_without_its_end_marker_is_named(tmp_path, monkeypatch) -> None:
    """Renaming only the end marker would make pymdownx.snippets include the rest of the
    file silently; the build names the file and the sections it does have."""
    (tmp_path / "demo.py").write_text(
        "# --8<-- [start:real]\nx = 1\n# --8<-- [end:rael]\ny = 2\n"
        "# --8<-- [start:other]\nz = 3\n# --8<-- [end:other]\n"
    )
    problem = includes.problem("demo.py:real", (tmp_path,))
    assert "section 'real' has no '# --8<-- [end:real]'" in problem
    assert "has the sections real, other" in problem
    (tmp_path / "demo.py").write_text(
        "# --8<-- [start:real]\nx = 1\n# --8<-- [end:real]\n# --8<-- [end:stray]\n"
    )
    assert "markers without their pair: stray" in includes.problem(
        "demo.py:real", (tmp_path,)
    )


def test_the_build_runs_on_one_thread_however_it_is_started() -> None:
    """Importing docs_build (what mkdocs, the tests and the workers do first) sets one
    thread, even when the caller asked for more or imported torch before it."""
    code = "import torch; import docs_build; print(torch.get_num_threads())"
    for first in ("", "import torch; torch.set_num_threads(2); "):
        out = subprocess.run(
            [sys.executable, "-c", first + code],
            env={**os.environ, "OMP_NUM_THREADS": "2"},
            cwd=hooks.ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.strip() == "1"


SVG = '<svg width="300pt" height="150.4pt" viewBox="0 0 300 150.4"></svg>'  # a figure


def test_figure_markdown_links_both_palettes_lazily_at_their_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fig = registry.Figure(
        name="demo/curve",
        alt="A rising curve [demo]",
        caption="Demo.",
        draw=lambda: None,
    )
    monkeypatch.setattr(registry, "figure_svg", lambda f: SVG)
    md = hooks.figure_markdown(fig, "chapter/page.md")
    size = '{ loading=lazy width="400" height="201" }'
    assert f"](../figures/demo/curve.svg#only-light){size}" in md
    assert f"](../figures/demo/curve.svg#only-dark){size}" in md  # one file
    assert "![A rising curve (demo)]" in md


def test_a_figure_without_its_size_in_points_fails() -> None:
    with pytest.raises(ValueError, match="width and height"):
        plotting.size_px('<svg viewBox="0 0 3 1"></svg>')


def test_source_placeholder_links_the_file_and_fails_on_a_missing_one() -> None:
    link = hooks.source_link(
        "architectures/cnn.py", "https://example.org/repo/", "p.md"
    )
    assert link == (
        "[source](https://example.org/repo/blob/main/snippets/architectures/cnn.py)"
    )
    assert render("{{ source architectures/cnn.py }}").startswith("[source](")
    with pytest.raises(PluginError, match=r"chapter/page\.md: .*no such file"):
        render("{{ source architectures/nope.py }}")


def test_a_pages_date_follows_commits_and_edits(tmp_path, monkeypatch) -> None:
    """The footer's "last updated": git is asked once per build (hooks.git_state) and a
    date once per commit, and neither is stale in the next build: an edit makes it today,
    a new commit its own date, a rename counts for both names."""
    import datetime

    def git(*args: str, date: str = "2020-01-02T12:00:00") -> None:
        env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        subprocess.run(
            ["git", *args], cwd=tmp_path, env=env, check=True, capture_output=True
        )

    git("init", "-q")
    git("config", "user.email", "t@example.org")
    git("config", "user.name", "t")
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text("a\n")
    b.write_text("b\n")
    git("add", ".")
    git("commit", "-qm", "first")
    monkeypatch.setattr(hooks, "ROOT", tmp_path)
    monkeypatch.setattr(hooks, "_git_dates", {})
    today = datetime.date.today().isoformat()

    def next_build() -> None:
        hooks.forget_git_state()

    next_build()
    assert hooks.last_changed([a]) == "2020-01-02"
    a.write_text("a, edited\n")
    next_build()
    assert hooks.last_changed([a]) == today
    assert hooks.last_changed([b]) == "2020-01-02"
    git("commit", "-qam", "second", date="2021-03-04T12:00:00")
    next_build()
    assert hooks.last_changed([a]) == "2021-03-04"
    assert hooks.last_changed([a, b]) == "2021-03-04"
    (tmp_path / "new.md").write_text("new\n")
    git("mv", "b.md", "c.md")
    next_build()
    assert hooks.last_changed([tmp_path / "new.md"]) == today
    assert {"b.md", "c.md", "new.md"} <= hooks.git_state()[1]
    assert hooks.last_changed([a]) == "2021-03-04"
    next_build()


def test_a_notebook_page_is_reused_only_while_its_html_and_notebook_are_unchanged(
    tmp_path, monkeypatch
) -> None:
    """mkdocs serve rebuilds every page; a notebook page's alt text and styles are worked
    out again when its notebook or its HTML changed, and never kept when they fail."""
    import nbformat

    from docs_build import notebook_css

    notebook = tmp_path / "notebook-pages" / "notebooks" / "demo.ipynb"
    notebook.parent.mkdir(parents=True)

    def write(alt: str) -> None:
        output = nbformat.v4.new_output(
            "display_data", data={"image/png": "iVBORw0KGgo="}, metadata={"alt": alt}
        )
        cell = nbformat.v4.new_code_cell("plot()", outputs=[output])
        nbformat.write(nbformat.v4.new_notebook(cells=[cell]), notebook)

    html = (
        '<style>.jp-Cell { margin: 0 }</style><div class="jp-Cell">'
        '<img alt="No description has been provided for this image" src="x.png"></div>'
    )
    monkeypatch.setattr(hooks, "ROOT", tmp_path)
    monkeypatch.setattr(hooks, "_notebook_pages", {})
    monkeypatch.setattr(hooks, "_notebook_pages_shown", {})
    src, url = notebook, "notebooks/demo/"

    write("A rising line")
    page, blocks, classes, variables = hooks.notebook_page(html, src, url)
    assert 'alt="A rising line"' in page and "<style" not in page
    assert '<link rel="stylesheet" href="../../assets/notebook.css">' in page
    assert blocks == [".jp-Cell { margin: 0 }"] and "jp-Cell" in classes

    extract = notebook_css.Collected.extract
    monkeypatch.setattr(
        notebook_css.Collected, "extract", lambda *a: pytest.fail("worked out again")
    )
    assert hooks.notebook_page(html, src, url) == (page, blocks, classes, variables)
    monkeypatch.setattr(notebook_css.Collected, "extract", extract)

    write("A falling line")  # the notebook changed: its alt text is the new one
    assert 'alt="A falling line"' in hooks.notebook_page(html, src, url)[0]
    other = html.replace("margin: 0", "margin: 1px")  # the page changed
    assert hooks.notebook_page(other, src, url)[1] == [".jp-Cell { margin: 1px }"]
    # A figure the notebook gives no alt text for (two on the page, one in the notebook).
    two = html.replace(
        "</div>", '<img alt="No description has been provided for this image"></div>'
    )
    for _ in range(2):
        with pytest.raises(
            PluginError, match=r"notebooks/demo\.md: a figure has no alt"
        ):
            hooks.notebook_page(two, src, url)


@pytest.mark.parametrize(("command", "search"), [("serve", False), ("build", True)])
def test_mkdocs_serve_goes_without_the_search_index(
    monkeypatch, command, search
) -> None:
    """Under `mkdocs serve` Material's search plugin is off (it parsed every page again
    after each edit: a third of a rebuild); `mkdocs build` keeps it, and so the site."""
    from mkdocs.config import load_config

    monkeypatch.setattr(hooks, "_command", hooks._command)  # restored after the test
    hooks.on_startup(command=command, dirty=False)
    config = hooks.on_config(load_config(str(registry.ROOT / "mkdocs.yml")))
    assert config.plugins["material/search"].config.enabled is search


def test_theme_templates_are_compiled_once(tmp_path, monkeypatch) -> None:
    """A serve rebuild makes a new Jinja environment: the second one reads Material's
    compiled templates from the bytecode cache instead of compiling them again."""
    import jinja2
    from mkdocs.config import load_config

    monkeypatch.setattr(registry, "CACHE_DIR", tmp_path)
    config = load_config(str(registry.ROOT / "mkdocs.yml"))
    first = hooks.on_env(config.theme.get_env(), config, None)
    first.get_template("main.html")
    assert list((tmp_path / "jinja").iterdir())
    second = hooks.on_env(config.theme.get_env(), config, None)
    compiled = []

    def compile_(self, *args, **kwargs):
        compiled.append(args[1] if len(args) > 1 else kwargs.get("name"))
        return jinja2.Environment.compile(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", compile_)
    second.get_template("main.html")
    assert compiled == []


def test_a_palette_stylesheet_without_the_switching_rule_fails_the_build() -> None:
    """If Material's stylesheet changes, the build says so instead of serving it as is."""
    rule = hooks.SWITCHING_RULE
    assert hooks.without_switching_rule(f"a{{}}{rule}b{{}}") == "a{}b{}"
    for css in ("a{}", rule + rule):
        with pytest.raises(PluginError, match="palette-switching rule exactly once"):
            hooks.without_switching_rule(css)


def test_a_bundle_without_the_code_it_replaces_fails_the_build() -> None:
    """If Material's script changes, the build says so instead of serving it unpatched."""
    replacements = hooks.BUNDLE_PATCHES
    js = "".join(old + ";" for old, _ in replacements)
    assert hooks.patched_bundle(js) == "".join(new + ";" for _, new in replacements)
    for old, _ in replacements:
        for broken in (js.replace(old, ""), js + old):
            with pytest.raises(PluginError, match="exactly once"):
                hooks.patched_bundle(broken)


@pytest.mark.parametrize(
    ("html", "wrapped"),
    [
        ("<p>a</p><table><tr><td>1</td></tr></table>", 1),
        ('<table class="x"><tr><td>1</td></tr></table>', 0),
        ("<TABLE style=x><tr><td><table></table></td></tr></TABLE>", 1),
        ("<table></table><p>b</p><table></table>", 2),
        ('<table class=""></table><table class></table><table-x></table-x>', 0),
        ('<script>var s = "<table>";</script><!-- <table> --><pre><table></pre>', 0),
    ],
)
def test_tables_are_put_in_materials_box(html: str, wrapped: int) -> None:
    """Each outermost table without a class, and nothing else, goes into the box."""
    out = hooks.wrap_tables(html)
    assert out.count(hooks.TABLE_BOX) == out.count("</div></div>") == wrapped
    assert out.replace(hooks.TABLE_BOX, "").replace("</div></div>", "") == html
    for close in re.finditer(r"</div></div>", out):  # each box closes after a table
        assert out[: close.start()].lower().endswith("</table>")


def test_unpaired_table_tags_fail_the_build() -> None:
    for html in ("<table><tr></tr>", "</table><table>"):
        with pytest.raises(PluginError, match="do not pair up"):
            hooks.wrap_tables(html)


def test_a_stylesheet_linked_in_the_body_moves_to_the_head() -> None:
    """A notebook page links its shared stylesheet in the body; it ends up after the head's
    last stylesheet, and nothing else moves."""
    head = '<head><link rel="stylesheet" href="a.css"><script>s</script></head>'
    body = '<body><p>x</p>\n<link rel="stylesheet" href="nb.css"><p>y</p></body>'
    out = hooks.stylesheets_in_head(head + body)
    assert out == (
        '<head><link rel="stylesheet" href="a.css"><link rel="stylesheet" href="nb.css">'
        "<script>s</script></head><body><p>x</p><p>y</p></body>"
    )
    assert hooks.stylesheets_in_head(head + "<body></body>") == head + "<body></body>"


def test_materials_script_is_deferred_once_or_the_build_fails() -> None:
    """Material's script tag gets `defer`, and nothing else changes; a page without the
    tag, or with two, fails the build and names the page."""
    tag = '<script src="../assets/javascripts/bundle.0123abcd.min.js">'
    html = f"<p>x</p>{tag}</script><script src=a.js defer></script>"
    out = hooks.deferred_bundle(html, "a.md")
    assert out == html.replace(tag, tag[:-1] + " defer>")
    for broken in ("<p>x</p>", html + tag + "</script>"):
        with pytest.raises(
            PluginError, match=re.escape("a.md: expected Material's script tag once")
        ):
            hooks.deferred_bundle(broken, "a.md")
