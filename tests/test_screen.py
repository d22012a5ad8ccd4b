"""kidsmed.screen: the daily tables and boxes, drawn in Rich's look without importing Rich."""

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kidsmed import screen
from kidsmed.screen import Line, Painter, Panel, Table, cell_width, lines, wrap

COLUMNS = ("Ref", "Received", "Status", "Family")
ROWS = [["KM-2026-0001", "Mon 2 Nov 2026", "ready-to-book", "Alex Example"],
        ["KM-2026-0002", "Tue 3 Nov 2026", "booked", "李小龍 Ëxample"]]


def plain(text, style):
    return text


def drawn(block, width=80):
    return lines(block, width, plain)


def test_a_table_that_fits_looks_exactly_as_rich_draws_it():
    from rich.console import Console
    from rich.panel import Panel as RichPanel
    from rich.table import Table as RichTable
    from rich.text import Text

    console = Console(file=io.StringIO(), width=80, color_system=None)
    rich_table = RichTable(title="2 cases", title_justify="left")
    for column in COLUMNS:
        rich_table.add_column(column)
    for row in ROWS:
        rich_table.add_row(*map(Text, row))
    console.print(rich_table, RichPanel(Text("3 sessions · 2 clocks"), title=Text("Thu 26 Nov 2026"),
                                        title_align="left"))
    ours = drawn(Table("2 cases", COLUMNS, ROWS)) + drawn(Panel("Thu 26 Nov 2026", "3 sessions · 2 clocks"))
    assert ours == [line.rstrip() for line in console.file.getvalue().splitlines()]


def test_on_a_narrow_terminal_names_wrap_and_codes_stay_whole():
    rows = [["KM-2026-0001", "Jo Long-Name Example Person", "Northshire County Council"]]
    shown = drawn(Table(None, ("Ref", "Family", "LA"), rows, no_wrap=frozenset({0})), width=44)
    assert shown == [
        "┏━━━━━━━━━━━━━━┳━━━━━━━━━━━━━┳━━━━━━━━━━━━━┓",
        "┃ Ref          ┃ Family      ┃ LA          ┃",
        "┡━━━━━━━━━━━━━━╇━━━━━━━━━━━━━╇━━━━━━━━━━━━━┩",
        "│ KM-2026-0001 │ Jo          │ Northshire  │",
        "│              │ Long-Name   │ County      │",
        "│              │ Example     │ Council     │",
        "│              │ Person      │             │",
        "└──────────────┴─────────────┴─────────────┘",
    ]
    # Narrower still, a word is folded rather than cut short: nothing is lost.
    squeezed = drawn(Table(None, ("Ref", "Family", "LA"), rows, no_wrap=frozenset({0})), width=40)
    assert {cell_width(line) for line in squeezed} == {40}
    assert "│ KM-2026-0001 │ Jo        │ Northshir │" in squeezed


def test_wide_letters_keep_the_borders_in_line():
    shown = drawn(Table("t", ("Name", "Note"), [["李小龍", "é"], ["Ann", "naïve"]]))[1:]
    assert len({cell_width(line) for line in shown}) == 1
    assert "│ 李小龍 │ é     │" in shown


def test_a_light_table_has_a_bold_title_and_one_rule():
    table = Table("Thu 3 Dec 2026", ("Time", "Case"), [["10:00–13:00", "KM-2026-0001"]], light=True)
    assert drawn(table) == ["Thu 3 Dec 2026", "Time         Case", "─" * 25, "10:00–13:00  KM-2026-0001"]
    assert lines(table, 80, _painter("FORCE_COLOR"))[0] == "\x1b[1mThu 3 Dec 2026\x1b[0m"


def test_a_panel_of_labelled_values_wraps_a_long_value_beside_its_label():
    panel = Panel("KM-2026-0001", pairs=[("Status", "booked"),
                                        ("Family", "Jo Example · mother · 07700 900123 · jo@example.org")])
    assert drawn(panel, width=44) == [
        "╭─ KM-2026-0001 ───────────────────────────╮",
        "│ Status  booked                           │",
        "│ Family  Jo Example · mother · 07700      │",
        "│         900123 · jo@example.org          │",
        "╰──────────────────────────────────────────╯",
    ]


def test_an_empty_list_is_one_line():
    assert drawn(Line("No cases match.")) == ["No cases match."]


@given(st.text(alphabet=st.sampled_from("ab é李 -\n"), max_size=60), st.integers(2, 20))
def test_wrap_loses_nothing_and_never_passes_the_edge(text, width):
    wrapped = wrap(text, width)
    assert all(cell_width(line) <= width for line in wrapped)
    assert "".join(wrapped).replace(" ", "") == text.replace(" ", "").replace("\n", "")


def _painter(*env: str, tty: bool = False) -> Painter:
    """A Painter for a stream that is (or is not) a terminal, under the given environment."""
    class Stream:
        def isatty(self):
            return tty

    with pytest.MonkeyPatch.context() as patch:
        for name in ("FORCE_COLOR", "NO_COLOR", "TERM"):
            patch.delenv(name, raising=False)
        for name in env:
            key, _, value = name.partition("=")
            patch.setenv(key, value or "1")
        return Painter(Stream())


@pytest.mark.parametrize(("env", "tty", "expected"), [
    ((), True, "\x1b[1;31mlate\x1b[0m"),
    ((), False, "late"),  # a pipe or a file gets the words alone
    (("NO_COLOR",), True, "\x1b[1mlate\x1b[0m"),  # no colour, but bold still says 'look here'
    (("TERM=dumb",), True, "late"),
    (("FORCE_COLOR",), False, "\x1b[1;31mlate\x1b[0m"),
])
def test_styles_only_where_a_terminal_shows_them(env, tty, expected):
    assert _painter(*env, tty=tty)("late", "bold red") == expected


def test_write_draws_every_block_to_the_stream(monkeypatch):
    monkeypatch.setenv("COLUMNS", "30")
    out = io.StringIO()
    screen.write(Line("2 cases"), Table(None, ("Ref",), [["KM-2026-0001"]]), stream=out)
    assert out.getvalue().splitlines() == ["2 cases", "┏━━━━━━━━━━━━━━┓", "┃ Ref          ┃",
                                           "┡━━━━━━━━━━━━━━┩", "│ KM-2026-0001 │", "└──────────────┘"]


def test_plain_lines_never_pass_a_control_code_to_the_terminal(capsys):
    from kidsmed.render import core

    core.say("Added Jo\x1b[2J Example")
    core.warn("venue Oak\x07 Room is far")
    out, err = capsys.readouterr()
    assert out == "Added Jo?[2J Example\n"
    assert err == "Warning: venue Oak? Room is far\n"


def test_codes_are_never_wrapped_and_names_are():
    from kidsmed.render import core

    table = core.table(None, ("Ref", "Status", "Family"),
                         [["KM-2026-0001", "awaiting-agreement", "Jo Example"]], "none")
    assert table.no_wrap == frozenset({0, 1})
    assert drawn(table, width=42)[3:5] == ["│ KM-2026-0001 │ awaiting-agreement │ Jo      │",
                                          "│              │                    │ Example │"]


def test_counts_are_right_aligned_and_a_column_can_have_its_colour():
    table = Table(None, ("Month", "Referrals"), [["Oct 2026", "██ 12"], ["Nov 2026", "█ 7"]],
                  right=frozenset({1}), column_styles=(None, "#3b6ea8"))
    assert drawn(table)[3:5] == ["│ Oct 2026 │     ██ 12 │", "│ Nov 2026 │       █ 7 │"]
    painted = lines(table, 80, _painter(tty=True))
    assert painted[3] == "│ Oct 2026 │ \x1b[38;2;59;110;168m    ██ 12\x1b[0m │"
    assert lines(table, 80, _painter("NO_COLOR", tty=True))[3] == "│ Oct 2026 │     ██ 12 │"


def test_a_panel_keeps_the_line_breaks_of_its_text_and_its_width_cap():
    shown = drawn(Panel("C1", "Service\n\nTo: Jo Example", width=30), width=80)
    assert shown == ["╭─ C1 ───────────────────────╮", "│ Service                    │",
                     "│                            │", "│ To: Jo Example             │",
                     "╰────────────────────────────╯"]
