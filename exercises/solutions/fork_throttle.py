"""Exercise 1.1 (reference solution): fork one worker, throttled as Juno did.

Layer 1: notebooks/01_launcher.ipynb
Juno: nova/openstack/common/service.py:302-333 (``ProcessLauncher._start_child``)
"""

from __future__ import annotations

import logging
import time

LOG = logging.getLogger(__name__)


def start_child(wrap, fork, clock=time.time, sleep=time.sleep) -> int:
    """Fork one worker for ``wrap`` (a ``ServiceWrapper``) and return its pid."""
    # More than `workers` forks in the last `workers` seconds means workers die
    # as fast as we start them: slow down to one fork a second.
    if len(wrap.forktimes) > wrap.workers:
        oldest = wrap.forktimes.pop(0)
        if clock() - oldest < wrap.workers:
            LOG.info("Forking too fast, sleeping")
            sleep(1)
    wrap.forktimes.append(clock())
    pid = fork()
    wrap.children.add(pid)
    return pid
