"""The activation explorer in the built site, in Chromium: its printed functions against
PyTorch in float64 (the same comparison as tests/activations/test_explorer.py, but on the
script the site serves, in the browser readers use), a keyboard-only walk-through, state in
the URL, instant navigation, loading only where needed, no JavaScript, axe-core, and no
sideways scroll on a phone (in the light palette here; the page check in
test_browser_site.py starts every explorer before its axe-core and overflow checks in the
light palette at 1280 px and in the dark one at 390 px)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from docs_build import api
from docs_build.api import ACTIVATIONS
from sitecheck import pagecheck
from tests.activations import explorer_check as ec

pytestmark = pytest.mark.browser

RELU_PAGE = "activations/relu-family/"
OVERVIEW_PAGE = "activations/explorer/"
ELU = '.dlg-explorer[data-explorer="elu"]'


@pytest.fixture(scope="module")
def base_url(site: Path):
    with pagecheck.serve_site(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright, pagecheck.launch(playwright) as chromium:
        yield chromium


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert not errors, errors


def _open_link(page, url: str) -> None:
    """Open a shared link (``...#explore=...``) as a reader does, in a fresh load. A goto
    from the same page only changes the fragment: the page stays where it was scrolled, and
    Material's section tracking may rewrite the fragment before a reload reads it."""
    page.goto("about:blank")
    page.goto(url)


_open = pagecheck.open_explorer  # scroll to an explorer's figure, wait until it starts


@pytest.mark.claim("explorer-matches-torch")
def test_printed_functions_match_torch_float64_in_chromium(page, base_url) -> None:
    """Every function and derivative, at every slider's ends, >= 1,000 points each, run in
    Chromium from the script the site serves: within 1e-12 relative of torch (float64)."""
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(base_url + OVERVIEW_PAGE)
    _open(page, ".dlg-explorer[data-choose]")
    assert any(u.endswith("assets/js/explorer-functions.js") for u in requested)

    def evaluate(key: str, xs: list[float], params: dict) -> dict:
        args = json.dumps({"key": key, "xs": xs, "params": params})
        return json.loads(page.evaluate(ec.in_json(ec.EVAL_JS), args))

    fewest, bad = ec.check_all(evaluate)
    assert fewest >= 1000
    assert not bad, "\n".join(bad[:20])
    keys = page.evaluate("Object.keys(dlgExplorer.functions)")
    assert keys == [a.key for a in ACTIVATIONS]


@pytest.mark.claim("explorer-softplus-as-torch")
def test_softplus_as_torch_computes_it_in_chromium(page, base_url) -> None:
    """Softplus as F.softplus computes it (x where beta x > threshold), from the script the
    site serves, at every combination of its sliders' ends and both sides of the switch,
    >= 1,000 points: within 1e-12 relative of F.softplus(x, beta, threshold) in float64.
    The reader's view: the box switches the plot to that form, with a threshold slider,
    and the readout shows x itself past the switch."""
    page.goto(base_url + "activations/smooth-modern/")
    sel = '.dlg-explorer[data-explorer="softplus"]'
    _open(page, sel)

    def evaluate(key: str, xs: list[float], params: dict) -> dict:
        args = json.dumps({"key": key, "xs": xs, "params": params})
        return json.loads(page.evaluate(ec.in_json(ec.EVAL_TORCH_JS), args))

    fewest, bad = ec.check_torch_forms(evaluate)
    assert fewest >= 1000
    assert not bad, "\n".join(bad[:20])
    root = page.locator(sel)
    assert root.locator("input[type=range]:visible").count() == 1  # beta only
    root.get_by_role("checkbox", name="As F.softplus computes it").check()
    threshold = root.get_by_role("slider", name="threshold", exact=True)
    assert threshold.is_visible() and threshold.input_value() == "20"
    threshold.focus()
    page.keyboard.press("Home")  # threshold 0.5: with beta = 1 the switch is at x = 0.5
    # (the link, not the address bar, which Material's section tracking rewrites)
    link = root.locator("a.dlg-explorer__link")
    assert "torch=1&beta=1&threshold=0.5" in link.get_attribute("href")
    violations = pagecheck.run_axe(page, pagecheck.AXE_ALL)
    assert not violations, json.dumps(violations, indent=1)
    assert (
        "as F.softplus computes it"
        in root.locator(".dlg-explorer__title").text_content()
    )
    plot = root.locator("canvas")
    plot.focus()
    for _ in range(5):  # x = 0.5 on the default range [-5, 5]: the switch itself
        page.keyboard.press("ArrowRight")
    readout = root.locator(".dlg-explorer__readout").text_content()
    name = "Softplus (as F.softplus): "
    assert readout.startswith("x = 0.5, " + name + "f(x) = 0.974077"), readout
    page.keyboard.press("ArrowRight")
    readout = root.locator(".dlg-explorer__readout").text_content()
    assert readout.startswith("x = 0.6, " + name + "f(x) = 0.6, f′(x) = 1"), readout
    # the legend names the form shown, and the note describes it, not the formula
    legend = root.locator(".dlg-explorer__legend").text_content()
    assert legend.startswith("Softplus (as F.softplus): f solid"), legend
    notes = " ".join(root.locator(".dlg-explorer__note").all_text_contents())
    assert "This is what F.softplus computes" in notes
    assert "x = threshold/β" in notes and "This is the formula" not in notes
    # the note gives the switch for the settings shown, not only the defaults' 20
    assert "For the settings shown, the switch is at x = 0.5." in notes
    # the formula itself there, with the box cleared
    root.get_by_role("checkbox", name="As F.softplus computes it").uncheck()
    assert not threshold.is_visible()
    notes = " ".join(root.locator(".dlg-explorer__note").all_text_contents())
    assert "This is the formula" in notes and "F.softplus computes:" not in notes
    legend = root.locator(".dlg-explorer__legend").text_content()
    assert legend.startswith("Softplus: f solid"), legend
    readout = root.locator(".dlg-explorer__readout").text_content()
    assert readout.startswith("x = 0.6, Softplus: f(x) = 1.03749"), readout
    assert "torch=1" not in link.get_attribute("href")


def test_printed_softmax_matches_torch_float64_in_chromium(page, base_url) -> None:
    page.goto(base_url + "activations/softmax/")
    _open(page, '.dlg-explorer[data-explorer="softmax"]')

    def evaluate(z: list[float], t: float) -> list:
        args = json.dumps({"z": z, "T": t})
        return json.loads(page.evaluate(ec.in_json(ec.SOFTMAX_JS), args))

    n, bad = ec.check_softmax(evaluate)
    assert n >= 1000
    assert not bad, "\n".join(bad[:20])
    # the reader's view: edit the logits, move T, the readout follows
    root = page.locator('.dlg-explorer[data-explorer="softmax"]')
    root.locator("input[type=text]").fill("3, 0")
    root.locator("input[type=text]").press("Enter")
    root.locator("input[type=range]").focus()
    page.keyboard.press("End")
    readout = root.locator(".dlg-explorer__readout").text_content()
    assert readout.startswith("T = 5: logit 3 → 0.645656"), readout


def test_every_function_has_an_explorer_after_its_figure(site: Path) -> None:
    """Each registry entry's figure is followed by its explorer, wherever the page puts it."""
    html = "".join(
        (site / "activations" / page / "index.html").read_text(encoding="utf-8")
        for page in api.PAGES
    )
    for act in ACTIVATIONS:
        assert html.count(f'data-explorer="{act.key}" hidden') == 1, act.key


def test_every_explorer_starts_and_reads_out(page, base_url) -> None:
    """On every family page, each registry function's explorer starts when scrolled to,
    titles its function, and reads x, f(x) and f'(x) at the keyboard cursor."""
    started = []
    for family in api.PAGES:
        page.goto(base_url + f"activations/{family}/")
        for act in (a for a in ACTIVATIONS if a.page == family):
            sel = f'.dlg-explorer[data-explorer="{act.key}"]'
            _open(page, sel)
            title = page.locator(sel + " .dlg-explorer__title").text_content()
            assert title.startswith(f"Explore {act.title}"), title
            page.locator(sel + " canvas").focus()
            page.keyboard.press("End")
            readout = page.locator(sel + " .dlg-explorer__readout").text_content()
            assert readout.startswith(f"x = 5, {act.title}: f(x) = "), readout
            started.append(act.key)
    assert sorted(started) == sorted(a.key for a in ACTIVATIONS)


def test_keyboard_walk_through(page, base_url) -> None:
    """Tab to ELU's slider, move it with the arrow keys, Tab on to the plot, move the cursor
    with the arrow keys: the readout (aria-live) and the URL follow."""
    page.goto(base_url + RELU_PAGE)
    _open(page, ELU)
    page.locator(ELU).evaluate(
        "e => { const b = document.createElement('button'); b.textContent = 'start';"
        " e.before(b); b.focus(); }"
    )
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "[document.activeElement.type, document.activeElement.closest('.dlg-explorer')"
        "?.dataset.explorer, document.activeElement.labels[0]?.textContent]"
    )
    assert focused[:2] == ["range", "elu"], focused
    assert "α" in focused[2]
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("document.activeElement.value") == "0.98"
    link = page.locator(ELU + " a.dlg-explorer__link").get_attribute("href")
    assert link == "#explore=elu&alpha=0.98&range=-5,5", link
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "CANVAS":
            break
    assert page.evaluate("document.activeElement.tagName") == "CANVAS"
    readout = page.locator(ELU + " .dlg-explorer__readout")
    plot = page.locator(ELU + " canvas")
    assert plot.get_attribute("role") == "slider"
    before = readout.text_content()
    page.keyboard.press("ArrowLeft")
    after = readout.text_content()
    assert after != before
    assert plot.get_attribute("aria-valuetext") == after  # what a screen reader reads
    # x = -0.1 on the default range [-5, 5]: ELU with alpha = 0.98
    assert after.startswith("x = −0.1, ELU: f(x) = −0.0932"), after
    page.keyboard.press("Home")
    assert readout.text_content().startswith("x = −5,")


def test_state_in_the_url_is_restored(page, base_url) -> None:
    page.goto(base_url + RELU_PAGE + "#explore=elu&alpha=0.5&range=-4,4")
    page.wait_for_selector(ELU + " canvas", timeout=15_000)
    root = page.locator(ELU)
    assert root.locator("input[type=range]").input_value() == "0.5"
    numbers = root.locator("input[type=number]")
    assert [numbers.nth(0).input_value(), numbers.nth(1).input_value()] == ["-4", "4"]
    assert "x from −4 to 4, with alpha = 0.5" in root.locator("canvas").get_attribute(
        "aria-label"
    )
    # the kink's convention is stated for the defaults, and said not to be for alpha 0.5
    notes = " ".join(root.locator(".dlg-explorer__note").all_text_contents())
    assert "With the parameters the page checks, not the ones shown: " in notes, notes
    # the overview page takes any function, and what to compare it with
    page.goto(base_url + OVERVIEW_PAGE + "#explore=celu&alpha=2&compare=elu,gelu")
    page.wait_for_selector(".dlg-explorer[data-choose] canvas", timeout=15_000)
    label = page.locator(".dlg-explorer[data-choose] canvas").get_attribute(
        "aria-label"
    )
    assert label.startswith(
        "Interactive plot of CELU (f solid, f′ dashed), ELU (f dash-dot, f′ dotted), "
        "GELU (exact) ("
    ), label


def test_overlay_of_three_functions(page, base_url) -> None:
    page.goto(base_url + OVERVIEW_PAGE)
    root = ".dlg-explorer[data-choose]"
    _open(page, root)
    items = page.locator(root + " .dlg-explorer__legend li").all_text_contents()
    assert len(items) == 3 and items[0].startswith("ReLU: f solid, f′ dashed"), items
    # the text alternative names each function's own line styles, as the legend does
    label = page.locator(root + " canvas").get_attribute("aria-label")
    for item in items:
        title, styles = item.split(": ", 1)
        assert f"{title} ({styles})" in label, (item, label)
    page.locator(root + " select").nth(0).select_option("swish_beta")
    assert page.locator(root + " input[type=range]").count() == 1  # beta's slider
    assert "explore=swish_beta" in page.evaluate("location.hash")
    # softplus shown as F.softplus computes it, then another function: its formula
    page.locator(root + " select").nth(0).select_option("softplus")
    box = page.locator(root).get_by_role("checkbox", name="As F.softplus computes it")
    box.check()
    link = page.locator(root + " a.dlg-explorer__link")
    assert "explore=softplus&torch=1" in link.get_attribute("href")
    page.locator(root + " select").nth(0).select_option("elu")
    assert "torch=1" not in link.get_attribute("href")
    assert (
        page.locator(root + " canvas")
        .get_attribute("aria-label")
        .startswith("Interactive plot of ELU (")
    )


def test_instant_navigation_starts_and_stops_explorers(page, base_url) -> None:
    """Reached by Material's instant navigation (no page load), a page's explorers start;
    leaving it stops them."""
    page.goto(base_url + "activations/")
    page.evaluate("window.__sameDocument = true")
    page.locator('article a[href$="/activations/relu-family/"]').first.click()
    page.wait_for_function("location.pathname.endsWith('/relu-family/')")
    _open(page, ELU)
    assert page.evaluate("window.__sameDocument") is True  # no full load happened
    assert page.evaluate("dlgExplorer.live().length") >= 1
    page.evaluate("window.__old = dlgExplorer.live()")
    page.locator("a.md-footer__link--next").click()
    page.wait_for_function("location.pathname.endsWith('/smooth-modern/')")
    assert page.evaluate("window.__sameDocument") is True
    _open(page, '.dlg-explorer[data-explorer="gelu"]')
    # the new page's explorers are live, and only they; the old ones were stopped
    keys = page.evaluate(
        "dlgExplorer.live().map(x => x.root.isConnected && x.root.dataset.explorer)"
    )
    assert "gelu" in keys and all(keys), keys
    old = page.evaluate(
        "window.__old.map(x => [x.root.dataset.explorer, !!x.stopped,"
        " x.root.isConnected])"
    )
    assert old and all(stopped and not connected for _, stopped, connected in old), old
    # softplus's note says its reference is the formula, not F.softplus above 20
    _open(page, '.dlg-explorer[data-explorer="softplus"]')
    note = page.locator('.dlg-explorer[data-explorer="softplus"] .dlg-explorer__note')
    assert "threshold" in note.first.text_content()


def test_explorer_code_loads_only_where_there_is_one(page, base_url) -> None:
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(base_url)
    page.wait_for_timeout(500)
    assert not [u for u in requested if "explorer.js" in u or "explorer-functions" in u]
    page.goto(base_url + RELU_PAGE)
    page.wait_for_timeout(500)  # the first explorer is below the fold: nothing yet
    assert not [u for u in requested if u.endswith("/explorer.js")]


def test_without_javascript_the_static_figure_stays(browser, base_url) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + RELU_PAGE)
    assert page.locator(ELU).is_hidden()
    figure = page.locator('img[src*="figures/activations/elu.svg#only-light"]')
    assert figure.count() == 1 and figure.is_visible()
    context.close()


def test_axe_and_phone_width(browser, base_url) -> None:
    """With every explorer on the page started, in the light palette at 390 px: axe-core
    finds nothing, and nothing scrolls sideways. The page check
    (test_browser_site.py) starts every explorer of every page before the same checks in
    the light palette at 1280 px and in the dark one at 390 px."""
    width = 390
    context = browser.new_context(
        color_scheme="light", viewport={"width": width, "height": 844}
    )
    page = context.new_page()
    for path in (RELU_PAGE, OVERVIEW_PAGE, "activations/softmax/"):
        page.goto(base_url + path)
        started, unstarted = pagecheck.start_explorers(page)
        assert started >= 1 and not unstarted, (path, started, unstarted)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        violations = pagecheck.run_axe(page, pagecheck.AXE_ALL)
        assert not violations, json.dumps(violations, indent=1)
    context.close()


def test_pointer_moves_do_not_flood_live_regions(page, base_url) -> None:
    """100 pointer moves over the plot change no live region (the readout is not one,
    slider outputs are aria-live=off); the plot's aria-valuetext follows the pointer; a
    narrower range pulls the cursor inside it."""
    page.goto(base_url + RELU_PAGE)
    _open(page, ELU)
    page.evaluate(
        """() => { window.__changes = 0;
        const root = document.querySelector('.dlg-explorer[data-explorer="elu"]');
        const live = [...root.querySelectorAll('[aria-live], [role=status], output')]
          .filter(e => e.getAttribute('aria-live') !== 'off');
        const o = new MutationObserver(m => { window.__changes += m.length; });
        live.forEach(e => o.observe(e, {childList: true, characterData: true,
          subtree: true})); }"""
    )
    assert page.locator(ELU + " output").first.get_attribute("aria-live") == "off"
    page.locator(ELU + " canvas").scroll_into_view_if_needed()
    box = page.locator(ELU + " canvas").bounding_box()
    for k in range(100):
        page.mouse.move(
            box["x"] + 20 + k * (box["width"] - 40) / 100, box["y"] + box["height"] / 2
        )
    assert page.evaluate("window.__changes") == 0
    text = page.locator(ELU + " canvas").get_attribute("aria-valuetext")
    assert text.startswith("x = "), text
    page.locator(ELU + " canvas").focus()
    page.keyboard.press("End")
    numbers = page.locator(ELU + " input[type=number]")
    numbers.nth(0).fill("-1")
    numbers.nth(0).press("Enter")
    numbers.nth(1).fill("1")
    numbers.nth(1).press("Enter")
    readout = page.locator(ELU + " .dlg-explorer__readout").text_content()
    assert readout.startswith("x = 1, "), readout


def _told(field) -> str:
    """The message a field points at (aria-describedby), after checking that the field
    is marked invalid and the message is shown, in a polite live region (role=status)
    that a screen reader announces when it appears."""
    assert field.get_attribute("aria-invalid") == "true"
    message = field.page.locator("#" + field.get_attribute("aria-describedby"))
    assert message.is_visible()
    assert message.get_attribute("role") == "status"
    return message.text_content()


def _not_told(field) -> None:
    assert field.get_attribute("aria-invalid") is None
    assert field.get_attribute("aria-describedby") is None


def test_blank_range_and_malformed_link_are_rejected(page, base_url) -> None:
    """Invalid input is told next to its field, not silently reverted: a link's
    malformed escape (alpha keeps its default) and value outside the slider, a
    reversed or emptied range box (the plot keeps its range, Number("") would be 0);
    each field is aria-invalid and described by the message until it is valid again."""
    page.goto(base_url + RELU_PAGE + "#explore=elu&alpha=%E0%A4%A&range=-1,1")
    page.wait_for_selector(ELU + " canvas", timeout=15_000)
    root = page.locator(ELU)
    alpha = root.locator("input[type=range]")
    assert alpha.input_value() == "1"
    assert "%E0%A4%A" in _told(alpha)
    alpha.focus()
    page.keyboard.press("ArrowRight")
    _not_told(alpha)
    assert not root.locator(".dlg-explorer__error:visible").count()
    lo = root.locator("input[type=number]").nth(0)
    hi = root.locator("input[type=number]").nth(1)
    assert lo.input_value() == "-1"
    lo.fill("")
    lo.press("Enter")
    assert lo.input_value() == ""  # what the reader typed stays, and is told
    assert "both ends" in _told(lo) and "still shows −1 to 1" in _told(hi)
    assert "range=-1,1" in root.locator("a.dlg-explorer__link").get_attribute("href")
    lo.fill("3")
    lo.press("Enter")
    assert "less than" in _told(lo)  # reversed: 3 to 1
    lo.fill("-2")
    lo.press("Enter")
    _not_told(lo)
    _not_told(hi)
    assert "range=-2,1" in root.locator("a.dlg-explorer__link").get_attribute("href")
    # a slider step rewrites the boxes to the range shown: the message about the
    # emptied box goes with it
    lo.fill("")
    lo.press("Enter")
    assert "both ends" in _told(lo)
    alpha.focus()
    page.keyboard.press("ArrowRight")
    assert [lo.input_value(), hi.input_value()] == ["-2", "1"]
    _not_told(lo)
    _not_told(hi)
    assert not root.locator(".dlg-explorer__error:visible").count()
    # a value outside its slider, and a reversed range, from a link
    _open_link(page, base_url + RELU_PAGE + "#explore=elu&alpha=9&range=4,-4")
    page.wait_for_selector(ELU + " canvas", timeout=15_000)
    alpha = root.locator("input[type=range]")
    assert alpha.input_value() == "1"
    assert "9 is not between 0.01 and 3" in _told(alpha)
    assert "4,-4" in _told(root.locator("input[type=number]").nth(0))
    violations = pagecheck.run_axe(page, pagecheck.AXE_ALL)
    assert not violations, json.dumps(violations, indent=1)


def test_slider_drag_writes_the_address_once_and_touch_reads(browser, base_url) -> None:
    """Dragging a slider redraws at every step but writes the address at the end only;
    on a touch screen a tap on the plot sets the readout."""
    context = browser.new_context(
        viewport={"width": 390, "height": 800}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    try:
        page.goto(base_url + RELU_PAGE)
        _open(page, ELU)
        page.evaluate(
            "() => { window.__writes = 0; const r = history.replaceState.bind(history);"
            " history.replaceState = (...a) => {"
            " if (String(a[2]).includes('explore=')) window.__writes++;"
            " return r(...a); }; }"
        )
        slider = page.locator(ELU + " input[type=range]")
        slider.scroll_into_view_if_needed()
        box = slider.bounding_box()
        y = box["y"] + box["height"] / 2
        page.mouse.move(box["x"] + 2, y)
        page.mouse.down()
        for k in range(50):
            page.mouse.move(box["x"] + 2 + k * (box["width"] - 4) / 50, y)
        page.mouse.up()
        assert page.evaluate("window.__writes") <= 2
        value = slider.input_value()
        assert value != "1"
        assert f"alpha={value}" in page.evaluate("location.hash")
        canvas = page.locator(ELU + " canvas")
        canvas.scroll_into_view_if_needed()
        assert canvas.evaluate("c => getComputedStyle(c).touchAction") == "pan-y"
        canvas.tap()
        readout = page.locator(ELU + " .dlg-explorer__readout").text_content()
        assert readout.startswith("x = "), readout
    finally:
        context.close()


def test_softmax_labels_fit_and_empty_logits_are_rejected(browser, base_url) -> None:
    """On a phone, with 8 logits, every bar label drawn fits its slot; "1,,2" is not read
    as [1, 0, 2]."""
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    try:
        page.goto(base_url + "activations/softmax/")
        sel = '.dlg-explorer[data-explorer="softmax"]'
        _open(page, sel)
        box = page.locator(sel + " input[type=text]")
        box.fill("-3, 5, 1e-7, -1e-7, 2.5, 2.5, 0, 8")
        box.press("Enter")
        drawn = page.locator(sel).evaluate("e => e.dlgExplorer.drawnLabels")
        assert drawn and all(d["width"] <= d["slot"] for d in drawn), drawn
        box.fill("1,,2")
        box.press("Enter")
        assert box.input_value() == "1,,2"  # kept, and told
        assert "2 to 8 numbers" in _told(box)
        readout = page.locator(sel + " .dlg-explorer__readout").text_content()
        assert "logit 8 →" in readout  # the bars keep the last valid logits
        box.fill("1, 2")
        box.press("Enter")
        _not_told(box)
        # from a link: malformed logits and a temperature outside the slider
        _open_link(
            page, base_url + "activations/softmax/#explore=softmax&T=99&logits=1,x"
        )
        _open(page, sel)
        assert "1,x" in _told(box)
        slider = page.locator(sel + " input[type=range]")
        assert "99 is not between" in _told(slider)
        slider.focus()
        page.keyboard.press("ArrowLeft")
        _not_told(slider)
        violations = pagecheck.run_axe(page, pagecheck.AXE_ALL)
        assert not violations, json.dumps(violations, indent=1)
    finally:
        context.close()


def test_link_values_snap_to_the_slider_grid(page, base_url) -> None:
    """alpha=0.123 in a link is 0.12 on the slider, its output and the plot's text."""
    page.goto(base_url + RELU_PAGE + "#explore=elu&alpha=0.123")
    page.wait_for_selector(ELU + " canvas", timeout=15_000)
    root = page.locator(ELU)
    assert root.locator("input[type=range]").input_value() == "0.12"
    assert root.locator("output").first.text_content() == "0.12"
    assert "alpha = 0.12." in root.locator("canvas").get_attribute("aria-label")


def _link_note(root) -> str:
    """The explorer's one message about its link: shown, and a polite live region."""
    note = root.locator(".dlg-explorer__controls > p[role=status]")
    assert note.count() == 1 and note.is_visible()
    return note.text_content()


def test_link_values_changed_or_ignored_are_told(page, base_url) -> None:
    """A link's value put on the slider's step, an unknown function, torch=1 where
    there is no torch form, an unknown comparison and a bad value for a hidden slider
    are each told, in one message per explorer, which goes once the reader changes
    the view."""
    page.goto(
        base_url + RELU_PAGE + "#explore=elu&alpha=0.123&torch=1&compare=relu,nosuch"
    )
    page.wait_for_selector(ELU + " canvas", timeout=15_000)
    root = page.locator(ELU)
    note = _link_note(root)
    assert note.startswith(
        "From the link: alpha 0.123 shown as 0.12 (the slider's step)"
    )
    assert "torch=1 ignored: ELU has no separate PyTorch form" in note
    assert "“nosuch” is not a function to compare with" in note
    assert "ReLU (f dash-dot" in root.locator("canvas").get_attribute("aria-label")
    root.locator("input[type=range]").focus()
    page.keyboard.press("ArrowRight")
    assert not root.locator(".dlg-explorer__controls > p[role=status]").is_visible()
    # the overview page: an unknown function is told, and the default one shown
    _open_link(page, base_url + OVERVIEW_PAGE + "#explore=nosuch")
    page.wait_for_selector(".dlg-explorer[data-choose] canvas", timeout=15_000)
    overview = page.locator(".dlg-explorer[data-choose]")
    assert "“nosuch” is not a function here" in _link_note(overview)
    # a value for the torch form's slider while that form is not shown: told in the
    # visible message, not inside the hidden box
    sel = '.dlg-explorer[data-explorer="softplus"]'
    _open_link(
        page,
        base_url + "activations/smooth-modern/#explore=softplus&beta=0.37&threshold=99",
    )
    page.wait_for_selector(sel + " canvas", timeout=15_000)
    soft = page.locator(sel)
    note = _link_note(soft)
    assert "beta 0.37 shown as 0.4 (the slider's step)" in note
    assert "threshold 99 is not between 0.5 and 30: showing 20" in note
    threshold = soft.get_by_role(
        "slider", name="threshold", exact=True, include_hidden=True
    )
    assert not threshold.is_visible()
    assert threshold.get_attribute("aria-invalid") is None
    violations = pagecheck.run_axe(page, pagecheck.AXE_ALL)
    assert not violations, json.dumps(violations, indent=1)


def test_softmax_link_temperature_snap_is_told(page, base_url) -> None:
    """T=1.23 in a link is 1.25 on the slider (step 0.05), and the explorer says so in
    the same one-line message as the element-wise explorer, until the view changes."""
    sel = '.dlg-explorer[data-explorer="softmax"]'
    page.goto(base_url + "activations/softmax/#explore=softmax&T=1.23")
    page.wait_for_selector(sel + " canvas", timeout=15_000)
    root = page.locator(sel)
    slider = root.locator("input[type=range]")
    assert slider.input_value() == "1.25"
    note = root.locator(".dlg-explorer__controls > p[role=status]:visible")
    assert note.count() == 1
    assert note.text_content() == (
        "From the link: T 1.23 shown as 1.25 (the slider's step)."
    )
    slider.focus()
    page.keyboard.press("ArrowRight")
    assert not root.locator(".dlg-explorer__controls > p[role=status]:visible").count()


@pytest.mark.parametrize(
    "path,fragment",
    [
        (RELU_PAGE, "#explore=elu&alpha=" + "9" * 70 + "&range=" + "1" * 70),
        (OVERVIEW_PAGE, "#explore=" + "x" * 70 + "&compare=" + "y" * 70),
        (
            "activations/softmax/",
            "#explore=softmax&T=" + "7" * 70 + "&logits=" + "z" * 70,
        ),
    ],
)
def test_long_link_values_do_not_widen_a_phone_page(browser, base_url, path, fragment):
    """A message that repeats a link's 70-character value wraps at 390 px: nothing
    scrolls sideways."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(base_url + path + fragment)
        page.wait_for_selector(".dlg-explorer canvas", timeout=15_000)
        told = page.locator(".dlg-explorer__error:visible")
        assert told.count() >= 1
        assert any(len(t) > 70 for t in told.all_text_contents())
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def test_dropped_and_unknown_link_settings_are_told(page, base_url) -> None:
    """An unknown function's comparison and range are named as not used; an unknown
    key is named; a value for the hidden torch form's slider is "kept as", not "shown
    as", since it is not shown."""
    page.goto(base_url + OVERVIEW_PAGE + "#explore=nosuch&compare=elu&range=-2,2")
    page.wait_for_selector(".dlg-explorer[data-choose] canvas", timeout=15_000)
    note = _link_note(page.locator(".dlg-explorer[data-choose]"))
    assert "“nosuch” is not a function here, so compare, range not used" in note
    sel = '.dlg-explorer[data-explorer="softplus"]'
    _open_link(
        page,
        base_url + "activations/smooth-modern/#explore=softplus&zoom=2&threshold=21.7",
    )
    page.wait_for_selector(sel + " canvas", timeout=15_000)
    note = _link_note(page.locator(sel))
    assert "“zoom” is not a setting of Softplus, ignored" in note
    assert "threshold 21.7 kept as 21.5 (the slider's step)" in note
    assert "shown as" not in note
