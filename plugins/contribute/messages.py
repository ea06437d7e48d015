"""The profile editor's error messages, taken from the validator itself.

At build time each rule a member could trip on in the form is tried on a
complete profile (the member template filled with its examples) with one
value made wrong, and the problem ``make check`` reports for it becomes the
editor's message for that field and rule, with the value replaced by
``{value}`` (and a length by ``{length}``). So the browser says exactly
what ``make check`` says, and a changed message changes both. A rule that
no longer gives exactly one problem fails the build, naming it.

The table: ``{field: {rule: {"message": …, "hint": …}}}``, and under
``"*"`` the rules of every text field (``markup``, and for hidden
characters ``line_break``, ``bidi``, ``control``, whose messages show
``{shown}``: the value in quotes, or "the text" when it is long, and
``{code}``, the character's code). Rules: ``required``, ``pattern``, ``web``, ``email``,
``minLength``, ``maxLength``, ``real_date``, ``future``, ``item_pattern``,
``item_minLength``, ``uniqueItems``; and under ``"body"`` the rules of the
text below the front matter: ``image``, ``raw_html`` (``{shown}``: the tag),
``link_scheme`` (``{value}``: the link, ``{scheme}``) and ``paragraph``.
"""

from __future__ import annotations

import datetime as dt

from frontmatter.parse import parse_document
from validation.body import MAX_PARAGRAPH
from validation.schemas import resolve
from validation.validate import DocumentValidator

from .member_template import MemberTemplate
from .profile_file import layout, write_profile

SOURCE = "members/probe.md"
#: Values that break one rule each; the value must appear in the message as written.
WRONG_PATTERN = "!!"
WRONG_WEB = "javascript:alert(1)"
WRONG_EMAIL = "someone.example.org"
#: An address that goes to another host than the one it shows, and one with a link's parameters in it.
USER_HOST = "elsewhere.example"
WEB_WITH_USER = f"https://www.example.org@{USER_HOST}/"
EMAIL_CHARACTER = "?"
EMAIL_WITH_PARAMETERS = f"info@example.org{EMAIL_CHARACTER}bcc=someone@elsewhere.example"
WRONG_DATE_FORM = "someday"
NOT_A_DAY = "2026-02-30"
FUTURE = "2999-01-01"
WRONG_NAME = "@someone"
REPEATED = "The same line written twice"


def message_table(schema: dict, vocabularies: dict, template: MemberTemplate, today: dt.date,
                  fields: list[str]) -> dict:
    base = parse_document(template.with_examples().encode("utf-8"), SOURCE).meta
    validator = DocumentValidator("member", schema, vocabularies, today)
    file_layout = layout(schema)

    def problem(path: str, change, body: str = "") -> dict:
        meta = dict(base)
        change(meta)
        document = parse_document(write_profile(meta, body, file_layout).encode("utf-8"), SOURCE)
        _, problems = validator.validate(document)
        found = [p for p in problems if p.field == path and p.severity == "error"]
        if len(found) != 1:
            raise ValueError(f"the profile editor's message for {path} could not be taken from the "
                             f"validator: it gave {len(found)} problems instead of one")
        return {"message": found[0].message, "hint": found[0].hint}

    def setter(name, value):
        return lambda meta: meta.__setitem__(name, value)

    def with_value(entry: dict, value: str) -> dict:
        shown = entry["message"].replace(value, "{value}")
        if shown == entry["message"]:
            raise ValueError(f"the validator's message '{entry['message']}' does not show the value")
        return {**entry, "message": shown}

    def hidden(value: str, code: str = "") -> dict:
        entry = problem("name", setter("name", value))
        shown = entry["message"].replace(f"'{value}'", "{shown}")
        if not shown.startswith("{shown}"):
            raise ValueError(f"the validator's message '{entry['message']}' does not show the value")
        return {**entry, "message": shown.replace(code, "{code}") if code else shown}

    table: dict[str, dict] = {"*": {
        "markup": problem("name", setter("name", "A <b>bold</b> name")),
        "line_break": hidden("Two\nlines"),
        "bidi": hidden("A\u202eB", "202E"),
        "control": hidden("A\x07B", "0007"),
    }}
    def body_rule(body: str, *replacements: tuple[str, str]) -> dict:
        entry = problem("body", lambda meta: None, body)
        message = entry["message"]
        for found, placeholder in replacements:
            if found not in message:
                raise ValueError(f"the validator's message '{message}' does not show '{found}'")
            message = message.replace(found, placeholder, 1)
        return {**entry, "message": message}

    table["body"] = {
        "image": body_rule("![A picture](https://example.org/a.png)"),
        "raw_html": body_rule("Some <b>bold</b> words.", ("<b>", "{shown}")),
        "link_scheme": body_rule("[A link](javascript:alert(1))", ("'javascript:alert(1)'", "'{value}'"),
                                 ("'javascript:'", "'{scheme}:'")),
        "paragraph": body_rule("word " * (MAX_PARAGRAPH // 5 + 1)),
    }
    for name in fields:
        spec = resolve(schema["properties"][name], schema)
        items = resolve(spec.get("items", {}), schema) if spec.get("type") == "array" else {}
        rules: dict[str, dict] = {}
        if name in schema.get("required", []):
            rules["required"] = problem(name, lambda meta, n=name: meta.pop(n, None))
        if spec.get("type") == "string":
            if spec.get("x-convert") == "date":
                rules["pattern"] = with_value(problem(name, setter(name, WRONG_DATE_FORM)), WRONG_DATE_FORM)
                rules["real_date"] = with_value(problem(name, setter(name, NOT_A_DAY)), NOT_A_DAY)
                if name == "last_verified":
                    rules["future"] = with_value(problem(name, setter(name, FUTURE)), FUTURE)
            elif spec.get("x-link") == "web":
                rules["web"] = with_value(problem(name, setter(name, WRONG_WEB)), WRONG_WEB)
                entry = with_value(problem(name, setter(name, WEB_WITH_USER)), WEB_WITH_USER)
                rules["web_user"] = {**entry, "message": entry["message"].replace(f"'{USER_HOST}'", "'{host}'", 1)}
            elif spec.get("x-link") == "email":
                rules["email"] = with_value(problem(name, setter(name, WRONG_EMAIL)), WRONG_EMAIL)
                entry = with_value(problem(name, setter(name, EMAIL_WITH_PARAMETERS)), EMAIL_WITH_PARAMETERS)
                rules["email_plain"] = {**entry, "message": entry["message"].replace(
                    f"'{EMAIL_CHARACTER}'", "'{character}'", 1)}
            elif "pattern" in spec:
                rules["pattern"] = with_value(problem(name, setter(name, WRONG_PATTERN)), WRONG_PATTERN)
            if spec.get("minLength", 0) > 1:
                rules["minLength"] = problem(name, setter(name, "a" * (spec["minLength"] - 1)))
            if "maxLength" in spec:
                too_long = spec["maxLength"] + 1
                entry = problem(name, setter(name, "a" * too_long))
                rules["maxLength"] = {**entry, "message": entry["message"].replace(str(too_long), "{length}", 1)}
        if items.get("type") == "string" and not items.get("x-vocabulary"):
            if "pattern" in items:
                rules["item_pattern"] = with_value(problem(f"{name}[0]", setter(name, [WRONG_NAME])), WRONG_NAME)
            if items.get("minLength", 0) > 1:
                rules["item_minLength"] = problem(f"{name}[0]", setter(name, ["a" * (items["minLength"] - 1)]))
            if spec.get("uniqueItems"):
                rules["uniqueItems"] = problem(name, setter(name, [REPEATED, REPEATED]))
        table[name] = rules
    return table
