"""The built site: every internal link and anchor resolves, pages are light, and nothing is fetched
from another host."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from conftest import ROOT

PAGE_LIMIT = 150_000  # bytes of HTML, embedded images aside
DATA_URL = re.compile(r"data:[^\"')]+")


class Page(HTMLParser):
    """The ids, links, meta description and inline styles of one HTML page."""

    def __init__(self, text: str):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (tag, url)
        self.description: str | None = None
        self.styles = 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "name" in attrs:
            self.ids.add(attrs["name"])
        for attr in ("href", "src"):
            if attrs.get(attr) and not (tag == "link" and "canonical" in (attrs.get("rel") or "")):
                self.links.append((tag, attrs[attr]))
        if tag == "meta" and attrs.get("name") == "description":
            self.description = attrs.get("content")
        if tag == "style":
            self.styles += 1


@pytest.fixture(scope="session")
def pages(site_dir) -> dict[str, Page]:
    """Every HTML page, keyed by its path in the site."""
    return {
        str(p.relative_to(site_dir)): Page(p.read_text()) for p in sorted(site_dir.rglob("*.html"))
    }


def _target(site_dir: Path, page: str, url: str) -> tuple[Path, str]:
    resolved = urlsplit(urljoin("http://site/" + page, url))
    path = site_dir / unquote(resolved.path).lstrip("/")
    if resolved.path.endswith("/"):
        path = path / "index.html"
    return path, unquote(resolved.fragment)


def test_every_internal_link_and_anchor_resolves(site_dir, pages):
    broken = []
    for name, page in pages.items():
        if name == "404.html":  # served at any depth, so its URLs are rooted at site_url's path
            continue
        for tag, url in page.links:
            if urlsplit(url).scheme or url.startswith("//"):
                continue
            if url.startswith("/"):
                broken.append(f"{name}: root-absolute {url} breaks under a sub-path")
                continue
            path, fragment = _target(site_dir, name, url)
            if not path.exists():
                broken.append(f"{name}: <{tag}> {url} -> missing {path.relative_to(site_dir)}")
            elif fragment and path.suffix == ".html":
                target = pages.get(str(path.relative_to(site_dir)))
                if target and fragment not in target.ids:
                    broken.append(f"{name}: {url} -> no #{fragment}")
    assert not broken, "\n".join(broken)


def test_links_reach_other_hosts_only_as_plain_links(pages):
    """Scripts, styles, images and fonts all come from the site itself."""
    external = [
        f"{name}: <{tag}> {url}"
        for name, page in pages.items()
        for tag, url in page.links
        if tag != "a" and (urlsplit(url).scheme in ("http", "https") or url.startswith("//"))
    ]
    assert not external, "\n".join(external)


def test_every_page_has_a_meta_description(pages):
    missing = [name for name, page in pages.items() if not page.description]
    assert not missing


def test_every_page_is_light(site_dir):
    weights = {
        str(path.relative_to(site_dir)): len(DATA_URL.sub("", path.read_text()).encode())
        for path in site_dir.rglob("*.html")
    }
    heavy = {name: weight for name, weight in weights.items() if weight > PAGE_LIMIT}
    assert len(weights) > 20 and not heavy, f"bytes of HTML without images: {heavy}"


def test_notebook_pages_share_one_stylesheet(site_dir):
    notebook_pages = [p for p in site_dir.rglob("index.html") if "jupyter-wrapper" in p.read_text()]
    assert notebook_pages
    assert (site_dir / "assets" / "stylesheets" / "jupyter.css").stat().st_size > 100_000
    for path in notebook_pages:
        page = Page(path.read_text())
        assert page.styles == 0, f"{path}: inline <style> blocks"
        assert any(url.endswith("assets/stylesheets/jupyter.css") for _, url in page.links)


def test_notebook_pages_link_their_source_and_executed_notebook(site_dir, pages):
    notebook_pages = {
        name: page
        for name, page in pages.items()
        if "jupyter-wrapper" in (site_dir / name).read_text()
    }
    assert notebook_pages
    for name, page in notebook_pages.items():
        edits = [url for tag, url in page.links if "/edit/" in url]
        assert len(edits) == 1 and edits[0].endswith(".py"), edits
        source = ROOT / "docs" / edits[0].split("/edit/main/docs/", 1)[1]
        assert source.exists(), source
        downloads = [url for _, url in page.links if url.endswith(".ipynb")]
        path, _ = _target(site_dir, name, downloads[0])
        assert json.loads(path.read_text())["cells"], path


def test_markdown_pages_edit_their_own_source(pages):
    for page in pages.values():
        for _, url in page.links:
            if "/edit/main/docs/" in url and url.endswith(".md"):
                assert (ROOT / "docs" / url.split("/edit/main/docs/", 1)[1]).exists(), url


def test_sitemap_lists_every_page(site_dir, pages):
    sitemap = (site_dir / "sitemap.xml").read_text()
    for name in pages:
        if name.endswith("index.html"):
            assert f"/calcml/{name[: -len('index.html')]}</loc>" in sitemap, name


def test_build_report_is_published(site_dir):
    report = json.loads((site_dir / "build-report.json").read_text())
    notebooks = {n["path"] for n in report["notebooks"]}
    assert notebooks == {str(p.relative_to(ROOT)) for p in (ROOT / "docs").rglob("*.py")}
    page = (site_dir / "reference" / "build-report" / "index.html").read_text()
    for path in notebooks:
        assert path in page


def test_api_reference_documents_every_public_name(site_dir):
    import calcml

    pages = "".join(p.read_text() for p in (site_dir / "reference").rglob("index.html"))
    for name in calcml.__all__:
        module = getattr(calcml, name).__module__
        assert f'id="{module}.{name}"' in pages, name


def test_lessons_link_into_the_api_reference(pages):
    lesson_links = [
        url for name, page in pages.items() if name.startswith("lessons/") for _, url in page.links
    ]
    assert any("reference/derivatives/#calcml.derivatives." in url for url in lesson_links)
