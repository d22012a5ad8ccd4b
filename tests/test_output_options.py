"""One declaration of the output options: a command that offers --json also takes --format json."""

import json

from kidsmed.cli.app import COMMANDS, command


def every_command():
    for name in COMMANDS:
        found = [(name, command(name))]
        while found:
            path, cmd = found.pop()
            if hasattr(cmd, "commands"):  # a group
                found += [(f"{path} {sub}", cmd.commands[sub]) for sub in cmd.commands]
            else:
                yield path, cmd


def test_every_command_with_json_also_takes_format():
    missing = [path for path, cmd in every_command()
               if any("--json" in p.opts for p in cmd.params) and not any("--format" in p.opts for p in cmd.params)]
    assert missing == []


def test_format_json_is_the_json_shorthand_and_a_refused_format_changes_nothing(kidsmed):
    added = kidsmed("holidays", "add", "24/12/2026", "Office closed", "--closure", "--format", "json")
    assert json.loads(added.stdout)["added"][0]["date"] == "2026-12-24"
    refused = kidsmed("holidays", "add", "23/12/2026", "Office closed", "--closure", "-f", "csv")
    assert (refused.exit_code, refused.stderr) == (
        2, "Error: 'csv' is not an output format here — use one of: table, json\n")
    assert [d["date"] for d in kidsmed.json("holidays", "list") if d["kind"] == "closure"] == ["2026-12-24"]
    assert json.loads(kidsmed("settings", "set", "service.phone", "0300 000 0000", "-f", "json").stdout) == \
        kidsmed.json("settings", "set", "service.phone", "0300 000 0000")
