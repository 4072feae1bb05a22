"""The package's shape, as docs/ARCHITECTURE.md describes it: data flows down the layers, with no import
cycle and no import back up, and no room grows past what a newcomer can read at once."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kg"

# The flow, bottom to top: a module may import from its own layer's package or any layer below it.
LAYERS = [
    {"kg", "kg.errors", "kg.resources", "kg.cache", "kg.namespace"},  # shared base: vocabulary, data paths
    {"kg.lexicon"},  # the data files, compiled
    {"kg.reading"},  # files -> articles
    {"kg.nlp"},  # spaCy model, gazetteer
    {"kg.extraction"},  # parsed article -> event records
    {"kg.graph"},  # records -> RDF, validation
    {"kg.store"},  # the store and its files
    {"kg.happenings"},  # one node per real-world event, across the stored articles
    {"kg.pipeline"},  # a build: read, parse, extract, map, validate, store
    {"kg.serving"},  # queries, endpoint, table, push
    {"kg.evaluation"},  # scoring against gold
    {"kg.api"},  # the Python API
    {"kg.cli"},  # the commands
]
# kg/__init__.py imports the API lazily (on first use of kg.build), so `import kg` stays light: the one
# downward-pointing exception, inside a function.
LAZY_FACADE = ("kg", "kg.api")
MAX_MODULE_LINES = 400
MAX_CLASS_LINES = 300


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def _layer(module: str) -> int:
    for depth in range(module.count(".") + 1, 0, -1):
        prefix = ".".join(module.split(".")[:depth])
        for i, members in enumerate(LAYERS):
            if prefix in members:
                return i
    raise AssertionError(f"{module} is in no layer: add it to LAYERS and docs/ARCHITECTURE.md")


def _resolve(module: str, node: ast.ImportFrom) -> list[str]:
    """The kg modules an import statement reads (a name imported from a package may be a submodule)."""
    package = module if MODULES[module].name == "__init__.py" else module.rsplit(".", 1)[0]
    if node.level:
        base = package.split(".")[: len(package.split(".")) - node.level + 1]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    if not target.startswith("kg"):
        return []
    subs = [f"{target}.{alias.name}" for alias in node.names if f"{target}.{alias.name}" in MODULES]
    return subs or [target]


def _imports(module: str, top_level_only: bool) -> set[str]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom):
            found.update(_resolve(module, node))
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("kg"))
    return {m for m in found if m in MODULES and m != module}


def test_every_module_has_a_layer():
    for module in MODULES:
        _layer(module)


def test_no_import_runs_back_up_the_layers():
    back = [f"{m} (layer {_layer(m)}) imports {t} (layer {_layer(t)})"
            for m in MODULES for t in _imports(m, top_level_only=False)
            if _layer(t) > _layer(m) and (m, t) != LAZY_FACADE]
    assert back == []


def test_no_import_cycle():
    graph = {m: _imports(m, top_level_only=True) for m in MODULES}
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            raise AssertionError("import cycle: " + " -> ".join(path[path.index(module):] + [module]))
        if module in done:
            return
        for target in sorted(graph[module]):
            visit(target, path + [module])
        done.add(module)

    for module in graph:
        visit(module, [])


@pytest.mark.parametrize("module", sorted(MODULES))
def test_rooms_stay_small(module: str):
    source = MODULES[module].read_text(encoding="utf-8")
    assert source.count("\n") <= MAX_MODULE_LINES, f"{module}: split it by concern (docs/ARCHITECTURE.md)"
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef):
            size = node.end_lineno - node.lineno + 1
            assert size <= MAX_CLASS_LINES, f"{module}.{node.name} is {size} lines"


def test_a_back_arrow_is_seen():
    """The layer check fails when it should: a store module that imported the pipeline would be caught."""
    node = ast.parse("from ..pipeline.runner import build").body[0]
    (target,) = _resolve("kg.store.graph_store", node)
    assert target == "kg.pipeline.runner" and _layer(target) > _layer("kg.store.graph_store")
