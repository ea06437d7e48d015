"""Reading the built site back: pages, links and the content they came from."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page(output: Path, url: str) -> BeautifulSoup:
    """The page at a site URL such as 'members/disc/'."""
    target = output / url
    if url == "" or url.endswith("/"):
        target = target / "index.html"
    assert target.exists(), f"{url} was not built"
    return soup(target)


def html_files(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def local_target(output: Path, siteurl: str, reference: str, from_file: Path) -> Path | None:
    """The file a link or asset reference points to inside the site, or None
    when it leaves the site (another host, mailto:, tel:)."""
    parts = urlsplit(reference)
    if parts.scheme in ("mailto", "tel", "data"):
        return None
    if parts.scheme in ("http", "https") or reference.startswith("//"):
        if not siteurl or not reference.startswith(siteurl + "/") and reference != siteurl:
            return None
        path = reference[len(siteurl):]
        path = urlsplit(path).path
    elif not parts.path:
        return from_file  # a fragment on the same page
    elif parts.path.startswith("/"):
        if siteurl:
            # Under a sub-path, a root-relative link would leave the site.
            base = urlsplit(siteurl).path
            if base and not parts.path.startswith(base + "/"):
                return output / "__outside_the_sub_path__" / parts.path.lstrip("/")
            path = parts.path[len(base):]
        else:
            path = parts.path
    else:
        path = "/" + (from_file.parent.relative_to(output) / parts.path).as_posix()
    path = unquote(path)
    target = output / path.lstrip("/")
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def references(document: BeautifulSoup) -> list[str]:
    found = []
    for tag, attribute in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"),
                           ("form", "action"), ("source", "src")):
        for element in document.find_all(tag):
            value = element.get(attribute)
            if value:
                found.append(value)
    return found
