"""The path of a case as pure rules: transitions, who must agree, what answers set going."""

import pytest

from kidsmed.domain import workflow
from kidsmed.domain.workflow import Effects, answer_effects, next_step
from kidsmed.errors import Refused

# Each test runs on both engines (issue 18).
pytestmark = pytest.mark.usefixtures("engine")


def case(status="awaiting-agreement", kind="mediation", issues=("refusal-to-assess",), **extra):
    return {"ref": "KM-2026-0007", "status": status, "kind": kind, "issues": list(issues),
            "other_party": "la" if kind == "mediation" else "setting", "referrer_role": "school",
            "closed_reason": None, **extra}


def said(party, answer, on="2026-12-01"):
    return {"party": party, "answer": answer, "on_date": on}


def test_every_status_has_a_row_and_closed_is_the_end():
    assert set(workflow.TRANSITIONS) == {"awaiting-consent", "awaiting-agreement", "ready-to-book",
                                         "booked", "closed"}
    assert workflow.TRANSITIONS["closed"] == ()
    assert all("closed" in moves for status, moves in workflow.TRANSITIONS.items() if status != "closed")


def test_a_move_the_table_does_not_allow_is_refused_with_the_next_step():
    with pytest.raises(Refused) as refused:
        workflow.check_transition(case("awaiting-consent"), "ready-to-book")
    assert str(refused.value) == (
        "KM-2026-0007 is awaiting-consent and cannot become ready-to-book — next: record the parent's "
        "or young person's consent — referred by school staff, with 'kidsmed consent KM-2026-0007 --given'")


@pytest.mark.parametrize(("kind", "issues", "party", "answer", "effects"), [
    ("mediation", [], "family", "yes", Effects(None, (("mediation-within-30-days", "family agreed"),))),
    ("mediation", ["health"], "family", "yes", Effects(None, (("mediation-within-30-days", "family agreed"),
                                                              ("health-notice", "family agreed")))),
    ("mediation", [], "family", "no",
     Effects("family-declined", (("certificate-after-decline", "family declined"),))),
    ("mediation", [], "la", "no", Effects("other-party-declined", (("certificate-deemed", "LA declined"),))),
    ("mediation", ["health"], "health", "no", Effects()),
    ("mediation", [], "la", "yes", Effects()),
    ("disagreement-resolution", [], "la", "no", Effects("other-party-declined")),
    ("disagreement-resolution", [], "health", "no", Effects("other-party-declined")),
    ("disagreement-resolution", [], "setting", "no", Effects("other-party-declined")),
])
def test_answer_effects(kind, issues, party, answer, effects):
    assert answer_effects(kind, issues, party, answer) == effects


def test_the_latest_answer_of_each_party_counts():
    answers = [said("family", "yes"), said("la", "yes"), said("la", "no", "2026-12-02")]
    assert workflow.missing_parties(case(), answers) == ["la"]
    assert workflow.status_after_answers(case(), answers) == "awaiting-agreement"
    assert workflow.status_after_answers(case(), answers + [said("la", "yes")]) == "ready-to-book"
    assert workflow.status_after_answers(case("booked"), answers + [said("la", "yes")]) == "booked"


@pytest.mark.parametrize(("the_case", "answers", "clocks", "step"), [
    (case(), [], [], "ask the family whether they will take part in mediation"),
    (case(), [said("family", "yes")], [],
     "ask the local authority whether it will take part — family agreed on Tue 1 Dec 2026"),
    (case(issues=["health"]), [said("family", "yes"), said("la", "yes"), said("health", "no", "2026-12-03")], [],
     "ask the integrated care board (health) again whether it will take part — family agreed on "
     "Tue 1 Dec 2026, LA agreed on Tue 1 Dec 2026, ICB said no on Thu 3 Dec 2026"),
    (case("ready-to-book"), [said("family", "yes"), said("la", "yes")], [],
     "book a session — every party has agreed (family agreed on Tue 1 Dec 2026, LA agreed on Tue 1 Dec 2026)"),
    (case("closed", closed_reason="family-declined"), [said("family", "no")],
     [{"rule": "certificate-after-decline", "state": "running", "started_on": "2026-12-23",
       "due_on": "2026-12-30", "start_event": "family declined"}],
     "issue the mediation certificate by Wed 30 Dec 2026 (family declined on Wed 23 Dec 2026)"),
    (case("closed", closed_reason="withdrawn"), [], [], "none — the case is closed (withdrawn)"),
])
def test_next_step(the_case, answers, clocks, step):
    assert next_step(the_case, answers, clocks) == step
