"""Asking a person at the terminal, one line at a time.

At a real terminal the line is read by prompt_toolkit: arrow keys, Ctrl-A/Ctrl-E and the other
readline keys edit it, Up recalls earlier answers, and Tab completes a choice. It is imported only
here, when a question is asked, so no other command pays for loading it. When the answers come
from a pipe (a test, a script feeding a form), plain lines are read instead. Questions and
everything said around them go to stderr: stdout keeps only the result (e.g. its JSON).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from kidsmed.domain.text import safe_text


class Terminal:
    def __init__(self) -> None:
        self._session = None  # one prompt_toolkit session: its history is the whole form's

    def ask(self, label: str, choices: Sequence[str] = (), default: str = "") -> str:
        """One answer, as typed; KeyboardInterrupt on Ctrl-C, EOFError when input has ended."""
        if sys.stdin.isatty() and sys.stderr.isatty():
            return self._prompt_toolkit(f"{label}: ", choices, default)
        sys.stderr.write(f"{label}: ")
        sys.stderr.flush()
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\r\n")

    def _prompt_toolkit(self, message: str, choices: Sequence[str], default: str) -> str:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.completion import WordCompleter
        from prompt_toolkit.output import create_output

        if self._session is None:
            self._session = PromptSession(output=create_output(stdout=sys.stderr))
        completer = WordCompleter(list(choices), ignore_case=True, sentence=True) if choices else None
        return self._session.prompt(message, completer=completer, default=default, complete_while_typing=False)

    def say(self, text: str = "") -> None:
        sys.stderr.write(safe_text(text) + "\n")

    def show(self, *blocks) -> None:
        """Rich tables and panels (kidsmed.render.core), drawn on stderr beside the questions."""
        from kidsmed.render.core import console

        out = console(stderr=True)
        for block in blocks:
            out.print(block)

    def confirm(self, question: str) -> bool:
        """Yes or no; anything but an answer starting with y is no. Ctrl-C again means no."""
        try:
            return self.ask(f"{question} (y/N)").strip().lower().startswith("y")
        except KeyboardInterrupt:
            return False


def pick(answer: str, choices: Sequence[str], aliases: dict | None = None) -> str | None:
    """The choice an answer names: its number in the list, the whole word or a unique start of it,
    in any case; None when it names none or several."""
    typed = answer.strip().lower().replace("_", "-").replace(" ", "-")
    if typed.isdigit() and 1 <= int(typed) <= len(choices):
        return choices[int(typed) - 1]
    if typed in choices or typed in (aliases or {}):
        return (aliases or {}).get(typed, typed)
    starting = [c for c in choices if c.startswith(typed)] if typed else []
    return starting[0] if len(starting) == 1 else None


def numbered(choices: Sequence[str], width: int = 78) -> list[str]:
    """The choices as numbered columns that fit the terminal: '1 mediation  2 disagreement-…'."""
    cells = [f"{n:>2} {choice}" for n, choice in enumerate(choices, 1)]
    cell = max(len(c) for c in cells) + 2
    per_line = max(1, width // cell)
    return ["".join(c.ljust(cell) for c in cells[i:i + per_line]).rstrip() for i in range(0, len(cells), per_line)]


def ask_choice(label: str, choices: Sequence[str]) -> str:
    """One of `choices`, asked until the answer names one; Ctrl-C or the end of input stops the
    command with nothing changed."""
    term = Terminal()
    term.say("  " + "\n  ".join(numbered(choices)))
    while True:
        if chosen := pick(term.ask(label, choices), choices):
            return chosen
        term.say("  type its number, its name or the start of it (Tab completes)")


def ask_until(label: str, convert, optional: bool = False):
    """Ask until `convert` takes the answer: a mistyped answer on a call is said and asked again,
    not fatal. A required question asks again when left blank."""
    from kidsmed.errors import BadInput

    term = Terminal()
    while True:
        answer = term.ask(label).strip()
        if not answer and not optional:
            continue
        try:
            return convert(answer)
        except BadInput as exc:
            term.say(str(exc))
