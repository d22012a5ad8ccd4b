"""The docs cannot drift from the program: the reference is generated from it, every page is
reachable from the README, and every link inside the docs lands on a page and a heading."""

import re
from pathlib import Path

import pytest

from kidsmed.cli.app import COMMANDS as COMMAND_MODULES
from kidsmed.cli.describe import GUIDE
from kidsmed.cli.reference import commands, contents, help_block

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
PAGES = sorted((ROOT / "docs").glob("*.md"))
REFERENCE = ROOT / "docs" / "reference.md"
REGENERATE = "cog -r docs/reference.md"
HOW = "cog comes with the test extra: python -m pip install -e '.[test]'"


@pytest.mark.parametrize("path", ["", *(" ".join(path) for path in commands())], ids=lambda path: path or "kidsmed")
def test_the_reference_shows_what_the_program_says(path):
    """Each command's --help, as docs/reference.md shows it (the generator needs cogapp; this
    check does not, so it runs in any environment)."""
    stale = f"docs/reference.md is out of date for 'kidsmed {path} --help': run '{REGENERATE}' ({HOW})"
    assert help_block(path) in REFERENCE.read_text(), stale


def test_the_reference_lists_every_command():
    assert contents() in REFERENCE.read_text(), f"run '{REGENERATE}' ({HOW})"


def test_development_says_how_to_regenerate_the_reference():
    assert REGENERATE in (ROOT / "docs" / "development.md").read_text()


def test_the_readme_is_short_and_links_every_page():
    text = README.read_text()
    assert len(text.splitlines()) <= 160
    for page in PAGES:
        assert f"](docs/{page.name})" in text, page.name


def _anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    text = re.sub(r"^```.*?^```", "", page.read_text(), flags=re.M | re.S)  # a '#' in a code block is no heading
    return {_anchor(heading) for heading in re.findall(r"^#+ (.*)$", text, re.M)}


@pytest.mark.parametrize("page", [README, *PAGES], ids=lambda page: page.name)
def test_every_link_lands_on_a_page_and_a_heading(page):
    for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text()):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        assert linked.exists(), f"{page.name}: {target}"
        if anchor:
            assert anchor in _anchors(linked), f"{page.name}: {target}"


@pytest.mark.parametrize("path", [(), *commands()], ids=lambda path: " ".join(path) or "kidsmed")
def test_every_help_ends_with_an_example_and_the_docs_to_read(kidsmed, path):
    result = kidsmed(*path, "--help")
    assert result.exit_code == 0
    example, blank, read, every = (line.strip() for line in result.stdout.splitlines()[-4:])
    assert example.startswith(f"Example: kidsmed {' '.join(path)}") or example.startswith("Example: kidsmed --db")
    anchor = f"kidsmed-{'-'.join(path)}" if path else "global-options-and-environment"
    assert (blank, every) == ("", f"Every option: docs/reference.md#{anchor}")
    page, _, anchor = read.removeprefix("Read: ").partition("#")
    assert read.startswith("Read: ") and (not anchor or anchor in _anchors(ROOT / page)), read
    assert every.partition("#")[2] in _anchors(ROOT / "docs" / "reference.md")


def test_every_command_has_its_own_guide_page():
    assert set(GUIDE) == {"", *COMMAND_MODULES}


def _params(command, path=()):
    for param in command.params:
        yield " ".join(path), param
    for name, sub in getattr(command, "commands", {}).items():
        yield from _params(sub, (*path, name))


def test_every_option_with_allowed_values_names_them_in_its_help():
    from typer.main import get_command

    from kidsmed.cli.app import app
    from kidsmed.cli.describe import takes

    root = get_command(app)
    for name in COMMAND_MODULES:
        for path, param in _params(root.get_command(None, name), (name,)):
            what = takes(path, param)
            if what and what.values:
                assert all(value in param.help for value in what.allowed()), (path, param.name)
