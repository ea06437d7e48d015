"""Decide what an issue asks for and make the one file change it needs.

The requests (the form's first question):

* **Add a new profile**: ``members/<slug>.md``, the slug given as the
  profile's short name or made from the organisation's name as
  ``make new-member`` makes it; refused if that profile exists.
* **Update an existing profile**: the profile file as the site's editor
  made it, or only the answered fields changed (and ``last_verified``
  moved to today).
* **Confirm nothing has changed**: only ``last_verified`` moves on.
* **Say we could bid for a tender**: the member's slug is added to the
  tender's ``interested_members``; nothing else in the file changes.

Every result is checked as ``make check`` checks a file of its type before
it is offered; only ``members/`` and ``content/tenders/`` can be written.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from frontmatter.parse import parse_document
from frontmatter.problems import ContentError, Problem
from validation.collection import SLUG
from validation.project import Project
from validation.schemas import resolve

from tools import issue_form
from tools.new_member import existing_names, slug_for

from .answers import BODY_QUESTION, FormFields, is_ticked, profile_fields
from .issue_body import RequestError, questions, read_answers, shown, unfence
from .profile_text import new_profile, updated_profile, with_list_item

MEMBERS = "members"
TENDERS = "content/tenders"
#: Where this converter may write, and nowhere else.
WRITABLE = (MEMBERS, TENDERS)
MAX_SLUG = 100
_REQUEST_OF = {label: request for request, label in issue_form.REQUESTS.items()}


@dataclass(frozen=True)
class Change:
    """The one file an issue changes."""

    request: str  # add, update, confirm or tender
    path: str  # relative to the project, in members/ or content/tenders/
    text: str
    summary: str  # one sentence for the pull request and the log
    slug: str  # the member's
    unchanged: bool = False  # the file already says this


class Converter:
    """The form, schemas and vocabularies of one project, read once."""

    def __init__(self, root: Path, today: dt.date):
        self.root = Path(root)
        self.today = today

    @cached_property
    def form(self) -> FormFields:
        schema = self.project.schemas["member"]
        types = {name: resolve(spec, schema).get("type", "string") for name, spec in schema["properties"].items()}
        return FormFields(questions(issue_form.build_form(self.root), issue_form.answer_fields),
                          issue_form.choices(self.root), types)

    @cached_property
    def project(self) -> Project:
        return Project(self.root, self.today)

    @property
    def order(self) -> list[str]:
        return list(self.project.schemas["member"]["properties"])

    @property
    def plain(self) -> set[str]:
        return set(self.form.choices) | {n for n, t in self.form.types.items() if t == "boolean"} | {"last_verified"}

    # -- the requests -----------------------------------------------------

    def convert(self, body: str) -> Change:
        answers = read_answers(body, self.form.questions)
        request = self._request(answers.get("request"))
        if not is_ticked(answers.get("last_verified")):
            label = self.form.question("last_verified").options[0]
            raise RequestError(f"Tick the box \"{label}\" at the end of the form (edit the issue), so that "
                               f"we know the details may be published.")
        slug = member_slug(answers.get("profile")) if answers.get("profile") else None
        file_answer = answers.get("profile_file")
        profile_file = (unfence(file_answer) or None) if file_answer else None  # an empty fence is no file
        if request == "add":
            return self._add(slug, answers, profile_file)
        if slug is None:
            raise RequestError(f"Say which profile: write its address on the site (or its short name) under "
                               f"\"{self.form.question('profile').label}\", then edit the issue.")
        current = self._existing(slug)
        if request == "update":
            return self._update(slug, current, answers, profile_file)
        if request == "confirm":
            return self._confirm(slug, current, profile_file)
        return self._tender(slug, answers.get("tender"))

    def _request(self, answer: str | None) -> str:
        question = self.form.question("request")
        if answer is None:
            raise RequestError(f"Choose what you would like to do under \"{question.label}\", then edit the issue.")
        if answer.strip() not in _REQUEST_OF:
            raise RequestError(f"{shown(answer)} is not one of the choices for \"{question.label}\": choose "
                               + ", ".join(f"\"{label}\"" for label in _REQUEST_OF) + ".")
        return _REQUEST_OF[answer.strip()]

    def _add(self, slug: str | None, answers: dict, profile_file: str | None) -> Change:
        if profile_file is not None:
            text = profile_file
            meta = self._profile_meta(text, f"{MEMBERS}/{slug or 'new-profile'}.md")
        else:
            fields = profile_fields(answers, self.form)
            fields["last_verified"] = self.today.isoformat()
            text = new_profile(fields, self.order, self.plain, answers.get(BODY_QUESTION) or "")
            meta = fields
        name = meta.get("name") if isinstance(meta.get("name"), str) else ""
        if slug is None:
            slug = slug_for(name) if name else ""
            if not slug:
                raise RequestError(f"Write the organisation's name under \"{self.form.label('name')}\", "
                                   f"then edit the issue.")
        path = f"{MEMBERS}/{slug}.md"
        if (self.root / path).exists():
            raise RequestError(f"There is already a profile called {shown(slug)} ({path}). To change it, choose "
                               f"\"{issue_form.REQUESTS['update']}\"; for a new organisation, give it a short "
                               f"name of its own.")
        self._same_organisation(name, None)
        self._validate(text, path, by_label=profile_file is None)
        # Only the slug and path, which are safe: the name is the member's text.
        return Change("add", path, text, f"Add the profile {path}", slug)

    def _update(self, slug: str, current: str, answers: dict, profile_file: str | None) -> Change:
        path = f"{MEMBERS}/{slug}.md"
        if profile_file is not None:
            text = profile_file
            meta = self._profile_meta(text, path)
            self._same_organisation(meta.get("name"), slug)
        else:
            fields = profile_fields(answers, self.form)
            fields["last_verified"] = self.today.isoformat()
            self._same_organisation(fields.get("name"), slug)
            text = updated_profile(current, fields, self.order, self.plain, answers.get(BODY_QUESTION), path)
        self._validate(text, path, by_label=profile_file is None)
        return Change("update", path, text, f"Update the profile {path}", slug, unchanged=text == current)

    def _confirm(self, slug: str, current: str, profile_file: str | None) -> Change:
        path = f"{MEMBERS}/{slug}.md"
        date = self.today
        if profile_file is not None:
            sent = self._document(profile_file, path)
            before = self._document(current, path)
            if _without_date(sent.meta) != _without_date(before.meta) or sent.body.strip() != before.body.strip():
                raise RequestError(f"You chose \"{issue_form.REQUESTS['confirm']}\", but the profile file changes "
                                   f"more than the date it was checked. To make those changes, choose "
                                   f"\"{issue_form.REQUESTS['update']}\" (edit the issue).")
            try:  # the day in the member's browser, unless that is still tomorrow here
                date = min(dt.date.fromisoformat(str(sent.meta.get("last_verified"))), self.today)
            except ValueError:
                pass
        text = updated_profile(current, {"last_verified": date.isoformat()}, self.order, self.plain, None, path)
        self._validate(text, path, by_label=False)
        return Change("confirm", path, text, f"Confirm that {path} is up to date ({date.isoformat()})", slug,
                      unchanged=text == current)

    def _tender(self, slug: str, answer: str | None) -> Change:
        question = self.form.question("tender")
        if not answer:
            raise RequestError(f"Say which tender: write its address on the site (or its short name) under "
                               f"\"{question.label}\", then edit the issue.")
        tender = page_slug(answer, "tenders", "a tender")
        path = f"{TENDERS}/{tender}.md"
        current = self._read(path, f"There is no tender called {shown(tender)}. Copy the address of the "
                                   f"tender's page on the site, then edit the issue.")
        interested = self._document(current, path).meta.get("interested_members") or []
        if slug in interested:
            return Change("tender", path, current, f"{slug} is already listed as interested in {path}", slug,
                          unchanged=True)
        text = with_list_item(current, "interested_members", slug, path)
        self._validate(text, path, by_label=False, type_name="tender")
        return Change("tender", path, text, f"Add {slug} to the members interested in {path}", slug)

    # -- reading and checking ------------------------------------------------

    def _existing(self, slug: str) -> str:
        return self._read(f"{MEMBERS}/{slug}.md",
                          f"There is no profile called {shown(slug)}. Check the address of the profile's page, "
                          f"or, for a new organisation, choose \"{issue_form.REQUESTS['add']}\".")

    def _read(self, path: str, missing: str) -> str:
        file = self.root / path
        if file.is_symlink() or file.parent.is_symlink():
            raise RequestError(f"{path} is a symbolic link, so it cannot be changed automatically. "
                               f"A maintainer will look at it.")
        try:
            return file.read_bytes().decode("utf-8")
        except FileNotFoundError:
            raise RequestError(missing)
        except (OSError, UnicodeDecodeError):
            raise RequestError(f"{path} cannot be read, so it cannot be changed automatically. "
                               f"A maintainer will look at it.")

    def _document(self, text: str, path: str):
        try:
            return parse_document(text.encode("utf-8"), path)
        except ContentError as error:
            raise RequestError(_problem_list("The profile file cannot be read:", error.problems, None))

    def _profile_meta(self, text: str, path: str) -> dict:
        meta = self._document(text, path).meta
        known = self.project.schemas["member"]["properties"]
        unknown = [name for name in meta if name not in known]
        if unknown:
            raise RequestError(f"The profile file has the field {shown(unknown[0])}, which profiles do not have. "
                               f"Remove it (the fields a profile can have are listed in CONTRIBUTING.md), "
                               f"then edit the issue.")
        return meta

    def _same_organisation(self, name, slug: str | None) -> None:
        """Refuse a profile whose name is another profile's: sent for the
        wrong profile, or a second profile for the same organisation."""
        if not isinstance(name, str):
            return
        other = existing_names(self.root / MEMBERS).get(" ".join(name.split()).casefold())
        if other and other != f"{MEMBERS}/{slug}.md":
            claimed = f"the profile {shown(slug)}" if slug else "a new profile"
            raise RequestError(f"The issue is for {claimed}, but the organisation {shown(name)} already has "
                               f"its profile in {other}. Choose that profile (its short name is "
                               f"{shown(Path(other).stem)}), then edit the issue.")

    def _validate(self, text: str, path: str, by_label: bool, type_name: str = "member") -> None:
        document = self._document(text, path)
        if type_name == "member":
            self._profile_meta(text, path)
        _, problems = self.project.validators[type_name].validate(document)
        errors = [problem for problem in problems if problem.severity == "error"]
        if errors:
            heading = f"The {'profile' if type_name == 'member' else 'tender'} cannot be published as it is:"
            raise RequestError(_problem_list(heading, errors, self.form if by_label else None))


def _without_date(meta: dict) -> dict:
    return {name: value for name, value in meta.items() if name != "last_verified"}


def _problem_list(heading: str, problems: list[Problem], form: FormFields | None) -> str:
    """Problems as a list: by the form's question when the answers were
    given one by one, by line in the file otherwise."""
    lines = [heading, ""]
    for problem in sorted(problems):
        hint = problem.hint
        if form and problem.field:
            field = problem.field.split(".")[0].split("[")[0]
            where = f"\"{form.label(BODY_QUESTION if field == 'body' else field)}\""
            if problem.message == "is missing":
                hint = "answer this question"
        else:
            where = f"line {problem.line}" + (f", {problem.field}" if problem.field else "")
        lines.append(f"- {where}: {problem.message}" + (f"; {hint}" if hint else ""))
    lines += ["", "Fix these, then edit the issue: it is checked again."]
    return "\n".join(lines)


def member_slug(answer: str) -> str:
    return page_slug(answer, "members", "a profile")


def page_slug(answer: str, folder: str, what: str) -> str:
    """A page's slug from its address on the site (for a profile, also the
    editor's address for it) or the slug itself."""
    value = answer.strip()
    if "://" in value:
        address = urlsplit(value)
        parts = [part for part in address.path.split("/") if part]
        editor = parse_qs(address.query).get("member") if parts[-2:] == ["contribute", "profile"] else None
        if folder == "members" and editor:  # the editor's own address, /contribute/profile/?member=<slug>
            parts = [folder, editor[0]]
        if len(parts) < 2 or parts[-2] != folder:
            raise RequestError(f"{shown(value)} is not the address of {what} on the site: it should end "
                               f"/{folder}/<short-name>/. Copy the address of the page, then edit the issue.")
        value = parts[-1]
    if not SLUG.match(value) or len(value) > MAX_SLUG:
        raise RequestError(f"{shown(value)} is not the short name of {what}: a short name has only lower-case "
                           f"letters, digits and single hyphens (no '/', '..' or spaces), for example "
                           f"example-community-trust. Edit the issue and write the page's address or its "
                           f"short name.")
    return value


def convert(body: str, root: Path, today: dt.date) -> Change:
    return Converter(root, today).convert(body)


def write(change: Change, root: Path) -> Path:
    """Write the change's file, only ever under members/ or content/tenders/,
    all at once (a temporary file moved into place)."""
    root = Path(root).resolve()
    target = root / change.path
    folder = target.parent
    allowed = {(root / writable).resolve() for writable in WRITABLE}
    if folder.is_symlink() or folder.resolve() not in allowed or target.is_symlink() \
            or not SLUG.match(target.stem) or target.suffix != ".md":
        raise RequestError(f"{change.path} is not a file this workflow may write.")
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".issue-", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(change.text.encode("utf-8"))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
