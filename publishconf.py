"""Production settings: pelicanconf plus what only a deployed site needs.

SITEURL must be the full address the site is served from, including any
sub-path (for GitHub Pages project sites: https://<owner>.github.io/<repo>).
"""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "").rstrip("/")
RELATIVE_URLS = False
