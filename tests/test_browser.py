"""Headless Chromium over the built site, served as GitHub Pages serves it.

Every page is loaded from a local server, both at ``/`` and under ``site_url``'s sub-path
(``/calcml/``), and checked for console errors, failed requests, requests to any other host,
images that did not load, figures without alt text and TeX that MathJax left untypeset. The light
and dark palettes are audited with axe-core (no serious or critical violation), every page is
walked with Tab from its skip link to its end, instant navigation is followed through the
sidebar, and the 404 page is requested at a URL that does not exist.

Chromium is Debian's (``CALCML_CHROMIUM``, default ``/usr/bin/chromium``): Playwright cannot
download its own browser here. Without one the tests skip, except on CI (``CI=true``).
"""

from __future__ import annotations

import contextlib
import http.server
import os
import re
import shutil
import socketserver
import sys
import threading
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import build_docs  # scripts/, put on sys.path by conftest.py
import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CALCML_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
LOOPBACK = {"127.0.0.1", "localhost"}
# Wide enough for Material to show the navigation sidebar (76.25em) and the table of contents.
VIEWPORT = {"width": 1400, "height": 900}
SITE_URL = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(), re.M).group(1)
SUBPATH = urlsplit(SITE_URL).path  # "/calcml/": where GitHub Pages serves the site
TYPESET = "document.documentElement.dataset.mathTypeset === 'done'"  # set by site.js
TIMEOUT_MS = 20_000
# TeX that MathJax should have replaced: \( \) and \[ \] (arithmatex), $$ and $...$ (notebooks).
RAW_TEX = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$\$|\$[^$]+\$")
PROSE_SKIP = {"code", "pre", "script", "style", "textarea", "kbd", "samp"}


# --- The site's pages and their maths, from the built HTML ---------------------------------------


class _ArticleProse(HTMLParser):
    """The text of a page's <article> outside code, as MathJax sees it before typesetting."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.article = 0
        self.skip = 0
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.article += tag == "article"
        self.skip += tag in PROSE_SKIP

    def handle_endtag(self, tag):
        self.article -= tag == "article" and self.article > 0
        self.skip -= tag in PROSE_SKIP and self.skip > 0

    def handle_data(self, data):
        if self.article and not self.skip:
            self.text.append(data)


def has_maths(html_file: Path) -> bool:
    """Whether the built page has TeX in its prose, so MathJax must typeset it."""
    parser = _ArticleProse()
    parser.feed(html_file.read_text(encoding="utf-8"))
    return bool(RAW_TEX.search("".join(parser.text)))


@dataclass(frozen=True)
class Page:
    path: str  # relative to the site's root: "", "lessons/", "404.html"
    maths: bool


def site_pages(site: Path, with_404: bool = True) -> list[Page]:
    """Every page of a built site: the folder of each index.html, then 404.html."""
    paths = sorted(
        "" if p.parent == site else p.parent.relative_to(site).as_posix() + "/"
        for p in site.rglob("index.html")
    )
    pages = [Page(path, has_maths(site / path / "index.html")) for path in paths]
    if with_404:
        pages.append(Page("404.html", has_maths(site / "404.html")))
    return pages


# --- A static server like GitHub Pages -----------------------------------------------------------


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Files of ``server.site`` under ``server.prefix``; 404.html, status 404, for anything else."""

    def __init__(self, request, client_address, server):
        super().__init__(request, client_address, server, directory=str(server.site))

    def send_head(self):
        path = urlsplit(self.path).path
        if path == self.server.prefix.rstrip("/") and path:  # /calcml -> /calcml/
            self.send_response(301)
            self.send_header("Location", self.server.prefix)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if not path.startswith(self.server.prefix):
            self.send_error(404)
            return None
        return super().send_head()

    def translate_path(self, path):
        return super().translate_path("/" + path[len(self.server.prefix) :])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    site: Path
    prefix: str

    def server_bind(self):
        # HTTPServer.server_bind looks up the host's FQDN, which can stall without DNS.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def handle_error(self, request, client_address):
        # Chromium drops connections it no longer needs, e.g. a fetch that instant navigation
        # cancels; anything else is reported as usual.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@dataclass(frozen=True)
class Served:
    base: str  # URL of the site's root, ending in "/"
    site: Path  # the folder served there
    pages: list[Page]


@contextlib.contextmanager
def serving(server: _Server, site: Path, prefix: str, with_404: bool = True):
    server.site, server.prefix = site, prefix
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    netloc = host if port == 80 else f"{host}:{port}"
    try:
        yield Served(f"http://{netloc}{prefix}", site, site_pages(site, with_404))
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def build_with_site_url(site_url: str, site: Path) -> Path:
    """Build the site again with another ``site_url``, through a config that inherits mkdocs.yml.

    The config must sit beside mkdocs.yml, whose relative paths (hooks, custom_dir, docs) MkDocs
    resolves against the directory of the config it was given; it is removed right after.
    """
    config = ROOT / f".mkdocs-browser-test-{uuid.uuid4().hex[:12]}.yml"
    config.write_text(f"INHERIT: mkdocs.yml\nsite_url: {site_url}\n")
    try:
        build_docs.render(build_docs.Project.at(ROOT, site_dir=site), config)
    finally:
        config.unlink()
    return site


@pytest.fixture(scope="session")
def root_site(site_dir):
    """The site at ``/``. Its 404.html links to ``/calcml/...`` (it is served at any depth, so
    its links are absolute to site_url's path) and cannot work here: it is checked under the
    sub-path only. Material's sitemap lists ``/calcml/`` URLs, so instant navigation never
    engages here and every page is a full load."""
    server = _Server(("127.0.0.1", 0), _Handler)
    with serving(server, site_dir, "/", with_404=False) as served:
        yield served


@pytest.fixture(scope="session")
def subpath_site(site_dir, tmp_path_factory):
    """The site under site_url's sub-path, where instant navigation must engage.

    Material intercepts a click only if the link's URL is in sitemap.xml once the sitemap's URLs
    are given the page's scheme and host, but not its port. So either the server listens on
    port 80 (root only; this serves the very site `make docs` builds), or, on a runner that is
    not root or where port 80 is taken, the site is built again with the server's address and
    port in site_url (a few seconds more, but it works anywhere). CALCML_TEST_PORT_80=0 forces
    the second way.
    """
    server = None
    if os.geteuid() == 0 and os.environ.get("CALCML_TEST_PORT_80", "1") != "0":
        with contextlib.suppress(OSError):
            server = _Server(("127.0.0.1", 80), _Handler)
    site = site_dir
    if server is None:
        server = _Server(("127.0.0.1", 0), _Handler)
        try:
            site_url = f"http://127.0.0.1:{server.server_address[1]}{SUBPATH}"
            site = build_with_site_url(site_url, tmp_path_factory.mktemp("subpath") / "site")
        except BaseException:
            server.server_close()
            raise
    with serving(server, site, SUBPATH) as served:
        yield served


@pytest.fixture(params=["root", "subpath"])
def served(request) -> Served:
    return request.getfixturevalue(f"{request.param}_site")


# --- The browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if shutil.which(CHROMIUM) is None:
        message = f"no Chromium at {CHROMIUM} (set CALCML_CHROMIUM to its path)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Recorder:
    """What went wrong in a tab: console errors, uncaught exceptions, failed requests, and every
    request to a host other than this machine, which is aborted."""

    problems: list[str] = field(default_factory=list)
    allowed_404: set[str] = field(default_factory=set)

    def attach(self, context):
        context.route(lambda url: urlsplit(url).hostname not in LOOPBACK, self._abort)
        context.on("console", self._console)
        context.on("weberror", lambda error: self.problems.append(f"exception: {error.error}"))
        context.on("requestfailed", self._failed)
        context.on("response", self._response)

    def _abort(self, route):
        self.problems.append(f"request to another host: {route.request.url}")
        route.abort()

    def _console(self, message):
        if message.type == "error":
            url = message.location.get("url", "")
            if url in self.allowed_404 and "404" in message.text:
                return
            self.problems.append(f"console error: {message.text} ({url})")

    def _failed(self, request):
        if urlsplit(request.url).hostname in LOOPBACK:  # other hosts are reported by _abort
            self.problems.append(f"request failed: {request.url}: {request.failure}")

    def _response(self, response):
        if response.status >= 400 and response.url not in self.allowed_404:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def take(self) -> list[str]:
        problems, self.problems = self.problems, []
        return problems


@pytest.fixture
def tab(browser):
    """A fresh context (light colour scheme, wide viewport) and page, with a Recorder."""
    context = browser.new_context(viewport=VIEWPORT, color_scheme="light")
    context.set_default_timeout(TIMEOUT_MS)
    recorder = Recorder()
    recorder.attach(context)
    page = context.new_page()
    page.recorder = recorder
    yield page
    context.close()


def load(page, url: str):
    response = page.goto(url)
    page.wait_for_function(TYPESET)
    return response


# --- Checks run in the page ----------------------------------------------------------------------

# CSS transitions (the skip link slides in, the search results fade out) are jumped to their end
# before anything is measured, so what is measured is where the page settles.
SETTLE = """for (const animation of document.getAnimations()) {
    try { animation.finish(); } catch { /* an infinite animation has no end */ }
  }"""


ARTICLE_STATE = """async () => {
  const article = document.querySelector("article");
  await Promise.all([...document.images].map((img) => img.decode().catch(() => null)));
  const skip = new Set(["CODE", "PRE", "SCRIPT", "STYLE", "TEXTAREA", "KBD", "SAMP",
                        "MJX-CONTAINER"]);
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      for (let el = node.parentElement; el && el !== article; el = el.parentElement) {
        if (skip.has(el.tagName)) return NodeFilter.FILTER_REJECT;
      }
      return NodeFilter.FILTER_ACCEPT;
    },
  });
  let prose = "";
  while (walker.nextNode()) prose += walker.currentNode.nodeValue;
  return {
    prose,
    maths: article.querySelectorAll("mjx-container").length,
    mathErrors: [...article.querySelectorAll("mjx-merror")].map((e) => e.textContent),
    brokenImages: [...document.images]
      .filter((img) => !img.complete || img.naturalWidth === 0)
      .map((img) => img.src.slice(0, 100)),
    imagesWithoutAlt: [...article.querySelectorAll("img")]
      .filter((img) => !(img.getAttribute("alt") || "").trim())
      .map((img) => img.src.slice(0, 100)),
  };
}"""


def article_problems(page, expect_maths: bool) -> list[str]:
    state = page.evaluate(ARTICLE_STATE)
    problems = [f"image did not load: {src}" for src in state["brokenImages"]]
    problems += [f"image without alt text: {src}" for src in state["imagesWithoutAlt"]]
    problems += [f"MathJax error: {error}" for error in state["mathErrors"]]
    raw = sorted({match.group(0)[:60] for match in RAW_TEX.finditer(state["prose"])})
    if raw:
        problems.append(f"raw TeX left in the text: {raw}")
    if expect_maths and not state["maths"]:
        problems.append("the page has maths but no mjx-container")
    return problems


def switch_palette(page, scheme: str) -> None:
    """Click Material's palette toggle until <body> has the scheme ("default" or "slate")."""
    for _ in range(2):
        if page.evaluate("document.body.dataset.mdColorScheme") == scheme:
            return
        page.locator("label.md-header__button[for^='__palette_']:visible").click()
    page.wait_for_function(f"document.body.dataset.mdColorScheme === '{scheme}'")


def palette_problems(page) -> list[str]:
    problems = []
    for scheme, toggle in [("slate", "__palette_1"), ("default", "__palette_0")]:
        page.locator(f"label[for='{toggle}']").click()
        try:
            page.wait_for_function(
                f"document.body.dataset.mdColorScheme === '{scheme}'", timeout=5000
            )
        except PlaywrightTimeout:
            found = page.evaluate("document.body.dataset.mdColorScheme")
            problems.append(f"palette toggle {toggle}: scheme {found!r}, expected {scheme!r}")
            break
    return problems


def axe_problems(page) -> list[str]:
    page.evaluate("() => {" + SETTLE + "}")  # no colour caught halfway through a transition
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
          .filter((v) => v.impact === "serious" || v.impact === "critical")
          .map((v) => ({
            id: v.id,
            impact: v.impact,
            nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary}`),
          }))"""
    )
    return [
        f"axe {v['id']} ({v['impact']}), {len(v['nodes'])} nodes:\n      "
        + "\n      ".join(node.replace("\n", " ") for node in v["nodes"][:5])
        for v in violations
    ]


def report(problems: dict[str, list[str]]) -> str:
    return "\n".join(
        f"{where}:\n  " + "\n  ".join(found) for where, found in problems.items() if found
    )


# --- Tests ---------------------------------------------------------------------------------------


def test_every_page_loads_clean(tab, served):
    """Each page alone: nothing fails, nothing leaves the machine, figures and maths render,
    the palette toggle switches to dark and back."""
    assert "" in {page.path for page in served.pages}, served.pages
    assert any(page.maths for page in served.pages), "no page with maths found"
    problems = {}
    for page in served.pages:
        url = served.base + page.path
        response = load(tab, url)
        found = [] if response.status == 200 else [f"HTTP {response.status}"]
        found += article_problems(tab, page.maths)
        found += palette_problems(tab)
        problems[url] = found + tab.recorder.take()
    assert not report(problems), report(problems)


def test_accessibility_in_both_palettes(tab, subpath_site):
    """axe-core finds no serious or critical violation on any page, light or dark."""
    problems = {}
    for page in subpath_site.pages:
        url = subpath_site.base + page.path
        load(tab, url)
        for scheme in ["default", "slate"]:
            switch_palette(tab, scheme)
            problems[f"{url} ({scheme})"] = axe_problems(tab)
        problems[url] = tab.recorder.take()
    assert not report(problems), report(problems)


FOCUS_STATE = (
    """() => {
  """
    + SETTLE
    + """
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  // Material's palette switch and content tabs are visually hidden radio buttons. The palette
  // draws the ring on the label after the button; tabs on their strip of labels.
  const candidates = [el];
  if (el.matches("input[type=radio], input[type=checkbox]")) {
    for (const label of el.labels) candidates.push(label, label.parentElement);
    if (el.matches(".md-option")) candidates.push(el.nextElementSibling);
  }
  const states = candidates.map((node) => {
    const style = getComputedStyle(node);
    let opacity = 1;
    for (let up = node; up; up = up.parentElement) {
      opacity *= parseFloat(getComputedStyle(up).opacity);
    }
    const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
      || style.boxShadow !== "none";
    return { ring, opacity, visible: style.visibility === "visible" };
  });
  const shown = states.find((s) => s.ring && s.opacity > 0 && s.visible) || states[0];
  return {
    name: `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`,
    html: el.outerHTML.slice(0, 120),
    href: el.href || null,
    ...shown,
  };
}"""
)
SKIP_LINK_STATE = (
    """() => {
  """
    + SETTLE
    + """
  const link = document.querySelector("a.md-skip");
  const box = link.getBoundingClientRect();
  return {
    focused: document.activeElement === link,
    opacity: getComputedStyle(link).opacity,
    inViewport: box.top >= 0 && box.bottom <= innerHeight && box.width > 0,
  };
}"""
)
NAV_LINKS = """() => [...document.querySelectorAll(".md-sidebar--primary a.md-nav__link")]
  .filter((a) => a.getClientRects().length > 0)
  .map((a) => a.href)"""


def test_keyboard(tab, subpath_site):
    """From the top of each page, Tab reaches the skip link first, and it shows; then Tab
    stops at every link of the navigation sidebar, and every element it stops at, to the end of
    the page, is visible and has a focus ring."""
    problems = {}
    for page in subpath_site.pages:
        if page.path == "404.html":  # no table of contents, so Material renders no skip link
            continue
        url = subpath_site.base + page.path
        load(tab, url)
        found = []
        if tab.locator("a.md-skip").count() != 1:
            problems[url] = ["no skip link"]
            continue
        if tab.evaluate(SKIP_LINK_STATE)["opacity"] != "0":
            found.append("the skip link shows before it has focus")
        tab.keyboard.press("Tab")
        skip = tab.evaluate(SKIP_LINK_STATE)
        if not (skip["focused"] and skip["opacity"] == "1" and skip["inViewport"]):
            found.append(f"first Tab: the skip link is not focused and shown: {skip}")
        nav = set(tab.evaluate(NAV_LINKS))
        if len(nav) < 5:
            found.append(f"only {len(nav)} navigation links are visible: {sorted(nav)}")
        # Tab on through the whole page, until focus leaves the document after its last
        # element (for the browser's own controls) and no element has it.
        reached: set[str] = set()
        for _ in range(500):
            tab.keyboard.press("Tab")
            focus = tab.evaluate(FOCUS_STATE)
            if focus is None:
                break
            if not focus["ring"] or focus["opacity"] == 0 or not focus["visible"]:
                found.append(f"focus not visible on {focus}")
            reached.add(focus["href"])
        else:
            found.append("500 Tabs did not reach the end of the page")
        if not nav <= reached:
            found.append(f"not reached by Tab: {sorted(nav - reached)}")
        problems[url] = found + tab.recorder.take()
    assert not report(problems), report(problems)


def test_instant_navigation(tab, subpath_site):
    """Under the sub-path, clicks in the sidebar swap pages in without reloading, and each page
    arrives with its maths typeset."""
    pages = {subpath_site.base + page.path: page for page in subpath_site.pages}
    load(tab, subpath_site.base)
    tab.evaluate("window.__calcmlMarker = 1")
    order = list(dict.fromkeys(url for url in tab.evaluate(NAV_LINKS) if "#" not in url))
    maths = {url for url, page in pages.items() if page.maths}
    assert maths, "no page with maths"
    assert maths <= set(order), f"pages with maths not in the sidebar: {maths - set(order)}"
    targets = [url for url in order if url != subpath_site.base] + [subpath_site.base]
    problems = {}
    for url in targets:
        tab.evaluate("delete document.documentElement.dataset.mathTypeset")
        tab.locator(f".md-sidebar--primary a.md-nav__link[href='{url}']:visible").first.click()
        tab.wait_for_url(url)
        tab.wait_for_function(TYPESET)
        found = []
        if tab.evaluate("window.__calcmlMarker") != 1:
            found.append("the page was reloaded: instant navigation did not engage")
        found += article_problems(tab, pages[url].maths)
        problems[url] = found + tab.recorder.take()
    assert not report(problems), report(problems)


def test_404_page_under_subpath(tab, subpath_site):
    """A URL that does not exist, two levels deep, gets the 404 page with its styles and scripts."""
    url = subpath_site.base + "nope/deeper/"
    tab.recorder.allowed_404.add(url)
    response = load(tab, url)  # waits for site.js and MathJax, so the scripts ran
    assert response.status == 404
    header = tab.locator("header.md-header")
    assert header.is_visible()
    # Material's stylesheet makes the header sticky and paints it in the primary colour.
    style = header.evaluate("h => [getComputedStyle(h).position, getComputedStyle(h).background]")
    assert style[0] == "sticky" and "rgba(0, 0, 0, 0)" not in style[1], style
    assert tab.locator("h1").inner_text().startswith("404"), tab.locator("h1").inner_text()
    assert tab.locator("a.md-header__button.md-logo").get_attribute("href") == subpath_site.base
    problems = tab.recorder.take()
    assert not problems, "\n".join(problems)
