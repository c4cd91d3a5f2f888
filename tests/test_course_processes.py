"""minova.course.processes: minova-api as a watched subprocess, for the launcher notebook."""

from __future__ import annotations

import os
import signal
import threading

import psutil
import pytest
from conftest import wait_until

from minova.course import processes


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.fixture(scope="module")
def api():
    """One 2-worker minova-api (with stack dumps) for the tests that only look."""
    proc = processes.start_api(workers=2, stacks=True)
    try:
        yield proc
    finally:
        proc.terminate()


@pytest.fixture
def fresh_api():
    proc = processes.start_api(workers=2)
    try:
        yield proc
    finally:
        proc.terminate()


def test_log_buffer_keeps_last_lines_and_waits_only_for_new_ones():
    log = processes.LogBuffer(maxlen=3)
    for n in range(5):
        log.append("line %d" % n)
    assert log.lines() == ["line 2", "line 3", "line 4"]
    mark = log.mark()
    with pytest.raises(TimeoutError, match="line 4"):
        log.wait_for(r"line \d", timeout=0.05, since=mark)
    threading.Timer(0.05, log.append, ["line 5"]).start()
    assert log.wait_for(r"line (\d)", timeout=5, since=mark)[0].group(1) == "5"


def test_start_api_parses_port_of_the_parents_socket(api):
    assert api.running() and api.port
    (listening,) = api.log.search(r"^\S+ \S+ (\d+) INFO .* listening on 127\.0\.0\.1:(\d+)")
    assert (int(listening.group(1)), int(listening.group(2))) == (api.pid, api.port)
    assert api.port_open()


def test_process_tree_shows_parent_and_workers_on_one_socket(api):
    table = api.process_tree()
    assert [(row.role, row.ppid == api.pid) for row in table] == [
        ("parent", False), ("worker", True), ("worker", True)]
    assert {row.listening for row in table} == {"127.0.0.1:%d" % api.port}
    assert [row.pid for row in table[1:]] == api.workers()
    assert "worker" in str(table) and "RSS MB" in str(table)


def test_request_names_the_worker_that_served_it(api):
    replies = [api.request("/") for _ in range(6)]
    assert {r.status for r in replies} == {200}
    assert {r.worker for r in replies} <= set(api.workers())
    assert b'"versions"' in replies[0].body


def test_dump_stacks_shows_the_fork_path_in_a_worker(api):
    stacks = api.dump_stacks(api.workers()[0])
    main = stacks[stacks.index("thread MainThread"):]
    for step in ("main()", "ProcessLauncher.launch_service()", "ProcessLauncher._start_child()",
                 "Launcher.wait()"):
        assert step in main, stacks
    assert "Services.run_service()" in stacks and "thread pipe_watcher" in stacks
    assert "_start_child" not in api.dump_stacks(api.pid)  # the parent never returns there


def test_kill_worker_refuses_a_pid_that_is_not_a_worker(api):
    with pytest.raises(ValueError, match="not a worker"):
        api.kill_worker(os.getpid())


def test_kill_worker_is_seen_dying_and_respawned(fresh_api):
    victim = fresh_api.kill_worker()
    fresh_api.log.wait_for(r"Child %d killed by signal 9" % victim)
    (started,) = fresh_api.log.wait_for(r"Started child (\d+)", count=3)[2:]
    workers = fresh_api.wait_workers(2, exclude=[victim])
    assert int(started.group(1)) in workers
    assert fresh_api.request("/").status == 200


def test_worker_panel_lists_workers_and_its_kill_button_works(fresh_api):
    panel = processes.worker_panel(fresh_api)
    assert sorted(panel.kill_buttons) == fresh_api.workers()
    victim = min(panel.kill_buttons)
    panel.kill_buttons[victim].click()
    assert victim not in panel.kill_buttons and len(panel.kill_buttons) == 2
    assert "killed by signal 9" in fresh_api.logs(20)
    # the picture redrew too (issue 14): the dead worker, and the one that replaced it
    if panel.picture.value:  # empty without graphviz's dot
        assert panel.picture.value.startswith("<svg") and "<title>process_tree" in panel.picture.value
        assert "pid %d" % victim in panel.picture.value and "respawned as" in panel.picture.value
        for pid in panel.kill_buttons:
            assert "pid %d" % pid in panel.picture.value


def test_worker_panel_after_run_all_starts_and_stops_an_api_of_its_own(fresh_api):
    """Issue 12 item 11: after Run All the notebook's API is gone; the panel offers its own."""
    fresh_api.terminate()
    panel = processes.worker_panel(fresh_api)
    assert panel.kill_buttons == {} and "has been stopped" in panel.children[0].value
    assert panel.start_button.layout.display != "none"
    assert panel.stop_button.layout.display == "none"
    panel.start_button.click()
    own = panel.proc
    try:
        assert own is not fresh_api and own.running() and own in processes.running()
        assert sorted(panel.kill_buttons) == own.workers() and len(own.workers()) == 2
        assert panel.start_button.layout.display == "none"
        assert panel.stop_button.layout.display != "none"
        victim = min(panel.kill_buttons)
        panel.kill_buttons[victim].click()
        assert victim not in panel.kill_buttons and len(panel.kill_buttons) == 2
        pids = [own.pid] + own.workers()
        panel.stop_button.click()
        assert not own.running() and own not in processes.running()
        assert not any(alive(pid) for pid in pids)
        assert panel.start_button.layout.display != "none" and panel.kill_buttons == {}
    finally:
        own.terminate()


def test_worker_panel_redraws_itself_when_workers_change_or_the_api_exits(fresh_api):
    """Run All stops the API after the panel was drawn: the panel must not show a stale state."""
    panel = processes.worker_panel(fresh_api)
    victim = fresh_api.kill_worker()  # from outside the panel, as the notebook's cells do
    wait_until(lambda: victim not in panel.kill_buttons and len(panel.kill_buttons) == 2,
               message="the panel drops the killed worker and shows its replacement")
    fresh_api.terminate()
    wait_until(lambda: "has been stopped" in panel.children[0].value, timeout=5,
               message="the panel says its API has been stopped")
    assert panel.kill_buttons == {} and panel.start_button.layout.display != "none"
    wait_until(lambda: not any(t.name.startswith("worker-panel-watch-")
                               for t in threading.enumerate()), message="the watcher ends")


def test_worker_panel_shows_why_it_could_not_start_an_api(monkeypatch):
    def refuse(workers):
        raise TimeoutError("no listening line")
    monkeypatch.setattr(processes, "start_api", refuse)
    panel = processes.worker_panel()
    assert "no minova-api yet" in panel.children[0].value
    panel.start_button.click()
    assert "could not start" in panel.children[0].value and panel.proc is None


def test_worker_panel_never_stops_an_api_it_did_not_start(fresh_api):
    panel = processes.worker_panel(fresh_api)
    assert panel.stop_button.layout.display == "none"
    panel.stop_button.click()  # hidden, and harmless if clicked anyway
    assert fresh_api.running()


def test_terminate_leaves_no_process_and_closes_the_port(fresh_api):
    pids = [fresh_api.pid] + fresh_api.workers()
    assert fresh_api.terminate() == 0
    assert not any(alive(pid) for pid in pids)
    assert not fresh_api.port_open()
    assert fresh_api.log.search(r"Caught SIGTERM, stopping children")
    assert fresh_api not in processes.running()
    assert fresh_api.terminate() == 0  # twice is harmless


def test_terminate_kills_the_group_when_sigterm_is_not_enough():
    proc = processes.start_api(workers=2)
    pids = [proc.pid] + proc.workers()
    os.kill(proc.pid, signal.SIGSTOP)  # a stopped parent cannot handle SIGTERM
    try:
        assert proc.terminate(timeout=0.5) == -signal.SIGKILL
    finally:
        proc.terminate()
    wait_until(lambda: not any(alive(pid) for pid in pids), message="all killed")


def test_stop_all_stops_every_process_started():
    first, second = processes.start_api(workers=1), processes.start_api(workers=1)
    pids = [first.pid, second.pid] + first.workers() + second.workers()
    # (it also stops the module's shared ``api``, if still running: terminate twice is harmless)
    assert {first.pid, second.pid} <= set(processes.stop_all())
    assert processes.running() == []
    wait_until(lambda: not any(alive(pid) for pid in pids), message="all stopped")
