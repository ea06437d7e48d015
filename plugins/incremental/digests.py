"""Digests that are the same for equal inputs from one build to the next."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path


def digest(*parts: bytes) -> bytes:
    """A digest of ``parts``, joined unambiguously."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.digest()


def digest_of_text(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def settings_digest(settings: dict) -> bytes:
    """The settings, but for the output folder (a new one each build)."""
    return digest(stable({key: value for key, value in settings.items() if key != "OUTPUT_PATH"}).encode())


def stable(value, depth: int = 0) -> str:
    """A text that is the same for equal inputs from one build to the next
    (no memory addresses): content objects by path, functions by name."""
    if depth > 12:
        return "…"
    if value is None or isinstance(value, (str, int, float, bool, dt.date, dt.datetime, Path)):
        return repr(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{stable(k, depth + 1)}:{stable(v, depth + 1)}"
                              for k, v in sorted(value.items(), key=lambda item: repr(item[0]))) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(stable(v, depth + 1) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(stable(v, depth + 1) for v in value)) + "}"
    if hasattr(value, "source_path") and hasattr(value, "metadata"):
        return f"<content {value.source_path}>"
    if callable(value) and hasattr(value, "__qualname__"):
        return f"<{getattr(value, '__module__', '')}.{value.__qualname__}>"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return type(value).__name__ + stable({f.name: getattr(value, f.name) for f in dataclasses.fields(value)},
                                             depth + 1)
    if hasattr(value, "__dict__"):
        return type(value).__name__ + stable(vars(value), depth + 1)
    return type(value).__name__
