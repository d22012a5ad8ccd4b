"""kidsmed edit and kidsmed note: corrections and call notes, kept in the timeline."""

import json

from conftest import rows


def test_edit_keeps_old_and_new_out_of_the_audit_events(kidsmed, db_path):
    kidsmed.intake("--phone", "07700 900111")
    case = kidsmed.json("edit", "KM-2026-0001", "--phone", "07700 900222", "--decision-date", "5/11/2026")
    assert case["family"]["phone"] == "07700 900222"
    assert case["decision_date"] == "2026-11-05"
    edit = case["timeline"][-1]
    assert edit["action"] == "edit"
    assert edit["detail"] == {"changes": {"decision_date": {"old": "2026-11-02", "new": "2026-11-05"}},
                              "personal_fields": ["phone"]}
    assert edit["changes"] == [{"field": "phone", "old": "07700 900111", "new": "07700 900222"}]
    events = " ".join(d for (d,) in rows(db_path, "SELECT detail FROM events"))
    assert "07700" not in events


def test_edit_can_clear_an_optional_detail_but_not_a_required_one(kidsmed, db_path):
    kidsmed.intake("--email", "sam@example.org")
    assert kidsmed.json("edit", "KM-2026-0001", "--email", "")["family"]["email"] is None
    result = kidsmed("edit", "KM-2026-0001", "--family", "")
    assert result.exit_code == 2
    assert result.stderr == "Error: the family cannot be left empty — give a value\n"


def test_editing_the_referrer_role_moves_the_case_to_the_consent_gate(kidsmed):
    kidsmed.intake()
    case = kidsmed.json("edit", "KM-2026-0001", "--referrer-role", "school")
    assert (case["status"], case["consent"]["status"]) == ("awaiting-consent", "awaiting")


def test_edit_of_an_unknown_case_is_not_found(kidsmed):
    result = kidsmed("edit", "KM-2026-0099", "--phone", "1")
    assert result.exit_code == 3
    assert result.stderr == ("Error: there is no case KM-2026-0099 — "
                             "check the reference with 'kidsmed cases --search'\n")


def test_edit_with_nothing_to_change_is_bad_input(kidsmed):
    kidsmed.intake()
    result = kidsmed("edit", "KM-2026-0001")
    assert (result.exit_code, result.stderr) == (2, "Error: nothing to change — give the details to "
                                                    "correct, e.g. --phone\n")


def test_note_is_dated_and_shown_in_the_timeline(kidsmed, db_path):
    kidsmed.intake()
    result = kidsmed("note", "km-2026-1", "Mum called: prefers mornings")
    assert result.exit_code == 0
    assert result.stdout.startswith("Noted on KM-2026-0001 at Thu 26 Nov 2026 10:00.")
    timeline = kidsmed.json("show", "KM-2026-0001")["timeline"]
    assert timeline[-1]["action"] == "note"
    assert timeline[-1]["note"] == "Mum called: prefers mornings"
    assert timeline[-1]["at"] == "2026-11-26T10:00:00+00:00"
    assert json.loads(rows(db_path, "SELECT detail FROM events WHERE action = 'note'")[0][0]) == {}


def test_bad_reference_is_bad_input(kidsmed):
    result = kidsmed("note", "42", "hello")
    assert (result.exit_code, result.stderr) == (
        2, "Error: '42' is not a case reference — references look like KM-2026-0042\n")
