"""Monthly and annual counts for managers, the local authorities and the DfE.

Every metric is defined once, in METRICS: its name, the one sentence docs/managers.md repeats,
and how it is counted. Each counts events in the period they happened, by Europe/London
date: a referral when received, a certificate when issued, a mediation when it concluded,
a session when held or cancelled. `open_cases_at_end` is a stock, taken at the end of the
period's last day.

The figures are counted from "facts": rows fetched once for the whole span shown (the
period and the months of its trend chart), each with the date it counts on and its local
authority. Splitting the same facts by month or by local authority gives the chart and the
per-LA rows, so those always add up to the total.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from kidsmed.domain import las
from kidsmed.domain.calendar import add_months
from kidsmed.domain.dates import LONDON, utc_bound
from kidsmed.domain.ranges import in_range
from kidsmed.domain.vocab import KINDS, REFERRER_ROLES
from kidsmed.errors import BadInput
from kidsmed.store import reports as store
from kidsmed.store.db import Database

CERTIFICATE_TYPES = ("declined", "after-mediation", "deemed")
CONCLUDING_OUTCOMES = ("agreement", "partial", "no-agreement")
SEN2_REASONS = ("request", "assessment", "other")
TREND_MONTHS = 12

_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")


# --- periods --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    label: str   # 2026-10 | 2026 | 2026/27: what scripts read
    title: str   # October 2026 | 2026 | academic year 2026/27: what people read
    start: date
    end: date    # the last day, included


def month(year: int, number: int) -> Period:
    start = date(year, number, 1)
    return Period(f"{year}-{number:02d}", f"{_MONTH_NAMES[number - 1]} {year}", start,
                  add_months(start, 1) - timedelta(days=1))


def _year_and_month(text: str, today: date) -> tuple[int, int] | None:
    """YYYY-MM, MM/YYYY, "October 2026", "oct 2026", or a month's name alone: the last such
    month that is over ("oct" on 2 Dec 2026 is October 2026; "dec" is December 2025)."""
    if found := re.fullmatch(r"(\d{4})-(\d{1,2})", text, re.ASCII):
        return int(found[1]), int(found[2])
    if found := re.fullmatch(r"(\d{1,2})/(\d{4})", text, re.ASCII):
        return int(found[2]), int(found[1])
    if found := re.fullmatch(r"([a-z]+)\.?(?:\s+(\d{4}))?", text.casefold(), re.ASCII):
        number = _month_number(found[1])
        if number is None:
            return None
        if found[2]:
            return int(found[2]), number
        return (today.year, number) if number < today.month else (today.year - 1, number)
    return None


def _month_number(word: str) -> int | None:
    """1–12 for a month's name or its first three letters or more ("sept"); None for anything else."""
    if len(word) < 3:
        return None
    return next((n for n, name in enumerate(_MONTH_NAMES, 1) if name.casefold().startswith(word)), None)


def month_period(text: str | None, today: date) -> Period:
    """The month typed (YYYY-MM, MM/YYYY, "October 2026", "oct"), or by default the last complete month."""
    if text is None:
        last = today.replace(day=1) - timedelta(days=1)
        return month(last.year, last.month)
    year, number = _year_and_month(text.strip(), today) or (0, 0)
    if not 1 <= number <= 12 or not 1900 <= year <= 2199:
        shown = "".join(c for c in text if c.isprintable())[:20]
        raise BadInput(f"'{shown}' is not a month", "give it as YYYY-MM, e.g. 2026-10, or 'October 2026'")
    return _not_future(month(year, number), today, f"give a month up to {today:%Y-%m}")


def year_period(year: int | None, academic: bool, today: date) -> Period:
    """January–December of `year`, or with `academic` September `year` to August `year`+1;
    without a year, the last complete one."""
    if year is None:
        year = today.year - 1 if not academic else today.year - (1 if today.month >= 9 else 2)
    if not 1900 <= year <= 2199:
        raise BadInput(f"{year} is not a year kidsmed reports on", "give a year like 2026")
    if academic:
        period = Period(f"{year}/{(year + 1) % 100:02d}", f"academic year {year}/{(year + 1) % 100:02d}",
                        date(year, 9, 1), date(year + 1, 8, 31))
    else:
        period = Period(str(year), str(year), date(year, 1, 1), date(year, 12, 31))
    return _not_future(period, today, f"give a year up to {today.year}")


def _not_future(period: Period, today: date, fix: str) -> Period:
    if period.start > today:
        raise BadInput(f"{period.title} has not started yet", fix)
    return period


def trend_months(period: Period) -> list[Period]:
    """The 12 months that end with the period's last month: the months of the chart."""
    last = period.end.replace(day=1)
    firsts = (add_months(last, -back) for back in range(TREND_MONTHS - 1, -1, -1))
    return [month(first.year, first.month) for first in firsts]


# --- facts ----------------------------------------------------------------------------------

FACT_KINDS = ("referrals", "closures", "certificates", "sessions", "open")


@dataclass(frozen=True)
class Facts:
    """Rows by kind; every row has `on` (the ISO date it counts on) and `la`."""

    rows: dict[str, list[dict]]

    def where(self, keep: Callable[[dict], bool]) -> Facts:
        return Facts({kind: [r for r in rows if keep(r)] for kind, rows in self.rows.items()})

    def split(self, key: Callable[[dict], str]) -> dict[str, Facts]:
        """The facts in parts, one part for each value of `key`, in one pass."""
        parts: dict[str, dict[str, list[dict]]] = {}
        for kind, rows in self.rows.items():
            for row in rows:
                parts.setdefault(key(row), {k: [] for k in FACT_KINDS})[kind].append(row)
        return {name: Facts(rows) for name, rows in parts.items()}

    def __getitem__(self, kind: str) -> list[dict]:
        return self.rows[kind]


NO_FACTS = Facts({kind: [] for kind in FACT_KINDS})


def gather(db: Database, first: date, last: date) -> Facts:
    """Everything the counts need from `first` to `last`, and the cases open at the end of `last`."""
    lo, hi = utc_bound(first), utc_bound(last + timedelta(days=1))
    span = (first.isoformat(), last.isoformat())
    sessions = (
        [{"on": r["start"][:10], "la": r["la"], "status": "held"} for r in store.sessions_held(db, lo, hi)]
        + [{"on": london_date(r["cancelled_at"]), "la": r["la"], "status": "cancelled"}
           for r in store.sessions_cancelled(db, lo, hi)]
    )
    return Facts({
        "referrals": _dated(store.referrals(db, *span)),
        "closures": _dated(store.closures(db, *span, CONCLUDING_OUTCOMES, "mediation-within-30-days")),
        "certificates": _dated(store.certificates(db, *span)),
        "sessions": sessions,
        "open": [{**r, "on": span[1]} for r in store.open_cases(db, span[1])],
    })


def _dated(rows: list[dict]) -> list[dict]:
    return [{**row, "on": row.pop("on_date")} for row in rows]


def london_date(instant: str) -> str:
    return datetime.fromisoformat(instant).astimezone(LONDON).date().isoformat()


# --- the metrics ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    name: str
    definition: str  # one sentence, repeated in docs/managers.md's definitions table
    count: Callable[[Facts], int | dict[str, int]]  # a breakdown has every one of its keys, always


def tally(rows: list[dict], field: Callable[[dict], str | None], keys: tuple[str, ...]) -> dict[str, int]:
    """How many rows have each of `keys`; the shape never changes, so a value outside them
    (a concluded case with no concluding outcome recorded) is not counted in the breakdown."""
    counts = dict.fromkeys(keys, 0)
    for row in rows:
        if (value := field(row)) in counts:
            counts[value] += 1
    return counts


def concluded(facts: Facts, kind: str) -> list[dict]:
    """Cases of `kind` whose mediation concluded (a session's outcome closed them)."""
    return [c for c in facts["closures"] if c["closed_reason"] == "mediation-concluded" and c["kind"] == kind]


def closed_because(facts: Facts, reason: str) -> int:
    return sum(1 for c in facts["closures"] if c["closed_reason"] == reason)


def sen2_reason(case: dict) -> str:
    """The DfE SEN2 grouping of a mediation's reason; refusal to assess wins over refusal to issue."""
    issues = case["issues"]
    return "request" if "refusal-to-assess" in issues else "assessment" if "refusal-to-issue" in issues else "other"


def within_30_days(case: dict) -> bool:
    return case["clock_state"] == "met" and case["clock_met_on"] <= case["clock_due_on"]


def _held(facts: Facts) -> list[dict]:
    return concluded(facts, "mediation")


METRICS: tuple[Metric, ...] = (
    Metric("referrals_received",
           "Referrals received in the period (the date the call came in).",
           lambda f: len(f["referrals"])),
    Metric("referrals_by_referrer_role",
           "Referrals received in the period, by who made the referral.",
           lambda f: tally(f["referrals"], lambda r: r["referrer_role"], REFERRER_ROLES)),
    Metric("referrals_by_kind",
           "Referrals received in the period, by kind: statutory mediation or disagreement resolution.",
           lambda f: tally(f["referrals"], lambda r: r["kind"], KINDS)),
    Metric("consent_refused",
           "Cases closed in the period because the parent or young person refused consent.",
           lambda f: closed_because(f, "consent-refused")),
    Metric("family_declined",
           "Cases closed in the period because the family decided not to take part in mediation.",
           lambda f: closed_because(f, "family-declined")),
    Metric("certificates_issued",
           "Mediation certificates issued in the period (a corrected reissue is not counted again).",
           lambda f: len(f["certificates"])),
    Metric("certificates_by_type",
           "Certificates issued in the period, by type: declined, after-mediation or deemed.",
           lambda f: tally(f["certificates"], lambda c: c["type"], CERTIFICATE_TYPES)),
    Metric("certificates_on_time",
           "Certificates issued in the period on or before their statutory due date.",
           lambda f: sum(1 for c in f["certificates"] if c["on_time"])),
    Metric("mediations_held",
           "Statutory mediations that concluded in the period: the case closed on the date a session "
           "ended in agreement, partial agreement or no agreement.",
           lambda f: len(_held(f))),
    Metric("mediations_by_reason",
           "Mediations held, by the DfE SEN2 grouping: request if the issues include refusal to assess, "
           "else assessment if they include refusal to issue a plan, else other.",
           lambda f: tally(_held(f), sen2_reason, SEN2_REASONS)),
    Metric("mediations_within_30_days",
           "Mediations held whose 30-day clock (family asks for mediation → first session held) "
           "was met on or before its due date.",
           lambda f: sum(1 for c in _held(f) if within_30_days(c))),
    Metric("outcomes",
           "Mediations held, by the outcome that concluded them (the latest agreement, partial or "
           "no-agreement outcome among the case's sessions).",
           lambda f: tally(_held(f), lambda c: c["outcome"], CONCLUDING_OUTCOMES)),
    Metric("mediations_followed_by_appeal",
           "Mediations held in the period whose family has an appeal to the SEND Tribunal recorded "
           "('kidsmed appeal'), whenever it was recorded.",
           lambda f: sum(1 for c in _held(f) if c["appeal_lodged_on"])),
    Metric("disagreement_resolutions_held",
           "Disagreement-resolution cases that concluded in the period with a session outcome of "
           "agreement, partial agreement or no agreement.",
           lambda f: len(concluded(f, "disagreement-resolution"))),
    Metric("sessions_held",
           "Sessions held in the period, on the day they took place, whatever their outcome "
           "(an adjourned session counts; one that did not proceed does not).",
           lambda f: sum(1 for s in f["sessions"] if s["status"] == "held")),
    Metric("sessions_cancelled",
           "Sessions cancelled in the period, on the day they were cancelled.",
           lambda f: sum(1 for s in f["sessions"] if s["status"] == "cancelled")),
    Metric("open_cases_at_end",
           "Cases received on or before the period's last day and not closed by the end of that day.",
           lambda f: sum(r["count"] for r in f["open"])),
)
METRIC = {m.name: m for m in METRICS}
TREND_METRICS = ("referrals_received", "mediations_held")


def compute(facts: Facts) -> dict:
    return {m.name: m.count(facts) for m in METRICS}


# --- the report -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Produced:
    """Who asked for a report and when: a report sent on says so, with the service's own name."""

    at: datetime
    by: str

    @property
    def today(self) -> date:
        return self.at.astimezone(LONDON).date()


def counts(db: Database, period: Period, produced: Produced, *, la: str | None = None, by_la: bool = False,
           suppress_under: int | None = None) -> dict:
    """The counts for `period` as DESIGN §4's JSON, with per-LA rows, the rates managers read,
    the 12-month trend, and who produced it when."""
    if la and by_la:
        raise BadInput("--la and --by-la cannot be used together",
                       "give --la NAME for one local authority, or --by-la for all of them")
    in_range(suppress_under, "--suppress-under", "e.g. --suppress-under 5")
    from kidsmed.domain.settings import service

    today = produced.today
    months = trend_months(period)
    facts = gather(db, min(months[0].start, period.start), period.end)
    if la:
        la = las.filter_name(db, la)
        facts = facts.where(lambda r: r["la"].casefold() == la.casefold())
    codes = las.codes(db)
    first, last = period.start.isoformat(), period.end.isoformat()
    in_period = facts.where(lambda r: first <= r["on"] <= last)
    by_month = facts.split(lambda r: r["on"][:7])
    report = {
        "period": period.label,
        "title": period.title,
        "service": service(db)["name"],
        "produced_at": produced.at.astimezone(LONDON).isoformat(timespec="seconds"),
        "produced_by": produced.by,
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "complete": period.end < today,
        "local_authority": la,
        "dfe_la_code": codes.get(las.key(la)) if la else None,
        "suppressed_under": suppress_under,
        "secondary_suppression": False,
        "metrics": compute(in_period),
        "by_local_authority": [{"local_authority": name, "dfe_la_code": codes.get(las.key(name)),
                                "metrics": compute(part)}
                               for name, part in sorted(in_period.split(lambda r: r["la"]).items())]
        if by_la else [],
        # A month still to come has no count yet: null, never a zero that reads as "none".
        "trend": [{"period": m.label, **{name: METRIC[name].count(by_month.get(m.label, NO_FACTS))
                                         if m.start <= today else None for name in TREND_METRICS}}
                  for m in months],
    }
    if suppress_under:
        report["secondary_suppression"] = suppress(report, suppress_under)
    report["rates"] = rates(report["metrics"])
    for part in report["by_local_authority"]:
        part["rates"] = rates(part["metrics"])
    return report


def each_la(db: Database, period: Period, produced: Produced, *, suppress_under: int | None = None) -> list[dict]:
    """One report per local authority the book's cases name, by name."""
    names = store.local_authorities(db)
    return [counts(db, period, produced, la=name, suppress_under=suppress_under) for name in names]


# --- rates ----------------------------------------------------------------------------------

# A count a manager reads as a share of another: "certificates on time: 40 of 48, 83%".
RATES = {
    "certificates_on_time": "certificates_issued",
    "mediations_within_30_days": "mediations_held",
    "mediations_followed_by_appeal": "mediations_held",
}


def rates(metrics: dict) -> dict[str, dict]:
    """Each rate: its count, the count it is out of, and the whole per cent (null when either
    count is hidden or there is nothing to divide by)."""
    found = {}
    for name, denominator in RATES.items():
        count, of = metrics[name], metrics[denominator]
        known = isinstance(count, int) and isinstance(of, int) and of > 0
        found[name] = {"count": count, "of": of, "denominator": denominator,
                       "percent": (200 * count + of) // (2 * of) if known else None}  # rounded half up
    return found


# --- suppression ----------------------------------------------------------------------------

# Breakdowns whose parts add up to a metric: a reader can subtract within them.
ADDS_UP = {
    "referrals_received": ("referrals_by_referrer_role", "referrals_by_kind"),
    "certificates_issued": ("certificates_by_type",),
    "mediations_held": ("mediations_by_reason", "outcomes"),
}
HIDDEN = "c"  # a count hidden so that a small one cannot be worked out (secondary suppression)


def suppress(report: dict, under: int) -> bool:
    """Hide every count from 1 to under−1 as "<under" (small numbers identify families), then,
    wherever the cells of a group add up, hide more as "c" until none of them can be worked out
    by subtraction. Returns whether any secondary suppression was needed."""
    from kidsmed.domain.suppression import PRIMARY, hidden_cells

    cells = _cells(report)
    hidden = hidden_cells(cells, _groups(report, cells), under)
    for path, how in hidden.items():
        *inner, last = path
        _at_path(report, inner)[last] = f"<{under}" if how == PRIMARY else HIDDEN
    return any(how != PRIMARY for how in hidden.values())


def _at_path(report: dict, path) -> dict:
    for key in path:
        report = report[key]
    return report


def _scopes(report: dict) -> list[tuple]:
    """Where a set of metrics sits: the total, and each local authority's."""
    return [("metrics",), *(("by_local_authority", i, "metrics") for i in range(len(report["by_local_authority"])))]


def _cells(report: dict) -> dict[tuple, int]:
    """Every count of the report, by its path."""
    cells = {}
    for scope in _scopes(report):
        for name, value in _at_path(report, scope).items():
            if isinstance(value, dict):
                cells.update({(*scope, name, key): part for key, part in value.items()})
            else:
                cells[(*scope, name)] = value
    for i, point in enumerate(report["trend"]):
        cells.update({("trend", i, name): point[name] for name in TREND_METRICS if point[name] is not None})
    return cells


def _groups(report: dict, cells: dict[tuple, int]):
    """The groups whose cells add up: each breakdown and its metric; each metric across the
    local authorities and the total; the period's months on the chart and the period's total."""
    from kidsmed.domain.suppression import Group

    groups = [Group((*scope, total), tuple((*scope, breakdown, key) for key in _at_path(report, scope)[breakdown]))
              for scope in _scopes(report) for total, breakdowns in ADDS_UP.items() for breakdown in breakdowns]
    if parts := len(report["by_local_authority"]):
        groups += [Group(path, tuple(("by_local_authority", i, *path) for i in range(parts)))
                   for path in cells if path[0] == "metrics"]
    first, last = report["from"][:7], report["to"][:7]
    in_period = [i for i, point in enumerate(report["trend"]) if first <= point["period"] <= last]
    groups += [Group(("metrics", name), tuple(("trend", i, name) for i in in_period if ("trend", i, name) in cells))
               for name in TREND_METRICS]
    return groups


def flatten(metrics: dict) -> dict[str, object]:
    """Metrics as one level: a breakdown's parts become `metric.key` (the CSV's rows)."""
    flat = {}
    for name, value in metrics.items():
        if isinstance(value, dict):
            flat.update({f"{name}.{key}": part for key, part in value.items()})
        else:
            flat[name] = value
    return flat
