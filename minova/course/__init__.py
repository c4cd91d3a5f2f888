"""The course's helpers (checker, tracer, diagrams, ...): teaching tools, not nova mirrors.

The exercises (``exercises/``) belong to the course's repository, not to the
installed package: ``pip install`` gives minova alone. When minova runs from a
clone (an editable install, as ``./course`` makes), the clone's folder is put on
``sys.path`` here, so ``import exercises`` works from a notebook's folder too.
"""

from __future__ import annotations

import pathlib
import sys

_CLONE = pathlib.Path(__file__).resolve().parents[2]


def in_a_clone() -> bool:
    """True when this minova is a course repository's (its exercises/ are beside it)."""
    return (_CLONE / "exercises" / "tasks.toml").is_file()


if in_a_clone() and str(_CLONE) not in sys.path:
    sys.path.append(str(_CLONE))
