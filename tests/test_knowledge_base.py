"""The knowledge base written from the source documents: every case study
complete, every page sourced, the models compared from their files, the
glossary linked where its terms are used, history in the archive."""

from __future__ import annotations

import datetime as dt

import pytest

from building import ROOT, SITE_TODAY, run_build
from site_helpers import page
from tools.synthetic import copy_project
from validation.project import Project

SECTIONS = ["Background", "Structure", "Support", "Benefits", "Challenges", "Lessons"]
SOURCED_TYPES = ("case_study", "model", "guide", "event")


@pytest.fixture(scope="module")
def content():
    entries, _, _ = Project(ROOT, dt.date.fromisoformat(SITE_TODAY)).check_all()
    return entries


def test_every_case_study_has_the_six_sections_in_order(site, content):
    assert len(content["case_study"]) >= 7
    for slug in content["case_study"]:
        headings = [h.get_text(strip=True) for h in page(site, f"case-studies/{slug}/").select(".app-prose h2")]
        found = [h for h in headings if h in SECTIONS]
        assert found == SECTIONS, f"{slug}: sections {found}"


def test_every_page_written_from_the_sources_names_them(site, content):
    prefixes = {"case_study": "case-studies", "model": "models", "guide": "guides", "event": "events"}
    for type_name in SOURCED_TYPES:
        for slug, (_, meta) in content[type_name].items():
            if meta.get("example"):  # made up, and says so (the next test)
                continue
            assert meta.get("sources"), f"{type_name} {slug} names no source"
            section = page(site, f"{prefixes[type_name]}/{slug}/").select_one(".app-sources")
            assert section and section.find("li"), f"{type_name} {slug} shows no sources"
    assert page(site, "models/").select_one(".app-sources li")


def test_made_up_content_says_so_on_the_page(site, content):
    prefixes = {"member": "members", "tender": "tenders", "event": "events"}
    for type_name, prefix in prefixes.items():
        for slug, (_, meta) in content[type_name].items():
            if slug.startswith("example-"):
                assert meta.get("example") is True, f"{slug} is made up but not marked as an example"
                assert page(site, f"{prefix}/{slug}/").select_one(".app-notice--example"), slug


def test_each_model_page_has_a_diagram_with_a_text_alternative(site, content):
    assert len(content["model"]) >= 4
    for slug in content["model"]:
        figure = page(site, f"models/{slug}/").select_one("figure.app-diagram")
        assert figure and figure.figcaption and len(figure.get_text(" ", strip=True)) > 40, slug


def test_the_models_page_links_to_which_model_fits_us(site):
    assert page(site, "models/").find("a", href="/guides/which-model-fits-us/")
    guide = page(site, "guides/which-model-fits-us/")
    assert {a["href"] for a in guide.find_all("a", href=True)} >= {f"/models/{s}/" for s in ("lead-partner",)}


def test_glossary_terms_are_linked_where_they_are_used(site):
    glossary = page(site, "guides/glossary/")
    anchors = {element["id"] for element in glossary.select("[id]")}
    linked = set()
    for path in site.rglob("index.html"):
        if "glossary" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for anchor in anchors:
            if f'href="/guides/glossary/#{anchor}"' in text:
                linked.add(anchor)
    assert {"pqq", "spv", "top-slice"} & linked and len(linked) >= 8, sorted(linked)


def test_historical_tenders_are_closed_and_in_the_archive(site, content):
    archive = {a["href"] for a in page(site, "tenders/archive/").find_all("a", href=True)}
    for slug, (_, meta) in content["tender"].items():
        if meta.get("historical"):
            assert f"/tenders/{slug}/" in archive, slug
    assert "/tenders/northumberland-hidden-harm-service-2008/" in archive


def test_the_forum_and_the_forums_it_announced_are_events(site):
    forum = page(site, "events/understanding-consortium-working/")
    assert "Wolverhampton" in forum.get_text() and "2024" in forum.get_text()
    assert len(page(site, "events/").select("a[href^='/events/']")) >= 3


def test_changing_a_model_file_changes_the_comparison_table(tmp_path):
    project = copy_project(tmp_path / "project")
    model = project / "content" / "models" / "lead-partner.md"
    text = model.read_text(encoding="utf-8")
    marker = "A changed answer, written for this test."
    model.write_text(text.replace('liability: "', f'liability: "{marker} ', 1), encoding="utf-8")
    output = tmp_path / "output"
    result = run_build(output, root=project)
    assert result.returncode == 0, result.stdout + result.stderr
    table = page(output, "models/").find("table", class_="app-table--compare")
    assert marker in table.get_text()
