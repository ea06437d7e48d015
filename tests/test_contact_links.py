"""A member's email and phone links are built from the checked values, so
nothing in a value can add a parameter to the link or send it elsewhere."""

from __future__ import annotations

from content_types.contact_links import mailto_href, tel_href
from site_helpers import page


def test_a_mailto_link_is_the_address_alone_with_anything_else_percent_encoded():
    assert mailto_href("contact@example.org") == "mailto:contact@example.org"
    assert mailto_href("o'brien+news@example.org") == "mailto:o%27brien+news@example.org"
    # Validation refuses this value; should one get through, it adds no parameter.
    assert mailto_href("a@example.org?bcc=b@elsewhere.example") == "mailto:a@example.org%3Fbcc%3Db@elsewhere.example"


def test_a_tel_link_is_the_number_s_digits_alone():
    assert tel_href("0131 496 0000") == "tel:01314960000"
    assert tel_href("+44 113 496 0000") == "tel:+441134960000"
    assert tel_href("0113 496 0000?x=1") == "tel:011349600001"


def test_the_profile_s_email_and_phone_links_are_built_from_its_values(site):
    profile = page(site, "members/example-advice-network/")
    assert profile.select_one('a[href^="mailto:"]')["href"] == "mailto:contact@example.org"
    assert profile.select_one('a[href^="mailto:"]').get_text() == "contact@example.org"
    assert profile.select_one('a[href^="tel:"]')["href"] == "tel:01314960000"
    assert profile.select_one('a[href^="tel:"]').get_text() == "0131 496 0000"
