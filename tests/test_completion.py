"""Tab completion, driven as the shells drive it: Typer's completion environment variables set,
kidsmed run as its own process, the candidates read from what it prints."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kidsmed.cli.app import COMMANDS
from kidsmed.domain.vocab import ISSUES, STATUSES

ROOT = Path(__file__).resolve().parents[1]
# sys.argv[0] is 'kidsmed', so Click reads _KIDSMED_COMPLETE, as for the installed command.
RUN = ("import sys\nfrom kidsmed.cli.app import main\nsys.argv = ['kidsmed']\n"
       "try:\n    main()\nexcept SystemExit:\n    pass\n"
       "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'sqlite_utils', 'dateutil')"
       " or m in ('kidsmed.cli.reports', 'kidsmed.cli.admin')), file=sys.stderr)")


def tab(line: str, shell: str = "bash", db: Path | None = None) -> list[str]:
    """What a Tab at the end of `line` offers; the test fails if completion loaded a heavy module."""
    env = {**os.environ, "_KIDSMED_COMPLETE": f"complete_{shell}"}
    if db:
        env["KIDSMED_DB"] = str(db)
    if shell == "bash":
        words = line.split(" ")
        env.update(COMP_WORDS=" ".join(words), COMP_CWORD=str(len(words) - 1))
    else:
        env.update(_TYPER_COMPLETE_ARGS=line, _TYPER_COMPLETE_FISH_ACTION="get-args")
    result = subprocess.run([sys.executable, "-c", RUN], env=env, cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.stderr == "[]\n", result.stderr  # no Rich, no reports or admin code: a Tab is quick
    return [line for line in result.stdout.splitlines() if line]  # bash prints an empty line for none


@pytest.fixture
def book(kidsmed, db_path):
    for family in ("Ann Example", "Bea Example", "Cat Example"):
        kidsmed.intake("--family", family)
    for name in ("Jo Mediator", "Kim Mediator", "Lee Retired"):
        assert kidsmed("mediators", "add", name).exit_code == 0
    assert kidsmed("mediators", "retire", "Lee Retired").exit_code == 0
    assert kidsmed("venues", "add", "Oak Room").exit_code == 0
    return db_path


def test_commands_in_the_order_a_case_goes_through_them():
    assert tab("kidsmed ") == list(COMMANDS)
    assert tab("kidsmed sch") == ["schedule"]
    assert tab("kidsmed schedule ") == ["book", "list", "feed", "move", "cancel", "outcome"]


def test_options():
    assert tab("kidsmed cases --st") == ["--status"]
    assert "--install-completion" in tab("kidsmed --")


def test_the_service_vocabularies():
    assert tab("kidsmed cases --status ") == list(STATUSES)
    assert tab("kidsmed intake --issue refusal-to-") == [i for i in ISSUES if i.startswith("refusal-to-")]
    assert tab("kidsmed agree KM-2026-0001 --party l") == ["la"]
    assert tab("kidsmed due done KM-2026-0001 ") == ["health-notice", "agreement-actions"]


def test_case_references_newest_first(book):
    assert tab("kidsmed show ", db=book) == ["KM-2026-0003", "KM-2026-0002", "KM-2026-0001"]
    assert tab("kidsmed schedule book km-2026-000", db=book)[0] == "KM-2026-0003"  # typed in lower case
    assert tab("kidsmed show KM-2025-", db=book) == []


def test_the_book_named_by_db(book, monkeypatch):
    monkeypatch.delenv("KIDSMED_DB")
    assert tab(f"kidsmed --db {book} show KM-2026-0001") == ["KM-2026-0001"]


def test_names_from_the_book_as_each_shell_needs_them(book):
    assert tab("kidsmed schedule book KM-2026-0001 --mediator ", db=book) == ["Jo\\ Mediator", "Kim\\ Mediator"]
    assert tab("kidsmed schedule list --mediator j", db=book) == ["Jo\\ Mediator"]  # any case, as the commands
    assert tab("kidsmed schedule list --mediator ", "zsh", db=book) == \
        ["_arguments '*: :((\"Jo Mediator\"", "\"Kim Mediator\"))'"]
    assert tab("kidsmed mediators retire ", "fish", db=book) == ["Jo Mediator", "Kim Mediator"]
    assert tab("kidsmed schedule book KM-2026-0001 --venue O", db=book) == ["Oak\\ Room"]
    assert tab("kidsmed cases --owner ", db=book) == ["tester"]  # whoever took the calls
    assert tab("kidsmed assign KM-2026-0001 t", db=book) == ["tester"]


def test_local_authorities_from_the_register(book):
    assert tab("kidsmed cases --la Barn", db=book) == ["Barnet", "Barnsley"]


def test_without_a_case_book_nothing_is_offered_and_nothing_is_made(tmp_path):
    missing = tmp_path / "nowhere" / "kidsmed.db"
    assert tab("kidsmed show ", db=missing) == []
    assert not missing.parent.exists()


def _installed() -> str | None:
    beside_python = Path(sys.executable).with_name("kidsmed")
    return str(beside_python) if beside_python.exists() else shutil.which("kidsmed")


@pytest.mark.skipif(not _installed() or not shutil.which("bash"), reason="needs the installed command and bash")
def test_install_completion_for_bash_and_then_a_tab(book, tmp_path):
    """`kidsmed --install-completion` (Typer's own) in a bash, then the installed script as bash runs it."""
    home = tmp_path / "home"
    env = {**os.environ, "HOME": str(home), "KIDSMED_DB": str(book),
           "PATH": f"{Path(_installed()).parent}{os.pathsep}{os.environ['PATH']}"}
    installed = subprocess.run(["bash", "-c", "kidsmed --install-completion; true"], env=env,
                               capture_output=True, text=True, timeout=60)
    assert "bash completion installed in" in installed.stdout, installed.stderr
    script = home / ".bash_completions" / "kidsmed.sh"
    assert f"source '{script}'" in (home / ".bashrc").read_text()
    tab_in_bash = (f"source '{script}'; COMP_WORDS=(kidsmed schedule book KM-2026-0001 --mediator J); COMP_CWORD=5;"
                   " _kidsmed_completion kidsmed; printf '%s\\n' \"${COMPREPLY[@]}\"")
    shown = subprocess.run(["bash", "-c", tab_in_bash], env=env, capture_output=True, text=True, timeout=60)
    assert shown.stdout == "Jo\\ Mediator\n", shown.stderr
