"""Turn the form's answers back into profile fields.

The questions and their choices come from tools/issue_form.py, the code
that makes the form, so a label or choice changed there is read back here
the same way. Only answered questions give a field: for an update, a
question left at "_No response_" leaves the field as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from .issue_body import Question, RequestError, shown

#: Questions about the request itself, not profile fields.
REQUEST_QUESTIONS = {"request", "profile", "tender", "last_verified", "profile_file"}
#: The question whose answer is the profile's text, not a field.
BODY_QUESTION = "about"
_YES_NO = {"Yes": "true", "No": "false"}


@dataclass(frozen=True)
class FormFields:
    """The member form's questions, with what the converter needs of each."""

    questions: list[Question]
    #: field -> {choice label: vocabulary id}
    choices: dict[str, dict[str, str]]
    #: field -> its schema type ("string", "array", "boolean")
    types: dict[str, str]

    def question(self, question_id: str) -> Question:
        return next(question for question in self.questions if question.id == question_id)

    def label(self, field: str) -> str:
        """The question a profile field is asked by (or the field's name)."""
        return next((q.label for q in self.questions if q.id == field), field)


def profile_fields(answers: dict[str, str | None], form: FormFields) -> dict[str, object]:
    """The answered profile fields: text, "true"/"false", or lists of text,
    as the front-matter reader gives them (vocabulary answers as their ids)."""
    fields: dict[str, object] = {}
    for question in form.questions:
        answer = answers.get(question.id)
        if question.id in REQUEST_QUESTIONS or question.id == BODY_QUESTION or answer is None:
            continue
        fields[question.id] = _value(question, answer, form)
    return fields


def _value(question: Question, answer: str, form: FormFields):
    field = question.id
    if field in form.choices:
        ids = form.choices[field]
        labels = split_choices(answer, list(ids), question) if question.multiple else [answer.strip()]
        for label in labels:
            if label not in ids:
                raise RequestError(f"{shown(label)} is not one of the choices for \"{question.label}\". "
                                   f"Edit the issue and choose from the list.")
        values = [ids[label] for label in labels]
        return values if form.types.get(field) == "array" else values[0]
    if form.types.get(field) == "boolean":
        if answer.strip() not in _YES_NO:
            raise RequestError(f"The answer to \"{question.label}\" must be Yes or No, not {shown(answer)}.")
        return _YES_NO[answer.strip()]
    if form.types.get(field) == "array":
        items = []
        for line in answer.split("\n"):
            line = line.strip()
            if line.startswith(("- ", "* ")):
                line = line[2:].strip()
            if line:
                items.append(line)
        return items
    return " ".join(answer.split())


def split_choices(answer: str, labels: list[str], question: Question) -> list[str]:
    """GitHub joins a multiple choice's answers with ", ", and some choices
    contain ", " themselves: take the longest choice that fits each time."""
    found, rest = [], answer.strip()
    by_length = sorted(labels, key=len, reverse=True)
    while rest:
        label = next((label for label in by_length
                      if rest == label or rest.startswith(label + ", ")), None)
        if label is None:
            choice = rest.split(", ", 1)[0]
            raise RequestError(f"{shown(choice)} is not one of the choices for \"{question.label}\". "
                               f"Edit the issue and choose from the list.")
        found.append(label)
        rest = rest[len(label) + 2:]
    return found


def is_ticked(answer: str | None) -> bool:
    return bool(answer) and all(line.startswith(("- [X] ", "- [x] "))
                                for line in answer.split("\n") if line.strip())
