"""One small Page subclass per content type.

URLs follow Pelican's convention, from the class name: ``MEMBER_URL``,
``CASESTUDY_URL`` and so on in pelicanconf.py.
"""

import os
from functools import cached_property

from pelican.contents import Page

from . import linked_data
from .relations import register_links


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


class Described:
    """A content type whose page carries schema.org JSON-LD
    (:mod:`.linked_data`), worked out when its page is rendered, not for
    every object on every build."""

    def _once(self, name: str, work):
        # Asked for more than once per render: worked out once per build
        # (each build gives the object a new context).
        kept = self.__dict__.get(name)
        if kept is None or kept[0] is not self._context:
            kept = (self._context, work())
            self.__dict__[name] = kept
        return kept[1]

    @property
    def json_ld(self) -> dict | None:
        """The page's JSON-LD object, or None (an example carries none)."""
        return self._once("_json_ld", self._linked_data)

    def _linked_data(self) -> dict | None:
        raise NotImplementedError


class Member(Described, ContentPage):
    default_template = "member"

    @property
    def identifiers(self):
        """Where each identifier can be checked: (field, URL, label)."""
        return self._once("_identifiers", lambda: register_links(self))

    def _linked_data(self):
        return linked_data.member(self, self.settings, self._context["vocab"])


class CaseStudy(Described, ContentPage):
    default_template = "case_study"

    def _linked_data(self):
        return linked_data.case_study(self, self.settings, self._context["vocab"])


class Model(ContentPage):
    default_template = "model"


class Tender(ContentPage):
    default_template = "tender"


class Guide(Described, ContentPage):
    default_template = "guide"

    def _linked_data(self):
        return linked_data.guide(self, self.settings, self._context["vocab"])


class Event(Described, ContentPage):
    default_template = "event"

    def _linked_data(self):
        return linked_data.event(self, self.settings)


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
