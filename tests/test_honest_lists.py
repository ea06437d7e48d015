"""Lists that say what is true: a case study's partners as its source counts
them, members told apart from organisations only named in case studies,
and made-up content marked on every card that shows it."""

from __future__ import annotations

import json
import re

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


#: Every element of the directory whose text counts or describes the list:
#: the lead, the results heading and count, the filter and browse headings,
#: the area hints, the phone toggle, the form's button and "Show more".
COUNT_SENTENCES = (".app-lead, #results-heading, .app-results-count, #filters-heading, #browse-heading, "
                   ".app-filters__hint, .app-selected__scope, .app-filters-toggle, "
                   "#member-filters button[type=submit], .app-results-more button")
NAMED = "Named in a case study, not a member"


def _one_named_organisation_page(site) -> tuple[str, str]:
    """A static filter page listing exactly one organisation, which is not a
    member (the reported case: "1 member matches" above such a card), and the
    directory's query for the same filter."""
    from content_types.directory import FILTERS

    for filter_ in FILTERS:
        for path in sorted((site / "members" / filter_.folder).glob("*/index.html")):
            cards = page(site, path.parent.relative_to(site).as_posix() + "/").select("#member-results li.app-card, "
                                                                                      "main li.app-card")
            if len(cards) == 1 and cards[0].select_one(".app-card__kind").get_text(strip=True) == NAMED:
                return f"members/{filter_.folder}/{path.parent.name}/", f"?{filter_.name}={path.parent.name}"
    pytest.fail("no filter page lists exactly one organisation named in a case study")


def _sentences_and_badges(tab) -> tuple[list[str], list[str]]:
    sentences = tab.eval_on_selector_all(COUNT_SENTENCES, "nodes => nodes.filter(n => n.offsetParent !== null "
                                                          "|| n.getClientRects().length).map(n => n.textContent.trim())")
    badges = tab.eval_on_selector_all("main li.app-card .app-card__kind", "nodes => nodes.map(n => n.textContent.trim())")
    return sentences, badges


@pytest.mark.browser
@pytest.mark.parametrize("java_script", [False, True], ids=["without-javascript", "with-javascript"])
def test_no_count_calls_a_list_with_a_non_member_members(browser, site_url, site, java_script):
    """The directory lists members and organisations only named in case
    studies: a count, heading or button about a list that holds one of them
    never calls the list "members" (issue 18: "1 member matches the selected
    filters" sat above a card marked "Named in a case study, not a member")."""
    static_page, query = _one_named_organisation_page(site)
    urls = ["members/", static_page] if not java_script else ["members/", f"members/{query}",
                                                               "members/?service=youth-services"]
    context = browser.new_context(viewport={"width": 320, "height": 740}, java_script_enabled=java_script)
    tab = context.new_page()
    try:
        checked = 0
        for url in urls:
            tab.goto(f"{site_url}/{url}")
            if java_script:
                tab.wait_for_selector(".app-directory--live")
            sentences, badges = _sentences_and_badges(tab)
            assert sentences and badges, url
            if NAMED not in badges:
                continue
            checked += 1
            calling_members = [text for text in sentences if re.search(r"\bmembers?\b", text, re.IGNORECASE)]
            assert not calling_members, (url, calling_members)
            if len(badges) == 1:  # the singular, said right
                expected = "1 organisation matches the selected filters" if java_script else "1 organisation."
                assert any(text.startswith(expected) for text in sentences), (url, sentences)
        assert checked == len(urls), "each page checked should list an organisation that is not a member"
        if java_script:
            tab.locator(".app-filters-toggle").click()
            assert tab.locator("#member-filters button[type=submit]").text_content().endswith(" organisations")
    finally:
        context.close()
