"""Task 1.3: SIGUSR1 to the launcher logs its worker table, and changes nothing else.

First in this process (a fake launcher, the handler saved and restored), then
against a real ProcessLauncher in a subprocess (pytest itself never forks).
"""

from __future__ import annotations

import logging
import os
import signal
import time
import types

import pytest
from layer1_launcher_script import start_launcher

from exercises._target import load
from minova.openstack.common import service

worker_report = load("worker_report")


class EchoService(service.Service):
    pass


@pytest.fixture
def saved_sigusr1():
    saved = signal.getsignal(signal.SIGUSR1)
    try:
        yield
    finally:
        signal.signal(signal.SIGUSR1, saved)


def test_install_worker_report_logs_the_children_on_sigusr1(saved_sigusr1, caplog):
    wrap = service.ServiceWrapper(EchoService(), workers=2)
    launcher = types.SimpleNamespace(children={202: wrap, 101: wrap}, running=True)
    worker_report.install_worker_report(launcher)
    with caplog.at_level(logging.INFO):
        signal.raise_signal(signal.SIGUSR1)
    messages = [r.getMessage() for r in caplog.records]
    assert messages == ["Worker report: 2 workers", "worker 101: EchoService",
                        "worker 202: EchoService"]
    assert all(r.levelno == logging.INFO for r in caplog.records)
    assert launcher.running is True and sorted(launcher.children) == [101, 202]


def report_of(proc, count: int) -> list[int]:
    """SIGUSR1 until the report counts ``count`` workers; their pids.

    The launcher logs "Started child" and a forked worker may log "ready" a moment
    before the parent has put the pid in its table (Juno's order, service.py:300-302),
    so the first report can come too early: ask again.
    """
    for _attempt in range(50):
        since = proc.log.mark()
        proc.send_signal(signal.SIGUSR1)
        (header,) = proc.log.wait_for(r"Worker report: (\d+) workers", since=since)
        if int(header.group(1)) == count:
            matches = proc.log.wait_for(r"^%d INFO \S+ worker (\d+): ReadyService" % proc.pid,
                                        since=since, count=count)
            return [int(m.group(1)) for m in matches]
        time.sleep(0.1)
    raise AssertionError("the report never counted %d workers:\n%s" % (count, proc.logs(30)))


def test_sigusr1_to_a_real_launcher_reports_its_current_workers():
    proc = start_launcher("worker_report")
    try:
        assert report_of(proc, 2) == proc.workers()

        victim = proc.kill_worker()  # the report must follow the respawn
        proc.log.wait_for(r"Child %d killed by signal 9" % victim)
        proc.wait_workers(2, exclude=[victim])
        assert report_of(proc, 2) == proc.workers()

        os.kill(proc.pid, signal.SIGTERM)  # still an ordinary launcher
        assert proc.popen.wait(15) == 0
    finally:
        proc.terminate()
