"""Benchmark: minova.wsgi.Server (2 forked workers) against gunicorn gthread (2 workers).

Layer 2: notebooks/02_wsgi_server.ipynb

Not a test: it prints figures and ratios. Both servers serve the same WSGI
apps on 127.0.0.1 and wrk drives them:

* ``tiny``  a ~200-byte JSON version document (the server's own overhead),
* ``big``   an 8 KiB body (the "many small sends" trap shows here),
* ``paste`` ``GET /v2.1/`` through minova's real api-paste.ini pipeline
  (skipped when minova/etc/api-paste.ini does not load yet).

Every response carries ``X-Worker-Pid`` and ``X-Client-Port``; after each
timed wrk run, a short second run with a Lua script counts requests and
connections per worker pid, which shows how evenly the two forked workers
shared the load (the Lua hook is kept out of the timed run: on 2 CPUs it eats
the load generator's CPU).  Runs alternate the servers; figures
are medians.  Access logging is off for both (no log handler is configured).

Usage (from the repository root)::

    apt-get install -y wrk          # Debian/Ubuntu; macOS: brew install wrk
    .venv/bin/pip install gunicorn  # or: pip install -e '.[bench]'
    .venv/bin/python benchmarks/bench_wsgi_server.py            # 5 runs of 5 s each
    .venv/bin/python benchmarks/bench_wsgi_server.py --runs 3 --duration 3 --apps tiny

Internal entry point (what the benchmark spawns for minova)::

    python benchmarks/bench_wsgi_server.py serve --app tiny --port 8774 --workers 2
"""

from __future__ import annotations

import argparse
import gc
import http.client
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
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

VERSION_DOC = json.dumps({"version": {
    "id": "v2.1", "status": "CURRENT", "version": "2.1", "min_version": "2.1",
    "updated": "2013-07-23T11:33:21Z",
    "links": [{"rel": "self", "href": "http://127.0.0.1:8774/v2.1/"}],
    "media-types": [{"base": "application/json",
                     "type": "application/vnd.openstack.compute+json;version=2.1"}],
}}).encode()
BIG_BODY = json.dumps({"servers": [{"id": "%08d" % i, "name": "server-%d" % i,
                                    "links": []} for i in range(150)]}).encode()[:8192]
PATHS = {"tiny": "/", "big": "/", "paste": "/v2.1/"}


# --- the apps (importable by gunicorn as bench_wsgi_server:make_app("tiny")) ---

def _static_app(body: bytes):
    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "application/json"),
                                  ("Content-Length", str(len(body)))])
        return [body]
    return app


def _paste_app():
    from minova import config, wsgi
    config.parse_args(["bench"])   # as minova-api does: no config file, RPC transport set up
    return wsgi.Loader().load_app("osapi_compute")


def _with_worker_headers(app):
    """Add X-Worker-Pid and X-Client-Port, so wrk can count per worker and connection."""
    def wrapper(environ, start_response):
        def start(status, headers, exc_info=None):
            headers = list(headers) + [("X-Worker-Pid", str(os.getpid())),
                                       ("X-Client-Port", environ.get("REMOTE_PORT", ""))]
            return start_response(status, headers, exc_info)
        return app(environ, start)
    return wrapper


def make_app(kind: str):
    inner = {"tiny": lambda: _static_app(VERSION_DOC), "big": lambda: _static_app(BIG_BODY),
             "paste": _paste_app}[kind]()
    return _with_worker_headers(inner)


# --- minova's side: a minimal pre-fork harness ---------------------------------

def serve_minova(kind: str, port: int, workers: int) -> None:
    """Bind in the parent (minova.wsgi.Server.__init__), fork workers, each calls start()."""
    from minova import wsgi
    server = wsgi.Server("bench", make_app(kind), host="127.0.0.1", port=port)
    gc.freeze()   # as ProcessLauncher.launch_service does before it forks
    children = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:
            _minova_child(server)
        children.append(pid)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    for pid in children:
        os.kill(pid, signal.SIGTERM)
    for pid in children:
        os.waitpid(pid, 0)


def _minova_child(server) -> None:
    status = 1
    try:
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        server.start()
        stop.wait()
        server.stop()
        server.wait(5)
        status = 0
    finally:
        os._exit(status)


# --- the measuring side --------------------------------------------------------

LUA = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) pids = {}; conns = {} end
function response(status, headers, body)
  local p = headers["X-Worker-Pid"] or "?"
  pids[p] = (pids[p] or 0) + 1
  conns[p .. ":" .. (headers["X-Client-Port"] or "?")] = true
end
function done(summary, latency, requests)
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("pids")) do io.write(string.format("PIDREQ %s %d\n", k, v)) end
    for k, _ in pairs(t:get("conns")) do io.write(string.format("PIDCONN %s\n", k)) end
  end
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_command(server: str, kind: str, port: int, workers: int, threads: int) -> list[str]:
    if server == "minova":
        return [sys.executable, os.path.abspath(__file__), "serve", "--app", kind,
                "--port", str(port), "--workers", str(workers)]
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    return [gunicorn, "-k", "gthread", "-w", str(workers), "--threads", str(threads),
            "-b", "127.0.0.1:%d" % port, "--chdir", HERE, "--log-level", "warning",
            'bench_wsgi_server:make_app("%s")' % kind]


def first_200(port: int, path: str, deadline: float) -> bool:
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                conn.close()
                return True
        except OSError:
            pass
        time.sleep(0.005)
    return False


def worker_rss_mib(pid: int) -> list[float]:
    import psutil
    return [c.memory_info().rss / 2**20 for c in psutil.Process(pid).children()]


def parse_wrk(out: str) -> dict:
    def seconds(text):
        value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
        return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]
    reqs: dict[str, int] = {}
    conns: dict[str, int] = {}
    for pid, n in re.findall(r"^PIDREQ (\S+) (\d+)", out, re.MULTILINE):
        reqs[pid] = reqs.get(pid, 0) + int(n)
    for pid in re.findall(r"^PIDCONN ([^:\s]+):", out, re.MULTILINE):
        conns[pid] = conns.get(pid, 0) + 1
    errors = re.search(r"Socket errors: (.*)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p99": seconds(re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1)),
            "reqs_per_pid": sorted(reqs.values(), reverse=True),
            "conns_per_pid": sorted(conns.values(), reverse=True),
            "errors": (errors.group(1) if errors else "") + (
                " non-2xx: %s" % non2xx.group(1) if non2xx else "")}


def one_run(server: str, kind: str, args, lua_path: str) -> dict:
    port = free_port()
    cmd = server_command(server, kind, port, args.workers, args.gunicorn_threads)
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        if not first_200(port, PATHS[kind], started + 30):
            raise RuntimeError("%s did not answer: %s" % (server, proc.stderr.read(2000)))
        cold = time.monotonic() - started
        url = "http://127.0.0.1:%d%s" % (port, PATHS[kind])
        wrk = ["wrk", "-t%d" % args.threads, "-c%d" % args.connections, "--latency"]
        # Throughput and p99 without Lua: a Lua response() hook costs wrk so much
        # CPU on a small machine that it caps the faster server.
        out = subprocess.run(wrk + ["-d%ds" % args.duration, url],
                             capture_output=True, text=True, check=True).stdout
        result = parse_wrk(out)
        # Then a short run with the Lua counter for the split between workers.
        out = subprocess.run(wrk + ["-d2s", "-s", lua_path, url],
                             capture_output=True, text=True, check=True).stdout
        split = parse_wrk(out)
        result.update(reqs_per_pid=split["reqs_per_pid"], conns_per_pid=split["conns_per_pid"])
        result["cold"] = cold
        result["rss"] = worker_rss_mib(proc.pid)
        return result
    finally:
        stop(proc)


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM the server's process group; SIGKILL it if it is not gone in 10 s."""
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def share(counts: list[int]) -> str:
    total = sum(counts) or 1
    return "/".join("%d" % round(100 * c / total) for c in counts) + "%"


def report(kind: str, results: dict) -> None:
    med = {s: {k: statistics.median(r[k] for r in rs) for k in ("rps", "p99", "cold")}
           for s, rs in results.items()}
    print("\n== %s (GET %s) ==" % (kind, PATHS[kind]))
    print("%-9s %10s %9s %10s %11s  %-18s %-18s %s" % (
        "server", "req/s", "p99 ms", "cold s", "RSS/wkr MiB", "req split (runs)",
        "conn split (runs)", "errors"))
    for server, rs in results.items():
        rss = statistics.median(x for r in rs for x in r["rss"]) if rs[0]["rss"] else 0
        print("%-9s %10.0f %9.2f %10.3f %11.1f  %-18s %-18s %s" % (
            server, med[server]["rps"], med[server]["p99"] * 1e3, med[server]["cold"], rss,
            " ".join(share(r["reqs_per_pid"]) for r in rs[:3]),
            " ".join(share(r["conns_per_pid"]) for r in rs[:3]),
            ";".join(sorted({r["errors"] for r in rs if r["errors"]})) or "-"))
    if "minova" in med and "gunicorn" in med:
        m, g = med["minova"], med["gunicorn"]
        print("ratio minova/gunicorn: req/s %.2f   p99 %.2f   cold start %.2f" % (
            m["rps"] / g["rps"], m["p99"] / g["p99"], m["cold"] / g["cold"]))
    print("all runs req/s: " + "; ".join(
        "%s %s" % (s, " ".join("%.0f" % r["rps"] for r in rs)) for s, rs in results.items()))


def paste_app_loads() -> bool:
    try:
        _paste_app()
        return True
    except Exception as exc:  # noqa: BLE001  (any failure means "skip this scenario")
        print("skipping 'paste': minova's api-paste.ini does not load (%s)" % exc)
        return False


def bench(args) -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk not found: apt-get install -y wrk (Debian/Ubuntu) or brew install wrk")
    if not os.path.exists(os.path.join(os.path.dirname(sys.executable), "gunicorn")):
        sys.exit("gunicorn not found: %s -m pip install gunicorn" % sys.executable)
    print("wrk -t%d -c%d -d%ds --latency; %d workers each; gunicorn -k gthread --threads %d; "
          "%d runs, alternating; %d CPUs" % (args.threads, args.connections, args.duration,
                                             args.workers, args.gunicorn_threads, args.runs,
                                             os.cpu_count()))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(LUA)
    try:
        for kind in args.apps:
            if kind == "paste" and not paste_app_loads():
                continue
            results: dict[str, list] = {"minova": [], "gunicorn": []}
            for run in range(args.runs):
                order = ["minova", "gunicorn"] if run % 2 == 0 else ["gunicorn", "minova"]
                for server in order:
                    results[server].append(one_run(server, kind, args, f.name))
            report(kind, results)
    finally:
        os.unlink(f.name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="run minova's server (used by the benchmark)")
    serve.add_argument("--app", default="tiny", choices=sorted(PATHS))
    serve.add_argument("--port", type=int, required=True)
    serve.add_argument("--workers", type=int, default=2)
    parser.add_argument("--apps", nargs="+", default=["tiny", "big", "paste"],
                        choices=sorted(PATHS))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--gunicorn-threads", type=int, default=1,
                        help="gunicorn --threads (gthread's default is 1)")
    args = parser.parse_args()
    if args.command == "serve":
        serve_minova(args.app, args.port, args.workers)
    else:
        bench(args)


if __name__ == "__main__":
    main()
