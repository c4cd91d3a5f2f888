"""Which copy of an exercise file the exercise tests import: yours or the reference solution.

The tests never import ``exercises.workspace`` directly; they call ``load("wsgi_loop")``,
and ``MINOVA_EXERCISES_TARGET`` (``workspace`` unless set) picks the folder.  The
checker sets it to ``workspace``; the course's self-check also runs ``solutions``.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

ENV_VAR = "MINOVA_EXERCISES_TARGET"
TARGETS = ("workspace", "solutions")


def target() -> str:
    name = os.environ.get(ENV_VAR, "workspace")
    if name not in TARGETS:
        raise ValueError("%s must be one of %s, not %r" % (ENV_VAR, TARGETS, name))
    return name


def load(module: str) -> ModuleType:
    """Import ``exercises.<target>.<module>``."""
    return importlib.import_module("exercises.%s.%s" % (target(), module))
