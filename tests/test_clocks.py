"""The statutory clocks: due dates, states, progress and the family's appeal deadline."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kidsmed.domain.calendar import Calendar
from kidsmed.domain.clocks import (
    RULES,
    appeal_deadline,
    clock_state,
    describe,
    due_date,
    progress,
    rule,
)
from kidsmed.errors import BadInput

CAL = Calendar()
DEC_23 = date(2026, 12, 23)


def test_the_table_holds_exactly_the_design_rules():
    assert list(RULES) == [
        "certificate-after-decline",
        "mediation-within-30-days",
        "health-notice",
        "certificate-deemed",
        "certificate-after-mediation",
        "agreement-actions",
        "appeal-deadline",
    ]
    assert all(name == r.name and r.source and r.starts and r.met_by for name, r in RULES.items())
    assert RULES["agreement-actions"].kinds == ("mediation", "disagreement-resolution")
    assert all(r.kinds == ("mediation",) for name, r in RULES.items() if name != "agreement-actions")
    assert [name for name, r in RULES.items() if r.informational] == ["appeal-deadline"]
    assert "reg 42(3)" in RULES["agreement-actions"].source


def test_an_unknown_rule_is_bad_input():
    with pytest.raises(BadInput, match="'certificate' is not a clock — use one of: certificate-after-decline"):
        rule("certificate")


def test_decline_on_wed_23_dec_2026_is_due_wed_30_dec():
    assert due_date("certificate-after-decline", DEC_23, CAL) == date(2026, 12, 30)


@pytest.mark.parametrize(
    ("rule_name", "started", "due"),
    [
        ("mediation-within-30-days", date(2026, 12, 1), date(2026, 12, 31)),
        # Thirty calendar days across February, in a common year and a leap year.
        ("mediation-within-30-days", date(2027, 2, 10), date(2027, 3, 12)),
        ("mediation-within-30-days", date(2028, 2, 10), date(2028, 3, 11)),
        # Calendar days end where they end, even on a bank holiday.
        ("mediation-within-30-days", date(2026, 11, 25), date(2026, 12, 25)),
        ("health-notice", date(2027, 3, 25), date(2027, 4, 1)),  # across Easter 2027
        ("certificate-deemed", date(2026, 8, 27), date(2026, 9, 2)),  # across the summer bank holiday
        ("certificate-after-mediation", date(2026, 11, 28), date(2026, 12, 2)),  # an event on a Saturday
        ("agreement-actions", date(2026, 12, 18), date(2027, 1, 1)),
        ("appeal-deadline", date(2027, 1, 4), date(2027, 2, 4)),
    ],
)
def test_due_dates(rule_name, started, due):
    assert due_date(rule_name, started, CAL) == due


def test_christmas_2027_working_days():
    # Thu 23 Dec 2027: Fri 24 is day 1; 27 and 28 Dec are the substitute holidays.
    assert due_date("certificate-after-decline", date(2027, 12, 23), CAL) == date(2027, 12, 30)


def test_closures_never_move_a_clock():
    shut = Calendar(closures={DEC_23 + timedelta(days=i): "Office closed" for i in range(1, 10)})
    for name in RULES:
        assert due_date(name, DEC_23, shut) == due_date(name, DEC_23, CAL)


def test_a_bank_holiday_staff_added_moves_a_working_day_clock():
    extra = Calendar(extra_bank_holidays={date(2026, 12, 24): "Announced"})
    assert due_date("certificate-after-decline", DEC_23, extra) == date(2026, 12, 31)


@pytest.mark.parametrize(
    ("stored", "met_on", "today", "state"),
    [
        ("running", None, date(2026, 12, 30), "running"),
        ("running", None, date(2026, 12, 31), "breached"),
        ("met", date(2026, 12, 29), date(2027, 2, 1), "met"),
        ("met", date(2026, 12, 30), date(2027, 2, 1), "met"),
        ("met", date(2026, 12, 31), date(2027, 2, 1), "met-late"),
        ("stopped", None, date(2027, 2, 1), "stopped"),  # stopped before kidsmed kept the day
        ("stopped", date(2026, 12, 30), date(2027, 2, 1), "stopped"),  # moot on its last day
        ("stopped", date(2026, 12, 31), date(2027, 2, 1), "breached"),  # missed, then moot: still missed
    ],
)
def test_clock_state(stored, met_on, today, state):
    assert clock_state(stored, date(2026, 12, 30), met_on, today) == state


def test_an_unknown_stored_state_is_a_programming_error():
    with pytest.raises(ValueError):
        clock_state("paused", date(2026, 12, 30), None, date(2026, 12, 1))


@pytest.mark.parametrize(
    ("rule_name", "started", "today", "words"),
    [
        ("certificate-after-decline", DEC_23, DEC_23, "day 0 of 3 working days"),
        ("certificate-after-decline", DEC_23, date(2026, 12, 29), "day 2 of 3 working days"),
        ("certificate-after-decline", DEC_23, date(2027, 1, 4), "day 5 of 3 working days"),
        ("mediation-within-30-days", date(2026, 11, 1), date(2026, 12, 5), "day 34 of 30 days"),
        ("agreement-actions", date(2026, 3, 2), date(2026, 3, 7), "day 5 of 14 days (2 weeks)"),
    ],
)
def test_progress(rule_name, started, today, words):
    assert progress(rule_name, started, due_date(rule_name, started, CAL), today, CAL) == words


def test_describe_is_the_design_line():
    due = due_date("certificate-after-decline", DEC_23, CAL)
    line = describe("certificate-after-decline", DEC_23, due, "family declined", date(2026, 12, 29), CAL)
    assert line == (
        "day 2 of 3 working days · due Wed 30 Dec 2026 "
        "(certificate-after-decline, from 'family declined' on Wed 23 Dec 2026)"
    )


def test_appeal_deadline_certificate_later():
    assert appeal_deadline(date(2026, 11, 2), date(2027, 1, 4), CAL) == (
        date(2027, 2, 4),
        "certificate issued Mon 4 Jan 2027 + 1 month = Thu 4 Feb 2027 (later than decision + 2 months)",
    )


def test_appeal_deadline_decision_later():
    deadline, why = appeal_deadline(date(2026, 12, 31), date(2027, 1, 8), CAL)
    assert deadline == date(2027, 3, 1)  # 28 Feb 2027 is a Sunday
    assert why == (
        "decision Thu 31 Dec 2026 + 2 months = Sun 28 Feb 2027 (later than certificate + 1 month); "
        "Sun 28 Feb 2027 is not a working day: moved to Mon 1 Mar 2027"
    )


def test_appeal_deadline_leap_year():
    assert appeal_deadline(date(2027, 12, 31), date(2028, 1, 3), CAL)[0] == date(2028, 2, 29)


def test_appeal_deadline_without_a_decision_date():
    deadline, why = appeal_deadline(None, date(2027, 2, 5), CAL)
    assert deadline == date(2027, 3, 5)
    assert why == "certificate issued Fri 5 Feb 2027 + 1 month = Fri 5 Mar 2027 (decision date not known)"


@pytest.mark.parametrize(
    ("certificate", "deadline"),
    [
        (date(2026, 7, 1), date(2026, 9, 1)),  # 1 Aug 2026; 31 Aug is the summer bank holiday anyway
        (date(2026, 7, 31), date(2026, 9, 1)),  # 31 Aug 2026
        (date(2027, 7, 15), date(2027, 9, 1)),  # 1 Sep 2027 is a Wednesday
        (date(2029, 7, 20), date(2029, 9, 3)),  # 1 Sep 2029 is a Saturday: the next working day
    ],
)
def test_appeal_deadline_in_august_moves_to_september(certificate, deadline):
    moved, why = appeal_deadline(None, certificate, CAL)
    assert moved == deadline
    assert why.endswith(
        "; falls in August: moved to the first working day after 31 August, "
        + f"{moved:%a} {moved.day} Sep {moved.year}"
    )


@pytest.mark.parametrize(
    ("certificate", "deadline"),
    [
        (date(2026, 11, 25), date(2027, 1, 4)),  # Fri 25 Dec 2026
        (date(2026, 11, 27), date(2027, 1, 4)),  # Sun 27 Dec 2026
        (date(2026, 11, 29), date(2027, 1, 4)),  # Tue 29 Dec 2026, a working day, still moved
        (date(2026, 12, 1), date(2027, 1, 4)),  # Fri 1 Jan 2027
        (date(2027, 12, 1), date(2028, 1, 4)),  # Sat 1 Jan 2028; Mon 3 Jan is the substitute holiday
        (date(2026, 11, 24), date(2026, 12, 24)),  # Thu 24 Dec 2026 is not moved
    ],
)
def test_appeal_deadline_25_december_to_1_january(certificate, deadline):
    moved, why = appeal_deadline(None, certificate, CAL)
    assert moved == deadline
    assert ("falls between 25 December and 1 January" in why) == (deadline != date(2026, 12, 24))


def test_appeal_deadline_is_the_later_of_the_two():
    decision, certificate = date(2026, 10, 15), date(2026, 11, 2)
    deadline, why = appeal_deadline(decision, certificate, CAL)
    assert deadline == date(2026, 12, 15)
    assert why.startswith("decision Thu 15 Oct 2026 + 2 months = Tue 15 Dec 2026")


def test_appeal_deadline_when_both_periods_end_the_same_day():
    _, why = appeal_deadline(date(2026, 9, 2), date(2026, 10, 2), CAL)
    assert "(the same as decision + 2 months)" in why


@settings(max_examples=200, deadline=None)
@given(
    st.dates(date(2015, 1, 1), date(2030, 12, 31)),
    st.one_of(st.none(), st.dates(date(2015, 1, 1), date(2030, 12, 31))),
)
def test_appeal_deadline_is_never_early_and_lands_on_an_allowed_working_day(certificate, decision):
    deadline, _ = appeal_deadline(decision, certificate, CAL)
    assert CAL.is_working_day(deadline)
    assert deadline.month != 8
    assert not (deadline.month == 12 and deadline.day >= 25) and deadline != date(deadline.year, 1, 1)
    assert deadline >= date.fromordinal(certificate.toordinal() + 28)


@pytest.mark.parametrize(
    ("decision", "certificate", "deadline", "why"),
    [
        # Sat 24 Dec 2016 → the next working day, Wed 28 Dec, is inside 25 December–1 January.
        (date(2016, 10, 24), date(2015, 1, 1), date(2017, 1, 3),
         "Sat 24 Dec 2016 is not a working day: moved to Wed 28 Dec 2016, which falls between 25 December "
         "and 1 January: moved to the first working day after 1 January, Tue 3 Jan 2017"),
        # Sat 30 Jul 2022 → Mon 1 Aug, inside August.
        (None, date(2022, 6, 30), date(2022, 9, 1),
         "Sat 30 Jul 2022 is not a working day: moved to Mon 1 Aug 2022, which falls in August: "
         "moved to the first working day after 31 August, Thu 1 Sep 2022"),
    ],
)
def test_a_weekend_deadline_moved_into_an_excluded_period_moves_again(decision, certificate, deadline, why):
    moved, explained = appeal_deadline(decision, certificate, CAL)
    assert moved == deadline
    assert explained.endswith(why)
