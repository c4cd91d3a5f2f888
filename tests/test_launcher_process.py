"""Layer 1 for real: ProcessLauncher and ServiceLauncher in a subprocess (pytest itself never forks).

Every launcher runs in its own session, so a test can signal the whole process
group (Ctrl-C) and the fixture can always SIGKILL whatever is left.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading

import psutil
import pytest
from conftest import wait_until

# A tiny program: a launcher around minova's base Service, whose start() logs
# "worker ready" (or, in "crash" mode, kills its worker at once).
LAUNCHER_SCRIPT = r"""
import logging, os, sys, time
logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                    format="%(process)d %(levelname)s %(name)s %(message)s")
from oslo_config import cfg
from minova.openstack.common import service
cfg.CONF([], project="minova", default_config_files=[])  # as minova-api's parse_args does
mode, workers = sys.argv[1], int(sys.argv[2])

class ReadyService(service.Service):
    def start(self):
        if mode == "slow":
            logging.getLogger("fake").info("worker starting")
            time.sleep(0.5)
        logging.getLogger("fake").info("worker ready")
        if mode == "crash":
            os._exit(3)

    def stop(self):
        logging.getLogger("fake").info("worker stopped")
        super().stop()

if mode == "single":
    import signal, threading
    launcher = service.ServiceLauncher()
    launcher.launch_service(ReadyService())

    def report_handlers():
        # ServiceLauncher installs its handlers in wait(), as Juno's did, so "worker
        # ready" (logged from the service's thread) can come first: say when they are in.
        while signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):
            time.sleep(0.01)
        logging.getLogger("fake").info("signal handlers installed")
    threading.Thread(target=report_handlers, daemon=True).start()
    sys.exit(launcher.wait())
launcher = service.ProcessLauncher()
launcher.launch_service(ReadyService(), workers=workers)
launcher.wait()
"""


class ProcessWatcher:
    """A subprocess in its own session, with its stderr lines collected by a reader thread."""

    def __init__(self, argv: list[str], env: dict | None = None):
        self.popen = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                      text=True, start_new_session=True, env=env)
        self.pid = self.popen.pid
        self.lines: list[str] = []
        self.seen_pids = {self.pid}
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.popen.stderr:
            self.lines.append(line.rstrip("\n"))

    def matches(self, pattern: str) -> list[re.Match]:
        rx = re.compile(pattern)
        return [m for m in (rx.search(line) for line in list(self.lines)) if m]

    def wait_for(self, pattern: str, count: int = 1, timeout: float = 10.0) -> list[re.Match]:
        try:
            return wait_until(lambda: len(self.matches(pattern)) >= count
                              and self.matches(pattern), timeout, message="%d x %r" % (count, pattern))
        except AssertionError as exc:
            raise AssertionError("%s; output so far:\n%s"
                                 % (exc, "\n".join(self.lines[-40:]))) from None

    def children(self) -> list[int]:
        try:
            pids = [c.pid for c in psutil.Process(self.pid).children()]
        except psutil.NoSuchProcess:
            return []
        self.seen_pids.update(pids)
        return sorted(pids)

    def cleanup(self) -> None:
        """Stop the launcher (SIGTERM: it reaps its own workers), then SIGKILL anything left."""
        if self.popen.poll() is None:
            os.kill(self.pid, signal.SIGTERM)
            try:
                self.popen.wait(10)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        for pid in self.seen_pids:
            if is_alive(pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self.popen.wait(10)
        self._reader.join(5)
        self.popen.stderr.close()


def is_alive(pid: int) -> bool:
    """True while ``pid`` runs; a zombie (waiting to be reaped by init) counts as gone."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.fixture
def spawn():
    started: list[ProcessWatcher] = []

    def _spawn(argv: list[str], env: dict | None = None) -> ProcessWatcher:
        proc = ProcessWatcher(argv, env)
        started.append(proc)
        return proc

    yield _spawn
    for proc in started:
        proc.cleanup()


@pytest.fixture
def launcher(spawn):
    """Start the launcher script: ``launcher(mode, workers)``, ready when every worker logged."""
    def _start(mode: str = "process", workers: int = 2) -> ProcessWatcher:
        proc = spawn([sys.executable, "-c", LAUNCHER_SCRIPT, mode, str(workers)])
        if mode not in ("crash", "slow"):
            proc.wait_for(r"fake worker ready", count=workers)
        return proc
    return _start


def ready_pids(proc: ProcessWatcher) -> set[int]:
    return {int(m.group(1)) for m in proc.matches(r"^(\d+) INFO fake worker ready")}


def test_process_launcher_forks_requested_workers(launcher):
    proc = launcher(workers=2)
    children = wait_until(lambda: len(proc.children()) == 2 and proc.children())
    assert set(children) == ready_pids(proc)
    started = {int(m.group(1)) for m in proc.matches(r"Started child (\d+)")}
    assert started == set(children)
    assert proc.matches(r"^%d INFO .* Starting 2 workers" % proc.pid)


def test_process_launcher_respawns_killed_worker(launcher):
    proc = launcher(workers=2)
    victim, survivor = proc.children()
    os.kill(victim, signal.SIGKILL)
    proc.wait_for(r"Child %d killed by signal 9" % victim)
    children = wait_until(lambda: len(proc.children()) == 2 and victim not in proc.children()
                          and proc.children(), message="a replacement worker")
    assert survivor in children
    (replacement,) = set(children) - {survivor}
    proc.wait_for(r"^%d INFO fake worker ready" % replacement)


def test_process_launcher_sigterm_stops_parent_and_all_children(launcher):
    proc = launcher(workers=2)
    children = proc.children()
    os.kill(proc.pid, signal.SIGTERM)
    assert proc.popen.wait(10) == 0
    proc.wait_for(r"Caught SIGTERM, stopping children")
    for pid in children:
        assert proc.matches(r"^%d INFO .* Child caught SIGTERM, exiting" % pid)
        assert proc.matches(r"Child %d exited with status 1" % pid)
        assert not is_alive(pid)


def ignored_signals(pid: int) -> set[int]:
    """Signals whose disposition is SIG_IGN in ``pid`` (Linux: the SigIgn mask in /proc)."""
    with open("/proc/%d/status" % pid) as f:
        mask = int(next(line for line in f if line.startswith("SigIgn:")).split()[1], 16)
    return {signo for signo in range(1, 64) if mask & (1 << (signo - 1))}


def test_process_launcher_ctrl_c_children_ignore_sigint_parent_stops_them(launcher):
    proc = launcher(workers=2)
    children = proc.children()
    for pid in children:
        assert signal.SIGINT in ignored_signals(pid)
    assert signal.SIGINT not in ignored_signals(proc.pid)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    assert proc.popen.wait(10) == 0
    assert proc.matches(r"Caught SIGINT, stopping children")
    # The workers did not die of SIGINT: they were stopped by the parent's SIGTERM.
    for pid in children:
        assert proc.matches(r"^%d INFO .* Child caught SIGTERM, exiting" % pid)
        assert not is_alive(pid)


def test_process_launcher_child_exits_when_parent_dies(launcher):
    proc = launcher(workers=2)
    children = proc.children()
    os.kill(proc.pid, signal.SIGKILL)
    proc.popen.wait(10)
    for pid in children:
        proc.wait_for(r"^%d INFO .* Parent process has died unexpectedly, exiting" % pid)
        wait_until(lambda pid=pid: not is_alive(pid), message="orphan %d to exit" % pid)


def test_process_launcher_throttles_workers_that_die_at_once(launcher):
    proc = launcher("crash", workers=2)
    proc.wait_for(r"exited with status 3", count=2)
    proc.wait_for(r"Forking too fast, sleeping")
    os.kill(proc.pid, signal.SIGTERM)
    assert proc.popen.wait(10) == 0
    # At most one fork a second after the first burst: never a tight fork loop.
    assert len(proc.matches(r"Started child")) < 10


def test_process_launcher_sighup_as_daemon_restarts_workers_in_place(launcher):
    # stderr/stdout are pipes, so _is_daemon() is true: SIGHUP means "reload".
    proc = launcher(workers=2)
    children = proc.children()
    os.kill(proc.pid, signal.SIGHUP)
    proc.wait_for(r"Caught SIGHUP, stopping children")
    for pid in children:
        proc.wait_for(r"^%d INFO .* Child caught SIGHUP, exiting" % pid)
    proc.wait_for(r"fake worker ready", count=4)  # each worker started its service again
    assert proc.children() == children  # same processes, no respawn
    assert proc.popen.poll() is None
    os.kill(proc.pid, signal.SIGTERM)
    assert proc.popen.wait(10) == 0


def test_service_launcher_exits_on_sigterm(launcher):
    proc = launcher("single", workers=1)
    assert proc.children() == []  # single process: no fork
    proc.wait_for(r"signal handlers installed")  # before that, SIGTERM's default would kill it
    os.kill(proc.pid, signal.SIGTERM)
    assert proc.popen.wait(10) == 1  # SignalExit's status
    proc.wait_for(r"Caught SIGTERM, exiting")


def test_process_launcher_sigterm_during_slow_start_stops_cleanly(launcher):
    proc = launcher("slow", workers=2)
    proc.wait_for(r"fake worker starting", count=2)
    children = proc.children()
    os.kill(proc.pid, signal.SIGTERM)  # while each worker is still inside start()
    assert proc.popen.wait(10) == 0
    assert not proc.matches(r"Unhandled exception")
    for pid in children:
        assert proc.matches(r"Child %d exited with status 1" % pid)
        lines = [line for line in proc.lines if line.startswith("%d " % pid)]
        ready = lines.index("%d INFO fake worker ready" % pid)
        assert lines.index("%d INFO fake worker stopped" % pid) > ready
