"""Every "Next:" names the command to type, and a mistyped command is answered with the right one."""

import pytest
from bookable import make_bookable
from conftest import start_clock


def test_the_next_command_follows_the_case_along_its_path(kidsmed, db_path):
    ref = kidsmed.intake("--referrer-role", "school")["ref"]
    assert kidsmed.json("show", ref)["next_command"] == f"kidsmed consent {ref} --given"
    kidsmed("consent", ref, "--given", "--method", "phone")
    assert kidsmed.json("show", ref)["next_command"] == f"kidsmed agree {ref} --party family --yes"
    kidsmed("agree", ref, "--party", "family", "--yes")
    assert kidsmed.json("show", ref)["next_command"] == f"kidsmed agree {ref} --party la --yes"
    kidsmed("agree", ref, "--party", "la", "--yes")
    assert kidsmed.json("show", ref)["next_command"] == (
        f"kidsmed schedule book {ref} --at DATETIME --mediator NAME")
    booked = make_bookable(kidsmed, db_path)
    kidsmed("mediators", "add", "Jo Mediator")
    kidsmed("schedule", "book", booked, "--at", "3/12/2026 10:00", "--mediator", "Jo Mediator", "--remote", "video")
    assert kidsmed.json("show", booked)["next_command"] == f"kidsmed schedule outcome {booked} --result RESULT"
    declined = kidsmed.intake()["ref"]
    kidsmed("agree", declined, "--party", "family", "--no")
    assert kidsmed.json("show", declined)["next_command"] == f"kidsmed certificate issue {declined}"
    kidsmed("certificate", "issue", declined)
    assert kidsmed.json("show", declined)["next_command"] is None


def test_a_write_command_ends_with_the_command_to_type_then_why(kidsmed):
    ref = kidsmed.intake("--referrer-role", "sendiass")["ref"]
    result = kidsmed("note", ref, "Mum called back")
    assert result.stdout.splitlines()[1:] == [
        f"Next: kidsmed consent {ref} --given",
        "      record the parent's or young person's consent — referred by SENDIASS"]


def test_a_closed_case_says_there_is_nothing_to_type(kidsmed, db_path):
    ref = kidsmed.intake()["ref"]
    start_clock(db_path, ref, "mediation-within-30-days", "2026-11-26")
    result = kidsmed("close", ref, "--reason", "withdrawn")
    assert result.stdout.splitlines()[-1] == "Next: none — the case is closed (withdrawn)"


@pytest.mark.parametrize("typed, line", [
    (["book"], "there is no command 'book' — did you mean 'kidsmed schedule book'? (see 'kidsmed --help')"),
    (["Outcome", "KM-2026-0001"],
     "there is no command 'Outcome' — did you mean 'kidsmed schedule outcome'? (see 'kidsmed --help')"),
    (["shw", "KM-2026-0001"], "there is no command 'shw' — did you mean 'kidsmed show'? (see 'kidsmed --help')"),
    (["consnt"], "there is no command 'consnt' — did you mean 'kidsmed consent'? (see 'kidsmed --help')"),
    (["sched"], "there is no command 'sched' — did you mean 'kidsmed schedule'? (see 'kidsmed --help')"),
    (["retire"], "there is no command 'retire' — did you mean 'kidsmed mediators retire' or 'kidsmed venues "
                 "retire' or 'kidsmed las retire'? (see 'kidsmed --help')"),
    (["xyzzy"], "there is no command 'xyzzy' — see 'kidsmed --help' for the commands"),
])
def test_a_mistyped_command_suggests_the_right_one(kidsmed, db_path, typed, line):
    result = kidsmed(*typed)
    assert (result.exit_code, result.stderr) == (2, f"Error: {line}\n")
    assert not db_path.exists()
