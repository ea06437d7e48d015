"""What the profile editor's build steps made, kept between builds.

Taking the messages from the validator (0.3 s, and 0.7 s more to import
jsonschema, which a build of valid content otherwise never needs) and
running Node.js for the schema's standalone code (0.5 s) would add about a
second to every build. Both depend only on their inputs, so each result is
kept under ``.cache/contribute/`` in the project (git ignores ``.cache/``),
named by a digest of everything it was made from, and in this process for
``make serve``'s rebuilds. A folder that cannot be written only means the
result is made again next time.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

FOLDER = Path(".cache") / "contribute"
_made: dict[str, bytes] = {}


def digest(*parts: str | bytes) -> str:
    hashed = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hashed.update(len(data).to_bytes(8, "big") + data)
    return hashed.hexdigest()


def sources(*paths: Path) -> bytes:
    """The text of source files, for a digest: a result changes with the code that made it."""
    return b"".join(path.read_bytes() for path in sorted(paths))


def kept(root: Path, name: str, key: str, make) -> bytes:
    """The bytes ``make()`` gives for ``key``, made at most once for each key."""
    label = f"{name}-{key}"
    if label in _made:
        return _made[label]
    path = root / FOLDER / label
    try:
        data = path.read_bytes()
    except OSError:
        data = make()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except OSError:
            pass
    _made[label] = data
    return data
