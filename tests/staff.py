"""A member of staff at their own terminal, for tests that need several at once.

    python tests/staff.py NAME COUNT

runs, COUNT times and in this one process, `kidsmed intake` (a school referral naming NAME),
`kidsmed cases`, `kidsmed show` of the new case and `kidsmed report day`, just as typed at a shell;
prints one JSON line per intake ({"ref", "codes"}) and passes kidsmed's stderr through untouched.
"""

import contextlib
import io
import json
import sys

from kidsmed.cli.app import main


def kidsmed(*args: str) -> tuple[int, str]:
    sys.argv = ["kidsmed", *args]
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main()
        except SystemExit as exc:
            code = exc.code or 0
    sys.stderr.write(err.getvalue())
    return code, out.getvalue()


def shift(name: str, count: int) -> None:
    for call in range(count):
        code, out = kidsmed("intake", "--kind", "mediation", "--referrer-role", "school",
                            "--family", f"{name} family {call}", "--child", "Alex Example",
                            "--la", "Northshire", "--new-la", "--issue", "placement", "--json")
        ref = json.loads(out)["ref"] if code == 0 else None
        listed, _ = kidsmed("cases", "--json")
        shown, _ = kidsmed("show", ref or "KM-2026-0001", "--json")
        reported, _ = kidsmed("report", "day", "--json")
        print(json.dumps({"ref": ref, "codes": [code, listed, shown, reported]}), flush=True)


if __name__ == "__main__":
    shift(sys.argv[1], int(sys.argv[2]))
