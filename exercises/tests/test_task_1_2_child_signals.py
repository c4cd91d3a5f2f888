"""Task 1.2: install_child_handlers() gives a process the worker's signal policy.

First in this process (handlers saved and restored, the handler called
directly), then with real signals in subprocesses, then inside the workers of
a real ProcessLauncher (pytest itself never forks).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from layer1_launcher_script import ROOT, start_launcher

from exercises._target import load
from minova.openstack.common.service import SignalExit

child_signals = load("child_signals")

WAITER = r"""
import signal, sys, time
from exercises._target import load
from minova.openstack.common.service import SignalExit
load("child_signals").install_child_handlers()
try:  # "ready" inside the try: a SIGTERM right after it must land in the except
    print("ready", flush=True)
    while True:
        time.sleep(0.05)
except SignalExit as exc:
    back_to_default = signal.getsignal(exc.signo) == signal.SIG_DFL
    print("SignalExit", int(exc.signo), exc.code, back_to_default, flush=True)
    sys.exit(7)
"""


@pytest.fixture
def saved_handlers():
    signos = [signal.SIGTERM, signal.SIGINT, signal.SIGHUP]
    saved = {s: signal.getsignal(s) for s in signos}
    try:
        yield
    finally:
        for signo, handler in saved.items():
            signal.signal(signo, handler)


def test_install_child_handlers_sets_the_policy(saved_handlers):
    child_signals.install_child_handlers()
    assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    for signo in (signal.SIGTERM, signal.SIGHUP):
        handler = signal.getsignal(signo)
        assert callable(handler), "no Python handler for %s" % signal.Signals(signo).name
        with pytest.raises(SignalExit) as caught:
            handler(signo, None)  # as Python would call it
        assert (caught.value.signo, caught.value.code) == (signo, 1)
        assert signal.getsignal(signo) == signal.SIG_DFL, "a second signal must kill outright"


def run_waiter():
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    proc = subprocess.Popen([sys.executable, "-c", WAITER], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
    assert proc.stdout.readline().strip() == "ready", proc.communicate(timeout=10)
    return proc


def ignored_signals(pid: int) -> set[int]:
    with open("/proc/%d/status" % pid) as f:
        mask = next(int(line.split()[1], 16) for line in f if line.startswith("SigIgn:"))
    return {n for n in range(1, 65) if mask & (1 << (n - 1))}


@pytest.mark.parametrize("signo", [signal.SIGTERM, signal.SIGHUP])
def test_worker_ignores_sigint_and_leaves_by_signal_exit(signo):
    proc = run_waiter()
    try:
        assert signal.SIGINT in ignored_signals(proc.pid)
        os.kill(proc.pid, signal.SIGINT)   # ignored: nothing happens
        os.kill(proc.pid, signo)
        out, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
        proc.communicate()
    assert out.split() == ["SignalExit", str(int(signo)), "1", "True"], (proc.returncode, err)
    assert proc.returncode == 7


def test_ctrl_c_in_a_real_launcher_stops_workers_through_the_parent():
    proc = start_launcher("child_signals")
    try:
        workers = proc.workers()
        assert len(workers) == 2
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        assert proc.popen.wait(15) == 0
        proc.log.wait_for(r"Caught SIGINT, stopping children")
        for pid in workers:
            proc.log.wait_for(r"^%d INFO .* Child caught SIGTERM, exiting" % pid)
            proc.log.wait_for(r"Child %d exited with status 1" % pid)
    finally:
        proc.terminate()
