"""Read the answers out of the text of an issue made with the member form.

GitHub writes an issue form's answers as Markdown, one section per question
in the form's order::

    ### What would you like to do?

    Update an existing profile

    ### Website

    _No response_

(A dropdown left unchosen is "None".) A ``render:`` text area's answer is wrapped in a fenced block (the profile
file arrives as ```` ```markdown ```` … ```` ``` ````). A heading counts as a
question's only if it is the next question's label in the form's order, so a
profile file or an "about" text may hold headings of its own; the profile
file is the form's last question, and its answer runs to the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

NO_RESPONSE = "_No response_"
#: What GitHub writes for a dropdown left unchosen.
NO_CHOICE = "None"
#: The most issue text we read. Checked on the bytes before anything else.
MAX_BODY_BYTES = 1024 * 1024
#: Longest value we repeat back in a message.
_SHOWN = 80


class RequestError(Exception):
    """Why the issue could not be turned into a change, in words for the
    person who wrote it: what is wrong and how to fix it."""


@dataclass(frozen=True)
class Question:
    id: str
    label: str
    kind: str  # input, textarea, dropdown or checkboxes
    multiple: bool = False
    options: tuple[str, ...] = ()
    fenced: bool = False  # a textarea with `render:`


def questions(form: dict, answer_fields) -> list[Question]:
    found = []
    for element in answer_fields(form):
        attributes = element["attributes"]
        options = tuple(option["label"] if isinstance(option, dict) else option
                        for option in attributes.get("options", ()))
        found.append(Question(element["id"], attributes["label"], element["type"],
                              bool(attributes.get("multiple")), options, "render" in attributes))
    return found


def shown(value: str) -> str:
    """A value from the issue, safe to repeat in a message or a comment: one
    line, short, in a code span it cannot close, and no @-mention."""
    text = " ".join(value.split()).replace("`", "'")
    if len(text) > _SHOWN:
        text = text[:_SHOWN] + "…"
    return f"`{text}`"


def read_body(path: Path) -> str:
    """The issue's text, refused when it is too long to be the form's."""
    try:
        with open(path, "rb") as file:
            raw = file.read(MAX_BODY_BYTES + 1)
    except OSError as error:
        raise RequestError(f"The issue's text could not be read ({error.strerror}).")
    return decode_body(raw)


def decode_body(raw: bytes) -> str:
    if len(raw) > MAX_BODY_BYTES:
        raise RequestError(f"The issue's text is longer than {MAX_BODY_BYTES // 1024} KB, far more than a "
                           f"profile needs, so it was not read. Shorten it, then edit the issue.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RequestError("The issue's text is not plain UTF-8 text. Write it again in the form.")
    if "\x00" in text:
        raise RequestError("The issue's text contains a NUL character. Write it again in the form.")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_answers(body: str, form_questions: list[Question]) -> dict[str, str | None]:
    """Each question's answer as written (``None`` for "_No response_" or a
    question left out). Refuses text that does not follow the form."""
    index_of = {question.label: index for index, question in enumerate(form_questions)}
    lines = body.split("\n")
    starts: list[tuple[int, int]] = []  # (line, question)
    last = -1
    for number, line in enumerate(lines):
        if line.startswith("### "):
            index = index_of.get(line[4:].strip())
            if index is not None and index > last:
                starts.append((number, index))
                last = index
    first = form_questions[0].label
    if not starts or "\n".join(lines[:starts[0][0]]).strip():
        raise RequestError(f"The issue's text does not follow the form: it should start with the question "
                           f"\"### {first}\". Open a new issue with the form \"Add or update a member "
                           f"profile\" and answer its questions there.")
    answers: dict[str, str | None] = {question.id: None for question in form_questions}
    for position, (start, index) in enumerate(starts):
        end = starts[position + 1][0] if position + 1 < len(starts) else len(lines)
        question = form_questions[index]
        text = "\n".join(lines[start + 1:end]).strip()
        if text == NO_RESPONSE or not text or question.kind == "dropdown" and text == NO_CHOICE:
            continue
        _check_shape(question, text)
        answers[question.id] = text
    return answers


def _check_shape(question: Question, text: str) -> None:
    if question.kind == "textarea":
        return
    extra = [line for line in text.split("\n") if line.strip()]
    if question.kind == "checkboxes":
        if all(line.startswith(("- [X] ", "- [x] ", "- [ ] ")) for line in extra):
            return
    elif len(extra) == 1:
        return
    heading = next((line for line in extra if line.startswith("#")), None)
    if heading is not None:
        raise RequestError(f"The answer to \"{question.label}\" contains the heading {shown(heading)}, which is "
                           f"not a question of this form, so it cannot be used. Remove it and write each answer "
                           f"under its own question, then edit the issue.")
    raise RequestError(f"The answer to \"{question.label}\" should be one line, but it has {len(extra)}. "
                       f"Edit the issue and keep only the answer on that line.")


def unfence(text: str) -> str:
    """The text inside the fenced block(s) GitHub (and perhaps the person
    pasting) wrapped around a file, with its line ends made plain and one
    line break at the end."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    while True:
        first, _, rest = text.partition("\n")
        fence = first[:len(first) - len(first.lstrip("`~"))]
        if len(fence) < 3 or len(set(fence)) != 1:
            break
        inside, _, closing = rest.rpartition("\n")
        if not closing.strip().startswith(fence):
            inside = rest  # never closed: take what there is
        text = inside.strip()
    return text + "\n" if text else ""
