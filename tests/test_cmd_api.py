"""Layer 1 end to end: the real ``minova-api`` console script, 2 workers, port 0, no config file."""

from __future__ import annotations

import http.client
import os
import pathlib
import re
import shutil
import signal
import sys

import pytest
from conftest import wait_until
from test_launcher_process import ProcessWatcher, is_alive

MINOVA_API = shutil.which("minova-api", path=os.path.dirname(sys.executable))
# Every log line starts with "<date> <time> <pid> <LEVEL> <logger>" (minova.cmd.api.LOG_FORMAT);
# the access-log line of a request names the worker that served it.
ACCESS_LINE = r"^\S+ \S+ (\d+) INFO \S+ 127\.0\.0\.1 \"GET %s HTTP/1\.1\" status: 200"


@pytest.fixture
def api():
    """Start ``minova-api`` on 127.0.0.1, port 0, N workers; kill everything left after the test."""
    started: list[ProcessWatcher] = []

    def _start(workers: int = 2, *extra: str) -> tuple[ProcessWatcher, int]:
        assert MINOVA_API, "minova-api is not installed: pip install -e ."
        proc = ProcessWatcher([MINOVA_API, "--osapi_compute_listen", "127.0.0.1",
                               "--osapi_compute_listen_port", "0",
                               "--osapi_compute_workers", str(workers), *extra])
        started.append(proc)
        (match,) = proc.wait_for(r"osapi_compute listening on 127\.0\.0\.1:(\d+)")
        wait_until(lambda: len(proc.children()) == workers, message="%d workers" % workers)
        return proc, int(match.group(1))

    yield _start
    for proc in started:
        proc.cleanup()


def get(port: int, path: str = "/") -> tuple[int, bytes]:
    """One request on a NEW connection (so any worker may accept it)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def serving_pids(proc: ProcessWatcher, path: str = "/") -> set[int]:
    return {int(m.group(1)) for m in proc.matches(ACCESS_LINE % re.escape(path))}


def test_minova_api_parent_binds_before_fork_and_logs_port(api):
    proc, port = api(workers=2)
    (listening,) = proc.matches(r"^\S+ \S+ (\d+) INFO .*osapi_compute listening on")
    assert int(listening.group(1)) == proc.pid  # the parent bound the socket
    status, body = get(port, "/")
    assert status == 200
    assert b'"versions"' in body


def test_minova_api_takes_api_paste_config_on_the_command_line(api, tmp_path):
    """Issue 12, item 13: ``--api_paste_config`` works as it does in a config file."""
    import minova
    packaged = pathlib.Path(minova.__file__).parent / "etc" / "api-paste.ini"
    ini = tmp_path / "my-paste.ini"
    ini.write_text(packaged.read_text().replace("[composite:osapi_compute]",
                                                "[composite:osapi_compute]\n/mine: openstack_compute_api_v2"))
    _proc, port = api(1, "--api_paste_config", str(ini))
    # /mine is the v2 pipeline: without a token its noauth middleware answers 204
    assert get(port, "/mine/")[0] == 204
    _proc, port = api(1)
    assert get(port, "/mine/")[0] == 300  # the packaged file: "/" (the version list) takes it


def test_minova_api_both_workers_serve(api):
    proc, port = api(workers=2)
    workers = set(proc.children())

    def two_workers_served():
        assert get(port)[0] == 200
        return serving_pids(proc) == workers

    wait_until(two_workers_served, timeout=20, message="requests served by both workers")


def test_minova_api_replaces_killed_worker_and_keeps_serving(api):
    proc, port = api(workers=2)
    victim, survivor = proc.children()
    os.kill(victim, signal.SIGKILL)
    proc.wait_for(r"Child %d killed by signal 9" % victim)
    children = wait_until(lambda: len(proc.children()) == 2 and victim not in proc.children()
                          and proc.children(), message="a replacement worker")
    (replacement,) = set(children) - {survivor}

    def replacement_served():
        assert get(port)[0] == 200
        return replacement in serving_pids(proc)

    wait_until(replacement_served, timeout=20, message="the new worker to serve")


def test_minova_api_sigterm_leaves_no_orphan(api):
    proc, port = api(workers=2)
    assert get(port)[0] == 200
    children = proc.children()
    os.kill(proc.pid, signal.SIGTERM)
    assert proc.popen.wait(15) == 0
    proc.wait_for(r"Caught SIGTERM, stopping children")
    for pid in children:
        assert not is_alive(pid)
    with pytest.raises(ConnectionRefusedError):
        get(port)


def test_minova_api_sighup_as_daemon_restarts_workers_in_place(api):
    # stdout is not a terminal, so minova-api counts as a daemon: SIGHUP reloads
    # the config and restarts each worker's server on the inherited socket.
    proc, port = api(workers=2)
    children = proc.children()
    os.kill(proc.pid, signal.SIGHUP)
    proc.wait_for(r"Caught SIGHUP, stopping children")
    for pid in children:
        proc.wait_for(r"^\S+ \S+ %d INFO .* Child caught SIGHUP, exiting" % pid)
        # Once each old accept loop has ended, a new connection waits in the
        # shared listen backlog until a restarted worker accepts it.
        proc.wait_for(r"^\S+ \S+ %d INFO minova.wsgi WSGI server has stopped" % pid)
    assert get(port, "/v2.1/")[0] == 200
    assert proc.children() == children
