"""The package's shape: domain/ holds the rules and the case work, and its modules form no cycles
that the demo generator or the date helpers would bring back."""

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[1] / "kidsmed" / "domain"


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("*.py")), ids=lambda p: p.name)
def test_the_domain_does_not_use_the_demo_generator(path):
    assert not any(name == "kidsmed.demo" or name.startswith("kidsmed.demo.") for name in _imports(path))


def test_the_demo_generator_is_not_in_the_domain():
    assert not list(DOMAIN.glob("demo*.py"))


def test_holidays_does_not_import_cases():
    # cases imports holidays to count working days; holidays needs only the date helpers back.
    assert not any(name.startswith("kidsmed.domain.cases") for name in _imports(DOMAIN / "holidays.py"))
