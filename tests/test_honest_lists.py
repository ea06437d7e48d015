"""Lists that say what is true: a case study's partners as its source counts
them, members told apart from organisations only named in case studies,
and made-up content marked on every card that shows it."""

from __future__ import annotations

import json

import pytest

from building import ROOT
from site_helpers import page


@pytest.fixture(scope="module")
def content(project):
    entries, _, _ = project.check_all()
    return {name: {slug: meta for slug, (_, meta) in items.items()} for name, items in entries.items()}


def _facts(card) -> dict:
    return {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True) for dt in card.select("dt")}


def test_the_size_field_is_described_in_the_schema():
    schema = json.loads((ROOT / "plugins/validation/schemas/case_study.schema.json").read_text())
    size = schema["properties"]["size"]
    assert size["description"] and size["additionalProperties"] is False
    assert set(size["required"]) == {"count", "of"}
    assert all(spec["description"] for spec in size["properties"].values())


def test_the_case_study_list_gives_the_consortium_s_size_and_the_partners_named(site, content):
    cards = {card.h2.get_text(strip=True): card for card in page(site, "case-studies/").select("li.app-card")}
    assert len(cards) == len(content["case_study"])
    for slug, meta in content["case_study"].items():
        partners = _facts(cards[meta["name"]])["Partners"]
        named = [p for p in meta["partners"] if p["role"] != "withdrew"]
        left = len(meta["partners"]) - len(named)
        size = meta.get("size")
        if size:
            assert partners.startswith(f"{size['count']} {size['of']}; "), slug
            assert ("all named" if size["count"] == len(named) else f"{len(named)} named") in partners, slug
        else:
            assert partners.startswith(f"{len(named)} named"), slug
            assert "the source does not say how many there are in all" in partners, slug
        assert (f"and {left} that withdrew" in partners) == bool(left), slug
        on_page = _facts(page(site, f"case-studies/{slug}/").select_one(".app-summary-list"))
        assert on_page["Partners"] == partners
    # What the NCVO stories say of Young Lancashire: 29 groups, of which the file names only the lead.
    assert _facts(cards["Young Lancashire (Youth Offer) Consortium"])["Partners"] == \
        "29 front-line voluntary sector youth groups; 1 named"


def test_directory_cards_say_member_or_named_in_a_case_study(site, content):
    members = content["member"]
    document = page(site, "members/")
    cards = document.select("#member-results li.app-card")
    assert len(cards) == len(members)
    by_name = {meta["name"]: meta for meta in members.values()}
    for card in cards:
        meta = by_name[card.select_one(".app-card__title a").get_text(strip=True)]
        badge = card.select_one(".app-card__kind").get_text(strip=True)
        expected = "Named in a case study, not a member" if meta["membership_tier"] == "none" else "Member"
        assert badge == expected, meta["name"]
    in_consortium = [m for m in members.values() if m["membership_tier"] != "none"]
    examples = [m for m in in_consortium if m.get("example")]
    sentence = document.select_one(".app-directory-kinds").get_text(" ", strip=True)
    assert sentence.startswith(f"The directory lists {len(in_consortium)} members of the consortium")
    assert f"and {len(members) - len(in_consortium)} organisations named in the case studies" in sentence
    assert ("all of them examples" if len(examples) == len(in_consortium) else f"{len(examples)} of them") \
        in sentence
    home = page(site, "").select_one(".app-directory-kinds").get_text(" ", strip=True)
    assert home == sentence.removesuffix(" Each card says which.").removesuffix(".") + "."


@pytest.mark.parametrize("url", ["", "members/", "tenders/", "events/",
                                 "members/example-youth-trust/", "members/services/youth-services/"])
def test_example_content_is_marked_wherever_it_is_listed(site, content, url):
    examples = {f"/{prefix}/{slug}/" for name, prefix in (("member", "members"), ("tender", "tenders"),
                                                          ("event", "events"))
                for slug, meta in content[name].items() if meta.get("example")}
    document = page(site, url)
    main = document.find("main")
    listed = 0
    for link in main.select("li a[href]"):
        if link["href"] not in examples or link.find_parent(class_="app-breadcrumbs"):
            continue
        item = link.find_parent("li")
        labels = [label.get_text(strip=True) for label in item.select(".app-label")]
        assert "Example" in labels, f"{url}: {link.get_text(strip=True)}"
        listed += 1
    if url == "":
        text = main.get_text(" ", strip=True)
        assert "Open tenders ( 3 ): all of them examples" in text or "Open tenders (3): all of them examples" in text
    else:
        assert listed, f"{url} lists no example"


@pytest.mark.browser
def test_cards_the_filter_script_draws_keep_their_member_badge(page, site_url, site):
    """With JavaScript the directory redraws its cards as filters change; each
    keeps the badge the build gave it."""
    built = {card.select_one(".app-card__title a").get_text(strip=True): card.select_one(".app-card__kind")
             .get_text(strip=True) for card in page_of(site).select("#member-results li.app-card")}
    page.goto(f"{site_url}/members/?area=norfolk")
    page.wait_for_selector(".app-directory--live")
    page.uncheck("#filter-area-norfolk")  # every card again, each drawn by the script
    page.wait_for_function("() => document.querySelectorAll('#member-results li.app-card').length > 5")
    drawn = page.eval_on_selector_all("#member-results li.app-card", """cards => cards.map(card => [
        card.querySelector('.app-card__title a').textContent.trim(),
        (card.querySelector('.app-card__kind') || {textContent: ''}).textContent.trim()])""")
    assert drawn, "the filtered list is empty"
    assert {name: badge for name, badge in drawn} == {name: built[name] for name, _ in drawn}
    assert len(drawn) == len(built)
    assert {badge for _, badge in drawn} == {"Member", "Named in a case study, not a member"}
    assert not page.page_errors


def page_of(site):
    return page(site, "members/")
