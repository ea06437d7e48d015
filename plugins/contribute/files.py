"""The files the profile editor loads, written once the content is read
(an existing profile's values are on its own page, in the JSON block
``#app-profile-data`` that member.html writes: ``{"slug", "meta": the front
matter as written, every scalar as text, "body"}``):

- ``contribute/profile/member-template.md``: the member template with
  today's date, to download and fill in without the form;
- ``theme/js/member-schema.js``: ajv's standalone check of the published
  member schema, made by ``member_schema_code.cjs`` with Node.js (the site's
  Content Security Policy allows no code compiled in the browser). It is
  made again only when the schema, ajv or the script changes (cache.py).
"""

from __future__ import annotations

import json
import logging
import subprocess
from pathlib import Path

import incremental

from . import cache

logger = logging.getLogger(__name__)

SCHEMA_CODE = "js/member-schema.js"
#: The member template, for those who fill it in without the form.
TEMPLATE_FILE = "contribute/profile/member-template.md"
_SCRIPT = Path(__file__).with_name("member_schema_code.cjs")
#: What this process last wrote, by output path: make serve's rebuilds
#: write only what changed.
_written: dict[str, bytes] = {}


def write_editor_files(generators) -> None:
    content = incremental.published()
    if content is None:
        return
    output = Path(content.output_path)
    settings = content.settings
    contribute = content.context.get("contribute")
    if contribute is not None:
        _write(output / TEMPLATE_FILE, contribute.filled_template.encode("utf-8"))
    schema = content.context["schemas"]["member"]
    target = output / settings.get("THEME_STATIC_DIR", "theme") / SCHEMA_CODE
    try:
        _write_schema_code(schema, target, Path(settings["PATH"]))
    except (OSError, subprocess.SubprocessError, ValueError) as error:
        logger.error("contribute plugin: could not make %s: %s", SCHEMA_CODE, error)


def _write(path: Path, data: bytes) -> None:
    if _written.get(str(path)) == data and path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    _written[str(path)] = data


def _write_schema_code(schema: dict, target: Path, root: Path) -> None:
    text = json.dumps(schema, ensure_ascii=False)
    ajv = root / "node_modules" / "ajv" / "package.json"
    if not ajv.is_file():
        raise ValueError("node_modules/ajv is missing: run `make setup`")
    key = cache.digest(text, ajv.read_bytes(), _SCRIPT.read_bytes())
    code = cache.kept(root, "member-schema.js", key, lambda: _schema_code(text, root))
    if target.exists() and target.read_bytes() == code:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(code)


def _schema_code(text: str, root: Path) -> bytes:
    try:
        result = subprocess.run(["node", str(_SCRIPT)], input=text, capture_output=True, text=True,
                                cwd=root, timeout=120, check=False)
    except FileNotFoundError:
        raise ValueError("Node.js (`node`) is not installed; the build needs it, as `make setup` does") from None
    if result.returncode != 0:
        raise ValueError(result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "node failed")
    return result.stdout.encode("utf-8")
