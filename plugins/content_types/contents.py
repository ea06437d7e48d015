"""One small Page subclass per content type.

URLs follow Pelican's convention, from the class name: ``MEMBER_URL``,
``CASESTUDY_URL`` and so on in pelicanconf.py.
"""

from functools import cached_property

from pelican.contents import Page


class ContentPage(Page):
    """Pelican's Page with its URL worked out once: Pelican formats it from
    the settings on every access, and the directory's pages ask for each
    member's URL tens of thousands of times. Settings do not change during
    a build, so neither does the URL."""

    @cached_property
    def url(self):
        return super().url

    @cached_property
    def save_as(self):
        return super().save_as


class Member(ContentPage):
    default_template = "member"

    # Its identifier links and JSON-LD are for its own page only: worked out
    # when that page is rendered (relations.describe_member), not for every
    # member on every build.

    @property
    def identifiers(self):
        return self._description()["identifiers"]

    @property
    def json_ld(self):
        return self._description()["json_ld"]

    def _description(self):
        from .relations import describe_member

        return describe_member(self, self.settings["SITEURL"], self._context["vocab"])


class CaseStudy(ContentPage):
    default_template = "case_study"


class Model(ContentPage):
    default_template = "model"


class Tender(ContentPage):
    default_template = "tender"


class Guide(ContentPage):
    default_template = "guide"


class Event(ContentPage):
    default_template = "event"


class SitePage(ContentPage):
    """A standalone page (contribute, accessibility); uses PAGE_URL."""

    default_template = "page"

    def _expand_settings(self, key):
        return super(Page, self)._expand_settings(key, "page")


CLASSES = {
    "member": Member,
    "case_study": CaseStudy,
    "model": Model,
    "tender": Tender,
    "guide": Guide,
    "event": Event,
    "page": SitePage,
}
