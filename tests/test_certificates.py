"""kidsmed certificate issue / print and kidsmed settings: the certificate a family is owed, as a letter."""

import json
import stat

import pytest
from conftest import rows, start_clock

from kidsmed.store.db import open_db


def _declined(kidsmed, env_now, db_path, *intake):
    """KM-2026-0001: the family declined on Wed 23 Dec 2026 (certificate due Wed 30 Dec)."""
    env_now("2026-12-23T10:00")
    kidsmed.intake(*intake)
    start_clock(db_path, "KM-2026-0001", "certificate-after-decline", "2026-12-23", close_reason="family-declined")


def _state(db_path):
    return (rows(db_path, "SELECT * FROM certificates"), rows(db_path, "SELECT * FROM clocks"),
            rows(db_path, "SELECT count(*) FROM events"))


def test_issue_on_time(kidsmed, env_now, db_path):
    _declined(kidsmed, env_now, db_path)
    env_now("2026-12-30T16:00")
    result = kidsmed("certificate", "issue", "KM-2026-0001")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Issued KM-2026-0001-C1 (declined) on Wed 30 Dec 2026 — on time, due Wed 30 Dec 2026.\n"
        "Appeal deadline Mon 1 Feb 2027: certificate issued Wed 30 Dec 2026 + 1 month = Sat 30 Jan 2027 "
        "(later than decision + 2 months); Sat 30 Jan 2027 is not a working day: moved to Mon 1 Feb 2027.\n"
        "Print the letter for the family: kidsmed certificate print KM-2026-0001\n"
        "Next: none — the case is closed (family-declined)\n")
    case = kidsmed.json("show", "KM-2026-0001")
    assert case["certificates"] == [{
        "number": "KM-2026-0001-C1", "type": "declined", "due_on": "2026-12-30", "issued_on": "2026-12-30",
        "issued_by": "tester", "on_time": True, "appeal_deadline": "2027-02-01",
        "appeal_rule": "certificate issued Wed 30 Dec 2026 + 1 month = Sat 30 Jan 2027 (later than decision "
                       "+ 2 months); Sat 30 Jan 2027 is not a working day: moved to Mon 1 Feb 2027"}]
    assert [(c["rule"], c["state"], c["met_on"], c["due_on"]) for c in case["clocks"]] == [
        ("certificate-after-decline", "met", "2026-12-30", "2026-12-30"),
        ("appeal-deadline", "running", None, "2027-02-01")]  # issue 14: the family's deadline is a clock
    assert [e["action"] for e in case["timeline"]][-3:] == ["certificate-issued", "clock-met", "clock-started"]
    assert "2027-02-01" in kidsmed("show", "KM-2026-0001", env={"COLUMNS": "200"}).stdout


def test_issue_late_is_recorded_as_late(kidsmed, env_now, db_path):
    _declined(kidsmed, env_now, db_path)
    env_now("2027-01-05T10:00")
    case = kidsmed.json("certificate", "issue", "KM-2026-0001", "--on", "31/12/2026")
    assert case["certificates"][0]["on_time"] is False
    assert case["certificates"][0]["issued_on"] == "2026-12-31"
    assert case["clocks"][0]["state"] == "met-late"


@pytest.mark.parametrize(("clock", "cert_type"), [
    ("certificate-deemed", "deemed"), ("certificate-after-mediation", "after-mediation")])
def test_the_clock_decides_the_type(kidsmed, env_now, db_path, clock, cert_type):
    env_now("2026-12-23T10:00")
    kidsmed.intake()
    start_clock(db_path, "KM-2026-0001", clock, "2026-12-21", "LA cannot arrange mediation in 30 days")
    case = kidsmed.json("certificate", "issue", "KM-2026-0001")
    assert (case["certificates"][0]["type"], case["certificates"][0]["due_on"]) == (cert_type, "2026-12-24")


def test_a_later_cause_gets_the_next_number(kidsmed, env_now, db_path):
    _declined(kidsmed, env_now, db_path)
    kidsmed("certificate", "issue", "KM-2026-0001")
    start_clock(db_path, "KM-2026-0001", "certificate-after-mediation", "2026-12-23", "mediation concluded")
    case = kidsmed.json("certificate", "issue", "KM-2026-0001")
    assert [(c["number"], c["type"]) for c in case["certificates"]] == [
        ("KM-2026-0001-C1", "declined"), ("KM-2026-0001-C2", "after-mediation")]


def test_a_second_certificate_for_the_same_cause_is_refused(kidsmed, env_now, db_path):
    _declined(kidsmed, env_now, db_path)
    kidsmed("certificate", "issue", "KM-2026-0001")
    before = _state(db_path)
    result = kidsmed("certificate", "issue", "KM-2026-0001")
    assert (result.exit_code, result.stderr) == (
        1, "Error: KM-2026-0001 already has certificate KM-2026-0001-C1 for its last cause — "
           "to issue it again add --reissue --reason TEXT\n")
    assert _state(db_path) == before


def test_reissue_keeps_the_original_and_its_appeal_deadline(kidsmed, env_now, db_path):
    _declined(kidsmed, env_now, db_path)
    env_now("2026-12-30T10:00")
    kidsmed("certificate", "issue", "KM-2026-0001")
    env_now("2027-01-11T10:00")
    result = kidsmed("certificate", "issue", "KM-2026-0001", "--reissue", "--reason", "Letter lost in the post")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "Issued KM-2026-0001-C2 (declined) on Mon 11 Jan 2027 — on time, due Wed 30 Dec 2026.")
    original, again = kidsmed.json("show", "KM-2026-0001")["certificates"]
    assert original["number"] == "KM-2026-0001-C1" and again["number"] == "KM-2026-0001-C2"
    assert again["appeal_deadline"] == original["appeal_deadline"] == "2027-02-01"
    assert again["appeal_rule"].endswith("(from the original, KM-2026-0001-C1)")
    assert rows(db_path, "SELECT number, reissue_of, reissue_reason FROM certificates ORDER BY id") == [
        ("KM-2026-0001-C1", None, None), ("KM-2026-0001-C2", 1, "Letter lost in the post")]
    timeline = kidsmed.json("show", "KM-2026-0001")["timeline"]
    assert timeline[-1]["action"] == "certificate-reissued"
    assert timeline[-1]["detail"]["original"] == "KM-2026-0001-C1"
    assert timeline[-1]["note"] == "Reissued: Letter lost in the post"
    # A reissue of the reissue still runs from the first certificate.
    third = kidsmed.json("certificate", "issue", "KM-2026-0001", "--reissue", "--reason", "Typo")["certificates"][2]
    assert rows(db_path, "SELECT reissue_of FROM certificates WHERE number = ?", (third["number"],)) == [(1,)]


@pytest.mark.parametrize(("args", "code", "message"), [
    (("--reissue",), 2, "--reissue and --reason go together — give both to issue a certificate again"),
    (("--reason", "x"), 2, "--reissue and --reason go together — give both to issue a certificate again"),
    (("--reissue", "--reason", "x"), 1, "KM-2026-0001 is owed a new certificate — issue it without --reissue"),
    (("--on", "tomorrow"), 2, "Thu 24 Dec 2026 is in the future — give the day it was issued with --on"),
    (("--on", "22/12/2026"), 2, "Tue 22 Dec 2026 is before family declined (Wed 23 Dec 2026) — check --on"),
])
def test_bad_issue_options_change_nothing(kidsmed, env_now, db_path, args, code, message):
    _declined(kidsmed, env_now, db_path)
    before = _state(db_path)
    result = kidsmed("certificate", "issue", "KM-2026-0001", *args)
    assert (result.exit_code, result.stderr) == (code, f"Error: {message}\n")
    assert _state(db_path) == before


def test_no_certificate_is_owed(kidsmed, db_path):
    kidsmed.intake()
    before = _state(db_path)
    result = kidsmed("certificate", "issue", "KM-2026-0001")
    assert (result.exit_code, result.stderr) == (
        1, "Error: KM-2026-0001 is owed no certificate — a certificate is owed when the family declines "
           "mediation, the LA cannot arrange it within 30 days, or the mediation concludes\n")
    reissue = kidsmed("certificate", "issue", "KM-2026-0001", "--reissue", "--reason", "x")
    assert (reissue.exit_code, reissue.stderr) == (
        1, "Error: KM-2026-0001 has no certificate to reissue — issue the first one without --reissue\n")
    assert _state(db_path) == before


def test_disagreement_resolution_has_no_certificate(kidsmed):
    kidsmed.intake("--kind", "disagreement-resolution", "--other-party", "setting")
    result = kidsmed("certificate", "issue", "KM-2026-0001")
    assert (result.exit_code, result.stderr) == (
        1, "Error: KM-2026-0001 is a disagreement-resolution case — only mediation cases have a mediation "
           "certificate\n")


def test_unknown_case(kidsmed):
    result = kidsmed("certificate", "issue", "KM-2026-0404")
    assert result.exit_code == 3


def test_appeal_deadline_in_august_moves_to_september(kidsmed, env_now, db_path):
    env_now("2027-06-15T10:00")
    kidsmed.intake("--decision-date", "10/6/2027")
    start_clock(db_path, "KM-2027-0001", "certificate-after-decline", "2027-06-15")
    env_now("2027-06-18T10:00")
    certificate = kidsmed.json("certificate", "issue", "KM-2027-0001", "--on", "17/6/2027")["certificates"][0]
    assert certificate["appeal_deadline"] == "2027-09-01"
    assert certificate["appeal_rule"] == (
        "decision Thu 10 Jun 2027 + 2 months = Tue 10 Aug 2027 (later than certificate + 1 month); falls in "
        "August: moved to the first working day after 31 August, Wed 1 Sep 2027")


def test_appeal_deadline_over_christmas_moves_past_new_year(kidsmed, env_now, db_path):
    env_now("2026-11-25T10:00")
    kidsmed.intake("--decision-date", "1/10/2026")
    start_clock(db_path, "KM-2026-0001", "certificate-after-decline", "2026-11-24")
    certificate = kidsmed.json("certificate", "issue", "KM-2026-0001")["certificates"][0]
    assert certificate["appeal_deadline"] == "2027-01-04"
    assert "falls between 25 December and 1 January" in certificate["appeal_rule"]


# --- the letter -----------------------------------------------------------------

def _issued(kidsmed, env_now, db_path, *intake):
    _declined(kidsmed, env_now, db_path, *intake)
    env_now("2026-12-24T10:00")
    kidsmed("certificate", "issue", "KM-2026-0001")


def test_print_the_letter_in_the_terminal(kidsmed, env_now, db_path):
    _issued(kidsmed, env_now, db_path)
    result = kidsmed("certificate", "print", "KM-2026-0001")
    assert result.exit_code == 0
    assert result.stderr == ("Warning: the letter has no service address, phone, email — set them with "
                             "'kidsmed settings set service.address VALUE'\n")
    for expected in ("SEND Mediation Service", "Mediation certificate: mediation not pursued",
                     "Certificate number: KM-2026-0001-C1", "Date of issue: Thu 24 Dec 2026", "To: Sam Example",
                     "Child or young person: Alex Example", "Local authority: Northshire",
                     "Date the local authority sent written notice of its decision: Mon 2 Nov 2026",
                     "Your appeal must reach the Tribunal by: Mon 25 Jan 2027"):
        assert expected in result.stdout


def test_the_letter_carries_the_service_settings(kidsmed, env_now, db_path, tmp_path):
    _issued(kidsmed, env_now, db_path)
    kidsmed("settings", "set", "service.name", "Northshire SEND Mediation")
    kidsmed("settings", "set", "service.address", "1 High Street, Northtown, NT1 1AA")
    kidsmed("settings", "set", "service.phone", "0300 000 0000")
    kidsmed("settings", "set", "service.email", "mediation@example.org")
    out = tmp_path / "letter.txt"
    result = kidsmed("certificate", "print", "KM-2026-0001", "--output", str(out))
    assert (result.stdout, result.stderr) == (
        f"Wrote KM-2026-0001-C1 to {out}.\nNext: send it to the family.\n", "")
    letter = out.read_text(encoding="utf-8")
    assert letter.startswith("Northshire SEND Mediation\n1 High Street\nNorthtown\nNT1 1AA\n"
                             "Phone: 0300 000 0000 · Email: mediation@example.org\n\n"
                             "Mediation certificate: mediation not pursued\n")
    assert ("How this date was worked out: certificate issued Thu 24 Dec 2026 + 1 month = Sun 24 Jan 2027 "
            "(later than decision + 2 months)") in letter
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_the_html_letter_escapes_every_value(kidsmed, env_now, db_path):
    _issued(kidsmed, env_now, db_path, "--family", "<script>alert('x')</script> & Co",
            "--child", '"><img src=x onerror=alert(1)>', "--la", "[red]North</b>")
    kidsmed("settings", "set", "service.name", "<b>Mediation</b>")
    page = kidsmed("certificate", "print", "KM-2026-0001", "--html").stdout
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>\n")
    assert "<script" not in page and "<img" not in page and "<b>" not in page and "onerror=alert(1)>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert "[red]North&lt;/b&gt;" in page and "&lt;b&gt;Mediation&lt;/b&gt;" in page
    assert "<style>" in page and "http" not in page  # self-contained: nothing fetched


def test_print_as_json(kidsmed, env_now, db_path):
    _issued(kidsmed, env_now, db_path)
    letter = kidsmed.json("certificate", "print", "KM-2026-0001")
    assert letter["number"] == "KM-2026-0001-C1" and letter["type"] == "declined"
    assert letter["service"] == {"name": "SEND Mediation Service", "address": "", "phone": "", "email": ""}
    assert (letter["family"], letter["child"], letter["appeal_deadline"]) == (
        "Sam Example", "Alex Example", "2027-01-25")


def test_print_the_latest_certificate(kidsmed, env_now, db_path):
    _issued(kidsmed, env_now, db_path)
    kidsmed("certificate", "issue", "KM-2026-0001", "--reissue", "--reason", "lost")
    letter = kidsmed.json("certificate", "print", "KM-2026-0001")
    assert (letter["number"], letter["reissue_of"]) == ("KM-2026-0001-C2", "KM-2026-0001-C1")


def test_no_letter_without_a_certificate(kidsmed):
    kidsmed.intake()
    result = kidsmed("certificate", "print", "KM-2026-0001")
    assert (result.exit_code, result.stderr) == (
        1, "Error: KM-2026-0001 has no certificate yet — issue it with 'kidsmed certificate issue KM-2026-0001'\n")


def test_an_erased_case_has_no_letter(kidsmed, env_now, db_path, tmp_path):
    _issued(kidsmed, env_now, db_path)
    db = open_db(db_path)
    with db.transaction():
        db.execute("UPDATE cases SET erased_at = '2027-01-04T10:00:00+00:00' WHERE id = 1")
        db.execute("UPDATE case_personal SET family_name = NULL, child_name = NULL WHERE case_id = 1")
    db.close()
    result = kidsmed("certificate", "print", "KM-2026-0001", "--output", str(tmp_path / "x.html"))
    assert (result.exit_code, result.stderr) == (
        1, "Error: KM-2026-0001 has been anonymised: its details are erased — its certificate letter can no "
           "longer be printed\n")
    assert not (tmp_path / "x.html").exists()


# --- settings -------------------------------------------------------------------

def test_settings_list_defaults_and_set(kidsmed, db_path):
    listed = kidsmed.json("settings", "list")
    assert [(s["key"], s["value"], s["default"]) for s in listed] == [
        ("service.name", "SEND Mediation Service", True), ("service.address", "", True),
        ("service.phone", "", True), ("service.email", "", True),
        ("retention.years", "6", True)]
    result = kidsmed("settings", "set", "service.name", "  Northshire SEND Mediation ")
    assert result.stdout == ("Set service.name to 'Northshire SEND Mediation'.\n"
                             "Next: kidsmed certificate print REF shows it on the letter.\n")
    assert kidsmed.json("settings", "list")[0]["value"] == "Northshire SEND Mediation"
    back = kidsmed.json("settings", "set", "service.name", "")
    assert back == {"key": "service.name", "value": "SEND Mediation Service", "default": True,
                    "meaning": "the service's name, at the top of every letter"}
    assert [json.loads(d) for (d,) in rows(db_path, "SELECT detail FROM events WHERE action = 'setting-changed'")] == [
        {"key": "service.name", "value": {"old": "SEND Mediation Service", "new": "Northshire SEND Mediation"}},
        {"key": "service.name", "value": {"old": "Northshire SEND Mediation", "new": "SEND Mediation Service"}}]


@pytest.mark.parametrize(("args", "message"), [
    (("service.fax", "1"), "'service.fax' is not a known setting — use one of: service.name, service.address, "
                           "service.phone, service.email, retention.years"),
    (("service.name", "two\nlines"), "the value of service.name is not one line of up to 200 characters — "
                                     "give a shorter value on one line"),
])
def test_bad_settings_change_nothing(kidsmed, db_path, args, message):
    kidsmed("settings", "list")
    result = kidsmed("settings", "set", *args)
    assert (result.exit_code, result.stderr) == (2, f"Error: {message}\n")
    assert rows(db_path, "SELECT count(*) FROM settings") == [(0,)]
