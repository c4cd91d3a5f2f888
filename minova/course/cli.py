"""The ``minova`` command: ``minova check``, ``minova doctor``, ``minova diagrams``.

Not a nova mirror: a teaching helper.  ``./course check|doctor|diagrams`` call
this inside the course's virtual environment.
"""

from __future__ import annotations

import argparse
import sys


def _check(args) -> int:
    import minova.course
    from minova.course import checker

    if not minova.course.in_a_clone():
        sys.stderr.write("minova check: the course's exercises live in its repository, and this "
                         "minova is an installed copy (%s).\nClone the course and run "
                         "./course check there.\n" % checker.repo_root())
        return 2

    if args.reset_hints:
        checker.reset_hints(checker.default_state_file())
        sys.stdout.write("Hints reset: the next --hint starts at hint 1.\n")
        return 0
    return 0 if checker.run_check(args.task, hint=args.hint, target=args.target) else 1


def _mine(args) -> int:
    from minova.course import mine

    return mine.run(check=args.check, target=args.target, port=args.port)


def _doctor(args) -> int:
    from minova.course import doctor

    return doctor.run_doctor()


def _diagrams(args) -> int:
    from minova.course import checker, diagrams

    directory = args.out or str(checker.repo_root() / "diagrams")
    if args.check:
        problems = diagrams.stale_diagrams(directory)
        sys.stdout.write("\n".join(problems or ["All committed diagrams match the code."]) + "\n")
        return 1 if problems else 0
    for line in diagrams.generate_all(directory, force=args.force):
        sys.stdout.write(line + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="minova", description="The minova course's tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="check your exercise solutions")
    check.add_argument("task", nargs="?", help="a task id such as 2.1 (default: all)")
    check.add_argument("--hint", action="store_true", help="show the next hint")
    check.add_argument("--reset-hints", action="store_true", help="start hints again at 1")
    check.add_argument("--target", default="workspace", choices=["workspace", "stubs", "solutions"],
                       help=argparse.SUPPRESS)
    check.set_defaults(func=_check)
    mine = sub.add_parser("mine", help="run minova with your solved exercises plugged in")
    mine.add_argument("--check", action="store_true",
                      help="drive it with openstacksdk, report whose code ran, and stop")
    mine.add_argument("--port", type=int, help="API port (default 8774; --check: a free one)")
    mine.add_argument("--target", default=None, choices=["workspace", "stubs", "solutions"],
                      help=argparse.SUPPRESS)
    mine.set_defaults(func=_mine)
    doctor = sub.add_parser("doctor", help="is everything set up right?")
    doctor.set_defaults(func=_doctor)
    diagrams = sub.add_parser("diagrams",
                              help="regenerate diagrams/*.dot, and each *.svg whose .dot changed")
    diagrams.add_argument("--check", action="store_true", help="only report stale diagrams")
    diagrams.add_argument("--out", help="folder to write to (default: diagrams/)")
    diagrams.add_argument("--force", action="store_true",
                          help="redraw every SVG, even those whose .dot did not change")
    diagrams.set_defaults(func=_diagrams)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
