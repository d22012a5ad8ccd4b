"""The intake form, driven as staff drive it: answers typed one per line (piped here; a real
terminal in the pseudo-terminal test at the end)."""

import json
import os
import sys

import pytest
from conftest import case_count, rows

# kind, role, caller's name/org/phone, family, relationship, phone, email, address, preferred contact,
# child, date of birth, setting, LA, issues, decision date, notes, owner — as a school's call answers them.
CALL = ["med", "sch", "Pat Teacher", "Oak Tree Primary", "01632 960001", "Sam Example", "mother",
        "07700 900123", "sam@example.org", "1 High Street, Northtown NT1 1AA", "1", "Alex Example",
        "3/4/2015", "Oak Tree Primary", "barns", "1,health", "2/11/2026", "Mum worried about transport", ""]


@pytest.fixture
def at_terminal(monkeypatch):
    monkeypatch.setattr("kidsmed.cli.cases.interactive", lambda: True)


def typed(*answers: str) -> str:
    return "".join(f"{a}\n" for a in answers)


def test_a_whole_call_is_asked_reviewed_and_saved(kidsmed, at_terminal):
    result = kidsmed("intake", "--json", input=typed(*CALL, "s"))
    assert result.exit_code == 0, result.stderr
    case = json.loads(result.stdout)
    assert (case["kind"], case["referrer"], case["local_authority"], case["issues"], case["decision_date"]) == (
        "mediation", {"role": "school", "name": "Pat Teacher", "organisation": "Oak Tree Primary",
                      "phone": "01632 960001"}, "Barnsley", ["refusal-to-assess", "health"], "2026-11-02")
    assert case["family"] == {"name": "Sam Example", "relationship": "mother", "phone": "07700 900123",
                              "email": "sam@example.org", "address": "1 High Street, Northtown NT1 1AA",
                              "preferred_contact": "phone"}
    assert case["child"] == {"name": "Alex Example", "date_of_birth": "2015-04-03"}
    assert case["setting"] == "Oak Tree Primary" and case["possible_duplicates"] == []
    assert "Kind of case: " in result.stderr and " 1 mediation" in result.stderr
    assert "Caller's phone number (optional): " in result.stderr
    assert "The referral, before it is saved" in result.stderr
    assert " 5 Caller's phone number" in result.stderr


def test_a_parents_own_call_skips_the_callers_details(kidsmed, at_terminal):
    answers = ["PARENT", "Sam Example", "", "", "", "", "", "Alex Example", "", "", "york", "setting", "placement",
               "", ""]
    result = kidsmed("intake", "--json", "--kind", "disagreement-resolution", input=typed(*answers, "s"))
    assert result.exit_code == 0, result.stderr
    assert "Caller's name" not in result.stderr
    case = json.loads(result.stdout)
    assert (case["referrer"]["role"], case["other_party"], case["local_authority"]) == ("parent", "setting", "York")


def test_a_typo_is_asked_again(kidsmed, at_terminal):
    answers = ["mediaton", *CALL[:14], "Barnsly", "n", "barnsley", "placement, helth", "placement, health",
               *CALL[16:]]
    result = kidsmed("intake", "--json", input=typed(*answers, "s"))
    assert result.exit_code == 0, result.stderr
    assert "'mediaton' is not one of the choices — type its number, its name or the start of it" in result.stderr
    assert "'Barnsly' is not a registered local authority — did you mean Barnsley?" in result.stderr
    assert "'helth' is not one of the choices" in result.stderr
    assert json.loads(result.stdout)["issues"] == ["placement", "health"]


@pytest.mark.parametrize("index, wrong, said", [
    (12, "27/11/2026", "the date of birth is after the call"),
    (12, "26/11/2001", "the child or young person is 25 or over on the day of the call"),
    (12, "31/2/2015", "'31/2/2015' is not a date — February 2015 has no day 31"),
    (16, "tomorrow", "the date the LA's decision notice was sent is after the call"),
    (8, "sam.example.org", "that email address has no @ in it"),
])
def test_a_cross_field_mistake_is_asked_again_not_fatal(kidsmed, at_terminal, index, wrong, said):
    answers = [*CALL[:index], wrong, *CALL[index:]]
    result = kidsmed("intake", "--json", input=typed(*answers, "s"))
    assert result.exit_code == 0, result.stderr
    assert f"  {said}" in result.stderr
    assert json.loads(result.stdout)["ref"] == "KM-2026-0001"


def test_going_back_from_the_review_changes_one_answer(kidsmed, at_terminal):
    # 2 → the caller was SENDIASS, not the school; 16 → the issues; x → not a choice, asked again.
    result = kidsmed("intake", "--json", input=typed(*CALL, "2", "4", "x", "16", "cease", "s"))
    assert result.exit_code == 0, result.stderr
    case = json.loads(result.stdout)
    assert (case["referrer"]["role"], case["issues"]) == ("sendiass", ["cease"])
    assert "type a number from 1 to 19, s or q" in result.stderr
    assert "[Enter keeps refusal-to-assess, health]" in result.stderr


def test_changing_the_kind_in_the_review_asks_what_it_now_needs(kidsmed, at_terminal):
    result = kidsmed("intake", "--json", input=typed(*CALL, "1", "disagreement", "s", "3", "s"))
    assert result.exit_code == 0, result.stderr
    assert "still needed: The other party" in result.stderr
    assert json.loads(result.stdout)["other_party"] == "health"


@pytest.mark.parametrize("ending", [["q", "y"], ["s"][:0]])
def test_abandoning_or_running_out_of_answers_saves_nothing(kidsmed, db_path, at_terminal, ending):
    result = kidsmed("intake", input=typed(*CALL, *ending))
    assert result.exit_code == 130
    assert result.stderr.endswith("Error: stopped — nothing was changed\n")
    assert case_count(db_path) == 0


def test_options_given_are_not_asked_and_a_wrong_one_is(kidsmed, at_terminal):
    result = kidsmed("intake", "--json", "--kind", "mediation", "--referrer-role", "plumber", "--family", "Sam Example",
                     input=typed("sch", *CALL[2:5], *CALL[6:], "s"))
    assert result.exit_code == 0, result.stderr
    assert "--referrer-role: 'plumber' is not a known referrer role" in result.stderr
    assert "Kind of case" not in result.stderr.split("before it is saved")[0]
    assert json.loads(result.stdout)["referrer"]["role"] == "school"


def test_a_new_la_is_added_only_when_staff_confirm_it(kidsmed, at_terminal):
    answers = [*CALL[:14], "Northshire", "n", "Northshire", "y", *CALL[15:]]
    result = kidsmed("intake", "--json", input=typed(*answers, "s"))
    assert result.exit_code == 0, result.stderr
    assert "Add 'Northshire' to the register as a new local authority? (y/N)" in result.stderr
    assert json.loads(result.stdout)["local_authority"] == "Northshire"


def test_a_duplicate_is_shown_without_personal_details_and_can_be_a_repeat(kidsmed, db_path, at_terminal):
    first = kidsmed("intake", "--json", input=typed(*CALL, "s"))
    assert first.exit_code == 0, first.stderr
    # The same child, typed another way: case, spacing and accents do not hide it.
    again = [*CALL[:11], "  ALEX   Éxample ", *CALL[12:]]
    result = kidsmed("intake", "--json", input=typed(*again, "s", "r"))
    assert result.exit_code == 0, result.stderr
    table = result.stderr.split("This may be a case already logged")[1]
    assert "KM-2026-0001" in table and "awaiting-consent" in table and "Thu 26 Nov 2026" in table
    assert "Barnsley" in table and "Alex" not in table and "Sam" not in table
    assert case_count(db_path) == 1
    assert rows(db_path, "SELECT action FROM events WHERE case_id = 1 ORDER BY id")[-1] == ("repeat-referral",)
    assert json.loads(result.stdout)["ref"] == "KM-2026-0001"


def test_a_duplicate_may_still_be_a_new_referral(kidsmed, db_path, at_terminal):
    kidsmed("intake", input=typed(*CALL, "s"))
    result = kidsmed("intake", "--json", input=typed(*CALL, "s", "c"))
    assert json.loads(result.stdout)["possible_duplicates"] == ["KM-2026-0001"]
    assert case_count(db_path) == 2


def test_no_input_warns_about_a_duplicate_and_says_how_to_record_a_repeat(kidsmed, db_path):
    kidsmed.intake("--phone", "07700 900123", "--child", "Alex Example", "--dob", "3/4/2015")
    other = kidsmed("intake", "--no-input", "--kind", "mediation", "--referrer-role", "school", "--family", "Jo Other",
                    "--child", "Kim Other", "--la", "York", "--issue", "cease", "--phone", "+44 7700 900123", "--json")
    assert json.loads(other.stdout)["possible_duplicates"] == ["KM-2026-0001"]
    assert other.stderr == ("Warning: possible repeat of KM-2026-0001 (awaiting-agreement, received Thu 26 Nov 2026, "
                            "Northshire): same child, phone or email — if it is, 'kidsmed intake --repeat-of "
                            "KM-2026-0001' records it\n")
    repeat = kidsmed("intake", "--no-input", "--repeat-of", "km-2026-1", "--notes", "Mum rang again")
    assert repeat.stdout.startswith("Recorded the call as a repeat referral on KM-2026-0001: no new case.\n")
    assert case_count(db_path) == 2
    assert rows(db_path, "SELECT text FROM notes") == [("Mum rang again",)]


def test_a_case_a_year_old_and_closed_is_no_duplicate(kidsmed, db_path, env_now):
    env_now("2025-11-20T10:00")
    kidsmed.intake("--phone", "07700 900123", "--decision-date", "")
    kidsmed("close", "KM-2025-0001", "--reason", "withdrawn")
    env_now("2026-11-26T10:00")
    assert kidsmed.intake("--phone", "07700 900123")["possible_duplicates"] == []


def test_consent_and_agree_ask_for_what_is_missing(kidsmed, monkeypatch):
    ref = kidsmed.intake("--referrer-role", "school")["ref"]
    monkeypatch.setattr("kidsmed.cli.cases.interactive", lambda: True)
    result = kidsmed("consent", ref, input=typed("g", "ph"))
    assert result.exit_code == 0, result.stderr
    assert kidsmed.json("show", ref)["consent"]["method"] == "phone"
    result = kidsmed("agree", ref, input=typed("fam", "y"))
    assert result.exit_code == 0, result.stderr
    assert kidsmed.json("show", ref)["agreements"][0]["party"] == "family"


def test_agree_without_a_party_is_refused_in_a_script(kidsmed):
    ref = kidsmed.intake()["ref"]
    result = kidsmed("agree", ref, "--yes")
    assert (result.exit_code, result.stderr) == (
        2, "Error: say who answered — give --party family|la|setting|health|other\n")


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")
def test_the_form_at_a_real_terminal_through_python_m_kidsmed(tmp_path):
    """prompt_toolkit reads the line: Ctrl-A/Ctrl-E edit it, Tab completes, Ctrl-C offers to abandon."""
    pytest.importorskip("prompt_toolkit")
    import pty
    import select
    import subprocess
    import time

    env = {**os.environ, "KIDSMED_DB": str(tmp_path / "k.db"), "KIDSMED_NOW": "2026-11-26T10:00",
           "COLUMNS": "80", "LINES": "40", "NO_COLOR": "1", "TERM": "xterm"}
    main, child = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "kidsmed", "intake"], stdin=child, stdout=child, stderr=child,
                            env=env, close_fds=True)
    os.close(child)
    seen = b""

    def until(text: bytes, timeout: float = 10) -> None:
        nonlocal seen
        end = time.time() + timeout
        while text not in seen:
            assert time.time() < end, seen[-400:]
            if select.select([main], [], [], 0.2)[0]:
                seen += os.read(main, 4096)

    def send(keys: bytes, wait: bytes) -> None:
        os.write(main, keys)
        until(wait)

    try:
        until(b"Kind of case:")
        send(b"ediation\x01m\r", b"Who is calling:")         # Ctrl-A goes back to type the m
        send(b"sc\t\r", b"Caller's name")                     # Tab completes "school"
        send(b"\x03", b"Abandon this call?")                  # Ctrl-C asks
        send(b"n\r", b"Caller's name")                        # no: the question again
        send(b"\x03", b"Abandon this call?")
        send(b"y\r", b"nothing was changed")
        proc.wait(10)
    finally:
        os.close(main)
    assert proc.returncode == 130
    assert b"\x1b[3" not in seen.replace(b"\x1b[39", b"")  # NO_COLOR: no foreground colours
