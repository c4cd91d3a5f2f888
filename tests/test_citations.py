"""Every Juno citation in the course points at what it names (issue 12, item 4).

tests/juno/index.json lists, for each nova file the course cites, the line of
every class and def at tag 2014.2 (tests/juno/make_index.py writes it from a nova
clone). A citation ``nova/<file>.py:<N>[-M]`` must name an indexed file and lie
inside it; when the text before it (on its line, after any earlier citation)
names classes or functions of that file (``Resource._get_method
(nova/api/openstack/wsgi.py:1026-1052)``), one of them must start inside the
cited range, give or take 3 lines (decorators). Citations of nova master are left out.
"""

from __future__ import annotations

import json
import pathlib
import re
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "juno"))
import citations  # noqa: E402

INDEX = json.loads((pathlib.Path(__file__).resolve().parent / "juno" / "index.json").read_text())
NAME = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
SLACK = 3


def _spans(entry: dict) -> list[tuple[int, int, str]]:
    """(first line, last line, qualified name): a definition ends where the next one outside it starts."""
    symbols = entry["symbols"]
    spans = []
    for i, (line, _kind, qualname) in enumerate(symbols):
        end = entry["lines"]
        for later, _k, other in symbols[i + 1:]:
            if not other.startswith(qualname + "."):
                end = later - 1
                break
        spans.append((line, end, qualname))
    return spans


def _named(entry: dict, token: str) -> list[tuple[int, int]]:
    """Spans of the definitions ``token`` may name: ``Resource._get_method`` or ``_get_method``."""
    parts = token.split(".")
    found = []
    for start, end, qualname in _spans(entry):
        names = qualname.split(".")
        # the token's tail must match the qualified name's tail (module prefixes dropped)
        if any(parts[-size:] == names[-size:]
               for size in range(min(len(parts), len(names)), 0, -1)):
            found.append((start, end))
    return found


def problem(before: str, path: str, first: int, last: int) -> str | None:
    entry = INDEX["files"].get(path)
    if entry is None:
        return "%s is not in tests/juno/index.json (run tests/juno/make_index.py)" % path
    if last > entry["lines"] or first > last:
        return "%s has %d lines" % (path, entry["lines"])
    named = [span for token in NAME.findall(before)
             if len(token) >= 4 or "." in token  # 'def', 'at', 'in': prose
             for span in _named(entry, token)]
    # a named definition starts in the cited range (give or take decorators),
    # or the cited lines are a statement inside a named definition
    # "Mirrors: <qualified name> (<file>:<line>" cites where the definition starts
    inside_ok = "Mirrors:" not in before
    if named and not any(first - SLACK <= start <= last + SLACK
                         or (inside_ok and start <= first <= end) for start, end in named):
        return "the text names definitions at lines %s, none in or around %d-%d" % (
            ", ".join(str(start) for start, _end in sorted(set(named))[:6]), first, last)
    return None  # a statement, not a definition: inside the file is all we can check


CITED = list(citations.citations())


def test_the_course_cites_juno_at_all_and_the_index_is_from_2014_2():
    assert len(CITED) > 300 and INDEX["tag"] == "2014.2"


def test_every_juno_citation_points_at_what_it_names():
    wrong = []
    for where, before, path, first, last in CITED:
        why = problem(before, path, first, last)
        if why:
            wrong.append("%s: %s:%d: %s" % (where, path, first, why))
    assert not wrong, "%d wrong citations:\n%s" % (len(wrong), "\n".join(wrong))


@pytest.mark.parametrize("before, cited, expected", [
    ("Mirrors: nova.exception.NovaException (", ("nova/exception.py", 94, 94), None),
    ("Mirrors: nova.exception.NovaException (", ("nova/exception.py", 85, 85), "none in"),
    ("Mirrors: nova.db.sqlalchemy.models.Instance (", ("nova/db/sqlalchemy/models.py", 175, 175),
     "none in"),
    ("Mirrors: nova.db.sqlalchemy.models.Instance (", ("nova/db/sqlalchemy/models.py", 163, 163),
     None),
    ("``Resource._get_method`` (", ("nova/api/openstack/wsgi.py", 1026, 1052), None),
    ("the loop (", ("nova/api/openstack/wsgi.py", 1030, 1031), None),
    ("a line inside ``Resource._get_method`` (", ("nova/api/openstack/wsgi.py", 1040, 1040), None),
    ("``Resource._get_method`` (", ("nova/api/openstack/wsgi.py", 1060, 1060), "none in"),
    ("", ("nova/api/openstack/wsgi.py", 99999, 99999), "lines"),
    ("", ("nova/no_such.py", 1, 1), "not in"),
])
def test_the_check_catches_a_wrong_line_a_missing_file_and_a_line_past_the_end(
        before, cited, expected):
    why = problem(before, *cited)
    assert (why is None) if expected is None else (expected in why)
