"""The NOVA-DIFF notes of a module, each whole, for the notebooks to list.

Not a nova mirror: a teaching helper. A NOVA-DIFF comment marks where minova
deliberately differs from Juno; it often runs over several comment lines, and a
list that showed only its first line would cut the reason off.
"""

from __future__ import annotations

import inspect
import io
import tokenize
from dataclasses import dataclass

from minova.course.paths import repo_path


@dataclass(frozen=True)
class NovaDiff:
    path: str   # minova/openstack/common/service.py
    line: int   # where the comment starts
    text: str   # the whole note as one line, without the "#"s

    def __str__(self) -> str:
        return "%s:%d  %s" % (self.path, self.line, self.text)


def nova_diffs(module, until: str | None = None) -> list[NovaDiff]:
    """Every NOVA-DIFF of ``module``, whole, in the order of the file.

    A ``# NOVA-DIFF`` comment continues on the following lines that hold only a
    comment in the same column (an empty ``#`` line or another NOVA-DIFF ends it); a NOVA-DIFF in a
    docstring runs to the end of its paragraph. ``until``: stop at the first line
    that starts with this text (to list one part of a module).
    """
    filename = inspect.getsourcefile(module)
    with open(filename, encoding="utf-8") as f:
        source = f.read()
    comments: dict[int, tuple[str, bool, int]] = {}  # line -> (text, alone on its line, column)
    in_docstrings: list[tuple[int, str]] = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            alone = token.line.lstrip().startswith("#")
            comments[token.start[0]] = (token.string.lstrip("#").strip(), alone, token.start[1])
        elif token.type == tokenize.STRING and "NOVA-DIFF" in token.string:
            # a docstring's NOVA-DIFF paragraph, up to the next empty line
            at = token.string.index("NOVA-DIFF")
            paragraph = token.string[at:].split("\n\n")[0].rstrip("\"' \n")
            in_docstrings.append((token.start[0] + token.string[:at].count("\n"),
                                  " ".join(line.strip() for line in paragraph.splitlines())))
    stop = len(source.splitlines()) + 1
    if until is not None:
        stop = next((n for n, line in enumerate(source.splitlines(), 1)
                     if line.startswith(until)), stop)
    found = []
    for number in sorted(n for n in comments if n < stop):
        text, _alone, column = comments[number]
        if not text.startswith("NOVA-DIFF"):
            continue
        words = [text]
        following = number + 1
        while following in comments:
            more, alone, more_column = comments[following]
            if (not alone or more_column != column or not more
                    or more.startswith("NOVA-DIFF")):
                break
            words.append(more)
            following += 1
        found.append(NovaDiff(repo_path(filename), number, " ".join(words)))
    found += [NovaDiff(repo_path(filename), number, text)
              for number, text in in_docstrings if number < stop]
    return sorted(found, key=lambda diff: diff.line)
