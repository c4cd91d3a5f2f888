"""Benchmark: ``GET /v2.1/servers/detail`` with 10 servers, in-process and over HTTP.

Layers 4-5: notebooks/04_router.ipynb, notebooks/05_resource_dispatch.ipynb

Not a test: it prints figures.

1. ``inproc``: µs per request through the full paste pipeline (URLMap,
   request id, faultwrap, sizelimit, noauth, router, Resource, servers
   controller, SQLite), built with ``webob.Request.blank(...).get_response(app)``
   on the packaged api-paste.ini; then the same with ``compute.api.API.get_all``
   answering from a list fetched once (no database), and the database query
   alone.  Target: <= 250 µs per request.  For scale, the same run times the
   issue's yardstick ("a paste+routes+webob stack of this shape costs about
   210 µs without a database"): ``peer_app``, the same layers written plainly
   with a controller that only encodes a ready-made body, and prints ratios.
2. ``http``: requests/s of the same request with 2 workers, minova's
   ``wsgi.Server`` against gunicorn gthread, driven by wrk.  Reuses the
   harness of benchmarks/bench_wsgi_server.py (server start, wrk, report).

Every request carries ``X-Auth-Token: bench:bench`` (the http apps add it when
missing, so wrk and the readiness probe need no header option).

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_api.py inproc
    .venv/bin/python benchmarks/bench_api.py http --runs 3 --duration 5   # needs wrk, gunicorn
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)
sys.path.insert(0, HERE)

PATH = "/v2.1/servers/detail"
TOKEN = "bench:bench"
SERVERS = 10
CONF_ENV = "MINOVA_BENCH_CONFIG"


def write_config(state_path: str) -> str:
    """A minova.conf pointing state_path (SQLite file, message folders) at a temp dir."""
    path = os.path.join(state_path, "minova.conf")
    with open(path, "w") as f:
        f.write("[DEFAULT]\nstate_path = %s\n" % state_path)
    return path


def load_app():
    """As minova-api does: parse the config (RPC transport included), load osapi_compute."""
    from minova import config, wsgi
    config.parse_args(["bench_api", "--config-file", os.environ[CONF_ENV]])
    return wsgi.Loader().load_app("osapi_compute")


def seed_servers(n: int = SERVERS) -> None:
    """n ACTIVE servers of project 'bench', with a host and an address, as after a build."""
    from minova import context
    from minova.db import api as db
    from minova.db.sqlalchemy import api as sqla
    ctxt = context.get_admin_context()
    for i in range(n):
        db.instance_create(ctxt, {
            "uuid": str(uuid.uuid4()), "project_id": "bench", "user_id": "bench",
            "display_name": "server-%d" % i, "image_ref": "155d900f-4e14-4e4c-a73d-069cbf4541e6",
            "flavor_id": "1", "vm_state": "active", "task_state": None, "power_state": 1,
            "host": "compute-1", "node": "compute-1", "availability_zone": "nova",
            "security_groups": ["default"], "metadata_": {},
            "addresses": {"private": [{"addr": "10.0.0.%d" % (i + 2), "version": 4}]}})
    sqla.dispose_engine()  # forked workers must not share the parent's connections


# --- 1. in-process ---------------------------------------------------------------

ROUNDS = 20


def time_requests(app, iterations: int) -> tuple[float, float, float]:
    """(wall, CPU, best wall) µs per request: medians over ROUNDS rounds, and the fastest round.

    The environ is emptied after each request, as minova's server does (it
    breaks the reference cycles routes and webob leave in it), for both apps.
    CPU time (``time.process_time``) is the fairer figure on a busy machine:
    it does not count the time other processes held the CPU.  The fastest
    round is the least disturbed one (``timeit`` reports the minimum for the
    same reason).
    """
    import webob
    walls, cpus = [], []
    for _ in range(ROUNDS):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(iterations):
            req = webob.Request.blank(PATH, headers={"X-Auth-Token": TOKEN})
            resp = req.get_response(app)
            req.environ.clear()  # as minova's HttpConnection does once the answer is sent
        walls.append((time.perf_counter() - wall) / iterations * 1e6)
        cpus.append((time.process_time() - cpu) / iterations * 1e6)
        assert resp.status_int == 200 and len(resp.json["servers"]) == SERVERS, resp.text
    return statistics.median(walls), statistics.median(cpus), min(walls)


def peer_app(body: dict):
    """The yardstick: minova's layers as plain paste + routes + webob, doing no work.

    paste URLMap → request-id filter → fault catcher → size check → noauth
    (sets a context, returns the next app) → router (``RoutesMiddleware`` over
    a mapper with the same resources, with and without ``{project_id}``) →
    wsgify dispatcher → controller that ``json.dumps`` a ready-made body, the
    same bytes minova answers.  No database, no view building, no microversions.
    """
    import json

    import paste.urlmap
    import routes
    import routes.middleware
    import webob
    import webob.dec

    class RequestId:
        def __init__(self, app):
            self.app = app

        @webob.dec.wsgify
        def __call__(self, req):
            req.environ["openstack.request_id"] = "req-%s" % uuid.uuid4()
            resp = req.get_response(self.app)
            resp.headers["x-openstack-request-id"] = req.environ["openstack.request_id"]
            return resp

    class FaultCatcher(RequestId):
        @webob.dec.wsgify
        def __call__(self, req):
            try:
                return req.get_response(self.app)
            except Exception:
                return webob.Response(status=500)

    class SizeLimit(RequestId):
        @webob.dec.wsgify
        def __call__(self, req):
            if (req.content_length or 0) > 114688:
                return webob.Response(status=413)
            return req.get_response(self.app)

    class NoAuth(RequestId):
        @webob.dec.wsgify
        def __call__(self, req):
            user, _sep, project = req.headers["X-Auth-Token"].partition(":")
            req.environ["nova.context"] = (user, project)
            return self.app

    @webob.dec.wsgify
    def controller(req):
        return webob.Response(body=json.dumps(body).encode(), content_type="application/json")

    @webob.dec.wsgify
    def dispatch(req):
        return req.environ["wsgiorg.routing_args"][1]["controller"]

    mapper = routes.Mapper()
    for prefix in ("{project_id}/", ""):
        mapper.resource("server", "servers", controller=controller, path_prefix=prefix,
                        collection={"detail": "GET"}, member={"action": "POST"})
        for member, collection in (("image", "images"), ("flavor", "flavors")):
            mapper.resource(member, collection, controller=controller, path_prefix=prefix,
                            collection={"detail": "GET"})
    router = routes.middleware.RoutesMiddleware(dispatch, mapper)

    @webob.dec.wsgify
    def router_app(req):
        return router

    urlmap = paste.urlmap.URLMap()
    urlmap["/v2.1"] = RequestId(FaultCatcher(SizeLimit(NoAuth(router_app))))
    return urlmap


def time_db_query(iterations: int) -> tuple[float, float, float]:
    """As ``time_requests``, for the database call the servers controller makes."""
    from minova import context
    from minova.db import api as db
    ctxt = context.RequestContext("bench", "bench")
    walls, cpus = [], []
    for _ in range(ROUNDS):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(iterations):
            db.instance_get_all_by_filters(ctxt, {"project_id": "bench"}, limit=1000)
        walls.append((time.perf_counter() - wall) / iterations * 1e6)
        cpus.append((time.process_time() - cpu) / iterations * 1e6)
    return statistics.median(walls), statistics.median(cpus), min(walls)


def measure_inproc(iterations: int) -> dict:
    """Time the four cases (each a (wall, CPU, best wall) µs triple); needs seed_servers() first."""
    import webob

    from minova import context
    from minova.compute import api as compute_api
    load = os.getloadavg()[0]
    app = load_app()
    time_requests(app, 20)  # warm up: imports, engine, caches
    with_db = time_requests(app, iterations)
    rows = compute_api.API().get_all(context.RequestContext("bench", "bench"), {})
    real_get_all = compute_api.API.get_all
    compute_api.API.get_all = lambda self, *a, **k: rows  # everything but the database
    try:
        without_db = time_requests(app, iterations)
        body = webob.Request.blank(PATH, headers={"X-Auth-Token": TOKEN}).get_response(app).json
    finally:
        compute_api.API.get_all = real_get_all
    db_only = time_db_query(iterations)
    peer = peer_app(body)
    time_requests(peer, 20)
    stack_only = time_requests(peer, iterations)
    cases = (("full pipeline, SQLite", with_db), ("full pipeline, no DB", without_db),
             ("DB query alone (10 rows)", db_only), ("peer: paste+routes+webob", stack_only))
    return {"cases": cases, "load": (load, os.getloadavg()[0]), "peer": stack_only[1],
            "rows": [(label, cpu) for label, (_wall, cpu, _best) in cases]}


def bench_inproc(args) -> None:
    measured = measure_inproc(args.iterations)
    print("GET %s, %d servers, %d requests x %d rounds, Python %s, %d CPUs"
          % (PATH, SERVERS, args.iterations, ROUNDS, sys.version.split()[0], os.cpu_count()))
    print("load average before: %.2f, after: %.2f" % measured["load"])
    print("                             median of rounds    fastest   CPU / peer")
    print("                              wall us   CPU us    wall us")
    for label, (wall, cpu, best) in measured["cases"]:
        print("  %-26s %8.1f %8.1f   %8.1f   %5.2fx"
              % (label, wall, cpu, best, cpu / measured["peer"]))
    print("target: full pipeline <= 2x the peer (issue 13)")


# --- 2. over HTTP, 2 workers, against gunicorn ------------------------------------

def make_app():
    """The app both servers run (gunicorn: ``bench_api:make_app()``)."""
    import bench_wsgi_server as harness
    inner = load_app()

    def with_token(environ, start_response):
        environ.setdefault("HTTP_X_AUTH_TOKEN", TOKEN)
        return inner(environ, start_response)
    return harness._with_worker_headers(with_token)


def server_command(server, kind, port, workers, threads):
    """The harness's server_command, pointed at this file's app."""
    if server == "minova":
        return [sys.executable, os.path.abspath(__file__), "serve",
                "--port", str(port), "--workers", str(workers)]
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    return [gunicorn, "-k", "gthread", "-w", str(workers), "--threads", str(threads),
            "-b", "127.0.0.1:%d" % port, "--chdir", HERE, "--log-level", "warning",
            "bench_api:make_app()"]


def bench_http(args) -> None:
    import bench_wsgi_server as harness
    # Reuse the layer-2 harness as it is: only the app, its path and the command differ.
    harness.PATHS["detail"] = PATH
    harness.server_command = server_command
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(harness.LUA)
    try:
        results = {"minova": [], "gunicorn": []}
        for run in range(args.runs):
            order = ["minova", "gunicorn"] if run % 2 == 0 else ["gunicorn", "minova"]
            for server in order:
                results[server].append(harness.one_run(server, "detail", args, f.name))
        print("wrk -t%d -c%d -d%ds; %d workers each; gunicorn gthread --threads %d; %d runs"
              % (args.threads, args.connections, args.duration, args.workers,
                 args.gunicorn_threads, args.runs))
        harness.report("detail", results)
    finally:
        os.unlink(f.name)


def serve(args) -> None:
    import bench_wsgi_server as harness
    harness.make_app = lambda kind: make_app()
    harness.serve_minova("detail", args.port, args.workers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["inproc", "http", "serve"])
    parser.add_argument("--iterations", type=int, default=500, help="requests per round")
    parser.add_argument("--port", type=int)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--gunicorn-threads", type=int, default=1)
    args = parser.parse_args()
    if args.command == "serve":  # spawned by bench_http, inherits MINOVA_BENCH_CONFIG
        serve(args)
        return
    with tempfile.TemporaryDirectory(prefix="minova-bench-") as state_path:
        os.environ[CONF_ENV] = write_config(state_path)
        from minova import config
        config.parse_args(["bench_api", "--config-file", os.environ[CONF_ENV]])
        seed_servers()
        if args.command == "inproc":
            bench_inproc(args)
        else:
            bench_http(args)


if __name__ == "__main__":
    main()
