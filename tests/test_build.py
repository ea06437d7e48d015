"""The real content, built by Pelican, read back with BeautifulSoup."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from building import ROOT, SITE_TODAY, run_build
from tools.synthetic import copy_project
from site_helpers import html_files, local_target, page, references, soup
from validation.project import Project
import datetime as dt

URL_PATTERNS = {
    "member": "members/{}/",
    "case_study": "case-studies/{}/",
    "model": "models/{}/",
    "tender": "tenders/{}/",
    "guide": "guides/{}/",
    "event": "events/{}/",
    "page": "{}/",
}
LIST_PAGES = ["", "members/", "case-studies/", "models/", "tenders/", "tenders/archive/", "guides/",
              "events/", "search/", "contribute/", "accessibility/", "data/"]


@pytest.fixture(scope="module")
def content():
    entries, problems, _ = Project(ROOT, dt.date.fromisoformat(SITE_TODAY)).check_all()
    assert not [p for p in problems if p.severity == "error"], [p.format() for p in problems]
    return entries


def title_of(meta: dict) -> str:
    return meta.get("title") or meta["name"]


def test_there_is_content_of_every_type(content):
    for type_name, items in content.items():
        assert items, f"no {type_name} content: every template must be exercised"


def test_every_content_file_has_its_page_with_its_title(site, content):
    for type_name, items in content.items():
        for slug, (_, meta) in items.items():
            document = page(site, URL_PATTERNS[type_name].format(slug))
            assert document.h1.get_text(strip=True) == title_of(meta)
            assert document.title.get_text().startswith(title_of(meta))


def test_list_pages_and_site_files_exist(site):
    for url in LIST_PAGES:
        page(site, url)
    for name in ("404.html", "sitemap.xml", "robots.txt"):
        assert (site / name).exists(), name
    assert "Sitemap:" in (site / "robots.txt").read_text()


def test_case_studies_link_to_their_model_and_partners_and_back(site, content):
    for slug, (_, meta) in content["case_study"].items():
        url = f"case-studies/{slug}/"
        hrefs = {a["href"] for a in page(site, url).find_all("a", href=True)}
        assert f"/models/{meta['model']}/" in hrefs
        model_links = {a["href"] for a in page(site, f"models/{meta['model']}/").find_all("a", href=True)}
        assert f"/{url}" in model_links, f"model {meta['model']} does not list {slug}"
        for partner in meta["partners"]:
            if partner.get("member"):
                assert f"/members/{partner['member']}/" in hrefs
                member_links = {a["href"] for a in page(site, f"members/{partner['member']}/").find_all("a", href=True)}
                assert f"/{url}" in member_links, f"{partner['member']} does not link back to {slug}"


def test_models_table_has_a_column_per_model_and_a_row_per_attribute(site, content):
    table = page(site, "models/").find("table", class_="app-table--compare")
    headings = [th.get_text(strip=True) for th in table.thead.find_all("th")]
    assert sorted(headings) == sorted(title_of(meta) for _, meta in content["model"].values())
    rows = [th.get_text(strip=True) for th in table.tbody.find_all("th", scope="row")]
    schema = json.loads((ROOT / "plugins/validation/schemas/model.schema.json").read_text())
    for spec in schema["properties"].values():
        if spec.get("x-compare"):
            assert spec["title"] in rows


def test_every_page_has_one_h1_a_skip_link_and_landmarks(site):
    for path in html_files(site):
        document = soup(path)
        assert document.html.get("lang") == "en-GB", path
        assert len(document.find_all("h1")) == 1, f"{path} must have exactly one <h1>"
        first_link = document.body.find("a")
        assert first_link["href"] == "#main" and "Skip" in first_link.get_text(), path
        assert document.find("main", id="main"), path
        assert document.find("header") and document.find("footer") and document.find("nav"), path


@pytest.mark.parametrize("which", ["root", "subpath"])
def test_no_internal_link_or_asset_is_broken(which, site, subpath_site):
    output, siteurl = (site, "") if which == "root" else subpath_site
    broken = []
    for path in html_files(output):
        for reference in references(soup(path)):
            target = local_target(output, siteurl, reference, path)
            if target is not None and not target.exists():
                broken.append(f"{path.relative_to(output)} -> {reference}")
    assert not broken, "broken links:\n" + "\n".join(broken[:50])


def test_subpath_build_prefixes_every_internal_link(subpath_site):
    output, siteurl = subpath_site
    for path in html_files(output):
        for reference in references(soup(path)):
            assert not (reference.startswith("/") and not reference.startswith("//")), \
                f"{path.relative_to(output)}: root-relative {reference} would leave {siteurl}"


def test_the_site_loads_nothing_from_another_host(site):
    for path in html_files(site):
        document = soup(path)
        for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for element in document.find_all(tag):
                value = element.get(attribute, "")
                if tag == "link" and element.get("rel") == ["canonical"]:
                    continue
                assert not re.match(r"^(https?:)?//", value), f"{path}: {tag} loads {value}"
    for css in site.rglob("*.css"):
        text = css.read_text()
        assert "@import" not in text and not re.search(r"url\(\s*['\"]?(https?:)?//", text), css


def test_a_typical_page_with_its_css_and_js_is_small(site):
    profile = site / "members" / "disc" / "index.html"
    document = soup(profile)
    total = len(gzip.compress(profile.read_bytes()))
    for reference in references(document):
        if reference.endswith((".css", ".js")):
            total += len(gzip.compress(local_target(site, "", reference, profile).read_bytes()))
    print(f"member profile with its CSS and JS: {total / 1024:.1f} KB gzipped")
    assert total < 50 * 1024


def test_sitemap_lists_pages_that_exist(site):
    locations = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text())
    assert len(locations) > 20
    for location in locations:
        assert local_target(site, "", location, site / "index.html").exists(), location


def test_schemas_are_published_and_valid(site):
    for name in URL_PATTERNS:
        schema = json.loads((site / "data" / "schemas" / f"{name}.schema.json").read_text())
        Draft202012Validator.check_schema(schema)
        assert schema["additionalProperties"] is False


def test_member_facet_pages_list_matching_members(site, content):
    for slug, (_, meta) in content["member"].items():
        for service in meta["services"]:
            links = {a["href"] for a in page(site, f"members/services/{service}/").find_all("a", href=True)}
            assert f"/members/{slug}/" in links


def test_bodies_are_rendered_and_fields_escaped(site, content):
    # Every field goes through Jinja's autoescape: the rendered summary text
    # equals the source text exactly.
    for slug, (_, meta) in content["member"].items():
        lead = page(site, f"members/{slug}/").find("p", class_="app-lead")
        assert lead.get_text() == meta["summary"]


# -- the build as a command -------------------------------------------------


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_failed_build_names_the_problem_and_leaves_output_untouched(tmp_path):
    project = copy_project(tmp_path / "project")
    output = project / "output"
    first = run_build(output, root=project)
    assert first.returncode == 0, first.stdout + first.stderr
    before = snapshot(output)
    member = project / "members" / "disc.md"
    lines = member.read_text().split("\n")
    lines.insert(2, "services: [unclosed")
    member.write_text("\n".join(lines))
    second = run_build(output, root=project)
    assert second.returncode == 1
    assert "members/disc.md:" in second.stdout
    assert "Traceback" not in second.stdout + second.stderr
    assert "previous output/ is unchanged" in second.stdout
    assert snapshot(output) == before
    assert not list(project.glob(".output.*")), "the staging folder was left behind"


def test_the_plain_pelican_command_works(tmp_path):
    env = {**os.environ, "SITE_TODAY": SITE_TODAY}
    result = subprocess.run([str(Path(sys.executable).parent / "pelican"), "-s", "pelicanconf.py",
                             "-o", str(tmp_path / "out")], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "out" / "members" / "disc" / "index.html").exists()


def test_a_production_build_without_siteurl_says_its_addresses_lack_a_host(tmp_path):
    bare = run_build(tmp_path / "bare", settings="publishconf.py")
    assert bare.returncode == 0 and "warning: SITEURL is not set" in bare.stdout
    hosted = run_build(tmp_path / "hosted", siteurl="https://example.org/consortium", settings="publishconf.py")
    assert hosted.returncode == 0 and "SITEURL is not set" not in hosted.stdout
    # Under a sub-path, robots.txt is not where crawlers look: the build says so.
    assert "note: the site is under the sub-path /consortium/, so its robots.txt is served at " \
           "/consortium/robots.txt, where crawlers do not look" in hosted.stdout
    at_root = run_build(tmp_path / "root", siteurl="https://example.org", settings="publishconf.py")
    assert at_root.returncode == 0 and "robots.txt" not in at_root.stdout
