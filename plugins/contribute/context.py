"""Put the contribute links and the member template into the Jinja context.

Every template then finds ``contribute`` (a :class:`ContributeContext`).
A setting or template that is wrong is logged as an error naming this
plugin, which fails the build (tools/build.py counts logged errors).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from validation.today import uk_today
from validation.vocabularies import VocabularyError

from content_types.reader import project_for

from .editor import FormField, editor_parts
from .member_template import MemberTemplate, TemplateError, load

logger = logging.getLogger(__name__)

#: The settings this plugin reads, with their defaults (see README.md).
DEFAULTS = {
    "MEMBER_TEMPLATE": "tools/templates/member.md",
    "NEW_MEMBER_FILE": "members/your-organisation-name.md",
    "MEMBER_ISSUE_FORM": "add-or-update-member.yml",
    "MAINTAINERS_EMAIL": "",
}
#: A plain address: name@host, nothing that could add mailto: parameters.
_PLAIN_ADDRESS = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
#: Run over this site's own settings only.
TRUSTED_PATTERNS = (_PLAIN_ADDRESS,)
#: GitHub answers "414 URI Too Long" for longer addresses (8 KB, less a margin).
GITHUB_URL_LIMIT = 8000


@dataclass(frozen=True)
class ContributeContext:
    template: MemberTemplate
    #: GitHub's new-file page with the file name and the template filled in.
    add_member_url: str
    #: GitHub's new-issue page with the member form.
    issue_form_url: str
    #: The members folder on GitHub, for those who look for their file there.
    members_folder_url: str
    #: The template with today's date filled in, as the "Add your
    #: organisation" link carries it; also /contribute/profile/member-template.md.
    filled_template: str = ""
    #: The maintainers' address, for members with no GitHub account.
    maintainers_email: str = ""
    #: An email to the maintainers with the empty template in it (the
    #: profile editor's route without JavaScript).
    email_template_url: str = ""
    #: The profile editor's fields, in the schema's order (editor.py).
    editor_fields: tuple[FormField, ...] = ()
    #: What the editor's script reads from the page (editor.editor_config).
    editor_config: dict | None = None
    #: Where the published member schema is, relative to SITEURL.
    schema_path: str = "data/schemas/member.schema.json"


def new_file_url(repository_url: str, branch: str, filename: str, text: str) -> str:
    """GitHub's "create new file" page with ``filename`` and ``text`` filled in."""
    # Every reserved character is escaped, so that a '#' or '&' in the
    # template cannot end the value early.
    return (f"{repository_url.rstrip('/')}/new/{quote(branch, safe='')}"
            f"?filename={quote(filename, safe='/')}&value={quote(text, safe='')}")


def mailto_url(address: str, subject: str, body: str) -> str:
    """An email to ``address`` with ``subject`` and ``body`` filled in."""
    return f"mailto:{address}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"


def build_context(settings: dict, today: dt.date, project=None) -> ContributeContext:
    """Raises ValueError (with a message for the person running the build)
    when a setting or the template is wrong."""
    options = {name: settings.get(name, default) for name, default in DEFAULTS.items()}
    repository = str(settings.get("REPOSITORY_URL") or "").rstrip("/")
    parts = urlsplit(repository)
    if parts.scheme != "https" or not parts.netloc or parts.path.count("/") != 2:
        raise ValueError(f"REPOSITORY_URL must be a repository's address such as "
                         f"https://github.com/owner/name, not '{repository}'")
    branch = str(settings.get("REPOSITORY_BRANCH") or "")
    if not branch:
        raise ValueError("REPOSITORY_BRANCH must name the branch the site is built from, such as main")
    path = Path(settings["PATH"]) / options["MEMBER_TEMPLATE"]
    if not path.is_file():
        raise ValueError(f"MEMBER_TEMPLATE: there is no file {options['MEMBER_TEMPLATE']}")
    try:
        template = load(path)
    except TemplateError as error:
        raise ValueError(str(error)) from None
    filled = template.fill({"last_verified": today}) if "last_verified" in template.fields else template.text
    add_member_url = new_file_url(repository, branch, options["NEW_MEMBER_FILE"], filled)
    if len(add_member_url) > GITHUB_URL_LIMIT:
        raise ValueError(f"the \"Add your organisation\" link would be {len(add_member_url)} characters long; "
                         f"GitHub refuses links over about {GITHUB_URL_LIMIT}: shorten the notes in "
                         f"{options['MEMBER_TEMPLATE']}")
    email = str(options["MAINTAINERS_EMAIL"]).strip()
    if not _PLAIN_ADDRESS.match(email):
        raise ValueError(f"MAINTAINERS_EMAIL must be the maintainers' email address, such as "
                         f"maintainers@example.org, not '{email}'")
    editor = {}
    if project is not None:
        fields, config = editor_parts(Path(settings["PATH"]), project, template, today, {**settings, **options})
        editor = {"editor_fields": fields, "editor_config": config}
    return ContributeContext(
        template=template,
        filled_template=filled,
        maintainers_email=email,
        email_template_url=mailto_url(email, "Member profile: ", filled),
        **editor,
        add_member_url=add_member_url,
        issue_form_url=f"{repository}/issues/new?template={quote(options['MEMBER_ISSUE_FORM'])}",
        members_folder_url=f"{repository}/tree/{quote(branch, safe='')}/members",
    )


def add_to_context(generator) -> None:
    context = generator.context
    if "contribute" in context:  # the context is shared by every generator
        return
    value = str(generator.settings.get("SITE_TODAY") or "").strip()
    try:
        today = dt.date.fromisoformat(value) if value else uk_today()
        try:
            project = project_for(generator.settings)
        except VocabularyError:  # the content_types plugin reports it, and the build fails
            project = None
        context["contribute"] = build_context(generator.settings, today, project)
    except ValueError as error:
        logger.error("contribute plugin: %s", error)
        context["contribute"] = None
