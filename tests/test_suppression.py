"""Secondary suppression (issue 16, item 9): no hidden count can be worked out by subtraction.

The checks here do not reuse kidsmed's own reasoning: for each group whose total is shown, they
list every value a hidden part could take given the shown cells and what a reader knows of each
hidden cell (a "<N" is 1 to N−1; a "c" was a shown count, so N or more).
"""

from hypothesis import given
from hypothesis import strategies as st

from kidsmed.domain.suppression import PRIMARY, Group, hidden_cells

UNDER = 5
CEILING = 1000  # far above any count made here: a "c" cell could be anything from UNDER up


def possible_values(values, hidden, group, cell) -> set[int]:
    """Every value `cell` can take that keeps the group adding up, all else as a reader knows it.

    The other hidden cells' sum can be any whole number between its least and its most, so a
    value is possible when what is left for them falls in that span.
    """
    signed = {group.total: -1, **dict.fromkeys(group.parts, 1)}
    known = sum(sign * values[c] for c, sign in signed.items() if c not in hidden)
    least = most = 0
    for other, sign in signed.items():
        if other in hidden and other != cell:
            low, high = reader_range(hidden, other)
            least, most = least + min(sign * low, sign * (high - 1)), most + max(sign * low, sign * (high - 1))
    low, high = reader_range(hidden, cell)
    return {v for v in range(low, high) if least <= -(known + signed[cell] * v) <= most}


def reader_range(hidden, cell) -> tuple[int, int]:
    return (1, UNDER) if hidden[cell] == PRIMARY else (UNDER, CEILING)


def assert_nothing_derivable(values, groups):
    hidden = hidden_cells(values, groups, UNDER)
    assert {c for c, v in values.items() if 0 < v < UNDER} == {c for c, how in hidden.items() if how == PRIMARY}
    for group in groups:
        if group.total in hidden:
            continue  # no total to subtract from
        for cell in group.parts:
            if cell in hidden:
                assert len(possible_values(values, hidden, group, cell)) > 1, (cell, group, values, hidden)
    return hidden


def test_the_example_from_the_issue():
    """Referrals 18, mediation 16: disagreement resolution '<5' was obviously 2."""
    values = {"referrals": 18, "mediation": 16, "disagreement-resolution": 2}
    hidden = assert_nothing_derivable(values, [Group("referrals", ("mediation", "disagreement-resolution"))])
    assert hidden == {"disagreement-resolution": "primary", "mediation": "secondary"}


def test_small_counts_that_fill_their_total_are_protected_by_hiding_the_total():
    """Eight mediations, four for each of two reasons: each '<5' could only be 4."""
    values = {"held": 8, "request": 4, "assessment": 4, "other": 0}
    hidden = assert_nothing_derivable(values, [Group("held", ("request", "assessment", "other"))])
    assert hidden["held"] == "secondary"


def test_a_group_with_nothing_small_hides_nothing():
    values = {"t": 30, "a": 10, "b": 20, "c": 0}
    assert hidden_cells(values, [Group("t", ("a", "b", "c"))], UNDER) == {}


parts = st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=4)


@given(parts)
def test_one_breakdown(counts):
    values = {("part", i): n for i, n in enumerate(counts)} | {"total": sum(counts)}
    assert_nothing_derivable(values, [Group("total", tuple(("part", i) for i in range(len(counts))))])


@given(st.lists(st.lists(st.integers(min_value=0, max_value=9), min_size=2, max_size=3), min_size=2, max_size=3))
def test_a_table_of_local_authorities_by_breakdown_with_totals_both_ways(rows):
    """Each LA's parts add up to its total, and each part across the LAs adds up to the total
    column: hiding a cell to protect one group must not expose a cell of another."""
    width = len(rows[0])
    rows = [row[:width] + [0] * (width - len(row)) for row in rows]
    values = {("la", i, j): n for i, row in enumerate(rows) for j, n in enumerate(row)}
    values |= {("la", i, "total"): sum(row) for i, row in enumerate(rows)}
    values |= {("all", j): sum(row[j] for row in rows) for j in range(width)}
    values["all", "total"] = sum(map(sum, rows))
    groups = [Group(("la", i, "total"), tuple(("la", i, j) for j in range(width))) for i in range(len(rows))]
    groups.append(Group(("all", "total"), tuple(("all", j) for j in range(width))))
    groups += [Group(("all", column), tuple(("la", i, column) for i in range(len(rows))))
               for column in (*range(width), "total")]
    assert_nothing_derivable(values, groups)
