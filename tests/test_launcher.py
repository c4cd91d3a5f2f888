"""Layer 1 in-process: ThreadGroup, Service, Services, Launcher, ServiceLauncher (no fork here)."""

from __future__ import annotations

import logging
import threading

import pytest
from conftest import wait_until
from oslo_config import cfg

from minova.openstack.common import service, threadgroup


class FakeService:
    """The duck type the launchers expect: start/stop/wait/reset and backdoor_port."""

    def __init__(self):
        self.calls: list[str] = []
        self.start_thread = None
        self.started = threading.Event()
        self.backdoor_port = "unset"

    def start(self):
        self.calls.append("start")
        self.start_thread = threading.current_thread()
        self.started.set()

    def stop(self):
        self.calls.append("stop")

    def wait(self):
        self.calls.append("wait")

    def reset(self):
        self.calls.append("reset")


def test_threadgroup_add_thread_runs_callback_and_wait_joins():
    tg = threadgroup.ThreadGroup()
    seen = []
    thread = tg.add_thread(seen.append, 42)
    tg.wait()
    assert seen == [42]
    assert thread.done()
    wait_until(lambda: tg.threads == [], message="finished thread left the group")


def test_threadgroup_pool_size_bounds_concurrent_threads():
    tg = threadgroup.ThreadGroup(thread_pool_size=2)
    go = threading.Event()
    lock = threading.Lock()
    state = {"active": 0, "max": 0, "ran": 0}

    def work():
        with lock:
            state["active"] += 1
            state["max"] = max(state["max"], state["active"])
        go.wait(10)
        with lock:
            state["active"] -= 1
            state["ran"] += 1

    adder = threading.Thread(target=lambda: [tg.add_thread(work) for _ in range(4)])
    adder.start()
    try:
        wait_until(lambda: state["active"] == 2, message="two threads running")
        # The pool is full, so the third add_thread is still blocked.
        assert adder.is_alive()
        assert len(tg.threads) == 2
    finally:
        go.set()
        adder.join(10)
    tg.wait()
    assert state == {"active": 0, "max": 2, "ran": 4}


def test_threadgroup_timer_repeats_until_stopped():
    tg = threadgroup.ThreadGroup()
    ticks = []
    tg.add_timer(0.005, ticks.append, None, "tick")
    wait_until(lambda: len(ticks) >= 3, message="three timer ticks")
    tg.stop()
    tg.wait()
    count = len(ticks)
    assert tg.timers == []
    assert ticks[:3] == ["tick"] * 3
    assert len(ticks) == count  # the timer thread has ended


def test_threadgroup_thread_exception_is_logged(caplog):
    tg = threadgroup.ThreadGroup()
    with caplog.at_level(logging.ERROR, logger="minova.openstack.common.threadgroup"):
        tg.add_thread(lambda: 1 / 0)
        tg.wait()
    assert "ZeroDivisionError" in caplog.text
    wait_until(lambda: tg.threads == [], message="failed thread left the group")


def test_service_stop_stops_timers_and_releases_wait():
    svc = service.Service()
    ticks = []
    svc.tg.add_timer(0.005, ticks.append, None, 1)
    wait_until(lambda: ticks, message="a tick")
    waiter = threading.Thread(target=svc.wait)
    waiter.start()
    svc.stop()
    waiter.join(5)
    assert not waiter.is_alive()
    assert svc.tg.timers == []


def test_services_add_starts_service_in_its_own_thread():
    services = service.Services()
    fake = FakeService()
    services.add(fake)
    assert fake.started.wait(5)
    assert fake.start_thread is not threading.current_thread()
    # run_service keeps its thread until ``done``; stop() ends it.
    assert len(services.tg.threads) == 1
    services.stop()
    services.wait()
    assert fake.calls == ["start", "stop", "wait"]
    assert services.done.is_set()
    assert services.tg.threads == []


def test_services_stop_waits_for_a_start_still_running():
    services = service.Services()
    fake = FakeService()
    release = threading.Event()
    in_start = threading.Event()

    def slow_start():
        in_start.set()
        release.wait(10)
        fake.calls.append("start")

    fake.start = slow_start
    services.add(fake)
    assert in_start.wait(5)
    stopper = threading.Thread(target=services.stop)
    stopper.start()
    stopper.join(0.2)
    try:
        assert stopper.is_alive(), "stop() must not stop a service whose start() runs"
        assert fake.calls == []
    finally:
        release.set()
        stopper.join(5)
    assert fake.calls == ["start", "stop", "wait"]


def test_launcher_launch_service_stop_and_wait():
    launcher = service.Launcher()
    fake = FakeService()
    launcher.launch_service(fake)
    assert fake.backdoor_port is None
    assert fake.started.wait(5)
    launcher.stop()
    launcher.wait()  # returns: run_service threads have ended
    assert fake.calls == ["start", "stop", "wait"]


def test_launcher_restart_reloads_config_and_restarts_services(monkeypatch):
    reloads = []
    monkeypatch.setattr(cfg.CONF, "reload_config_files", lambda: reloads.append(1))
    launcher = service.Launcher()
    fake = FakeService()
    launcher.launch_service(fake)
    assert fake.started.wait(5)
    fake.started.clear()
    launcher.restart()
    assert fake.started.wait(5)
    assert reloads == [1]
    assert fake.calls == ["start", "stop", "wait", "reset", "start"]
    launcher.stop()
    launcher.wait()


def test_launch_with_one_worker_uses_service_launcher():
    fake = FakeService()
    launcher = service.launch(fake, workers=1)
    try:
        assert type(launcher) is service.ServiceLauncher
        assert fake.started.wait(5)
    finally:
        launcher.stop()
        launcher.wait()


def test_signal_exit_is_system_exit_with_status_1():
    exc = service.SignalExit(15)
    assert isinstance(exc, SystemExit)
    assert (exc.code, exc.signo) == (1, 15)


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGINT", "SIGHUP"])
def test_signo_to_signame_knows_the_three_signals(signame):
    import signal
    assert service._signo_to_signame(getattr(signal, signame)) == signame


def test_is_daemon_true_without_terminal(monkeypatch):
    import io
    monkeypatch.setattr("sys.stdout", io.StringIO())  # no fileno: like a daemon
    assert service._is_daemon() is True
    assert service._is_sighup_and_daemon(15) is False
