"""report month and report year: a month whose every count is known by hand, in every format."""

import csv
import io
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from report_fixtures import CaseBookRows

from kidsmed.domain.reports import METRICS, flatten

# October 2026, counted by hand from the cases `october` logs (letters as in the comments there).
OCTOBER = {
    "referrals_received": 7,                  # B C D E F H W
    "referrals_by_referrer_role": {"parent": 1, "young-person": 1, "la-officer": 1, "sendiass": 1,
                                   "school": 1, "health": 1, "voluntary": 1, "other": 0},
    "referrals_by_kind": {"mediation": 6, "disagreement-resolution": 1},
    "consent_refused": 1,                     # D
    "family_declined": 1,                     # C
    "certificates_issued": 4,                 # A G K, and C's (late); C's reissue is not counted
    "certificates_by_type": {"declined": 1, "after-mediation": 2, "deemed": 1},
    "certificates_on_time": 3,
    "mediations_held": 3,                     # A (received in September) B J; not G (30 Sep), not E (DR)
    "mediations_by_reason": {"request": 1, "assessment": 1, "other": 1},
    "mediations_within_30_days": 2,           # A B; J's first session was late
    "outcomes": {"agreement": 1, "partial": 1, "no-agreement": 1},
    "mediations_followed_by_appeal": 1,       # A, whose appeal was lodged and recorded in November
    "disagreement_resolutions_held": 1,       # E
    "sessions_held": 5,                       # A, B twice (adjourned, partial), E, J; not J's did-not-proceed
    "sessions_cancelled": 2,                  # B's, and K's at 23:30 UTC on 30 Sep (00:30 on 1 Oct in London)
    "open_cases_at_end": 4,                   # F H K, and L (closed in November)
}


def _log(kidsmed, received: str, *options: str) -> str:
    return kidsmed.intake("--received", received, "--decision-date", "", *options)["ref"]


@pytest.fixture
def october(kidsmed, db_path):
    """A case book whose October 2026 counts are OCTOBER. Returns the refs by letter."""
    ref = {
        "G": _log(kidsmed, "3/8/2026 10:00", "--la", "Southvale", "--issue", "refusal-to-issue"),
        "J": _log(kidsmed, "1/9/2026 10:00", "--issue", "plan-content"),
        "K": _log(kidsmed, "10/9/2026 10:00", "--la", "Southvale"),
        "L": _log(kidsmed, "15/9/2026 10:00", "--la", "Southvale", "--referrer-role", "other", "--issue", "cease"),
        "A": _log(kidsmed, "21/9/2026 10:00", "--issue", "refusal-to-issue", "--issue", "refusal-to-assess"),
        "C": _log(kidsmed, "1/10/2026 10:00", "--referrer-role", "la-officer", "--issue", "plan-content"),
        "B": _log(kidsmed, "5/10/2026 10:00", "--la", "Southvale", "--referrer-role", "school",
                  "--issue", "refusal-to-issue", "--issue", "placement"),
        "W": _log(kidsmed, "7/10/2026 10:00", "--referrer-role", "voluntary", "--issue", "other"),
        "D": _log(kidsmed, "12/10/2026 10:00", "--la", "Southvale", "--referrer-role", "sendiass",
                  "--issue", "placement"),
        "E": _log(kidsmed, "20/10/2026 10:00", "--kind", "disagreement-resolution", "--other-party", "setting",
                  "--issue", "sen-provision"),
        "H": _log(kidsmed, "22/10/2026 10:00", "--la", "Southvale", "--referrer-role", "health"),
        "F": _log(kidsmed, "30/10/2026 16:00", "--referrer-role", "young-person"),
        "I": _log(kidsmed, "2/11/2026 10:00"),
    }
    book = CaseBookRows(db_path)
    # G: concluded on 30 Sep (September's), certificate on 2 Oct, appeal in October.
    book.session(ref["G"], "2026-09-30 10:00", "held", "no-agreement")
    book.close(ref["G"], "2026-09-30", "mediation-concluded")
    book.certificate(ref["G"], "after-mediation", "2026-10-02", "2026-10-05")
    # J: a session that did not proceed, then one held late against its 30-day clock.
    book.clock(ref["J"], "mediation-within-30-days", "2026-09-02", "2026-10-02", "met", "2026-10-29")
    book.session(ref["J"], "2026-10-15 10:00", "did-not-proceed", "did-not-proceed")
    book.session(ref["J"], "2026-10-29 10:00", "held", "no-agreement")
    book.close(ref["J"], "2026-10-29", "mediation-concluded")
    # K: still open; a deemed certificate; cancellations either side of the month's edges.
    book.certificate(ref["K"], "deemed", "2026-10-21", "2026-10-21")
    book.session(ref["K"], "2026-10-05 10:00", "cancelled", cancelled_at="2026-09-30T22:30:00+00:00")
    book.session(ref["K"], "2026-10-06 10:00", "cancelled", cancelled_at="2026-09-30T23:30:00+00:00")
    book.session(ref["K"], "2026-11-06 10:00", "cancelled", cancelled_at="2026-11-01T00:30:00+00:00")
    # L: open through October.
    book.close(ref["L"], "2026-11-05", "resolved-without-mediation")
    # A: received in September, concluded in October in agreement, appeal recorded in November.
    book.clock(ref["A"], "mediation-within-30-days", "2026-09-22", "2026-10-22", "met", "2026-10-08")
    book.session(ref["A"], "2026-10-08 10:00", "held", "agreement")
    book.close(ref["A"], "2026-10-08", "mediation-concluded")
    book.certificate(ref["A"], "after-mediation", "2026-10-12", "2026-10-13")
    # C: family declined; the certificate a day late, then reissued (not counted again).
    book.consent(ref["C"], "given", "2026-10-02")
    book.close(ref["C"], "2026-10-09", "family-declined")
    first = book.certificate(ref["C"], "declined", "2026-10-15", "2026-10-14")
    book.certificate(ref["C"], "declined", "2026-10-20", "2026-10-14", reissue_of=first)
    # B: adjourned, a cancelled session, then partial agreement; its certificate late in November.
    book.consent(ref["B"], "given", "2026-10-06")
    book.clock(ref["B"], "mediation-within-30-days", "2026-10-07", "2026-11-06", "met", "2026-10-14")
    book.session(ref["B"], "2026-10-14 10:00", "held", "adjourned")
    book.session(ref["B"], "2026-10-20 10:00", "cancelled", cancelled_at="2026-10-16T09:00:00+00:00")
    book.session(ref["B"], "2026-10-28 10:00", "held", "partial")
    book.close(ref["B"], "2026-10-28", "mediation-concluded")
    book.certificate(ref["B"], "after-mediation", "2026-11-03", "2026-11-02")
    # W withdrawn; D refused consent; E's disagreement resolution ended without agreement.
    book.close(ref["W"], "2026-10-08", "withdrawn")
    book.consent(ref["D"], "refused", "2026-10-13")
    book.close(ref["D"], "2026-10-13", "consent-refused")
    book.session(ref["E"], "2026-10-27 10:00", "held", "no-agreement")
    book.close(ref["E"], "2026-10-27", "mediation-concluded")
    for letter, lodged in (("A", "10/11/2026"), ("G", "20/10/2026")):
        assert kidsmed("appeal", ref[letter], "--lodged-on", lodged).exit_code == 0
    return ref


def test_every_october_metric_is_the_count_made_by_hand(kidsmed, october):
    report = kidsmed.json("report", "month", "2026-10")
    assert {k: report[k] for k in ("period", "from", "to", "local_authority", "complete")} == {
        "period": "2026-10", "from": "2026-10-01", "to": "2026-10-31", "local_authority": None, "complete": True}
    assert report["metrics"] == OCTOBER
    assert report["by_local_authority"] == []


def test_september_counts_the_mediation_concluded_on_its_last_day(kidsmed, october):
    september = kidsmed.json("report", "month", "2026-09")["metrics"]
    assert september["referrals_received"] == 4                 # J K L A
    assert september["mediations_held"] == 1                    # G
    assert september["mediations_followed_by_appeal"] == 1      # G's appeal, lodged in October
    assert september["sessions_cancelled"] == 1                 # K's at 23:30 on 30 Sep in London
    assert september["open_cases_at_end"] == 4                  # J K L A


def test_the_default_month_is_the_last_complete_one(kidsmed, env_now):
    assert kidsmed.json("report", "month")["period"] == "2026-10"
    env_now("2027-01-01T09:00")
    assert kidsmed.json("report", "month")["period"] == "2026-12"


def test_one_local_authority(kidsmed, october):
    north = kidsmed.json("report", "month", "2026-10", "--la", "northshire")
    assert north["local_authority"] == "Northshire"
    assert north["metrics"]["referrals_received"] == 4          # C E F W
    assert north["metrics"]["mediations_held"] == 2             # A J
    assert north["metrics"]["open_cases_at_end"] == 1           # F


def test_by_la_gives_a_row_per_local_authority_that_adds_up(kidsmed, october):
    report = kidsmed.json("report", "month", "2026-10", "--by-la")
    assert [row["local_authority"] for row in report["by_local_authority"]] == ["Northshire", "Southvale"]
    assert report["metrics"] == OCTOBER
    parts = [flatten(row["metrics"]) for row in report["by_local_authority"]]
    assert {name: sum(p[name] for p in parts) for name in parts[0]} == flatten(OCTOBER)


def test_csv_json_and_table_agree_on_every_number(kidsmed, october):
    expected = flatten(kidsmed.json("report", "month", "2026-10")["metrics"])
    rows = list(csv.reader(io.StringIO(kidsmed("report", "month", "2026-10", "--format", "csv").stdout)))
    assert rows[:11] == [["metric", "value"], ["period", "2026-10"], ["from", "2026-10-01"], ["to", "2026-10-31"],
                         ["local_authority", "all"], ["dfe_la_code", ""], ["service", "SEND Mediation Service"],
                         ["produced_at", "2026-11-26T10:00:00+00:00"], ["produced_by", "tester"],
                         ["suppressed_under", ""], ["secondary_suppression", "false"]]
    assert {name: int(value) for name, value in rows[11:] if not name.endswith("_percent")} == expected
    assert [row for row in rows if row[0].endswith("_percent")] == [
        ["certificates_on_time_percent", "75"], ["mediations_within_30_days_percent", "67"],
        ["mediations_followed_by_appeal_percent", "33"]]
    table = kidsmed("report", "month", "2026-10").stdout
    counts = table.split("Referrals and mediations held, by month")[0]  # the chart follows the counts
    cells = [re.split(r"\s{2,}", line.strip()) for line in counts.splitlines()]
    # a rate is beside its count: "3 of 4, 75%"
    counted = [int(row[-1].split()[0]) for row in cells if len(row) > 1 and row[-1].split()[0].isdigit()]
    assert counted == list(expected.values())
    html = kidsmed("report", "month", "2026-10", "--format", "html").stdout
    for name, value in expected.items():
        assert f'<td class="n">{value}<' in html or f'<td class="n">{value} of ' in html, name


def test_by_la_csv_has_a_column_per_local_authority_and_the_total(kidsmed, october):
    by_la = kidsmed.json("report", "month", "2026-10", "--by-la")
    rows = list(csv.reader(io.StringIO(kidsmed("report", "month", "2026-10", "--by-la", "-f", "csv").stdout)))
    assert rows[0] == ["metric", "Northshire", "Southvale", "total"]
    assert rows[4] == ["local_authority", "Northshire", "Southvale", "all"]
    assert rows[5] == ["dfe_la_code", "", "", ""]  # fictional LAs have no DfE code
    columns = [flatten(r["metrics"]) for r in by_la["by_local_authority"]] + [flatten(by_la["metrics"])]
    assert {row[0]: [int(v) for v in row[1:]] for row in rows[11:] if not row[0].endswith("_percent")} == {
        name: [c[name] for c in columns] for name in columns[-1]}


def test_small_counts_are_suppressed_in_every_format(kidsmed, october):
    report = kidsmed.json("report", "month", "2026-10", "--suppress-under", "3")
    metrics = report["metrics"]
    assert report["suppressed_under"] == 3
    # Seven referrers of seven referrals, each shown as <3, would each be 1: the total is hidden too,
    # and so is October's bar on the chart, which would give it away; the same for three mediations
    # held for three reasons.
    assert metrics["referrals_received"] == "c" and metrics["mediations_held"] == "c"
    assert metrics["referrals_by_kind"] == {"mediation": 6, "disagreement-resolution": "<3"}  # the total is hidden
    assert report["secondary_suppression"] is True
    assert metrics["consent_refused"] == "<3" and metrics["sessions_cancelled"] == "<3"
    assert metrics["referrals_by_referrer_role"]["other"] == 0
    assert metrics["mediations_by_reason"] == {"request": "<3", "assessment": "<3", "other": "<3"}
    assert report["trend"][-1] == {"period": "2026-10", "referrals_received": "c", "mediations_held": "c"}
    assert report["trend"][-2] == {"period": "2026-09", "referrals_received": 4, "mediations_held": "<3"}
    rows = dict(csv.reader(io.StringIO(kidsmed("report", "month", "2026-10", "--suppress-under", "3",
                                               "-f", "csv").stdout)))
    assert rows["consent_refused"] == "<3" and rows["suppressed_under"] == "3"
    by_la = kidsmed.json("report", "month", "2026-10", "--by-la", "--suppress-under", "3")
    assert all(v in (0, "<3", "c") or v >= 3 for row in by_la["by_local_authority"]
               for v in flatten(row["metrics"]).values())
    table = kidsmed("report", "month", "2026-10", "--suppress-under", "3").stdout
    assert "Counts from 1 to 2 are shown as <3." in table
    assert "Secondary suppression was applied: a count shown as c is hidden as well" in table


def test_suppress_under_must_be_at_least_2(kidsmed):
    result = kidsmed("report", "month", "--suppress-under", "1")
    assert result.exit_code == 2
    assert result.stderr == "Error: --suppress-under must be from 2 to 100 — e.g. --suppress-under 5\n"


def test_the_year_sums_its_months_in_the_same_shape(kidsmed, october):
    months = [kidsmed.json("report", "month", f"2026-{m:02d}")["metrics"] for m in range(1, 12)]
    year = kidsmed.json("report", "year", "2026")
    assert (year["period"], year["from"], year["to"], year["complete"]) == ("2026", "2026-01-01", "2026-12-31", False)
    flows = [name for name in flatten(OCTOBER) if name != "open_cases_at_end"]
    assert {n: v for n, v in flatten(year["metrics"]).items() if n in flows} == {
        name: sum(flatten(m)[name] for m in months) for name in flows}
    assert year["metrics"]["open_cases_at_end"] == 4             # F H K I, at the end of 31 Dec
    assert [p["period"] for p in year["trend"]] == [f"2026-{m:02d}" for m in range(1, 13)]


def test_the_academic_year_runs_september_to_august(kidsmed, october):
    year = kidsmed.json("report", "year", "2026", "--academic")
    assert (year["period"], year["title"], year["from"], year["to"]) == (
        "2026/27", "academic year 2026/27", "2026-09-01", "2027-08-31")
    assert year["metrics"]["referrals_received"] == 12           # every case but G
    assert year["trend"][0]["period"] == "2026-09" and year["trend"][-1]["period"] == "2027-08"


@pytest.mark.parametrize("args, code, error", [
    (("report", "month", "2026-13"), 2,
     "Error: '2026-13' is not a month — give it as YYYY-MM, e.g. 2026-10, or 'October 2026'\n"),
    (("report", "month", "2026-12"), 2, "Error: December 2026 has not started yet — give a month up to 2026-11\n"),
    (("report", "year", "2027"), 2, "Error: 2027 has not started yet — give a year up to 2026\n"),
    (("report", "month", "--la", "Nowhere"), 2,
     "Error: 'Nowhere' is not a registered local authority — see 'kidsmed las list'\n"),
    (("report", "month", "--la", "X", "--by-la"), 2, "Error: --la and --by-la cannot be used together — "
     "give --la NAME for one local authority, or --by-la for all of them\n"),
    (("report", "month", "-f", "xml"), 2,
     "Error: 'xml' is not an output format here — use one of: table, csv, json, html\n"),
])
def test_bad_periods_and_options_are_refused(kidsmed, args, code, error):
    result = kidsmed(*args)
    assert (result.exit_code, result.stderr) == (code, error)


def test_an_unknown_local_authority_is_refused_with_the_likely_one(kidsmed):
    kidsmed.intake("--la", "Southvale")
    result = kidsmed("report", "month", "--la", "Soutvale")
    assert result.exit_code == 2
    assert result.stderr == ("Error: 'Soutvale' is not a registered local authority — "
                             "did you mean Southvale? (see 'kidsmed las list')\n")


def test_a_report_carries_the_dfe_code_beside_the_name(kidsmed):
    kidsmed.intake("--la", "Barnsley")
    kidsmed.intake("--la", "york")
    report = kidsmed.json("report", "month", "2026-11", "--by-la")
    assert [(p["local_authority"], p["dfe_la_code"]) for p in report["by_local_authority"]] == [
        ("Barnsley", "370"), ("York", "816")]
    one = kidsmed("report", "month", "2026-11", "--la", "370")
    assert one.stdout.splitlines()[:2] == ["SEND Mediation Service — counts for November 2026 — Barnsley (370)",
                                           "Sun 1 Nov 2026 to Mon 30 Nov 2026 · Barnsley (370)"]
    rows = list(csv.reader(io.StringIO(kidsmed("report", "month", "2026-11", "--by-la", "-f", "csv").stdout)))
    assert rows[4:6] == [["local_authority", "Barnsley", "York", "all"], ["dfe_la_code", "370", "816", ""]]


def test_month_and_mm_yyyy_are_both_understood(kidsmed):
    assert kidsmed.json("report", "month", "9/2026")["period"] == "2026-09"


def test_a_month_not_over_says_so(kidsmed):
    report = kidsmed.json("report", "month", "2026-11")
    assert report["complete"] is False
    assert "November 2026 is not over yet: these are the counts so far." in kidsmed("report", "month", "2026-11").stdout


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attributes = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]


def test_the_html_page_is_self_contained_and_printable(kidsmed, october, tmp_path):
    out = tmp_path / "october.html"
    result = kidsmed("report", "month", "2026-10", "--by-la", "--format", "html", "--output", str(out))
    assert result.exit_code == 0
    assert result.stdout == f"Saved the October 2026 report (html) to {out}.\n"
    page = out.read_text()
    parser = _Page()
    parser.feed(page)
    parser.close()
    assert page.startswith("<!DOCTYPE html>")
    assert {"html", "head", "style", "body", "table", "svg", "rect"} <= set(parser.tags)
    assert {"script", "link", "img", "iframe", "object"}.isdisjoint(parser.tags)
    assert {"src", "href"}.isdisjoint(parser.attributes) and not [a for a in parser.attributes if a.startswith("on")]
    assert "http:" not in page and "https:" not in page and "url(" not in page
    assert parser.tags.count("rect") == 2 + 24                   # the legend, then 12 months × 2 bars
    assert "@media print" in page


def test_output_to_a_file_in_every_format(kidsmed, october, tmp_path):
    for fmt in ("csv", "json", "table"):
        out = tmp_path / f"october.{fmt}"
        assert kidsmed("report", "month", "2026-10", "-f", fmt, "-o", str(out)).exit_code == 0
    assert json.loads((tmp_path / "october.json").read_text())["metrics"] == OCTOBER
    assert "Referrals received" in (tmp_path / "october.table").read_text()


def test_output_never_overwrites_the_case_book(kidsmed, db_path):
    kidsmed.intake()
    result = kidsmed("report", "month", "-f", "csv", "-o", str(db_path))
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {db_path} is the case book or a file kidsmed keeps (its -wal or -shm, a "
                             "backup, a copy kept aside, a partial copy) — choose another file name; nothing "
                             "was written\n")


def test_hostile_local_authority_names_are_formula_safe_in_csv(kidsmed):
    for la in ('=HYPERLINK("http://x.example","y")', "+SUM(1,2)", "-2+3", "@cmd", "\tTab"):
        kidsmed.intake("--la", la, "--received", "2/11/2026 10:00")
    text = kidsmed("report", "month", "2026-11", "--by-la", "-f", "csv").stdout
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'=HYPERLINK(\"http://x.example\",\"y\")" in cells


PERSONAL = {
    "--family": "Zebedee Quillfeather-Marchbanks", "--child": "Ottoline Quillfeather",
    "--phone": "07700 900987", "--email": "zebedee.qm@example.org", "--dob": "17/3/2015",
    "--referrer-name": "Persephone Vantablack", "--setting": "Thistledown Academy",
    "--relationship": "great-aunt", "--notes": "Prefers mornings; the dog is called Marmaduke",
}


def test_no_export_ever_holds_personal_details(kidsmed, tmp_path):
    options = [x for pair in PERSONAL.items() for x in pair]
    kidsmed.intake(*options, "--referrer-role", "school", "--received", "2/11/2026 10:00")
    kidsmed.intake(*options, "--received", "26/11/2026 09:30")
    outputs = [kidsmed(*args).stdout for args in (
        *(("report", "month", "2026-11", *extra, "-f", fmt) for fmt in ("table", "csv", "json", "html")
          for extra in ((), ("--by-la",))),
        ("report", "year", "2026", "--json"), ("report", "day", "--json"), ("report", "day"))]
    assert all("KM-2026" not in text for text in outputs[:-2])  # counts only: not even a reference
    for text in outputs:
        for value in (*PERSONAL.values(), "2015-03-17", "Zebedee", "Marmaduke"):
            assert value not in text


def _chromium() -> str | None:
    return next((found for name in ("chromium", "chromium-browser", "google-chrome")
                 if (found := shutil.which(name))), None)


@pytest.mark.skipif(_chromium() is None, reason="no headless Chromium here")
def test_the_html_page_opens_in_headless_chromium(kidsmed, october, tmp_path):
    out = tmp_path / "october.html"
    kidsmed("settings", "set", "service.name", "Northshire SEND Mediation Service")
    kidsmed("report", "month", "2026-10", "--format", "html", "--output", str(out))
    shown = subprocess.run([_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", out.as_uri()],
                           capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0, shown.stderr
    assert "<title>Northshire SEND Mediation Service — counts for October 2026</title>" in shown.stdout
    assert "<h1>Northshire SEND Mediation Service — counts for October 2026</h1>" in shown.stdout
    assert ("Produced on Thu 26 Nov 2026 at 10:00 by tester: figures as recorded at that moment."
            in shown.stdout)
    assert shown.stdout.count("<rect") == 26


def test_the_managers_guide_defines_every_metric_in_the_words_of_the_code():
    guide = (Path(__file__).resolve().parents[1] / "docs" / "managers.md").read_text()
    for metric in METRICS:
        assert f"| `{metric.name}` | {metric.definition} |" in guide, metric.name
    for field in ("total_mediation", "total_tribunal_followed_mediation", "request_mediation",
                  "assessment_mediation", "other_mediation"):
        assert f"| `{field}` |" in guide
