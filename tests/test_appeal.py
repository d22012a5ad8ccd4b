"""kidsmed appeal: the family went on to appeal to the SEND Tribunal."""

import json

from conftest import rows


def _events(db_path):
    return [(action, json.loads(detail)) for action, detail in
            rows(db_path, "SELECT action, detail FROM events WHERE action = 'appeal' ORDER BY id")]


def test_recording_an_appeal(kidsmed, db_path):
    ref = kidsmed.intake("--received", "2/11/2026 10:00")["ref"]
    result = kidsmed("appeal", ref, "--lodged-on", "10/11/2026")
    assert result.exit_code == 0
    assert result.stdout == (f"Recorded {ref}'s appeal to the SEND Tribunal, lodged on Tue 10 Nov 2026.\n"
                             f"Next: kidsmed agree {ref} --party family --yes\n"
                             "      ask the family whether they will take part in mediation\n")
    assert rows(db_path, "SELECT appeal_lodged_on FROM cases") == [("2026-11-10",)]
    assert _events(db_path) == [("appeal", {"appeal_lodged_on": {"old": None, "new": "2026-11-10"}})]
    assert kidsmed.json("show", ref)["appeal_lodged_on"] == "2026-11-10"


def test_correcting_the_date_is_audited_and_the_same_date_changes_nothing(kidsmed, db_path):
    ref = kidsmed.intake("--received", "2/11/2026 10:00")["ref"]
    kidsmed("appeal", ref, "--lodged-on", "10/11/2026")
    again = kidsmed("appeal", ref, "--lodged-on", "2026-11-10")
    assert again.exit_code == 0
    assert again.stderr == "Warning: nothing changed: the appeal was already recorded\n"
    assert kidsmed.json("appeal", ref, "--lodged-on", "12/11/2026")["appeal_lodged_on"] == "2026-11-12"
    assert _events(db_path) == [("appeal", {"appeal_lodged_on": {"old": None, "new": "2026-11-10"}}),
                                ("appeal", {"appeal_lodged_on": {"old": "2026-11-10", "new": "2026-11-12"}})]


def _refused(kidsmed, db_path, args, code, error):
    result = kidsmed("appeal", *args)
    assert (result.exit_code, result.stderr) == (code, error)
    assert rows(db_path, "SELECT appeal_lodged_on FROM cases") in ([(None,)], [])
    assert _events(db_path) == []


def test_an_appeal_in_the_future_or_before_the_referral_is_refused(kidsmed, db_path):
    ref = kidsmed.intake("--received", "2/11/2026 10:00")["ref"]
    _refused(kidsmed, db_path, (ref, "--lodged-on", "27/11/2026"), 2,
             "Error: an appeal cannot be lodged in the future — check --lodged-on\n")
    _refused(kidsmed, db_path, (ref, "--lodged-on", "1/11/2026"), 2,
             f"Error: the appeal date is before {ref} was received (Mon 2 Nov 2026) — check --lodged-on\n")


def test_only_a_mediation_case_has_an_appeal(kidsmed, db_path):
    ref = kidsmed.intake("--kind", "disagreement-resolution", "--other-party", "setting",
                         "--decision-date", "")["ref"]
    _refused(kidsmed, db_path, (ref, "--lodged-on", "today"), 1,
             f"Error: {ref} is a disagreement-resolution case — "
             "only a mediation case leads to a SEND Tribunal appeal\n")


def test_an_unknown_case_or_a_missing_date(kidsmed, db_path):
    _refused(kidsmed, db_path, ("KM-2026-0099", "--lodged-on", "today"), 3,
             "Error: there is no case KM-2026-0099 — check the reference with 'kidsmed cases --search'\n")
    missing = kidsmed("appeal", "KM-2026-0099")
    assert missing.exit_code == 2 and "--lodged-on" in missing.stderr
