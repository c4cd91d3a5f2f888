"""Benchmark: ``GET /v2.1/servers/detail`` under minova's server and the servers a user would pick.

Layers 2 and 5: notebooks/02_wsgi_server.ipynb, notebooks/05_resource_dispatch.ipynb

Not a test: it prints figures and ratios, and writes them (a table and a bar
chart) into benchmarks/results/.  One command, one run:

* the same app object, ``bench_api:make_app()`` (the packaged paste pipeline,
  SQLite with 10 servers), served with 2 workers by each server below, on
  127.0.0.1, driven by ``wrk -t2 -c32 --latency``; the servers alternate run by
  run (each run in a new order) and the figures are medians over the runs:

  ========== ==========================================================
  minova     minova's ``wsgi.Server``, 2 forked workers (bench_api.py serve)
  gthread-1  gunicorn ``-k gthread --threads 1`` (gthread's default)
  gthread-8  gunicorn ``-k gthread --threads 8``
  sync       gunicorn ``-k sync``
  uwsgi      uWSGI's ``--http`` router, 2 processes x 4 threads, keep-alive,
             64 KiB buffer (``--http11-socket`` would leave connections unaccepted)
  eventlet   ``eventlet.wsgi.server``, Juno's model: monkey-patch, listen, fork
             2 workers, each serving the socket from a GreenPool(1000)
  waitress   waitress, one process (it does not fork), 8 threads
  ========== ==========================================================

  For each: req/s, p50, p99, socket errors and timeouts, server CPU per
  request (user + system of the server's whole process tree, from /proc,
  across the wrk run) and the ratio of minova's req/s to it.  A peer that is
  not installed is skipped with a line saying so.
* cold start: spawn to the first 200 of each run (above), minova's median;
* in process: the full request against a plain paste + routes + webob stack
  of the same shape (bench_api.py inproc), CPU µs per request and the ratio.

Usage (from the repository root)::

    apt-get install -y wrk
    .venv/bin/pip install -e '.[bench]' uwsgi waitress eventlet
    .venv/bin/python benchmarks/bench_peers.py                  # ~4 minutes
    .venv/bin/python benchmarks/bench_peers.py --runs 1 --servers minova sync

Internal entry point (what the benchmark spawns for eventlet)::

    python benchmarks/bench_peers.py serve-eventlet --port 8774 --workers 2
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RESULTS = os.path.join(HERE, "results")
sys.path.insert(0, ROOT)
sys.path.insert(0, HERE)

import bench_api  # noqa: E402  (the app, its seed data and the in-process timing)
import bench_wsgi_server as harness  # noqa: E402  (free_port, first_200)

BIN = os.path.dirname(sys.executable)
SERVERS = ["minova", "gthread-1", "gthread-8", "sync", "uwsgi", "eventlet", "waitress"]
LABELS = {
    "minova": "minova wsgi.Server, 2 workers",
    "gthread-1": "gunicorn gthread --threads 1",
    "gthread-8": "gunicorn gthread --threads 8",
    "sync": "gunicorn sync",
    "uwsgi": "uwsgi --http router, 2x4",
    "eventlet": "eventlet.wsgi, 2 forked workers",
    "waitress": "waitress, 1 process x 8 threads",
}


def missing(server: str) -> str | None:
    """Why ``server`` cannot run here, or None."""
    need = {"gthread-1": "gunicorn", "gthread-8": "gunicorn", "sync": "gunicorn",
            "uwsgi": "uwsgi", "waitress": "waitress-serve"}.get(server)
    if need and not os.path.exists(os.path.join(BIN, need)):
        return "%s is not installed (%s -m pip install %s)" % (
            need, sys.executable, need.split("-")[0])
    if server == "eventlet" and importlib.util.find_spec("eventlet") is None:
        return "eventlet is not installed (%s -m pip install eventlet)" % sys.executable
    return None


def command(server: str, port: int, workers: int) -> list[str]:
    bind = "127.0.0.1:%d" % port
    if server == "minova":
        return bench_api.server_command("minova", "detail", port, workers, 1)
    if server.startswith("gthread") or server == "sync":
        kind = ["-k", "sync"] if server == "sync" else [
            "-k", "gthread", "--threads", server.split("-")[1]]
        return [os.path.join(BIN, "gunicorn"), *kind, "-w", str(workers), "-b", bind,
                "--chdir", HERE, "--log-level", "warning", "bench_api:make_app()"]
    if server == "uwsgi":
        return [os.path.join(BIN, "uwsgi"), "--http", bind, "--http-keepalive",
                "--buffer-size", "65536", "--master", "--processes", str(workers),
                "--threads", "4", "--eval", "import bench_api; application = bench_api.make_app()",
                "--disable-logging", "--die-on-term", "--need-app", "--lazy-apps"]
    if server == "eventlet":
        return [sys.executable, os.path.abspath(__file__), "serve-eventlet",
                "--port", str(port), "--workers", str(workers)]
    if server == "waitress":
        return [os.path.join(BIN, "waitress-serve"), "--listen", bind, "--threads", "8",
                "--call", "bench_api:make_app"]
    raise ValueError(server)


def serve_eventlet(port: int, workers: int) -> None:
    """Juno's model: monkey-patch first, listen, fork, eventlet.wsgi.server in each worker."""
    import warnings
    warnings.simplefilter("ignore")
    import eventlet
    import eventlet.wsgi
    eventlet.monkey_patch(os=False)            # nova/cmd/__init__.py:45
    eventlet.wsgi.MAX_HEADER_LINE = 16384      # nova/wsgi.py Server.__init__
    sock = eventlet.listen(("127.0.0.1", port), backlog=128)
    app = bench_api.make_app()
    children = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
            eventlet.wsgi.server(sock, app, custom_pool=eventlet.GreenPool(1000),
                                 log=open(os.devnull, "w"), debug=False)
            os._exit(0)
        children.append(pid)

    def stop(*_):
        for pid in children:
            os.kill(pid, signal.SIGTERM)
        for pid in children:
            os.waitpid(pid, 0)
        os._exit(0)
    signal.signal(signal.SIGTERM, stop)
    while True:
        eventlet.sleep(3600)


# --- one run --------------------------------------------------------------------

def tree_cpu(pid: int) -> float:
    """User + system CPU seconds of a process and its live descendants (psutil reads /proc)."""
    import psutil
    total = 0.0
    try:
        procs = [psutil.Process(pid)]
        procs += procs[0].children(recursive=True)
    except psutil.NoSuchProcess:
        return 0.0
    for proc in procs:
        try:
            times = proc.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def parse_wrk(out: str) -> dict:
    def seconds(label):
        found = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s|m)" % label, out, re.MULTILINE)
        value, unit = found.groups()
        return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       out)
    connect, read, write, timeout = map(int, errors.groups()) if errors else (0, 0, 0, 0)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "p50": seconds("50"), "p99": seconds("99"),
            "errors": connect + read + write + (int(non2xx.group(1)) if non2xx else 0),
            "timeouts": timeout}


def one_run(server: str, args) -> dict:
    port = harness.free_port()
    load = os.getloadavg()[0]
    started = time.monotonic()
    proc = subprocess.Popen(command(server, port, args.workers), cwd=HERE,
                            start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE,
                            env=dict(os.environ, PYTHONPATH=os.pathsep.join([HERE, ROOT])))
    try:
        if not harness.first_200(port, bench_api.PATH, started + 30):
            raise RuntimeError("%s did not answer: %s" % (server, proc.stderr.read()[-3000:]))
        cold = time.monotonic() - started
        url = "http://127.0.0.1:%d%s" % (port, bench_api.PATH)
        # A short warm-up, so every server's workers have their engine and caches.
        subprocess.run(["wrk", "-t1", "-c4", "-d1s", url], capture_output=True,
                       timeout=30, check=True)
        cpu = tree_cpu(proc.pid)
        out = subprocess.run(["wrk", "-t%d" % args.threads, "-c%d" % args.connections,
                              "-d%ds" % args.duration, "--latency", url],
                             capture_output=True, text=True, timeout=args.duration + 60,
                             check=True).stdout
        cpu = tree_cpu(proc.pid) - cpu
        result = parse_wrk(out)
        result.update(cold=cold, load=load,
                      cpu_us=cpu / max(result["requests"], 1) * 1e6)
        return result
    finally:
        harness.stop(proc)


# --- the report -----------------------------------------------------------------

def medians(runs: list[dict]) -> dict:
    med = {key: statistics.median(r[key] for r in runs)
           for key in ("rps", "p50", "p99", "cpu_us", "cold")}
    med["errors"] = sum(r["errors"] for r in runs)
    med["timeouts"] = sum(r["timeouts"] for r in runs)
    return med


def table(results: dict, args) -> list[str]:
    med = {server: medians(runs) for server, runs in results.items()}
    base = med.get("minova")
    lines = ["| server | req/s | p50 ms | p99 ms | errors | timeouts | server CPU µs/req "
             "| cold start s | minova req/s ÷ it | minova p99 ÷ it |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for server, m in med.items():
        ratio = ("**%.2f**" % (base["rps"] / m["rps"]) if base and server != "minova" else "")
        p99 = ("%.2f" % (base["p99"] / m["p99"]) if base and server != "minova" else "")
        name = "**%s**" % LABELS[server] if server == "minova" else LABELS[server]
        lines.append("| %s | %.0f | %.1f | %.1f | %d | %d | %.0f | %.2f | %s | %s |" % (
            name, m["rps"], m["p50"] * 1e3, m["p99"] * 1e3, m["errors"], m["timeouts"],
            m["cpu_us"], m["cold"], ratio, p99))
    return lines


def chart_svg(results: dict) -> str:
    """Two horizontal bar charts side by side: req/s and p99 per server (plain SVG, no library)."""
    med = {server: medians(runs) for server, runs in results.items()}
    servers = list(med)
    row, top, label_w, bar_w = 26, 40, 230, 300
    height = top + row * len(servers) + 20
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="sans-serif" font-size="12">' % (label_w + 2 * (bar_w + 80), height),
           '<rect width="100%" height="100%" fill="white"/>']
    for panel, (key, title, scale, unit) in enumerate((
            ("rps", "requests/s (higher is better)", 1, "%.0f"),
            ("p99", "p99 latency, ms (lower is better)", 1e3, "%.1f"))):
        x0 = label_w + panel * (bar_w + 80)
        top_value = max(m[key] * scale for m in med.values()) or 1
        out.append('<text x="%d" y="20" font-weight="bold">%s</text>' % (x0, title))
        for i, server in enumerate(servers):
            y = top + i * row
            value = med[server][key] * scale
            width = max(1, int(bar_w * value / top_value))
            color = "#d62728" if server == "minova" else "#1f77b4"
            if panel == 0:
                out.append('<text x="%d" y="%d" text-anchor="end">%s</text>'
                           % (label_w - 8, y + 15, LABELS[server]))
            out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>'
                       % (x0, y + 3, width, row - 8, color))
            out.append('<text x="%d" y="%d">%s</text>' % (x0 + width + 4, y + 15,
                                                          unit % value))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def machine() -> str:
    return "%s, %d CPUs, Python %s" % (platform.platform(terse=True), os.cpu_count(),
                                       platform.python_version())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", default="bench", choices=["bench",
                                                                         "serve-eventlet"])
    parser.add_argument("--servers", nargs="+", default=SERVERS, choices=SERVERS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int)
    parser.add_argument("--iterations", type=int, default=300,
                        help="in-process requests per round")
    parser.add_argument("--no-inproc", action="store_true")
    parser.add_argument("--no-write", action="store_true",
                        help="print only; leave benchmarks/results/ alone")
    args = parser.parse_args()
    if args.command == "serve-eventlet":  # spawned by one_run, inherits MINOVA_BENCH_CONFIG
        serve_eventlet(args.port, args.workers)
        return
    if not shutil.which("wrk"):
        sys.exit("wrk not found: apt-get install -y wrk (Debian/Ubuntu) or brew install wrk")
    servers = []
    for server in args.servers:
        why = missing(server)
        if why:
            print("skipping %s: %s" % (server, why), flush=True)
        else:
            servers.append(server)
    started = time.monotonic()
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    with tempfile.TemporaryDirectory(prefix="minova-bench-") as state_path:
        os.environ[bench_api.CONF_ENV] = bench_api.write_config(state_path)
        from minova import config
        config.parse_args(["bench_peers", "--config-file", os.environ[bench_api.CONF_ENV]])
        bench_api.seed_servers()
        results: dict[str, list] = {server: [] for server in servers}
        for run in range(args.runs):
            # Each run in another order (rotated), so no server always follows the same one.
            order = servers[run % len(servers):] + servers[:run % len(servers)]
            if run % 2:
                order.reverse()
            for server in order:
                r = one_run(server, args)
                results[server].append(r)
                print("run %d/%d %-10s %7.0f req/s  p50 %6.1f ms  p99 %6.1f ms  errors %d "
                      "timeouts %d  CPU %4.0f us/req  cold %.2f s  load %.1f" % (
                          run + 1, args.runs, server, r["rps"], r["p50"] * 1e3,
                          r["p99"] * 1e3, r["errors"], r["timeouts"], r["cpu_us"],
                          r["cold"], r["load"]), flush=True)
        inproc = None if args.no_inproc else bench_api.measure_inproc(args.iterations)
    loads = [r["load"] for runs in results.values() for r in runs]
    lines = ["# GET %s, %d servers: minova against its peers" % (bench_api.PATH,
                                                                 bench_api.SERVERS),
             "",
             "Measured %s on %s; load average %.1f-%.1f during the runs (1-minute, "
             "other jobs included)." % (when, machine(), min(loads, default=0),
                                        max(loads, default=0)),
             "`wrk -t%d -c%d -d%ds --latency`, %d workers each, %d alternating runs, medians "
             "(errors and timeouts: totals over the runs)." % (
                 args.threads, args.connections, args.duration, args.workers, args.runs),
             ""] + table(results, args)
    if inproc:
        lines += ["", "In process (no socket), CPU µs per request, medians of rounds:", "",
                  "| | CPU µs | × peer |", "|---|---|---|"]
        for label, cpu in inproc["rows"]:
            lines.append("| %s | %.0f | %.2f |" % (label, cpu, cpu / inproc["peer"]))
    lines += ["", "Took %.0f s." % (time.monotonic() - started)]
    print("\n" + "\n".join(lines))
    if not args.no_write:
        os.makedirs(RESULTS, exist_ok=True)
        with open(os.path.join(RESULTS, "peers.md"), "w") as f:
            f.write("\n".join(lines) + "\n")
        with open(os.path.join(RESULTS, "peers.svg"), "w") as f:
            f.write(chart_svg(results))
        with open(os.path.join(RESULTS, "peers.json"), "w") as f:
            json.dump({"date": when, "machine": machine(), "args": vars(args),
                       "runs": results, "inproc": inproc}, f, indent=1)
        print("wrote %s/peers.md, peers.svg, peers.json" % os.path.relpath(RESULTS, ROOT))


if __name__ == "__main__":
    main()
