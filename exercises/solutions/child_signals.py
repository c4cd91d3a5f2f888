"""Exercise 1.2 (reference solution): the signal policy of a forked worker.

Layer 1: notebooks/01_launcher.ipynb
Juno: nova/openstack/common/service.py:243-257 (``_child_process_handle_signal``)
"""

from __future__ import annotations

import signal

from minova.openstack.common.service import SignalExit


def _exit_once(signo: int):
    """A handler that puts ``signo`` back to its default action and leaves by SignalExit."""
    def handler(received, frame):
        signal.signal(signo, signal.SIG_DFL)
        raise SignalExit(signo)
    return handler


def install_child_handlers() -> None:
    """Install a worker's handlers in this process."""
    signal.signal(signal.SIGTERM, _exit_once(signal.SIGTERM))
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, _exit_once(signal.SIGHUP))
    # Ctrl-C signals the whole process group: let the parent decide.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
