"""Issue texts as GitHub writes them from the member form, for tests.

GitHub writes one section per question, in the form's order: ``### label``,
a blank line, the answer (``_No response_`` when there is none), sections
apart by a blank line; a ``render:`` text area's answer in a fenced block;
a ticked box as ``- [X] label``. The text area's answer is trimmed, as
GitHub trims it.
"""

from __future__ import annotations

from building import ROOT
from tools import issue_form

FORM = issue_form.build_form(ROOT)
REQUESTS = issue_form.REQUESTS


def issue_body(answers: dict[str, str], ticked: bool = True) -> str:
    sections = []
    for element in issue_form.answer_fields(FORM):
        attributes = element["attributes"]
        answer = answers.get(element["id"])
        if element["type"] == "checkboxes" and answer is None:
            answer = "\n".join(f"- [{'X' if ticked else ' '}] {option['label']}" for option in attributes["options"])
        if answer is None or not answer.strip():
            text = "_No response_"
        elif "render" in attributes:
            text = f"```{attributes['render']}\n{answer.strip()}\n```"
        else:
            text = answer
        sections.append(f"### {attributes['label']}\n\n{text}")
    return "\n\n".join(sections)
