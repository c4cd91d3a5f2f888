"""Exercise 1.1: fork one worker, but never faster than Juno's fork throttle allows.

Layer 1: notebooks/01_launcher.ipynb
Rebuilds the parent half of ``ProcessLauncher._start_child``
(Juno: nova/openstack/common/service.py:302-333; minova:
minova/openstack/common/service.py).  The clock, the sleep and the fork are
parameters, so the tests can drive it with fakes instead of forking pytest.
Check it with ``./course check 1.1`` (``--hint`` when stuck).
"""

from __future__ import annotations

import logging
import time

LOG = logging.getLogger(__name__)


def start_child(wrap, fork, clock=time.time, sleep=time.sleep) -> int:
    """Fork one worker for ``wrap`` (a ``ServiceWrapper``) and return its pid.

    1. the throttle: if more than ``wrap.workers`` fork times are recorded
       and the oldest is less than ``wrap.workers`` seconds old, log
       "Forking too fast, sleeping" and ``sleep(1)``; either way, forget the
       oldest fork time;
    2. record ``clock()`` in ``wrap.forktimes``;
    3. ``pid = fork()`` (the tests' fork never returns 0: only the parent
       side is asked for here), add it to ``wrap.children``, return it.
    """
    raise NotImplementedError(
        "Exercise 1.1: write start_child() in exercises/workspace/fork_throttle.py"
        " -- see notebooks/01_launcher.ipynb, section 'Exercise 1.1'")
