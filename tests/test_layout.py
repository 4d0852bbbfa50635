"""The dependency rules of DESIGN.md: apps never import the project package, core imports no app,
and articles knows nothing of comments, the newsletter or readership."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("core", "articles", "comments", "newsletter", "readership")


def imported_packages(app):
    """(file, top-level package) for every import in the app's Python files, migrations included."""
    for path in sorted((ROOT / app).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                yield from ((path, alias.name.split(".")[0]) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                yield path, node.module.split(".")[0]


@pytest.mark.parametrize(
    "app, forbidden",
    [
        ("core", {"newsroom", "articles", "comments", "newsletter", "readership"}),
        ("articles", {"newsroom", "comments", "newsletter", "readership"}),
        ("comments", {"newsroom", "newsletter", "readership"}),
        ("newsletter", {"newsroom", "comments", "readership"}),
        ("readership", {"newsroom", "comments", "newsletter"}),
    ],
)
def test_dependencies_run_one_way(app, forbidden):
    """Each app imports only what DESIGN.md lets it: the project package wires apps, never the reverse."""
    found = [
        f"{path.relative_to(ROOT)} imports {package}"
        for path, package in imported_packages(app)
        if package in forbidden
    ]
    assert found == []
