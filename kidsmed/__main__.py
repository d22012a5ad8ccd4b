"""The `kidsmed` command and `python -m kidsmed`."""

import sys


def main() -> None:
    # `kidsmed --version` is how staff and scripts check an install: answer it without loading Typer.
    if sys.argv[1:] == ["--version"]:
        from kidsmed import version_line

        print(version_line())
        return
    from kidsmed.cli.app import main as run

    run()


if __name__ == "__main__":
    main()
