"""Area-and-service pages: "who in our area offers this service?" answered
without JavaScript, each answer with its own URL."""

from __future__ import annotations

from content_types.directory import FILTERS_BY_NAME, member_values
from site_helpers import page


def matching(members, project, area, service):
    areas, services = FILTERS_BY_NAME["area"], FILTERS_BY_NAME["service"]
    return {slug for slug, meta in members.items()
            if area in member_values(meta, areas, project.vocabularies)
            and service in member_values(meta, services, project.vocabularies)}


def listed(document):
    return {a["href"].strip("/").split("/")[-1] for a in document.select(".app-card__title a")}


def test_every_area_and_service_pair_has_a_page_with_exactly_its_members(site, project, members):
    pairs = 0
    for area in project.vocabularies["areas"].terms:
        for service in project.vocabularies["services"].terms:
            wanted = matching(members, project, area, service)
            url = f"members/areas/{area}/services/{service}/"
            if not wanted:
                assert not (site / url).exists(), f"{url} should not exist: nobody matches"
                continue
            pairs += 1
            document = page(site, url)
            assert listed(document) == wanted, url
            noun = "organisation" if len(wanted) == 1 else "organisations"
            assert document.select_one(".app-lead").text.startswith(f"{len(wanted)} {noun}."), url
    assert pairs > 10  # the real content has many such pairs


def test_area_pages_narrow_by_service_with_counts_and_links(site, project, members):
    document = page(site, "members/areas/leeds/")
    options = document.select(".app-narrow li")
    assert options, "the Leeds page offers no way to narrow by service"
    for option in options:
        link = option.a["href"].strip("/")
        service = link.split("/")[-1]
        count = len(matching(members, project, "leeds", service))
        assert link == f"members/areas/leeds/services/{service}" and f"({count})" in option.text
    assert "Narrow by service" in document.select_one(".app-narrow summary").text


def test_service_pages_narrow_by_area(site, members, project):
    document = page(site, "members/services/drugs-and-alcohol/")
    hrefs = {a["href"] for a in document.select(".app-narrow a")}
    assert "/members/areas/leeds/services/drugs-and-alcohol/" in hrefs


def test_the_combined_page_names_both_and_links_back(site):
    document = page(site, "members/areas/leeds/services/drugs-and-alcohol/")
    assert document.h1.text == "Organisations offering Drugs and alcohol in Leeds"
    crumbs = [a["href"] for a in document.select(".app-breadcrumbs a")]
    assert crumbs == ["/", "/members/", "/members/areas/leeds/"]
    assert document.find("a", href="/members/?area=leeds&service=drugs-and-alcohol")


def test_long_directories_link_a_window_of_pages_not_all_of_them():
    from content_types.directory import paginate

    listing = paginate(list(range(1000)), "members/")[9]  # page 10 of 20
    numbers = [number for number, _ in listing["window"]]
    assert numbers == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert listing["window"][3] == (9, "members/page/9/")
    assert [n for n, _ in paginate(list(range(120)), "members/")[0]["window"]] == [1, 2, 3]
