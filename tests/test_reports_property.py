"""Property: the per-LA rows of a report always add up to its total, whatever the case book holds."""

from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_fixtures import CaseBookRows

from kidsmed.domain import reports
from kidsmed.domain.vocab import CLOSE_REASONS, ISSUES, KINDS, REFERRER_ROLES
from kidsmed.store.db import open_db

START = date(2026, 8, 20)  # cases and events fall from here to mid-November, around October
PRODUCED = reports.Produced(datetime(2026, 11, 26, 10, tzinfo=UTC), "tester")
LAS = ("Northshire", "Southvale", "Eastborough")

days = st.integers(min_value=0, max_value=85)
sessions = st.lists(st.tuples(st.sampled_from(["booked", "held", "did-not-proceed", "cancelled"]),
                              st.sampled_from([None, "agreement", "partial", "no-agreement", "adjourned"]),
                              days, st.integers(min_value=0, max_value=23)), max_size=3)
cases = st.lists(st.fixed_dictionaries({
    "la": st.sampled_from(LAS),
    "received": days,
    "kind": st.sampled_from(KINDS),
    "role": st.sampled_from(REFERRER_ROLES),
    "issues": st.lists(st.sampled_from(ISSUES), min_size=1, max_size=3, unique=True),
    "closed": st.one_of(st.none(), st.tuples(st.sampled_from(CLOSE_REASONS), days)),
    "appeal": st.booleans(),
    "sessions": sessions,
    "certificates": st.lists(st.tuples(st.sampled_from(reports.CERTIFICATE_TYPES), days, days), max_size=2),
    "clock": st.one_of(st.none(), st.tuples(days, days, st.sampled_from(["running", "met", "stopped"]))),
}), max_size=12)


def _day(offset: int) -> str:
    return (START + timedelta(days=offset)).isoformat()


def _fill(book: CaseBookRows, specs: list[dict]) -> None:
    for n, spec in enumerate(specs, 1):
        ref = f"KM-2026-{n:04d}"
        book.case(ref, _day(spec["received"]), spec["la"], kind=spec["kind"], referrer_role=spec["role"],
                  issues=tuple(spec["issues"]))
        for status, outcome, day, hour in spec["sessions"]:
            book.session(ref, f"{_day(day)} {9 + hour % 8:02d}:00", status, outcome,
                         cancelled_at=f"{_day(day)}T{hour:02d}:30:00+00:00" if status == "cancelled" else None)
        for kind, issued, due in spec["certificates"]:
            book.certificate(ref, kind, _day(issued), _day(due))
        if spec["clock"]:
            started, met, state = spec["clock"]
            book.clock(ref, "mediation-within-30-days", _day(started), _day(started + 30), state,
                       _day(met) if state == "met" else None)
        if spec["closed"]:
            book.close(ref, _day(spec["closed"][1]), spec["closed"][0])
        if spec["appeal"]:
            book.db.execute("UPDATE cases SET appeal_lodged_on = ? WHERE ref = ?", (_day(85), ref))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs=cases, suppress=st.one_of(st.none(), st.integers(min_value=2, max_value=6)))
def test_per_la_rows_add_up_to_the_total(specs, suppress):
    db = open_db(":memory:")
    _fill(CaseBookRows(db), specs)
    report = reports.counts(db, reports.month(2026, 10), PRODUCED, by_la=True)
    total = reports.flatten(report["metrics"])
    rows = [reports.flatten(row["metrics"]) for row in report["by_local_authority"]]
    assert {name: sum(row[name] for row in rows) for name in total} == total
    assert len({row["local_authority"] for row in report["by_local_authority"]}) == len(rows)
    # A breakdown always adds up to its metric.
    metrics = report["metrics"]
    assert sum(metrics["referrals_by_kind"].values()) == metrics["referrals_received"]
    assert sum(metrics["referrals_by_referrer_role"].values()) == metrics["referrals_received"]
    assert sum(metrics["certificates_by_type"].values()) == metrics["certificates_issued"]
    assert sum(metrics["mediations_by_reason"].values()) == metrics["mediations_held"]
    assert sum(metrics["outcomes"].values()) <= metrics["mediations_held"]
    assert metrics["mediations_within_30_days"] <= metrics["mediations_held"]
    assert metrics["mediations_followed_by_appeal"] <= metrics["mediations_held"]
    assert metrics["certificates_on_time"] <= metrics["certificates_issued"]
    # Suppression hides every count from 1 to N-1 as <N; any other it hides is hidden as c.
    if suppress:
        hidden = reports.flatten(reports.counts(db, reports.month(2026, 10), PRODUCED,
                                                suppress_under=suppress)["metrics"])
        assert {name: f"<{suppress}" if 0 < v < suppress else v for name, v in total.items()} == {
            name: total[name] if shown == "c" else shown for name, shown in hidden.items()}
        assert all(total[name] >= suppress for name, shown in hidden.items() if shown == "c")
        # No breakdown whose total is shown has just one hidden part: it would be the total less the rest.
        for total_name, breakdowns in reports.ADDS_UP.items():
            for breakdown in breakdowns:
                parts = [v for n, v in hidden.items() if n.startswith(f"{breakdown}.")]
                if isinstance(hidden[total_name], int):
                    assert sum(not isinstance(v, int) for v in parts) != 1, (total_name, breakdown, hidden)
