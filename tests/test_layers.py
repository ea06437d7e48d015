"""The plugins' imports run one way, down the layers the README names
(read → validate → relate → render → index → write), and none is hidden
inside a function to dodge a cycle. Read from the source with ``ast``, so
a new import against the layers fails here, not in a newcomer's head."""

from __future__ import annotations

import ast
from pathlib import Path

from building import ROOT

PLUGINS = ROOT / "plugins"

#: Each plugin package, bottom first: a package may import only those
#: before it. The last four are side by side: none imports another.
LAYERS = [
    ["frontmatter"],  # parse the files
    ["validation"],  # check them (make check)
    ["incremental"],  # what is kept between builds, the second core
    ["content_types"],  # read, relate, render, write the pages
    ["member_data", "search_index", "tender_feeds", "contribute"],  # made from the content
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def packages() -> list[str]:
    return sorted(p.name for p in PLUGINS.iterdir() if p.is_dir() and any(p.glob("*.py")))


def imports(path: Path) -> list[tuple[ast.stmt, str, bool]]:
    """(statement, module imported, at module level) for each import in
    ``path``; relative imports resolved against its package."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    package = path.relative_to(PLUGINS).parts[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node, alias.name, id(node) in top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[:len(package) - node.level + 1])
                modules = [f"{base}.{node.module}"] if node.module else [f"{base}.{a.name}" for a in node.names]
            else:
                modules = [node.module]
            found += [(node, module, id(node) in top) for module in modules]
    return found


def module_name(path: Path) -> str:
    parts = path.relative_to(PLUGINS).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_every_plugin_package_has_a_layer():
    assert set(packages()) == set(RANK), "add the new package to LAYERS (and to the README's layout)"


def test_imports_run_down_the_layers_and_none_hides_in_a_function():
    wrong = []
    for path in sorted(PLUGINS.rglob("*.py")):
        own = path.relative_to(PLUGINS).parts[0]
        for node, module, at_top in imports(path):
            other = module.split(".")[0]
            if other not in RANK or other == own:
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno} imports {module}"
            if RANK[other] >= RANK[own]:
                wrong.append(f"{where}, which is not below {own}")
            if not at_top:
                wrong.append(f"{where} inside a function")
    assert not wrong, "\n".join(wrong)


def test_no_package_s_modules_import_each_other_in_a_cycle():
    graph: dict[str, set[str]] = {}
    for path in sorted(PLUGINS.rglob("*.py")):
        me = module_name(path)
        package = me.split(".")[0]
        graph[me] = set()
        for _, module, _ in imports(path):
            if module.split(".")[0] != package:
                continue
            # "from . import state" names a module; "from .state import X" too.
            while module and module != me and not (PLUGINS / (module.replace(".", "/") + ".py")).exists() \
                    and not (PLUGINS / module.replace(".", "/") / "__init__.py").exists():
                module = module.rpartition(".")[0]
            if module and module != me:
                graph[me].add(module)
    # A package's __init__ importing its own modules is the usual shape;
    # a module importing its package's __init__ back is what makes a cycle.
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(" → ".join(trail[trail.index(nxt):] + [node, nxt]) if nxt in trail
                              else f"{node} → {nxt}")
            elif nxt not in state:
                visit(nxt, trail + [node])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    assert not cycles, "\n".join(cycles)
