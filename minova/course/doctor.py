"""``./course doctor``: is everything the course needs set up, and set up right?

Not a nova mirror: a teaching helper.  Each check returns ``(status, detail)``
with status ``ok``, ``FAIL`` or ``info``; the command exits 1 when a required
check fails.  The broker is informational: only layer 6's real-transport
cells need it, and they say so.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from collections.abc import Callable

from minova.course import dotfinder

OK, FAIL, INFO = "ok", "FAIL", "info"
BROKER = ("127.0.0.1", 5672)


def check_python() -> tuple[str, str]:
    version = "%d.%d.%d" % sys.version_info[:3]
    status = OK if sys.version_info >= (3, 10) else FAIL
    return status, "%s at %s%s" % (version, sys.executable,
                                   "" if status == OK else " (need 3.10 or newer)")


def _same_interpreter(a: str, b: str) -> bool:
    # Compare folders, not files: a venv's python is a symlink to the base interpreter.
    return (os.path.realpath(os.path.dirname(a)) == os.path.realpath(os.path.dirname(b))
            and os.path.basename(a).startswith("python"))


def check_kernel(name: str = "minova") -> tuple[str, str]:
    """Is there a kernel ``name`` and does it start this very interpreter?"""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        return FAIL, "no Jupyter kernel named %r (./course sets it up)" % name
    argv0 = spec.argv[0] if spec.argv else "?"
    if _same_interpreter(argv0, sys.executable):
        return OK, "%r (%s) runs %s" % (name, spec.display_name, argv0)
    return FAIL, ("kernel %r in %s runs %s, not this environment's %s; remove it with "
                  "`jupyter kernelspec remove %s` and run ./course again"
                  % (name, spec.resource_dir, argv0, sys.executable, name))


def check_editable() -> tuple[str, str]:
    from importlib import metadata

    # Skip the minova.egg-info a build leaves in the source tree (found first when
    # running from there): only an installed copy has direct_url.json.
    installed = [dist for dist in metadata.distributions(name="minova")
                 if dist.read_text("direct_url.json")]
    if not installed:
        return FAIL, "minova is not pip-installed here (./course runs pip install -e .)"
    direct = json.loads(installed[0].read_text("direct_url.json"))
    if direct.get("dir_info", {}).get("editable"):
        return OK, "editable, from %s" % direct.get("url", "?")
    return FAIL, ("installed as a copy, so your edits are not seen: pip install -e . "
                  "(%s)" % direct.get("url", installed[0].version))


def check_dot(path_env: str | None = None, bin_dir: str | None = None) -> tuple[str, str]:
    found = dotfinder.find_dot(path_env, bin_dir)
    if found.path is None:
        return FAIL, ("no graphviz `dot` on PATH or beside %s: diagrams show DOT text only; "
                      "run ./course setup" % sys.executable)
    from minova.course import diagrams

    if path_env is None and bin_dir is None:
        drawn = diagrams.render("digraph { a -> b }")
        if drawn.svg is None:
            return FAIL, "%s: %s" % (found.describe(), drawn.message)
        return OK, "%s renders SVG" % found.describe()
    return OK, found.describe()


def check_port() -> tuple[str, str]:
    try:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return OK, "can listen on 127.0.0.1 (got port %d)" % s.getsockname()[1]
    except OSError as exc:
        return FAIL, "cannot bind a loopback port: %s" % exc


def check_fork() -> tuple[str, str]:
    if hasattr(os, "fork"):
        return OK, "os.fork is available (layer 1 forks workers)"
    return FAIL, "no os.fork on this platform: layer 1's ProcessLauncher cannot run"


def check_broker(address: tuple[str, int] = BROKER) -> tuple[str, str]:
    try:
        with socket.create_connection(address, timeout=1.0):
            return INFO, "RabbitMQ answers at %s:%d (layer 6 can use it)" % address
    except OSError as exc:
        return INFO, ("nothing at %s:%d (%s); layer 6 falls back to its in-process transport"
                      % (address + (exc.strerror or exc,)))


CHECKS: list[tuple[str, Callable[[], tuple[str, str]]]] = [
    ("python", check_python),
    ("kernel", check_kernel),
    ("editable", check_editable),
    ("dot", check_dot),
    ("port", check_port),
    ("fork", check_fork),
    ("broker", check_broker),
]


def run_doctor(out=None) -> int:
    """Print one line per check; return the exit code (1 when a required check fails)."""
    out = out or sys.stdout
    failed = 0
    for name, func in CHECKS:
        try:
            status, detail = func()
        except Exception as exc:  # a doctor must report, not crash
            status, detail = FAIL, "check crashed: %s: %s" % (type(exc).__name__, exc)
        failed += status == FAIL
        out.write("%-9s %-5s %s\n" % (name, status, detail))
    out.write("\n%s\n" % ("All required checks pass." if not failed else
                          "%d required check(s) failed: see README.md, Troubleshooting."
                          % failed))
    return 1 if failed else 0
