"""Write the field table of CONTRIBUTING.md from the member schema.

    PYTHONPATH=plugins python -m tools.contributing_table           # write it
    PYTHONPATH=plugins python -m tools.contributing_table --check   # exit 1 if out of date

The table sits between two markers in CONTRIBUTING.md; the text around it
is left alone. Like the table on /contribute/ (theme/templates/_field_table.html),
it lists every field of the member schema in the schema's order, with the
schema's description, whether the field is required, and the example from
the member template (tools/templates/member.md), written exactly as it goes
in a profile. tests/test_contribute.py fails when the committed table is
out of date.
"""

from __future__ import annotations

import argparse
import html
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from contribute.member_template import MemberTemplate, load  # noqa: E402
from validation.schemas import load_schemas, resolve  # noqa: E402
from validation.vocabularies import Vocabulary, load_vocabularies  # noqa: E402

CONTRIBUTING = Path("CONTRIBUTING.md")
TEMPLATE = Path("tools/templates/member.md")
BEGIN = "<!-- field-table:begin (written by `python -m tools.contributing_table`; do not edit by hand) -->"
END = "<!-- field-table:end -->"
#: Vocabularies this short are listed in the table itself; longer ones are linked.
LISTED_UP_TO = 12


class TableError(Exception):
    """CONTRIBUTING.md has no place for the table; the message says what is missing."""


def requirement(name: str, schema: dict, template: MemberTemplate) -> str:
    """'required', 'recommended' (not required, but the template asks for
    it) or 'optional', as the table on /contribute/ says."""
    if name in schema.get("required", []):
        return "required"
    field = template.fields.get(name)
    return "recommended" if field is not None and not field.optional else "optional"


def vocabulary_of(spec: dict, schema: dict) -> str | None:
    resolved = resolve(spec, schema)
    return resolved.get("x-vocabulary") or resolve(resolved.get("items", {}), schema).get("x-vocabulary")


def allowed_values(vocabulary: Vocabulary) -> str:
    link = f"[`{vocabulary.source}`]({vocabulary.source})"
    if len(vocabulary.terms) <= LISTED_UP_TO:
        values = ", ".join(f"`{term}`" for term in vocabulary.terms)
        return f"One of: {values} (see {link})."
    return f"Use the values in the first column (`id`) of {link}."


def cell(text: str) -> str:
    """Text for one cell of a Markdown table: on one line, no stray `|`."""
    return " ".join(text.split()).replace("|", "\\|")


def example_cell(example: str) -> str:
    """An example that may take several lines, kept as written (indentation
    included) in a <pre> block, which GitHub allows inside a table cell."""
    lines = [html.escape(line, quote=False).replace("|", "&#124;") for line in example.split("\n")]
    return "<pre>" + "<br>".join(lines) + "</pre>"


def render_table(schema: dict, vocabularies: dict[str, Vocabulary], template: MemberTemplate) -> str:
    rows = ["| Field | Needed | What to write | Example |", "|---|---|---|---|"]
    for name, spec in schema["properties"].items():
        description = resolve(spec, schema).get("description", "")
        vocabulary = vocabulary_of(spec, schema)
        if vocabulary:
            description += " " + allowed_values(vocabularies[vocabulary])
        field = template.fields.get(name)
        example = example_cell(field.example) if field is not None else ""
        rows.append(f"| `{name}` | {requirement(name, schema, template)} | {cell(description)} | {example} |")
    return "\n".join(rows)


def expected_table(root: Path) -> str:
    vocabularies = load_vocabularies(root)
    schema = load_schemas(vocabularies)["member"]
    return render_table(schema, vocabularies, load(root / TEMPLATE))


def with_table(text: str, table: str) -> str:
    """CONTRIBUTING.md's text with the table between the markers replaced."""
    if text.count(BEGIN) != 1 or text.count(END) != 1 or text.index(BEGIN) > text.index(END):
        raise TableError(f"{CONTRIBUTING} must have the line {BEGIN!r} and, after it, the line {END!r} "
                         f"once each: the table is written between them")
    before, rest = text.split(BEGIN, 1)
    _, after = rest.split(END, 1)
    return f"{before}{BEGIN}\n{table}\n{END}{after}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.contributing_table", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the table is out of date")
    parser.add_argument("--root", type=Path, default=ROOT, help="the project folder (default: this project)")
    args = parser.parse_args(argv)
    path = args.root.resolve() / CONTRIBUTING
    current = path.read_text(encoding="utf-8")
    try:
        text = with_table(current, expected_table(args.root.resolve()))
    except TableError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if text == current:
        print(f"The field table in {CONTRIBUTING} is up to date.")
        return 0
    if args.check:
        print(f"The field table in {CONTRIBUTING} is out of date: run `python -m tools.contributing_table`.")
        return 1
    path.write_text(text, encoding="utf-8")
    print(f"Wrote the field table in {CONTRIBUTING}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
