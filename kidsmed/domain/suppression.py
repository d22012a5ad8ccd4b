"""Small-number suppression that cannot be undone by subtraction.

Primary suppression hides every count from 1 to under−1: a small number can identify a family.
That alone is not enough where counts add up to a total that is shown: with referrals 18 and
mediation 16, a hidden disagreement-resolution count is obviously 2. So, within every group
that adds up (the parts of a breakdown and its total, the local authorities' columns and the
total column, the months of a year), while any hidden cell could still be worked out from the
shown cells and the bounds a reader knows (a primary cell is 1 to under−1, a secondary one at
least `under`), the smallest shown non-zero part is hidden too, or else the total.

Pure: cells are any hashable keys, so the rule is tested on its own (tests/test_suppression.py).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from math import inf
from typing import NamedTuple

PRIMARY, SECONDARY = "primary", "secondary"


class Group(NamedTuple):
    """Cells that add up: sum(parts) == total."""

    total: Hashable
    parts: tuple[Hashable, ...]


def hidden_cells(values: Mapping[Hashable, int], groups: Sequence[Group], under: int) -> dict[Hashable, str]:
    """The cells to hide, each PRIMARY (a small count) or SECONDARY (hidden to protect one)."""
    hidden = {cell: PRIMARY for cell, value in values.items() if 0 < value < under}
    changed = True
    while changed:
        changed = False
        for group in groups:
            if exposed(values, hidden, group, under):
                cell = _next_to_hide(values, hidden, group)
                if cell is not None:
                    hidden[cell] = SECONDARY
                    changed = True
    return hidden


def bounds(hidden: Mapping[Hashable, str], under: int, cell: Hashable) -> tuple[float, float]:
    """What a reader knows of a hidden cell: a primary one is 1..under−1; a secondary one was a
    shown non-zero count, so at least `under`."""
    return (1, under - 1) if hidden[cell] == PRIMARY else (under, inf)


def exposed(values: Mapping[Hashable, int], hidden: Mapping[Hashable, str], group: Group, under: int) -> bool:
    """Whether the group's sum and the bounds of its hidden cells pin any hidden cell to one value."""
    signed = {group.total: -1, **dict.fromkeys(group.parts, 1)}  # sum(sign × value) over the group is 0
    unknown = {cell: sign for cell, sign in signed.items() if cell in hidden}
    if not unknown:
        return False
    rest = -sum(sign * values[cell] for cell, sign in signed.items() if cell not in hidden)
    spans = {cell: sorted(sign * bound for bound in bounds(hidden, under, cell)) for cell, sign in unknown.items()}
    low, high = _Sum([span[0] for span in spans.values()]), _Sum([span[1] for span in spans.values()])
    for cell, sign in unknown.items():
        # The other hidden cells' signed sum lies between these: the whole group's, less this cell's.
        others_low, others_high = low.without(spans[cell][0]), high.without(spans[cell][1])
        first, last = sorted((sign * (rest - others_high), sign * (rest - others_low)))
        lo, hi = bounds(hidden, under, cell)
        if max(first, lo) >= min(last, hi):
            return True
    return False


class _Sum:
    """A sum of bounds, some infinite, from which one term can be taken back out (inf − inf is
    not a number, so the infinite terms are counted rather than added)."""

    def __init__(self, terms: list[float]):
        self.finite = sum(t for t in terms if abs(t) != inf)
        self.infinite = [t for t in terms if abs(t) == inf]

    def without(self, term: float) -> float:
        rest = list(self.infinite)
        if abs(term) == inf:
            rest.remove(term)
            term = 0
        return rest[0] if rest else self.finite - term


def _next_to_hide(values: Mapping[Hashable, int], hidden: Mapping[Hashable, str], group: Group) -> Hashable | None:
    """The smallest shown non-zero part, or the total if no part is left to hide."""
    shown = [part for part in group.parts if part not in hidden and values[part] > 0]
    if shown:
        return min(shown, key=lambda part: values[part])
    return group.total if group.total not in hidden and values[group.total] > 0 else None
