"""One small Page subclass per content type.

URLs follow Pelican's convention, from the class name: ``MEMBER_URL``,
``CASESTUDY_URL`` and so on in pelicanconf.py.
"""

from pelican.contents import Page


class Member(Page):
    default_template = "member"


class CaseStudy(Page):
    default_template = "case_study"


class Model(Page):
    default_template = "model"


class Tender(Page):
    default_template = "tender"


class Guide(Page):
    default_template = "guide"


class Event(Page):
    default_template = "event"


class SitePage(Page):
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
