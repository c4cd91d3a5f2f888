"""Exercise 1.3 (reference solution): SIGUSR1 makes the launcher log a report of its workers.

Layer 1: notebooks/01_launcher.ipynb
Juno: nova/cmd/api.py:46 (the guru meditation report on SIGUSR1)
"""

from __future__ import annotations

import logging
import signal

LOG = logging.getLogger(__name__)


def install_worker_report(launcher) -> None:
    """On SIGUSR1, log what ``launcher`` (a ``ProcessLauncher``) knows about its workers."""
    def report(signo, frame):
        # Runs in the parent's main thread, between two polls of waitpid():
        # launcher.children is exactly what the respawn loop sees.
        children = dict(launcher.children)
        LOG.info("Worker report: %d workers", len(children))
        for pid in sorted(children):
            LOG.info("worker %d: %s", pid, type(children[pid].service).__name__)

    signal.signal(signal.SIGUSR1, report)
