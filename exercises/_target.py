"""Which copy of an exercise file the exercise tests import: yours, the stub, or the solution.

The tests never import ``exercises.workspace`` directly; they call ``load("wsgi_loop")``,
and ``MINOVA_EXERCISES_TARGET`` (``workspace`` unless set) picks the folder: the
checker uses ``workspace`` (your files); the course's self-check runs ``stubs``
(the files as shipped) and ``solutions``, so your progress never fails it.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

ENV_VAR = "MINOVA_EXERCISES_TARGET"
TARGETS = ("workspace", "stubs", "solutions")


def target() -> str:
    name = os.environ.get(ENV_VAR, "workspace")
    if name not in TARGETS:
        raise ValueError("%s must be one of %s, not %r" % (ENV_VAR, TARGETS, name))
    return name


def load(module: str) -> ModuleType:
    """Import ``exercises.<target>.<module>``."""
    if target() == "workspace":
        from minova.course.checker import ensure_workspace

        ensure_workspace()
    return importlib.import_module("exercises.%s.%s" % (target(), module))
