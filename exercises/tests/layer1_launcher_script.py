"""Run a real ProcessLauncher with 2 workers in a subprocess, hooked to an exercise file.

Used by the layer-1 exercise tests (pytest itself never forks).  The script
imports the exercise through ``exercises._target``, so it checks the same copy
(workspace or solutions) the test does.
"""

from __future__ import annotations

import os
import pathlib
import sys

from minova.course import processes

ROOT = pathlib.Path(__file__).resolve().parents[2]

SCRIPT = r"""
import logging, sys
logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                    format="%(process)d %(levelname)s %(name)s %(message)s")
from oslo_config import cfg
from minova.openstack.common import service
from exercises._target import load
cfg.CONF([], project="minova", default_config_files=[])

class ReadyService(service.Service):
    def start(self):
        logging.getLogger("fake").info("worker ready")

launcher = service.ProcessLauncher()
if sys.argv[1] == "child_signals":
    policy = load("child_signals").install_child_handlers
    service.ProcessLauncher._child_process_handle_signal = lambda self: policy()
elif sys.argv[1] == "worker_report":
    load("worker_report").install_worker_report(launcher)
launcher.launch_service(ReadyService(), workers=2)
launcher.wait()
"""


def start_launcher(hook: str) -> processes.MinovaProcess:
    """The launcher with ``hook`` applied; returns once both workers logged "worker ready"."""
    env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    proc = processes.MinovaProcess([sys.executable, "-c", SCRIPT, hook], env=env,
                                   name="launcher-" + hook)
    try:
        # A worker that crashes at start is respawned forever: stop at the first.
        proc.log.wait_for(r"fake worker ready|Unhandled exception", timeout=15, count=2)
        crashed = proc.log.search(r"Unhandled exception")
    except TimeoutError:  # (LogEnded too: the script itself died)
        proc.terminate()
        raise
    if crashed:
        proc.terminate()
        raise AssertionError("a worker crashed at start:\n" + proc.logs(30))
    return proc
