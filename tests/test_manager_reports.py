"""Monthly reports a manager can send as they are (issue 16, items 8–11): the service's own name,
who produced it and when, labels and rates; secondary suppression said in the report; one file
per local authority; months and years typed as people say them."""

import csv
import io
import json
import os
import re

import pytest
from report_fixtures import CaseBookRows

NOV = "2026-11-1"  # day prefix: 2026-11-10 … 2026-11-19


@pytest.fixture
def november(kidsmed, db_path, env_now):
    """18 November referrals (16 mediation, 2 disagreement resolution) and 5 certificates, 4 on
    time, across Barnsley and York; the report is produced on Wed 2 Dec 2026 at 10:14."""
    book = CaseBookRows(db_path)
    for n in range(18):
        ref = f"KM-2026-{n + 1:04d}"
        book.case(ref, f"{NOV}{n % 10}", "Barnsley" if n < 12 else "York",
                  kind="disagreement-resolution" if n < 2 else "mediation", referrer_role="parent")
        if n < 5:
            book.certificate(ref, "declined", f"{NOV}{n}", f"{NOV}{n if n else 9}" if n != 4 else f"{NOV}3")
    book.db.close()
    kidsmed("settings", "set", "service.name", "Northshire SEND Mediation Service")
    env_now("2026-12-02T10:14")


# --- 8. ready to send -----------------------------------------------------------------------------

def test_the_report_names_the_service_the_la_who_produced_it_and_when(kidsmed, november):
    lines = kidsmed("--user", "jo.manager", "report", "month", "2026-11", "--la", "Barnsley",
                    env={"COLUMNS": "120"}).stdout.splitlines()
    assert lines[:3] == [
        "Northshire SEND Mediation Service — counts for November 2026 — Barnsley (370)",
        "Sun 1 Nov 2026 to Mon 30 Nov 2026 · Barnsley (370)",
        "Produced on Wed 2 Dec 2026 at 10:14 by jo.manager: figures as recorded at that moment."]
    html = kidsmed("--user", "jo.manager", "report", "month", "2026-11", "--format", "html").stdout
    assert "<title>Northshire SEND Mediation Service — counts for November 2026</title>" in html
    assert "Produced on Wed 2 Dec 2026 at 10:14 by jo.manager: figures as recorded at that moment." in html
    report = kidsmed.json("--user", "jo.manager", "report", "month", "2026-11")
    assert (report["service"], report["produced_at"], report["produced_by"]) == (
        "Northshire SEND Mediation Service", "2026-12-02T10:14:00+00:00", "jo.manager")


def test_rates_stand_beside_their_counts_with_what_they_are_out_of(kidsmed, november):
    report = kidsmed.json("report", "month", "2026-11")
    assert report["rates"]["certificates_on_time"] == {
        "count": 4, "of": 5, "denominator": "certificates_issued", "percent": 80}
    assert report["rates"]["mediations_within_30_days"]["percent"] is None  # none held: no rate
    [line] = [line for line in kidsmed("report", "month", "2026-11").stdout.splitlines() if "on time" in line]
    assert re.split(r"\s{2,}", line.strip()) == ["Certificates on time", "4 of 5, 80%"]
    html = kidsmed("report", "month", "2026-11", "--format", "html").stdout
    assert '<td class="n">4 of 5, 80%</td>' in html
    assert "The per cent is of certificates issued." in html
    rows = dict(csv.reader(io.StringIO(kidsmed("report", "month", "2026-11", "-f", "csv").stdout)))
    assert (rows["certificates_on_time"], rows["certificates_on_time_percent"]) == ("4", "80")


def test_people_read_labels_and_scripts_read_codes(kidsmed, november):
    table = kidsmed("report", "month", "2026-11").stdout
    assert "\n  Disagreement resolution  " in table and "\n  LA officer  " in table
    assert "disagreement-resolution" not in table
    assert "<td>Disagreement resolution</td>" in kidsmed("report", "month", "2026-11", "-f", "html").stdout
    rows = dict(csv.reader(io.StringIO(kidsmed("report", "month", "2026-11", "-f", "csv").stdout)))
    assert rows["referrals_by_kind.disagreement-resolution"] == "2"


# --- 9. secondary suppression, said in the report --------------------------------------------------

def test_a_hidden_count_cannot_be_worked_out_from_its_total(kidsmed, november):
    """The issue's own example: referrals 18 and mediation 16 left disagreement resolution <5 obviously 2."""
    report = kidsmed.json("report", "month", "2026-11", "--suppress-under", "5")
    assert report["metrics"]["referrals_received"] == 18
    assert report["metrics"]["referrals_by_kind"] == {"mediation": "c", "disagreement-resolution": "<5"}
    assert report["secondary_suppression"] is True
    note = ("Secondary suppression was applied: a count shown as c is hidden as well, so that no <5 can be "
            "worked out by subtracting from a total.")
    for fmt in ("table", "html"):
        shown = kidsmed("report", "month", "2026-11", "--suppress-under", "5", "-f", fmt).stdout
        assert note.replace("<", "&lt;" if fmt == "html" else "<") in " ".join(shown.split())


# --- 10. one file per LA ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["html", "csv"])
def test_each_la_gets_its_own_file_named_by_dfe_code_and_name(kidsmed, november, tmp_path, fmt):
    folder = tmp_path / "month-end"
    result = kidsmed("report", "month", "2026-11", "--each-la", "--format", fmt, "--output-dir", str(folder),
                     "--suppress-under", "5")
    assert result.exit_code == 0, result.output
    names = [f"370-barnsley-2026-11.{fmt}", f"816-york-2026-11.{fmt}"]
    assert result.stdout == (f"Wrote 2 reports for November 2026 to {folder}:\n"
                             + "".join(f"  {name}\n" for name in names))
    assert sorted(os.listdir(folder)) == names
    york = (folder / names[1]).read_text()
    if fmt == "html":
        assert "<h1>Northshire SEND Mediation Service — counts for November 2026 — York (816)</h1>" in york
    else:
        rows = dict(csv.reader(io.StringIO(york)))
        assert (rows["local_authority"], rows["dfe_la_code"], rows["referrals_received"]) == ("York", "816", "6")


@pytest.mark.parametrize(("args", "error"), [
    (("--each-la",), "Error: --each-la and --output-dir go together — e.g. --each-la --output-dir month-end\n"),
    (("--output-dir", "x"), "Error: --each-la and --output-dir go together — e.g. --each-la --output-dir month-end\n"),
    (("--each-la", "--output-dir", "x", "--la", "York"),
     "Error: --each-la writes one file per local authority by itself — leave out --la, --by-la, --output and --json\n"),
    (("--each-la", "--output-dir", "x"),
     "Error: 'table' is not an output format here — use one of: html, csv, json\n"),
])
def test_each_la_refuses_what_it_cannot_do_and_writes_nothing(kidsmed, november, tmp_path, monkeypatch, args, error):
    monkeypatch.chdir(tmp_path)
    result = kidsmed("report", "month", "2026-11", *args)
    assert (result.exit_code, result.stderr) == (2, error)
    assert not (tmp_path / "x").exists()


# --- 11. months and years as people say them -------------------------------------------------------

@pytest.mark.parametrize(("typed", "period"), [
    ("October 2026", "2026-10"), ("oct 2026", "2026-10"), ("oct", "2026-10"), ("Sept", "2026-09"),
    ("november", "2026-11"), ("dec", "2025-12"), ("10/2026", "2026-10"), ("2026-10", "2026-10"),
])
def test_a_month_is_understood_as_people_type_it(kidsmed, november, typed, period):
    assert kidsmed.json("report", "month", typed)["period"] == period


@pytest.mark.parametrize("typed", ["octember", "oc", "13/2026", "October 26"])
def test_a_month_that_is_not_one_is_refused(kidsmed, typed):
    result = kidsmed("report", "month", typed)
    assert (result.exit_code, result.stderr) == (
        2, f"Error: '{typed}' is not a month — give it as YYYY-MM, e.g. 2026-10, or 'October 2026'\n")


@pytest.mark.parametrize(("now", "args", "period"), [
    ("2026-12-02T10:14", (), "2025"),
    ("2027-01-01T09:00", (), "2026"),
    ("2026-12-02T10:14", ("--academic",), "2025/26"),
    ("2026-08-31T10:00", ("--academic",), "2024/25"),
    ("2026-09-01T10:00", ("--academic",), "2025/26"),
])
def test_a_year_without_a_number_is_the_last_complete_one(kidsmed, env_now, now, args, period):
    env_now(now)
    report = kidsmed.json("report", "year", *args)
    assert (report["period"], report["complete"]) == (period, True)


def test_the_academic_year_chart_shows_no_month_still_to_come(kidsmed, november):
    report = kidsmed.json("report", "year", "2026", "--academic")
    assert [p["referrals_received"] for p in report["trend"]][2:5] == [18, 0, None]  # Nov, Dec so far, Jan
    assert all(p["mediations_held"] is None for p in report["trend"][4:])
    chart = kidsmed("report", "year", "2026", "--academic").stdout
    assert "\nJan 2027\n" in chart and "\nDec 2026   0  " in chart
    jan = next(line for line in chart.splitlines() if line.startswith("Jan 2027"))
    assert "0" not in jan.replace("2027", "")
    html = kidsmed("report", "year", "2026", "--academic", "-f", "html").stdout
    assert ">None<" not in html
    assert json.loads(kidsmed("report", "year", "2026", "--academic", "-f", "json").stdout)["trend"][11] == {
        "period": "2027-08", "referrals_received": None, "mediations_held": None}
