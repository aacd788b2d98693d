"""The shape of the code base: one home per concept, no private imports, no import cycles in core."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def test_app_has_only_main_and_init_as_loose_files():
    loose = sorted(p.name for p in (ROOT / "app").glob("*.py"))
    assert loose == ["__init__.py", "main.py"]


def test_no_module_imports_a_private_name_of_another():
    offenders = []
    for path in modules("app") + modules("core") + modules("bench"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                offenders += [f"{path.relative_to(ROOT)}: {a.name}" for a in node.names if a.name.startswith("_") and a.name != "__future__"]
    assert offenders == []


def test_no_private_attribute_of_another_object_is_used():
    """``x._name`` only on ``self``/``cls`` (a class's own internals), never on another module's objects."""
    offenders = []
    for path in modules("app") + modules("core"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                owner = node.value
                if not (isinstance(owner, ast.Name) and owner.id in ("self", "cls")):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: .{node.attr}")
    assert offenders == []


def core_module_name(path: Path) -> str:
    """``core/seq2seq/model.py`` → ``seq2seq.model``; a package's ``__init__.py`` → ``seq2seq`` (``""`` for core)."""
    parts = list(path.relative_to(ROOT / "core").with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def test_core_has_no_import_cycle_and_no_streamlit():
    """Relative imports resolved to dotted names (``..checkpoint`` from ``seq2seq.checkpoint`` is
    ``checkpoint``), imports inside functions included: a cycle hidden in a function still counts."""
    names = {core_module_name(p) for p in modules("core")}
    graph: dict[str, set[str]] = {}
    for path in modules("core"):
        name = core_module_name(path)
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        package = [p for p in package if p]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        deps = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level >= 1:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
                if target in names:
                    deps.add(target)
                for alias in node.names:  # "from . import timeline" names a module
                    sub = ".".join(filter(None, [target, alias.name]))
                    if sub in names:
                        deps.add(sub)
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                imported = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                assert not any(n.startswith("streamlit") for n in imported), path
        # importing a submodule first runs its package's __init__, unless that package is
        # one this module lives in (it is already being imported)
        own = {".".join(name.split(".")[:k]) for k in range(1, name.count(".") + 2)}
        parents = {".".join(d.split(".")[:k]) for d in deps for k in range(1, d.count(".") + 1)}
        graph[name] = {d for d in deps | parents if d and d != name and (d in deps or d not in own)}
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for dep in graph.get(node, ()):
            assert state.get(dep) != 1, f"import cycle: {' -> '.join(stack + [node, dep])}"
            if dep not in state:
                visit(dep, stack + [node])
        state[node] = 2

    for module in graph:
        if module not in state:
            visit(module, [])


def test_attention_kinds_are_defined_once():
    """Only core/kinds.py spells out which side each attention kind reads."""
    spelled = []
    for path in modules("app") + modules("core"):
        text = path.read_text(encoding="utf-8")
        if '("target", "source")' in text or "('target', 'source')" in text:
            spelled.append(str(path.relative_to(ROOT)))
    assert spelled == ["core/kinds.py"] or spelled == [], spelled
