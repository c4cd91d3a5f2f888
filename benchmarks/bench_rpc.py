"""create -> ACTIVE latency per transport, and casts/s on RabbitMQ (layer 6).

Usage::

    .venv/bin/python benchmarks/bench_rpc.py                 # every transport, N=20
    .venv/bin/python benchmarks/bench_rpc.py -n 50 -t filesystem sqla
    .venv/bin/python benchmarks/bench_rpc.py -t rabbit --casts 5000

Set-ups:
- ``memory``: API app, conductor and compute services in THIS process
  (memory:// only works inside one process); requests through webob.
- ``filesystem``, ``sqla``, ``rabbit``: minova-api (2 forked workers), two
  minova-conductor processes and one minova-compute, each a subprocess, over
  HTTP on 127.0.0.1. Each create is timed from sending the POST until a GET of
  the server says ACTIVE (polled every 5 ms). Then a burst of concurrent
  creates checks that every build was cast to compute exactly once although
  two conductors compete for the ``conductor`` queue.
- casts/s: ``RPCClient.cast`` of a small message vs. kombu's raw
  ``Producer.publish`` of the same envelope on the same broker (the peer).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
RABBIT = "rabbit://guest:guest@127.0.0.1:5672/"
URLS = {"filesystem": "filesystem://", "sqla": "sqla+sqlite:///", "rabbit": RABBIT}
TOKEN = "bench:benchproj"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _http(method, url, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={
        "X-Auth-Token": TOKEN, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            raw = resp.read()
            return resp.status, json.loads(raw) if raw else {}
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def _wait(condition, timeout=20.0, interval=0.005):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise RuntimeError("timed out")


def _create_and_wait_active(base: str, image_id: str, http=_http) -> float:
    start = time.perf_counter()
    status, body = http("POST", base + "/servers", {"server": {
        "name": "bench", "imageRef": image_id, "flavorRef": "1"}})
    assert status == 202, (status, body)
    server_url = base + "/servers/" + body["server"]["id"]
    _wait(lambda: http("GET", server_url)[1]["server"]["status"] == "ACTIVE")
    return time.perf_counter() - start


def _summary(name: str, samples: list[float]) -> None:
    samples = sorted(samples)
    print("%-11s create->ACTIVE  median %6.1f ms   min %6.1f   p90 %6.1f   (n=%d)" % (
        name, statistics.median(samples) * 1e3, samples[0] * 1e3,
        samples[int(len(samples) * 0.9) - 1] * 1e3, len(samples)))


def bench_memory(n: int) -> list[float]:
    """Everything in this process on memory://, requests through webob (no sockets)."""
    import webob
    from oslo_config import cfg

    from minova import config, rpc, service, wsgi
    tmp = tempfile.mkdtemp(prefix="bench-mem-")
    config.parse_args(["bench", "--config-file", _conf_file(tmp, "memory://")])
    svcs = [service.Service.create(binary="minova-compute", topic="compute"),
            service.Service.create(binary="minova-conductor", topic="conductor",
                                   manager=cfg.CONF.conductor.manager)]
    for svc in svcs:
        svc.start()
    app = wsgi.Loader().load_app("osapi_compute")

    def http(method, url, body=None):
        req = webob.Request.blank(url, method=method, headers={
            "X-Auth-Token": TOKEN, "Content-Type": "application/json"})
        if body is not None:
            req.body = json.dumps(body).encode()
        resp = req.get_response(app)
        return resp.status_int, json.loads(resp.body) if resp.body else {}

    try:
        image_id = http("GET", "http://localhost/v2.1/images")[1]["images"][0]["id"]
        return [_create_and_wait_active("http://localhost/v2.1", image_id, http)
                for _ in range(n)]
    finally:
        for svc in svcs:
            svc.stop()
        rpc.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)


def _conf_file(folder: str, url: str, port: int = 0) -> str:
    path = os.path.join(folder, "minova.conf")
    with open(path, "w") as f:
        f.write("[DEFAULT]\nstate_path = %s\ntransport_url = %s\nhost = benchhost\n"
                "osapi_compute_listen = 127.0.0.1\nosapi_compute_listen_port = %d\n"
                "osapi_compute_workers = 2\n" % (os.path.join(folder, "state"), url, port))
    return path


class _Processes:
    def __init__(self, folder: str, url: str):
        self.folder, self.port = folder, _free_port()
        self.conf = _conf_file(folder, url, self.port)
        self.procs: list[tuple[subprocess.Popen, str]] = []

    def start(self, module: str, name: str) -> None:
        log = os.path.join(self.folder, name + ".log")
        env = dict(os.environ, PYTHONPATH=str(REPO))
        with open(log, "wb") as out:
            proc = subprocess.Popen([sys.executable, "-m", module, "--config-file", self.conf],
                                    stdout=out, stderr=subprocess.STDOUT, env=env,
                                    start_new_session=True)
        self.procs.append((proc, log))

    def stop(self) -> None:
        for proc, _log in self.procs:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(proc.pid, signal.SIGKILL)

    def casts_per_uuid(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for _proc, log in self.procs:
            text = Path(log).read_text()
            for uuid in re.findall(r"Casting build_and_run_instance of (\S+)", text):
                counts[uuid] = counts.get(uuid, 0) + 1
        return counts


def bench_processes(name: str, n: int, burst: int) -> list[float]:
    procs = _Processes(tempfile.mkdtemp(prefix="bench-%s-" % name), URLS[name])
    if name == "rabbit":
        _purge_rabbit_queues()
    try:
        procs.start("minova.cmd.compute", "compute")
        procs.start("minova.cmd.conductor", "conductor1")
        procs.start("minova.cmd.conductor", "conductor2")
        procs.start("minova.cmd.api", "api")
        base = "http://127.0.0.1:%d/v2.1" % procs.port
        image_id = _wait(lambda: _try_images(base), timeout=30)
        time.sleep(1.0)  # let both conductors reach their consume loops
        _create_and_wait_active(base, image_id)  # warm-up: connections, imports
        samples = [_create_and_wait_active(base, image_id) for _ in range(n)]
        with concurrent.futures.ThreadPoolExecutor(burst) as pool:
            list(pool.map(lambda _: _create_and_wait_active(base, image_id), range(burst)))
        counts = procs.casts_per_uuid()
        dupes = {u: c for u, c in counts.items() if c != 1}
        print("%-11s %d builds over 2 conductors, each cast to compute exactly once: %s" % (
            name, len(counts), "yes" if not dupes and len(counts) == n + burst + 1 else dupes))
        return samples
    finally:
        procs.stop()
        shutil.rmtree(procs.folder, ignore_errors=True)


def _try_images(base: str):
    try:
        return _http("GET", base + "/images")[1]["images"][0]["id"]
    except (OSError, KeyError, IndexError):
        return None


def _purge_rabbit_queues() -> None:
    import kombu
    with kombu.Connection("amqp" + RABBIT[len("rabbit"):]) as conn:
        for name in ("conductor", "conductor.benchhost", "compute", "compute.benchhost"):
            try:
                kombu.Queue(name, channel=conn.default_channel).delete()
            except Exception:  # noqa: BLE001  (the queue may not exist yet)
                conn.default_channel  # noqa: B018


def bench_casts(count: int) -> None:
    """RPCClient.cast vs kombu's raw publish of the same envelope (RabbitMQ)."""
    import kombu
    from oslo_config import cfg

    from minova import context, messaging, rpc
    from minova.messaging.transport import pack_message, topic_queue
    cfg.CONF([], project="minova", default_config_files=[])
    cfg.CONF.set_override("transport_url", RABBIT)
    rpc.set_defaults("nova")
    rpc.init(cfg.CONF)
    ctxt = context.RequestContext("bench", "benchproj")
    client = rpc.get_client(messaging.Target(topic="bench_casts"))
    client.cast(ctxt, "noop", n=0)  # connect + declare outside the timing
    start = time.perf_counter()
    for i in range(count):
        client.cast(ctxt, "noop", n=i)
    minova_rate = count / (time.perf_counter() - start)

    queue = topic_queue("nova", "bench_casts")
    with kombu.Connection("amqp" + RABBIT[len("rabbit"):]) as conn:
        producer = conn.Producer(serializer="json")
        body = pack_message(ctxt.to_dict(), {"method": "noop", "args": {"n": 0}})
        producer.publish(body, exchange=queue.exchange, routing_key="bench_casts",
                         declare=[queue])
        start = time.perf_counter()
        for _ in range(count):
            producer.publish(body, exchange="nova", routing_key="bench_casts")
        raw_rate = count / (time.perf_counter() - start)
        queue(conn.default_channel).delete()
    rpc.cleanup()
    print("casts/s     minova RPCClient.cast %8.0f   kombu raw publish %8.0f   ratio %.2f" % (
        minova_rate, raw_rate, minova_rate / raw_rate))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20, help="creates per transport")
    parser.add_argument("--burst", type=int, default=10, help="concurrent creates at the end")
    parser.add_argument("--casts", type=int, default=5000, help="casts for the casts/s figure")
    parser.add_argument("-t", "--transports", nargs="+",
                        default=["memory", "filesystem", "sqla", "rabbit", "casts"])
    args = parser.parse_args()
    print("python %s, %d CPUs" % (sys.version.split()[0], os.cpu_count()))
    for name in args.transports:
        if name == "memory":
            _summary(name, bench_memory(args.n))
        elif name == "casts":
            bench_casts(args.casts)
        else:
            _summary(name, bench_processes(name, args.n, args.burst))


if __name__ == "__main__":
    main()
