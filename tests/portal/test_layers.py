"""Dependencies run one way: programme ← activities ← proposals, evaluation ← meetings
← portal, and the project package ``pompidou/`` imports no app except through its URLs and
settings. Read from the source (ast), so an import inside a function counts too."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "programme",
    "activities",
    "proposals",
    "evaluation",
    "meetings",
    "search",
    "overlap",
    "portal",
    "records",
)

# What each package must never import (the layers above it).
FORBIDDEN = {
    "pompidou": set(APPS),
    "programme": {
        "activities",
        "proposals",
        "evaluation",
        "meetings",
        "search",
        "overlap",
        "portal",
        "records",
    },
    "activities": {"proposals", "evaluation", "meetings", "search", "overlap", "portal", "records"},
    "proposals": {"evaluation", "meetings", "search", "overlap", "portal", "records"},
    "evaluation": {"proposals", "meetings", "search", "overlap", "portal", "records"},
    "meetings": {"search", "overlap", "portal", "records"},
    # Search reads programme, activities and proposals; only the portal composes it.
    "search": {"evaluation", "meetings", "overlap", "portal", "records"},
    # Overlap reads activities and proposals and reuses search's documents and marking.
    "overlap": {"evaluation", "meetings", "portal", "records"},
    # Imports write through the services of programme, activities and proposals.
    "records": {"evaluation", "meetings", "search", "overlap", "portal"},
}
# The project package reaches the apps only where Django wires them by name.
ALLOWED = {"pompidou/urls.py", "pompidou/settings.py"}


def imported_packages(path: Path) -> set[tuple[str, int]]:
    """The top-level packages ``path`` imports, with the line of each import."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {(alias.name.split(".")[0], node.lineno) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add((node.module.split(".")[0], node.lineno))
    return found


def violations(package: str) -> list[str]:
    out = []
    for path in sorted((ROOT / package).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative in ALLOWED:
            continue
        for name, line in sorted(imported_packages(path)):
            if name in FORBIDDEN[package]:
                out.append(f"{relative}:{line} imports {name}")
    return out


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_no_layer_above_it(package):
    assert violations(package) == []


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "def f():\n    from proposals.models import Proposal\n    import portal.views\n"
    )
    assert imported_packages(module) == {("proposals", 2), ("portal", 3)}
