"""Exercise 1.2: the signal policy of a forked worker.

Layer 1: notebooks/01_launcher.ipynb
Rebuilds ``ProcessLauncher._child_process_handle_signal``
(Juno: nova/openstack/common/service.py:243-257; minova:
minova/openstack/common/service.py).  The tests install it in real processes,
and in a real ProcessLauncher's workers, and send real signals.
Check it with ``./course check 1.2`` (``--hint`` when stuck).
"""

from __future__ import annotations

import signal  # noqa: F401  (you will need it)

from minova.openstack.common.service import SignalExit  # noqa: F401  (you will need it)


def install_child_handlers() -> None:
    """Install a worker's handlers in this process.

    - SIGTERM: set SIGTERM back to the default action (a second SIGTERM then
      kills outright), then raise ``SignalExit(signal.SIGTERM)``;
    - SIGHUP: the same, with SIGHUP;
    - SIGINT: ignored -- Ctrl-C reaches every process of the group, and the
      workers wait for their parent to send them SIGTERM.
    """
    raise NotImplementedError(
        "Exercise 1.2: write install_child_handlers() in exercises/workspace/child_signals.py"
        " -- see notebooks/01_launcher.ipynb, section 'Exercise 1.2'")
