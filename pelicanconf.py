"""Pelican settings: paths, URL patterns, plugins. Settings only, no logic.

SITEURL and SITE_TODAY come from the environment so that `make build`
honours them (see publishconf.py for production).
"""

import os
import sys

# Our plugins import each other (the build uses the validator) as top-level
# packages, so their folder must be importable, not only loadable by Pelican.
_PLUGINS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "plugins")
if _PLUGINS not in sys.path:
    sys.path.insert(0, _PLUGINS)

SITENAME = "Consortium Directory"
SITE_DESCRIPTION = (
    "A member directory and knowledge base for voluntary, community and social "
    "enterprise organisations that work together in consortia."
)
SITEURL = os.environ.get("SITEURL", "").rstrip("/")
#: Overrides the build date, so tender and event statuses are reproducible.
SITE_TODAY = os.environ.get("SITE_TODAY", "")
#: Where "Edit this profile" links point.
REPOSITORY_URL = os.environ.get("REPOSITORY_URL", "https://github.com/example-consortium/consortium-directory")
REPOSITORY_BRANCH = os.environ.get("REPOSITORY_BRANCH", "main")
#: Where the profile editor's "email it" route sends a profile, for members
#: with no GitHub account: a plain address (an empty variable means unset).
MAINTAINERS_EMAIL = os.environ.get("MAINTAINERS_EMAIL") or "maintainers@example.org"
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en-GB"

# The whole repository is Pelican's content root: members/ and case_studies/
# sit beside content/. Pelican's own article and page generators read
# nothing; the content_types plugin reads every content type.
PATH = os.path.dirname(os.path.abspath(__file__))
OUTPUT_PATH = os.environ.get("OUTPUT_PATH", "output")
ARTICLE_PATHS = []
PAGE_PATHS = []
STATIC_PATHS = []
THEME = "theme"

PLUGIN_PATHS = ["plugins"]
PLUGINS = ["content_types", "search_index", "tender_feeds", "member_data", "contribute"]
READERS = {"markdown": None, "mdown": None, "mkd": None, "rst": None, "html": None, "htm": None}

# URLs are part of the contract (see the README).
MEMBER_URL = "members/{slug}/"
MEMBER_SAVE_AS = "members/{slug}/index.html"
CASESTUDY_URL = "case-studies/{slug}/"
CASESTUDY_SAVE_AS = "case-studies/{slug}/index.html"
MODEL_URL = "models/{slug}/"
MODEL_SAVE_AS = "models/{slug}/index.html"
TENDER_URL = "tenders/{slug}/"
TENDER_SAVE_AS = "tenders/{slug}/index.html"
GUIDE_URL = "guides/{slug}/"
GUIDE_SAVE_AS = "guides/{slug}/index.html"
EVENT_URL = "events/{slug}/"
EVENT_SAVE_AS = "events/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
SLUGIFY_SOURCE = "basename"

DIRECT_TEMPLATES = ["index", "search", "404", "contribute_profile"]
INDEX_SAVE_AS = "index.html"
SEARCH_SAVE_AS = "search/index.html"
CONTRIBUTE_PROFILE_SAVE_AS = "contribute/profile/index.html"

# Nothing of Pelican's blog machinery is used.
ARTICLE_SAVE_AS = ""
ARTICLE_URL = ""
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
TAGS_SAVE_AS = ""
TAG_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = False
FORMATTED_FIELDS = []
TYPOGRIFY = False
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
DELETE_OUTPUT_DIRECTORY = False

# Every field is escaped unless a template marks it safe; only rendered,
# sanitised Markdown bodies are.
# auto_reload off: Jinja would otherwise check every template file on disk for
# each page it renders; make serve starts a new environment for each build.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True, "auto_reload": False}

# The licence the open data on /data/ is published under.
DATA_LICENCE = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"

#: The Content Security Policy, the one place it is written: base.html puts it
#: in a <meta http-equiv> at the top of every page, and the tests serve it as a
#: header too (see "Security headers" in the README for what a host that can
#: send headers should add). Everything comes from the site itself; no inline
#: script, style or event handler runs, and forms submit only to the site.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; "
    "script-src 'self'; "
    "style-src 'self'; "
    "img-src 'self'; "
    "connect-src 'self'; "
    "object-src 'none'; "
    "frame-src 'none'; "
    "base-uri 'self'; "
    "form-action 'self'"
)

#: Its SPDX identifier, for the data package (/data/datapackage.json).
DATA_LICENCE_ID = "CC-BY-4.0"

# The consortium that publishes the site, as the home page's structured
# data (schema.org Organization) describes it; profiles refer to it.
CONSORTIUM_NAME = SITENAME
CONSORTIUM_DESCRIPTION = SITE_DESCRIPTION
#: A public contact address for the consortium; empty gives none.
CONSORTIUM_EMAIL = ""
