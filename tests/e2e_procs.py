"""Helpers for tests that run minova's commands as real subprocesses (layer 6 and clients).

Every process starts in its own session and is killed with its whole process
group at teardown, so no forked worker outlives a test.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from conftest import wait_until

REPO = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent


def write_conf(path: Path, sections: dict[str, dict[str, object]]) -> Path:
    """Write an oslo.config ini file: ``{"DEFAULT": {...}, "conductor": {...}}``.

    The identity stand-in of minova-all gets a free port unless the test names one
    (its default, 5000, may be in use by the learner's own minova-all).
    """
    sections = dict(sections)
    sections["DEFAULT"] = {"identity_listen_port": 0, **sections.get("DEFAULT", {})}
    lines = []
    for section, values in sections.items():
        lines.append("[%s]" % section)
        lines.extend("%s = %s" % (key, value) for key, value in values.items())
        lines.append("")
    path.write_text("\n".join(lines))
    return path


class Procs:
    """Start ``python -m minova.cmd.<name> --config-file ...``; stop them all at the end."""

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.started: list[tuple[subprocess.Popen, Path]] = []

    def start(self, module: str, conf_file: Path, *args: str,
              env: dict | None = None) -> subprocess.Popen:
        log = self.tmp_path / ("%s-%s.log" % (module.rpartition(".")[2], uuid.uuid4().hex[:6]))
        full_env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), str(TESTS)]),
                        **(env or {}))
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", module, "--config-file", str(conf_file), *args],
                stdout=out, stderr=subprocess.STDOUT, env=full_env, cwd=str(self.tmp_path),
                start_new_session=True)
        self.started.append((proc, log))
        return proc

    def kill(self, proc: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 10) -> None:
        """Signal the leader only (a launcher stops its own workers), then wait."""
        try:
            os.kill(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)

    def stop_all(self) -> None:
        for proc, _log in self.started:
            self.kill(proc)
            try:  # forked workers of a launcher share its process group
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def wait_until(self, condition, timeout: float = 20, message: str = "condition"):
        """conftest.wait_until, with the processes' logs in the failure message."""
        try:
            return wait_until(condition, timeout=timeout, message=message)
        except AssertionError as exc:
            raise AssertionError("%s\n%s" % (exc, self.logs())) from None

    def logs(self) -> str:
        return "\n".join("--- %s\n%s" % (log.name, log.read_text(errors="replace")[-4000:])
                         for _proc, log in self.started if log.exists())


def http(method: str, url: str, body: dict | None = None,
         token: str = "alice:proj1") -> tuple[int, object, dict]:
    """One JSON request with a noauth token; returns (status, headers, parsed body)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={
        "X-Auth-Token": token, "Content-Type": "application/json",
        "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
            return response.status, response.headers, json.loads(raw) if raw else {}
    except urllib.error.HTTPError as exc:
        raw = exc.read()
        return exc.code, exc.headers, json.loads(raw) if raw else {}


def delete_queues(rabbit_url: str, names) -> None:
    """Remove a test's own queues from the shared broker."""
    import kombu
    with kombu.Connection("amqp" + rabbit_url[len("rabbit"):]) as conn:
        for name in names:
            kombu.Queue(name, channel=conn.default_channel).delete()


def topic_queues(suffix: str) -> list[str]:
    """The queues of per-test topics ``compute_<suffix>``/``conductor_<suffix>`` on host_<suffix>."""
    return [name for topic in ("compute_", "conductor_")
            for name in (topic + suffix, "%s%s.host_%s" % (topic, suffix, suffix))]


def api_up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):
            return True
    except urllib.error.HTTPError:
        return True  # it answered
    except OSError:
        return False
