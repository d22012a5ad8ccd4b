"""The intake form: everything a referral and its letters need, asked one question at a time on
a live call. A wrong answer is asked again (never ends the call), Ctrl-C asks whether to abandon,
and a numbered review comes before anything is saved."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from datetime import date
from typing import NamedTuple

import typer

from kidsmed.cli.ask import Terminal, numbered, pick
from kidsmed.domain import caseload, cases, las
from kidsmed.domain.dates import format_date, parse_date
from kidsmed.domain.text import safe_text
from kidsmed.domain.vocab import ISSUES, SELF_REFERRER_ROLES
from kidsmed.errors import BadInput, KidsmedError
from kidsmed.render.core import CODE, Column, panel, table


def _always(details: cases.Intake) -> bool:
    return True


def _third_party(details: cases.Intake) -> bool:
    return details.referrer_role not in SELF_REFERRER_ROLES


class Question(NamedTuple):
    name: str                       # the Intake field it fills
    label: str
    choices: tuple[str, ...] = ()   # the codes allowed, shown numbered
    optional: bool = False
    asked: Callable[[cases.Intake], bool] = _always  # whether it applies to this call


QUESTIONS = (
    Question("kind", "Kind of case", cases.CHOICES["kind"][0]),
    Question("referrer_role", "Who is calling", cases.CHOICES["referrer_role"][0]),
    Question("referrer_name", "Caller's name", optional=True, asked=_third_party),
    Question("referrer_org", "Caller's organisation", optional=True, asked=_third_party),
    Question("referrer_phone", "Caller's phone number", optional=True, asked=_third_party),
    Question("family", "Parent or carer (or the young person) who holds the right"),
    Question("relationship", "Their relationship to the child", optional=True),
    Question("phone", "Their phone number", optional=True),
    Question("email", "Their email address", optional=True),
    Question("address", "Their postal address, for letters", optional=True),
    Question("preferred_contact", "How they would like to be contacted", cases.CHOICES["preferred_contact"][0],
             optional=True),
    Question("child", "Child or young person's name"),
    Question("dob", "Child's date of birth", optional=True),
    Question("setting", "School, college or other setting", optional=True),
    Question("la", "Local authority"),
    Question("other_party", "The other party", cases.CHOICES["other_party"][0],
             asked=lambda d: d.kind == "disagreement-resolution"),
    Question("issues", "Issues (numbers or names, separated by commas)", ISSUES),
    Question("decision_date", "Date written notice of the LA's decision was sent", optional=True,
             asked=lambda d: d.kind == "mediation"),
    Question("notes", "Notes of the call", optional=True),
    Question("owner", "Who will handle the case (Enter: you)", optional=True),
)


class Filled(NamedTuple):
    """The form's answers, whether the LA is to be added to the register, and the case it repeats."""

    details: cases.Intake
    new_la: bool
    repeat_of: str | None


class Form:
    def __init__(self, details: cases.Intake, db, user: str, today: date, received_on: date,
                 wrong: dict[str, BadInput], *, new_la: bool = False, force: bool = False):
        self.details, self.db, self.user, self.today, self.received_on = details, db, user, today, received_on
        self.wrong, self.new_la, self.force = wrong, new_la, force
        self.term = Terminal()

    # --- the questions ------------------------------------------------------------------------

    def fill(self) -> Filled:
        """Ask every question this call needs that the options did not answer; review; check for
        a repeat referral. typer.Abort when staff abandon the call."""
        self.term.say("A new referral. Optional questions say so: Enter skips them; Ctrl-C abandons.")
        self.set_aside_what_is_wrong()
        given = {q.name for q in QUESTIONS if _answered(self.details, q.name)}
        for question in QUESTIONS:
            if question.name not in given and question.asked(self.details):
                self.ask(question)
        self.review()
        return Filled(self.details, self.new_la, self.repeat_check())

    def set_aside_what_is_wrong(self) -> None:
        """An option given wrongly is said, then asked like one never given."""
        _, found = cases.problems(self.db, self.details, self.received_on, self.force, self.new_la)
        for name, exc in {**self.wrong, **found}.items():
            if exc.fix is not None:  # wrong, not merely missing
                self.term.say(f"  {cases.option(name)}: {_said(exc)}")
                setattr(self.details, name, [] if name == "issues" else None)

    def ask(self, question: Question) -> None:
        """Ask until the answer is right for this call; Ctrl-C offers to abandon it."""
        current = _shown(self.details, question.name)
        label = question.label + (" (optional)" if question.optional else "")
        if current:
            label += f" [Enter keeps {current}" + (", - clears it]" if question.optional else "]")
        if question.choices:
            for line in numbered(question.choices, min(78, shutil.get_terminal_size((80, 24)).columns - 2)):
                self.term.say("  " + line)
        while True:
            try:
                answer = self.term.ask(label, self._completions(question)).strip()
            except KeyboardInterrupt:
                self.term.say()
                if self.term.confirm("Abandon this call? Nothing will be saved"):
                    raise typer.Abort() from None
                continue
            if not answer and (current or question.optional):
                return
            try:
                self.answer(question, None if answer == "-" and question.optional else answer)
                return
            except KidsmedError as exc:  # a retired LA too: another answer may be right
                self.term.say(f"  {_said(exc)}")

    def _completions(self, question: Question) -> list[str]:
        """What Tab completes: the choices, or the registered local authorities."""
        if question.name == "la":
            return [e["name"] for e in las.entries(self.db) if not e["retired_on"]]
        return list(question.choices)

    def answer(self, question: Question, answer: str | None) -> None:
        """Take one answer into the referral, or BadInput saying what is wrong with it."""
        name = question.name
        if answer is None or not answer:
            if not question.optional:
                raise BadInput("this one is needed", "type an answer")
            value = [] if name == "issues" else None
        elif name == "issues":
            value = [self._choice(question, part.strip()) for part in answer.split(",") if part.strip()]
        elif question.choices:
            value = self._choice(question, answer)
        elif name in ("dob", "decision_date"):
            value = parse_date(answer, self.today)
        elif name == "la":
            value = self._la(answer)
        elif name == "owner":
            value = caseload.owner_name(self.db, answer, user=self.user)
        else:
            value = answer
        value = cases.clean_field(name, value)
        checked = dataclasses.replace(self.details, **{name: value})
        if problem := cases.date_problems(checked, self.received_on, self.force).get(name):
            raise problem
        self.details = checked

    def _choice(self, question: Question, answer: str) -> str:
        if chosen := pick(answer, question.choices, cases.CHOICES.get(question.name, ((), "", None))[2]):
            return chosen
        raise BadInput(f"'{safe_text(answer[:30])}' is not one of the choices",
                       "type its number, its name or the start of it (Tab completes)")

    def _la(self, answer: str) -> str:
        """A registered LA, or a new one staff confirm they mean to add."""
        try:
            return las.check_for_case(self.db, answer)["name"]
        except las.NotRegistered as exc:
            self.term.say(f"  {_said(exc)}")
            if not self.term.confirm(f"Add '{safe_text(answer)}' to the register as a new local authority?"):
                raise BadInput("no local authority chosen", "type it again") from None
            self.new_la = True
            return answer

    # --- the review ---------------------------------------------------------------------------

    def applying(self) -> list[Question]:
        return [q for q in QUESTIONS if q.asked(self.details)]

    def review(self) -> None:
        """Every answer, numbered: a number changes one, s saves, q abandons."""
        while True:
            questions = self.applying()
            pairs = [(f"{n:>2} {q.label.split(' (')[0]}",
                      _shown(self.details, q.name) or (f"you ({self.user})" if q.name == "owner" else "—"))
                     for n, q in enumerate(questions, 1)]
            self.term.show(panel("The referral, before it is saved", pairs=pairs))
            try:
                answer = self.term.ask("Number to change, s to save, q to abandon").strip().lower()
            except KeyboardInterrupt:
                answer = "q"
                self.term.say()
            if answer == "s":
                if self.complete():
                    return
            elif answer == "q":
                if self.term.confirm("Abandon this call? Nothing will be saved"):
                    raise typer.Abort()
            elif answer.isdigit() and 1 <= int(answer) <= len(questions):
                self.ask(questions[int(answer) - 1])
            else:
                self.term.say(f"  type a number from 1 to {len(questions)}, s or q")

    def complete(self) -> bool:
        """Ask whatever a changed answer left missing (a new kind needs the other party); True when
        nothing is."""
        missing = [q for q in self.applying() if q.name in cases.missing_required(self.details)]
        for question in missing:
            self.term.say(f"  still needed: {question.label}")
            self.ask(question)
        return not missing

    def repeat_check(self) -> str | None:
        """Open or recent cases about the same child or family: continue, record a repeat, or abandon.
        Returns the case this call repeats, or None for a new referral."""
        found = cases.possible_duplicates(self.db, self.details, self.received_on)
        if not found:
            return None
        self.term.say("This may be a case already logged (same child, phone or email):")
        columns = [Column("", CODE), Column("Ref", CODE), Column("Status", CODE), Column("Received", CODE),
                   Column("LA")]
        self.term.show(table(None, columns,
                             [[str(n), d["ref"], d["status"], format_date(date.fromisoformat(d["received_on"])),
                               d["local_authority"]] for n, d in enumerate(found, 1)], ""))
        while True:
            answer = self.term.ask("c continue as a new referral, r record it as a repeat, q abandon").strip().lower()
            if answer == "c":
                return None
            if answer == "q" and self.term.confirm("Abandon this call? Nothing will be saved"):
                raise typer.Abort()
            if answer == "r":
                if len(found) == 1:
                    return found[0]["ref"]
                which = pick(self.term.ask(f"Which one (1-{len(found)})"), [d["ref"] for d in found])
                if which:
                    return which


def _answered(details: cases.Intake, name: str) -> bool:
    return getattr(details, name) not in (None, [], "")


def _shown(details: cases.Intake, name: str) -> str:
    value = getattr(details, name)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, list):
        return ", ".join(value)
    return safe_text(value)


def _said(exc: KidsmedError) -> str:
    """A refusal as the form says it: "check --dob" means nothing to someone answering questions."""
    return exc.what if exc.fix and exc.fix.startswith("check --") else str(exc)
