"""Find the Juno citations (``nova/<file>.py:<line>``) in the course: package, exercises, notebooks.

Used by tests/juno/make_index.py (which files to index) and tests/test_citations.py.
A citation of nova *master* (a "Now:" line, a "then and now" table, a line that
says "master") is not a Juno citation and is left out.
"""

from __future__ import annotations

import json
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
# "nova/config.py:29,33-34" cites three places; in "(nova/x.py:94, 2014.2)" the tag is no line.
CITATION = re.compile(
    r"(?<![\w/.])(nova/[\w/]+\.py):(\d+)(?:-(\d+))?((?:,\s*\d+(?:-\d+)?(?![\d.]))*)")
NOT_JUNO = re.compile(r"\bmaster\b|^\s*Now:|nova today|\bNow\b:|2016|2017|2025|2026", re.I)


def sources() -> list[tuple[str, str]]:
    """(where, text) for every file a learner reads: package, exercises, notebooks."""
    found = []
    for path in sorted((ROOT / "minova").rglob("*.py")) + sorted((ROOT / "exercises").rglob("*.py")) \
            + [ROOT / "exercises" / "tasks.toml"]:
        found.append((str(path.relative_to(ROOT)), path.read_text()))
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for index, cell in enumerate(json.loads(path.read_text())["cells"]):
            text = "".join(cell["source"])
            if re.search(r"then and now|nova master", text.split("\n", 1)[0], re.I):
                continue  # a whole cell about nova master
            found.append(("%s cell %d" % (path.relative_to(ROOT), index), text))
    return found


def mentioned_files() -> set[str]:
    """Every Juno file the course names, with or without a line (``Juno: nova/utils.py``)."""
    found = set()
    for _where, text in sources():
        for line in text.splitlines():
            if not NOT_JUNO.search(line):
                found.update(re.findall(r"(?<![\w/.])(nova/[\w/]+\.py)", line))
    return found


def citations():
    """Yield (where, line text before the citation, file, first line, last line)."""
    for where, text in sources():
        for line in text.splitlines():
            if NOT_JUNO.search(line):
                continue
            start = 0
            for match in CITATION.finditer(line):
                before = line[start:match.start()]
                start = match.end()
                first = int(match.group(2))
                last = int(match.group(3) or first)
                yield where, before, match.group(1), first, last
                for extra in re.findall(r"(\d+)(?:-(\d+))?", match.group(4) or ""):
                    yield where, before, match.group(1), int(extra[0]), int(extra[1] or extra[0])
