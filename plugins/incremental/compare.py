"""Whether a value a page was made from is what it is now.

A rebuild holds the values the last build's pages read (by reference) and
compares each with its value now: :func:`same`. Content objects count by
their file alone (what of them a page read is recorded apart, so a change
two hops away is found at the object it happened in); functions by name;
everything else by value, to any depth.
"""

from __future__ import annotations

import dataclasses
import types

from pelican.contents import Content

_SCALARS = (str, int, float, bool, type(None), bytes)
_CONTAINERS = (dict, list, tuple)


def same(old, new, depth: int = 0) -> bool:
    if old is new:
        return old is not ALWAYS_CHANGED
    kind = type(old)
    if kind is not type(new):
        return False
    if kind in _SCALARS:
        return old == new
    if isinstance(old, Content):
        return old.source_path == new.source_path
    if depth == 0 and kind in _CONTAINERS:
        # Equal values are the same (equal content objects are one object):
        # Python compares a nested structure far quicker than this function
        # does, and nearly every value a rebuild compares is unchanged.
        try:
            if old == new:
                return True
        except Exception:
            pass
    if depth > 20:  # a structure this deep is not something a page shows: count it as changed
        return False
    if kind is list or kind is tuple:
        if len(old) != len(new):
            return False
        if old and isinstance(old[0], Content) and all([isinstance(item, Content) for item in old + new]):
            # A list of content objects (a listing's members): by their files.
            return [item.source_path for item in old] == [item.source_path for item in new]
        return all([same(a, b, depth + 1) for a, b in zip(old, new)])
    if kind is dict:
        return (len(old) == len(new) and all([key in new for key in old])
                and all([same(value, new[key], depth + 1) for key, value in old.items()]))
    if kind is set or kind is frozenset:
        return old == new
    if kind is Named:
        return old == new
    if kind is types.FunctionType or kind is types.BuiltinFunctionType:
        return (old.__module__, old.__qualname__) == (new.__module__, new.__qualname__)
    if dataclasses.is_dataclass(old):
        # Fields left out of comparison (compare=False) are caches, not values.
        return all([same(getattr(old, f.name), getattr(new, f.name), depth + 1)
                    for f in dataclasses.fields(old) if f.compare])
    if hasattr(old, "__dict__"):
        return same(vars(old), vars(new), depth + 1)
    try:
        return bool(old == new)
    except Exception:  # a value that cannot say: count it as changed
        return False


def captured(value):
    """``value`` as a rebuild will compare it. A method of a content object
    gives what depends on all of the object, which a rebuild may have
    changed in place (its relations are set anew each build): a page that
    reads one is made again every time."""
    if type(value) is types.MethodType and isinstance(value.__self__, Content):
        return ALWAYS_CHANGED
    if type(value) is types.FunctionType:
        # By name (as same() compares functions): a function a template is
        # given (member_cards) holds its build, which is not to be kept.
        return Named(value.__module__, value.__qualname__)
    return value


class Named(tuple):
    """A function, as its module and name."""

    def __new__(cls, module: str, name: str):
        return super().__new__(cls, (module, name))


class _AlwaysChanged:
    def __eq__(self, other):
        return False

    __hash__ = object.__hash__


ALWAYS_CHANGED = _AlwaysChanged()
