"""Find the graphviz ``dot`` binary, wherever the set-up put it, and tell the graphviz package.

Not a nova mirror: a teaching helper used by :mod:`minova.course.diagrams` and
:mod:`minova.course.doctor`.

``./course`` provides ``dot`` in one of three ways: the system's (``/usr/bin/dot``,
conda's ``$CONDA_PREFIX/bin/dot``), Debian's package installed as root, or the
pip wheel ``graphviz-pure``, whose binary is named ``graphviz-pure`` and gets a
``dot`` symlink in ``.venv/bin``.  A kernel started outside ``./course`` may
not have ``.venv/bin`` on ``PATH``, so we also look next to the interpreter.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import sys
from dataclasses import dataclass

SYSTEM = "system"
GRAPHVIZ_PURE = "graphviz-pure"


@dataclass(frozen=True)
class DotBinary:
    """Where ``dot`` is (``path`` None when there is none) and which kind it is."""

    path: str | None
    kind: str | None  # SYSTEM, GRAPHVIZ_PURE or None

    def describe(self) -> str:
        if self.path is None:
            return "none found (diagrams fall back to DOT text)"
        return "%s (%s)" % (self.path, self.kind)


def _kind_of(path: str) -> str:
    real = os.path.basename(os.path.realpath(path))
    return GRAPHVIZ_PURE if real.startswith(GRAPHVIZ_PURE) else SYSTEM


def find_dot(path_env: str | None = None, bin_dir: str | None = None) -> DotBinary:
    """Look on ``PATH`` (or ``path_env``), then beside the interpreter (or in ``bin_dir``)."""
    on_path = shutil.which("dot", path=path_env)
    if on_path:
        return DotBinary(on_path, _kind_of(on_path))
    bin_dir = bin_dir if bin_dir is not None else os.path.dirname(sys.executable)
    for name in ("dot", GRAPHVIZ_PURE):
        candidate = os.path.join(bin_dir, name)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return DotBinary(candidate, _kind_of(candidate))
    return DotBinary(None, None)


def use_dot() -> DotBinary:
    """Find ``dot`` and point the graphviz package at it (it only ever runs ``DOT_BINARY``)."""
    from graphviz.backend import dot_command

    found = find_dot()
    if found.path is not None and not hasattr(dot_command, "DOT_BINARY"):  # pragma: no cover
        return found  # a future graphviz release moved it: leave PATH lookup to graphviz
    if found.path is not None:
        dot_command.DOT_BINARY = pathlib.Path(found.path)
    return found
