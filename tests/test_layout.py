"""The layout rules of DESIGN.md and docs/architecture.md: apps never import the project package, core
imports no app, dependencies run one way (nothing imports the WordPress importer), nothing imports the
demo, no module-level import circle, and every module says what it owns."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("core", "articles", "comments", "newsletter", "importer")
PACKAGES = (*APPS, "newsroom")

# What each app may not import: the floors of docs/architecture.md, read from the bottom up.
FORBIDDEN = {
    "core": {"newsroom", "articles", "comments", "newsletter", "importer"},
    "articles": {"newsroom", "comments", "newsletter", "importer"},
    "comments": {"newsroom", "newsletter", "importer"},
    "newsletter": {"newsroom", "comments", "importer"},
    # The importer may use articles, comments and core; nothing depends on it.
    "importer": {"newsroom", "newsletter"},
}


def python_files(package, *, migrations=True):
    for path in sorted((ROOT / package).rglob("*.py")):
        if migrations or "migrations" not in path.parts:
            yield path


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path):
    """Dotted names `path` imports anywhere in it (`from a import b` counts as a.b and a)."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def imported_packages(app):
    """(file, top-level package) for every import in the app's Python files, migrations included."""
    for path in python_files(app):
        for name in imported_modules(path):
            yield path, name.split(".")[0]


@pytest.mark.parametrize("app, forbidden", sorted(FORBIDDEN.items()))
def test_dependencies_run_one_way(app, forbidden):
    """Each app imports only what DESIGN.md lets it: the project package wires apps, never the reverse."""
    found = sorted(
        {
            f"{path.relative_to(ROOT)} imports {package}"
            for path, package in imported_packages(app)
            if package in forbidden
        }
    )
    assert found == []


def test_nothing_imports_the_demo():
    """The demo's data and loader are reached only by the commands that load it (and tests): no page,
    service or task can depend on invented content."""
    found = [
        f"{path.relative_to(ROOT)} imports {name}"
        for package in PACKAGES
        for path in python_files(package)
        if "demo" not in path.parts and "management" not in path.parts
        for name in imported_modules(path)
        if name.startswith("articles.demo")
    ]
    assert found == []


def module_level_imports(path, modules):
    """The project modules `path` imports at module level: `from a import b` is a.b when b is a module
    (the package's own code is not what is asked for), else a."""
    for node in ast.parse(path.read_text(), filename=str(path)).body:
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module in modules:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                yield submodule if submodule in modules else node.module


def project_import_graph():
    """{module: the project modules it imports at module level}, for every module of every package."""
    modules = {module_name(path): path for package in PACKAGES for path in python_files(package)}
    return {name: set(module_level_imports(path, modules)) - {name} for name, path in modules.items()}


def cycles(graph):
    """The strongly connected groups of more than one module (Tarjan's algorithm, iteratively)."""
    index, low, on_stack, stack, found, counter = {}, {}, set(), [], [], [0]
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        found.append(sorted(group))
            elif child not in index:
                index[child] = low[child] = counter[0]
                counter[0] += 1
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def test_the_cycle_finder_finds_a_cycle():
    """The check below can fail: a two-module and a three-module circle are both found."""
    assert cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == [["a", "b"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_level_import_circles():
    """No module imports, at module level, a module that imports it back, however long the way round."""
    assert cycles(project_import_graph()) == []


def test_no_import_hides_below_the_code():
    """An import at the bottom of a file (noqa: E402) is a circle in hiding: none is allowed."""
    found = [
        str(path.relative_to(ROOT))
        for package in PACKAGES
        for path in python_files(package)
        if "E402" in path.read_text()
    ]
    assert found == []


def test_every_module_says_what_it_owns():
    """Every module of the apps (migrations and empty package markers aside) opens with a docstring."""
    missing = [
        str(path.relative_to(ROOT))
        for package in PACKAGES
        for path in python_files(package, migrations=False)
        if path.read_text().strip() and ast.get_docstring(ast.parse(path.read_text())) is None
    ]
    assert missing == []
