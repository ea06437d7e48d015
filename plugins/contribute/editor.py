"""The profile editor's form (/contribute/profile/), made from the member
schema and the vocabularies at build time, so it cannot drift from them.

The labels, and which fields a member does not fill in, come from the one
table the GitHub issue form uses too (``labels.py``). Each field
becomes one :class:`FormField`; the template renders them
(``_profile_form.html``) and the editor's script reads the same
description from the page (``editor_config``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from validation.schemas import resolve

from . import cache, labels
from .member_template import MemberTemplate
from .messages import message_table
from .profile_file import layout

_PLUGINS = Path(__file__).resolve().parent.parent

#: An article before an item's description in the schema ("A policy").
_ARTICLE = re.compile(r"^(?:A|An|One) ")
#: Run over the member schema's descriptions only.
TRUSTED_PATTERNS = (_ARTICLE,)

#: Not a schema field: the Markdown text below the front matter.
BODY = "body"


@dataclass
class FormField:
    name: str
    label: str
    hint: str
    required: bool
    #: text, textarea, date, select, checkboxes, yes-no or list (of text)
    control: str
    #: For select and checkboxes: (id, label) of each allowed value.
    options: list[tuple[str, str]] = field(default_factory=list)
    #: The input's type for text: text, email, url or tel.
    input_type: str = "text"
    #: For a list: the label of one item ("Policy 1"), and as a sentence has
    #: it ("Remove policy 1"); the field's label as a sentence has it.
    item_label: str = ""
    item_noun: str = ""
    label_in_a_sentence: str = ""
    #: Values only the site's editors use (for organisations named in
    #: reports): offered only to a profile that already has one.
    editors_only: frozenset[str] = frozenset()


def in_a_sentence(label: str) -> str:
    """``Policy`` → ``policy``; a first word with another capital (``GitHub``) stays."""
    first = label.split(" ", 1)[0]
    return label if any(c.isupper() for c in first[1:]) else label[:1].lower() + label[1:]


def form_fields(schema: dict, vocabularies: dict) -> list[FormField]:
    fields = []
    for name, spec in schema["properties"].items():
        if name in labels.LEFT_OUT:
            continue
        spec = resolve(spec, schema)
        items = resolve(spec.get("items", {}), schema) if spec.get("type") == "array" else {}
        hint = spec.get("description", "")
        for sentence in labels.FILE_ONLY_SENTENCES:
            hint = hint.replace(sentence, "").strip()
        vocabulary = spec.get("x-vocabulary") or items.get("x-vocabulary")
        required = name in schema.get("required", [])
        label = labels.label(name)
        if vocabulary:
            options = [(term.id, term.label) for term in vocabularies[vocabulary].terms.values()]
            control = "checkboxes" if spec.get("type") == "array" else "select"
            fields.append(FormField(name, label, hint, required, control, options,
                                    editors_only=frozenset(labels.EDITORS_ONLY.get(vocabulary, ()))))
        elif spec.get("type") == "boolean":
            fields.append(FormField(name, label, "", required, "yes-no"))
        elif spec.get("type") == "array":
            item = _ARTICLE.sub("", items.get("description", "").rstrip(".")) or "Item"
            item = item[:1].upper() + item[1:]
            fields.append(FormField(name, label, hint, required, "list", item_label=item,
                                    item_noun=in_a_sentence(item), label_in_a_sentence=in_a_sentence(label)))
        elif spec.get("x-convert") == "date":
            fields.append(FormField(name, label, hint, required, "date"))
        else:
            control = "textarea" if name in labels.LONG_TEXT else "text"
            input_type = {"web": "url", "email": "email", "tel": "tel"}.get(spec.get("x-link"), "text")
            fields.append(FormField(name, label, hint, required, control, input_type=input_type))
    return fields


def editor_config(fields: list[FormField], schema: dict, messages: dict, settings: dict) -> dict:
    """What the editor's script needs, as the page's JSON data block."""
    return {
        "layout": layout(schema),
        "fields": [{"name": f.name, "label": f.label, "control": f.control, "required": f.required}
                   for f in fields],
        "messages": messages,
        "repository_url": settings["REPOSITORY_URL"].rstrip("/"),
        "issue_form": settings.get("MEMBER_ISSUE_FORM", "add-or-update-member.yml"),
        "maintainers_email": settings.get("MAINTAINERS_EMAIL", ""),
    }


def editor_parts(root: Path, project, template: MemberTemplate, today: dt.date,
                 settings: dict) -> tuple[tuple[FormField, ...], dict]:
    """The editor's fields and its script's configuration. The messages are
    kept between builds (cache.py), by a digest of what they come from."""
    schema = project.schemas["member"]
    fields = form_fields(schema, project.vocabularies)
    names = [f.name for f in fields]
    key = cache.digest(json.dumps(schema, sort_keys=True), template.text, json.dumps(names), cache.sources(
        *_PLUGINS.glob("validation/*.py"), *_PLUGINS.glob("frontmatter/*.py"), *_PLUGINS.glob("contribute/*.py")))
    messages = json.loads(cache.kept(root, "messages.json", key, lambda: json.dumps(
        message_table(schema, project.vocabularies, template, today, names)).encode("utf-8")))
    return tuple(fields), editor_config(fields, schema, form_worded(messages, fields), settings)


#: What to do in the form about a required field left empty, by its control.
FILL_IN = {"text": "type it in", "textarea": "type it in", "date": "type the date, for example 2026-05-01",
           "select": "choose one from the list", "checkboxes": "tick at least one", "list": "add at least one",
           "yes-no": "choose Yes or No"}


def form_worded(messages: dict, fields: list[FormField]) -> dict:
    """The messages, with a required field's in the form's words. make
    check says to add the field's line to the file ("add 'name:'"); the
    form writes the file itself, so its message says what to do there."""
    worded = {name: dict(rules) for name, rules in messages.items()}
    for field in fields:
        entry = worded.get(field.name, {}).get("required")
        if entry is not None:
            worded[field.name]["required"] = {**entry, "hint": FILL_IN[field.control]}
    return worded
