"""One small Page subclass per content type.

URLs follow Pelican's convention, from the class name: ``MEMBER_URL``,
``CASESTUDY_URL`` and so on in pelicanconf.py.
"""

import os
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

    def get_relative_source_path(self, source_path=None):
        """Pelican works this out with ``os.path.relpath`` each time it
        formats a URL; for the object's own file, which lies under PATH (the
        reader found it there), the answer is the rest of the path, kept."""
        if source_path is not None and source_path != self.source_path:
            return super().get_relative_source_path(source_path)
        kept = self.__dict__.get("_relative_source")
        if kept is None or kept[0] != self.source_path:
            base = os.path.join(self.settings["PATH"], "")
            path = self.source_path
            if path and os.path.isabs(base) and path.startswith(base) and os.path.normpath(path) == path:
                relative = path[len(base):].replace(os.sep, "/")
            else:
                relative = super().get_relative_source_path()
            kept = self._relative_source = (path, relative)
        return kept[1]


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
        # Asked for twice per render: worked out once per build (each build
        # gives the object a new context).
        kept = self.__dict__.get("_described")
        if kept is None or kept[0] is not self._context:
            from .relations import describe_member

            kept = self._described = (self._context, describe_member(self, self.settings["SITEURL"],
                                                                     self._context["vocab"]))
        return kept[1]


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
