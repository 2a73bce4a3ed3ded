"""The package's shape (DESIGN.md §4, STYLE.md): no circle of imports between modules, no
module past ~400 lines, and MkDocs known only to the modules that drive it.

The import graph is read from the source: every import statement, at module level, inside
functions and under TYPE_CHECKING alike, so it also sees a circle that shows only when a
function runs, or only to a type checker."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "bulletin"
MAX_LINES = 400

LONG_MODULES: frozenset[str] = frozenset()

# The modules that may import MkDocs or Material, and why. Every other module is a concern
# module: it takes plain data and paths and is tested without a MkDocs build (DESIGN.md §4).
MKDOCS_MODULES = {
    "bulletin.plugin": "the MkDocs plugin: its hooks",
    "bulletin.cli": "reads mkdocs.yml with MkDocs' load_config (build and serve run MkDocs' command line)",
    "bulletin.config": "the plugin's options, as MkDocs config options",
    "bulletin.screen_config": "the screen's options, as MkDocs config options",
    "bulletin.pagecache": "stands in for MkDocs' rendering of a page and restores what it made",
    "bulletin.pagecache.keys": "keys made of MkDocs' pages, files, navigation and configuration",
    "bulletin.preview": "renders one page through MkDocs' own page steps",
    "bulletin.tags": "sets the sort order of Material's tags plugin",
}


def modules(package: Path) -> dict[str, Path]:
    """Each module of `package` by its dotted name (a package's __init__ by the package's)."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known) -> list[tuple[str, int]]:
    """What module `name` (at `path`) imports, as absolute dotted names with their lines.

    `from .a import b` imports the module a.b where `known` has one, else module a."""
    here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = here[:len(here) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.append((sub if sub in known else target, node.lineno))
    return found


def import_graph(package: Path) -> dict[str, dict[str, int]]:
    """Each module -> the modules of `package` it imports, with the first line that does."""
    known = modules(package)
    graph = {}
    for name, path in known.items():
        edges: dict[str, int] = {}
        for target, line in imports(name, path, known):
            if target in known and target != name:
                edges.setdefault(target, line)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in graph:
        if node not in index:
            visit(node)
    return groups


def _describe(graph, group, package: Path) -> str:
    known = modules(package)
    return "\n".join(f"  {a} -> {b}  ({known[a].relative_to(package.parent)}:{line})"
                     for a in group for b, line in graph[a].items() if b in group)


def test_no_import_cycle_between_modules():
    graph = import_graph(PACKAGE)
    assert len(graph) > 50 and graph["bulletin.search_derive"].keys() >= {"bulletin.search_format"}
    found = cycles(graph)
    assert not found, "modules that import each other:\n" + "\n\n".join(
        _describe(graph, group, PACKAGE) for group in found)


def test_the_graph_sees_relative_function_level_and_type_only_imports(tmp_path):
    package = tmp_path / "pkg"
    files = {
        "__init__.py": "",
        "a.py": "def f():\n    from .sub import b\n",
        "sub/__init__.py": "from .b import thing\n",
        "sub/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..c import C\nthing = 1\n",
        "c.py": "import pkg.a\n",
        "d.py": "from pkg import a\nfrom .sub import thing\n",
    }
    for rel, text in files.items():
        (package / rel).parent.mkdir(parents=True, exist_ok=True)
        (package / rel).write_text(textwrap.dedent(text))
    graph = import_graph(package)
    assert graph["pkg.a"] == {"pkg.sub.b": 2}
    assert graph["pkg.sub"] == {"pkg.sub.b": 1}
    assert graph["pkg.d"] == {"pkg.a": 1, "pkg.sub": 2}
    assert cycles(graph) == [["pkg.a", "pkg.c", "pkg.sub.b"]]


def test_no_module_over_400_lines():
    lengths = {path.relative_to(PACKAGE.parent).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
               for path in modules(PACKAGE).values()}
    too_long = {rel: n for rel, n in lengths.items() if n > MAX_LINES and rel not in LONG_MODULES}
    assert not too_long, f"past {MAX_LINES} lines (STYLE.md: make it a subpackage with a clear face): {too_long}"
    short_again = {rel: lengths.get(rel) for rel in LONG_MODULES if lengths.get(rel, 0) <= MAX_LINES}
    assert not short_again, f"no longer long, take them off LONG_MODULES: {short_again}"


def test_only_the_modules_that_drive_mkdocs_import_it():
    known = modules(PACKAGE)
    importers = {}
    for name, path in known.items():
        lines = [line for target, line in imports(name, path, known)
                 if target.split(".")[0] in ("mkdocs", "material")]
        if lines:
            importers[name] = lines
    assert importers.keys() >= {"bulletin.plugin", "bulletin.config"}
    concern = {name: f"{known[name].relative_to(PACKAGE.parent)}:{lines[0]}"
               for name, lines in importers.items() if name not in MKDOCS_MODULES}
    assert not concern, f"concern modules that import MkDocs or Material: {concern}"


def test_no_module_imports_the_plugin():
    graph = import_graph(PACKAGE)
    importers = [name for name, edges in graph.items() if "bulletin.plugin" in edges]
    assert not importers, f"only MkDocs loads the plugin; these import it: {importers}"
