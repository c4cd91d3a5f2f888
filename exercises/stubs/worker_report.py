"""Exercise 1.3: SIGUSR1 makes the launcher log a report of its workers.

Layer 1: notebooks/01_launcher.ipynb
Extends the parent of ``ProcessLauncher`` (minova/openstack/common/service.py)
with a small cousin of Juno's guru meditation report, which nova-api set up
for SIGUSR1 (nova/cmd/api.py:46, ``gmr.TextGuruMeditation.setup_autorun``).
Check it with ``./course check 1.3`` (``--hint`` when stuck).
"""

from __future__ import annotations

import logging
import signal  # noqa: F401  (you will need it)

LOG = logging.getLogger(__name__)


def install_worker_report(launcher) -> None:
    """On SIGUSR1, log what ``launcher`` (a ``ProcessLauncher``) knows about its workers.

    The handler logs, at INFO level, one line
    ``Worker report: <N> workers`` and then, for every pid in
    ``launcher.children`` in increasing order, one line
    ``worker <pid>: <class name of the wrapper's service>``.
    It must change nothing: the parent goes on respawning workers afterwards.
    """
    raise NotImplementedError(
        "Exercise 1.3: write install_worker_report() in exercises/workspace/worker_report.py"
        " -- see notebooks/01_launcher.ipynb, section 'Exercise 1.3'")
