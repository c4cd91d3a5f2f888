"""Your minova: the real stack with your solved exercises plugged into it (``./course mine``).

Not a nova mirror: a teaching helper. Some exercises rebuild a function that the
running package has too (``seam`` in exercises/tasks.toml). ``./course mine``
runs the tests of those tasks against your files; every solution that passes is
plugged in where the package's own function lives, and ``minova-all`` starts with
it: real forks, real sockets, the broker-less bus. ``--check`` then drives it
with openstacksdk (versions, flavors, images, create -> ACTIVE, show, reboot,
delete) and reports, per seam, how many calls your code served.

The package's modules never know: plugging replaces attributes before
``minova-all`` builds anything, and every forked worker inherits the change.
Each call is counted in a small file per process; a solution that raises is
written down with the task id and your traceback, and the request gets nova's
usual fault (500 ``computeFault``) instead of taking the stack down.

``run_here(task_id)`` is the layer notebooks' last cell: the same plug for one
task, one request through the stack in the kernel's own process (layer 1's
worker forks, so it runs in a subprocess), and the call tree with your function
marked ``>>``; unplugged again afterwards.
"""

from __future__ import annotations

import argparse
import functools
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass

from minova.course import checker

ENV_PLUG = "MINOVA_MINE_PLUG"        # task ids to plug in, comma-separated
ENV_TARGET = "MINOVA_EXERCISES_TARGET"
ENV_DIR = "MINOVA_MINE_DIR"          # where each process writes its call counts and errors


# --- adapters: your function, in the package's signature --------------------------------

def _adapt_child_signals(mine, original):
    """1.2 ``install_child_handlers()`` is ``ProcessLauncher._child_process_handle_signal``."""
    def _child_process_handle_signal(self):
        mine.install_child_handlers()
    return _child_process_handle_signal


def _adapt_keep_alive(mine, original):
    """2.2 ``serve_connection(conn, app, address)`` is ``Server._serve_connection``.

    Every connection a worker accepts is served by your loop: reading each request,
    the environ, the app's call and the response (the package's access log is not
    there). Your loop cannot tell a waiting connection from a busy one, so the
    server may close it at any time it stops (or runs out of threads), and after
    ``idle_timeout`` seconds of silence, as it closes its own idle connections.
    """
    import socket

    def _serve_connection(self, conn, address):
        try:
            if not self._mark_idle(conn, True):  # "closable": the server is stopping
                return
            if conn.family in (socket.AF_INET, socket.AF_INET6):
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn.settimeout(self.idle_timeout)
            mine.serve_connection(conn, self.app, address)
        except (TimeoutError, ConnectionError):
            pass  # the client went quiet or away: nothing to answer
        except Exception:
            # Below nova's FaultWrapper: answer the fault it would have sent, then close.
            body = (b'{"computeFault": {"code": 500, "message": "Exercise 2.2 raised'
                    b' (see ./course mine\'s report)"}}')
            try:
                conn.sendall(b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: "
                             b"application/json\r\nContent-Length: %d\r\nConnection: close"
                             b"\r\n\r\n%s" % (len(body), body))
            except OSError:
                pass
        finally:
            self._mark_busy(conn)  # forget it
            conn.close()
    return _serve_connection


def _adapt_urlmap_match(mine, original):
    """3.1 ``match(mounts, path_info)`` is ``URLMap._match(host, port, path_info)``.

    Your function picks the mount. One rule is minova's, not Juno's (a NOVA-DIFF
    taken from nova master): a ``/v2.1/+`` mount claims what has something after
    ``/v2.1/``; it is applied to what your ``match`` returns.
    """
    def _match(self, host, port, path_info):
        plain, wild = {}, {}
        for (domain, app_url), app in self.applications:
            if domain and domain != host and domain != host + ":" + port:
                continue
            if app_url.endswith("/+"):
                wild[app_url[:-2]] = app
            else:
                plain[app_url or "/"] = app
        found = mine.match(plain, path_info)
        if not found:
            return None, None
        app, script_name, rest = found
        if rest not in ("", "/") and script_name in wild:
            return wild[script_name], script_name
        return app, script_name
    return _match


def _adapt_dispatch(mine, original):
    """4.1 ``dispatch(req)`` is ``APIRouter._dispatch`` (what RoutesMiddleware calls).

    When your dispatch answers 404 (no route), the package still turns that into
    nova's JSON 404, or 405 with ``Allow`` (a NOVA-DIFF; Juno sent webob's page).
    """
    import webob.dec
    import webob.exc

    from minova.api.openstack import wsgi

    package_dispatch = original.__func__ if isinstance(original, staticmethod) else original

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def _dispatch(req):
        result = mine.dispatch(req)
        if isinstance(result, webob.exc.HTTPNotFound):
            return package_dispatch(req)
        return result
    return staticmethod(_dispatch)


def _adapt_get_method(mine, original):
    """5.1 ``find_method(controller, action, body)`` is ``Resource._get_method``'s method half."""
    from minova import exception
    from minova.api.openstack import wsgi

    def _get_method(self, request, action, content_type, body):
        if self.controller is None:  # a Resource serving itself (the version document)
            return original(self, request, action, content_type, body)
        if action == "action" and wsgi._MEDIA_TYPE_MAP.get(content_type) not in self.action_peek:
            raise exception.InvalidContentType(content_type=content_type)
        meth = mine.find_method(self.controller, action, body)
        # The package's _get_method also returns the controller extensions of that
        # method (Juno: (meth, extensions)); your find_method is the method half.
        try:
            _meth, extensions = original(self, request, action, content_type, body)
        except Exception:
            extensions = []
        return meth, extensions
    return _get_method


def _adapt_envelope(mine, original):
    """6.1 ``make_envelope(ctxt, method, args, namespace, version)`` is a cast's ``pack_message``.

    Calls and replies carry more (``_msg_id``, ``_reply_q``, ``result``): the
    package packs those.
    """
    import json

    from minova.messaging import transport

    def primitive(value):  # what oslo's jsonutils.to_primitive does first (datetimes...)
        return json.loads(json.dumps(value, default=transport._to_primitive))

    def pack_message(ctxt, message, **extra):
        if extra or set(message) - {"method", "namespace", "version", "args"}:
            return original(ctxt, message, **extra)
        return mine.make_envelope(primitive(ctxt or {}), message["method"],
                                  primitive(message["args"]), message.get("namespace"),
                                  message.get("version"))
    return pack_message


ADAPTERS = {"1.2": _adapt_child_signals, "2.2": _adapt_keep_alive, "3.1": _adapt_urlmap_match, "4.1": _adapt_dispatch,
            "5.1": _adapt_get_method, "6.1": _adapt_envelope}


# --- plugging ----------------------------------------------------------------------

@dataclass
class Plug:
    task: checker.Task
    owner: object       # the module or class that holds the attribute
    attribute: str
    original: object


def _resolve(seam: str):
    """``"pkg.mod:Class.attr"`` -> (owner object, attribute name)."""
    import importlib

    module_name, _, path = seam.partition(":")
    owner = importlib.import_module(module_name)
    *parents, attribute = path.split(".")
    for name in parents:
        owner = getattr(owner, name)
    return owner, attribute


def _record(kind: str, text: str) -> None:
    folder = os.environ.get(ENV_DIR)
    if not folder:
        return
    fd = os.open(os.path.join(folder, "%s-%d.log" % (kind, os.getpid())),
                 os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.write(fd, text.encode())  # one write with O_APPEND: lines never interleave
    finally:
        os.close(fd)


def _counted(task: checker.Task, module):
    """``module`` with its task symbol wrapped: every call counted, every error written down."""
    func = getattr(module, task.symbol)

    @functools.wraps(func)
    def counted(*args, **kwargs):
        _record("calls", task.id + "\n")
        try:
            return func(*args, **kwargs)
        except Exception:
            _record("errors", "task %s (%s in %s) raised:\n%s\x1e" % (
                task.id, task.symbol, task.file, traceback.format_exc()))
            raise

    class View:  # the adapter calls mine.<symbol>; everything else is the module's
        def __getattr__(self, name):
            return counted if name == task.symbol else getattr(module, name)
    return View()


def _fault_on_error(task: checker.Task, replacement):
    """For a seam above nova's FaultWrapper (URLMap): a raising solution gets a JSON 500."""
    if task.id != "3.1":
        return replacement

    def guarded(self, host, port, path_info):
        try:
            return replacement(self, host, port, path_info)
        except Exception:
            import webob.exc

            from minova.api.openstack import wsgi
            return wsgi.Fault(webob.exc.HTTPInternalServerError(
                explanation="Exercise %s raised (see ./course mine's report)" % task.id)), ""
    return guarded


def seam_tasks(tasks: list[checker.Task] | None = None) -> list[checker.Task]:
    return [t for t in (tasks or checker.load_tasks()) if t.seam and t.id in ADAPTERS]


def install(task_ids, target: str = "workspace") -> list[Plug]:
    """Plug the given tasks' solutions (from ``target``) into the package; returns the plugs."""
    from exercises import _target

    os.environ[_target.ENV_VAR] = target
    plugs = []
    for task in seam_tasks():
        if task.id not in task_ids:
            continue
        owner, attribute = _resolve(task.seam)
        original = owner.__dict__[attribute] if isinstance(owner, type) else getattr(owner, attribute)
        module = _target.load(pathlib.Path(task.file).stem)
        replacement = _fault_on_error(task, ADAPTERS[task.id](_counted(task, module), original))
        setattr(owner, attribute, replacement)
        plugs.append(Plug(task, owner, attribute, original))
    return plugs


def uninstall(plugs: list[Plug]) -> None:
    for plug in reversed(plugs):
        setattr(plug.owner, plug.attribute, plug.original)


def read_records(folder) -> tuple[Counter, list[str]]:
    """(calls per task id, error reports) written by every process of one run."""
    calls, errors = Counter(), []
    for path in sorted(pathlib.Path(folder).glob("*.log")):
        text = path.read_text(errors="replace")
        if path.name.startswith("calls-"):
            calls.update(text.split())
        else:
            errors.extend(e.strip() for e in text.split("\x1e") if e.strip())
    return calls, errors


# --- the command ---------------------------------------------------------------------

def choose(target: str, out) -> tuple[list[str], list[checker.TaskResult]]:
    """Run the seam tasks' tests; the ids that pass are plugged in."""
    results = checker.run_tasks(seam_tasks(), target)
    out.write("Seams (where a passing solution replaces the package's own code):\n")
    for r in results:
        who = "YOUR CODE" if r.status == "passed" else "package   (task %s: %s)" % (
            r.task.id, "not solved yet" if r.status == "todo" else "its tests fail")
        out.write("  %-4s %-76s %s\n" % (r.task.id, r.task.seam, who))
    return [r.task.id for r in results if r.status == "passed"], results


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_stack(plugged, target: str, workdir: pathlib.Path, port: int,
                workers: int = 2) -> subprocess.Popen:
    """``minova-all`` with ``plugged`` in place, in its own process group, fresh state."""
    (workdir / "records").mkdir(parents=True, exist_ok=True)
    conf = workdir / "minova.conf"
    conf.write_text("[DEFAULT]\nstate_path = %s\nosapi_compute_listen = 127.0.0.1\n"
                    "osapi_compute_listen_port = %d\nosapi_compute_workers = %d\n"
                    "identity_in_all = false\n"
                    % (workdir / "state", port, workers))
    env = dict(os.environ, **{ENV_PLUG: ",".join(plugged), ENV_TARGET: target,
                              ENV_DIR: str(workdir / "records")})
    root = str(checker.repo_root())
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    log = open(workdir / "minova-all.log", "wb")
    try:
        return subprocess.Popen([sys.executable, "-m", "minova.course.mine", "serve",
                                 "--config-file", str(conf)], stdout=log,
                                stderr=subprocess.STDOUT, env=env, cwd=root,
                                start_new_session=True)
    finally:
        log.close()


def stop_stack(proc: subprocess.Popen) -> None:
    """SIGTERM to the launcher (it stops its children), then the group if anything is left."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(5)


def _services_up(db_file: pathlib.Path) -> bool:
    """The conductor and the compute have registered (else a create finds no host)."""
    import sqlite3

    try:
        with sqlite3.connect(db_file) as db:
            topics = {row[0] for row in db.execute("SELECT topic FROM services")}
    except sqlite3.Error:
        return False
    return {"compute", "conductor"} <= topics


def _api_answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def _wait_up(url: str, proc: subprocess.Popen, db_file: pathlib.Path,
             timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("minova-all exited with status %s" % proc.returncode)
        if _api_answers(url) and _services_up(db_file):
            return
        time.sleep(0.1)
    raise RuntimeError("minova-all did not come up at %s within %ds" % (url, timeout))


def drive(url: str, out) -> list[str]:
    """openstacksdk through the stack, step by step; returns the steps that failed."""
    import warnings

    warnings.filterwarnings("ignore", category=DeprecationWarning)
    import openstack

    failed = []
    conn = openstack.connect(auth_type="admin_token", compute_api_version="2.1",
                             auth={"endpoint": url, "token": "learner:mine"},
                             load_yaml_config=False, load_envvars=False)  # not clouds.yaml
    state = {}

    def step(name, func):
        try:
            detail = func()
            out.write("  ok    %s%s\n" % (name, ": %s" % detail if detail else ""))
        except Exception as exc:  # each failure is reported, the next steps still run
            failed.append(name)
            out.write("  FAIL  %s: %s: %s\n" % (name, type(exc).__name__,
                                                 str(exc).splitlines()[0][:200] if str(exc) else ""))

    def versions():
        with urllib.request.urlopen(url + "/", timeout=10) as resp:
            return "HTTP %d" % resp.status

    def flavors():
        state["flavor"] = conn.compute.find_flavor("m1.tiny", ignore_missing=False)
        return "%d flavors" % len(list(conn.compute.flavors()))

    def images():
        state["image"] = next(iter(conn.compute.images()))
        return state["image"].name

    def create():
        server = conn.compute.create_server(name="mine-vm", image_id=state["image"].id,
                                            flavor_id=state["flavor"].id)
        state["server"] = conn.compute.wait_for_server(server, status="ACTIVE",
                                                       interval=0.1, wait=30)
        return "%s ACTIVE" % state["server"].id

    def show():
        return conn.compute.get_server(state["server"].id).status

    def reboot():
        conn.compute.reboot_server(state["server"], "SOFT")
        conn.compute.wait_for_server(state["server"], status="ACTIVE", interval=0.1, wait=30)
        return "SOFT reboot, ACTIVE again"

    def delete():
        conn.compute.delete_server(state["server"])
        conn.compute.wait_for_delete(state["server"], interval=0.1, wait=30)
        return "gone"

    out.write("openstacksdk through the stack:\n")
    try:
        for name, func in [("version document", versions), ("list flavors", flavors),
                           ("list images", images), ("create -> ACTIVE", create),
                           ("show", show), ("reboot (an action)", reboot), ("delete", delete)]:
            if name in ("show", "reboot (an action)", "delete") and "server" not in state:
                failed.append(name)
                out.write("  skip  %s: no server was created\n" % name)
                continue
            step(name, func)
    finally:
        conn.close()
    return failed


def call_tree(plugged, target: str, out) -> None:
    """One request traced in this process with the same plugs: your functions marked."""
    from minova import wsgi
    from minova.course import trace

    plugs = install(plugged, target)
    try:
        app = wsgi.Loader().load_app("osapi_compute")
        _resp, calls = trace.trace_request(
            app, "/v2.1/servers/detail", headers={"X-Auth-Token": "learner:mine"},
            include=trace.DEFAULT_INCLUDE + ("exercises.",))
    finally:
        uninstall(plugs)
    out.write("\nOne request (GET /v2.1/servers/detail) traced; >> marks your code:\n")
    rows = [c for c in calls if c.depth <= 12]
    for call in rows:
        mark = ">>" if call.name.startswith("exercises.") else "  "
        out.write("%s %s%s\n" % (mark, "  " * call.depth, call.name))


def report(plugged, folder, out) -> bool:
    calls, errors = read_records(folder)
    out.write("\nYour code in the running stack:\n")
    for task in seam_tasks():
        if task.id in plugged:
            out.write("  %-4s your %s() served %d call(s)\n" % (task.id, task.symbol,
                                                                calls[task.id]))
        else:
            out.write("  %-4s the package's own code (solve task %s to run yours here)\n"
                      % (task.id, task.id))
    for error in errors:
        out.write("\n" + error + "\n")
    return not errors


def run(check: bool = False, target: str | None = None, port: int | None = None,
        out=None, workdir: pathlib.Path | None = None) -> int:
    """``./course mine [--check]``; ``target`` defaults to MINOVA_EXERCISES_TARGET (workspace)."""
    from exercises import _target

    out = out or sys.stdout
    target = target or _target.target()
    plugged, _results = choose(target, out)
    own_workdir = workdir is None
    workdir = pathlib.Path(workdir or tempfile.mkdtemp(prefix="minova-mine-"))
    port = port or (_free_port() if check else 8774)
    url = "http://127.0.0.1:%d/v2.1" % port
    proc = start_stack(plugged, target, workdir, port)
    ok = True
    try:
        _wait_up(url + "/", proc, workdir / "state" / "minova.sqlite")
        out.write("\nminova-all is up at %s with %d seam(s) running your code (state: %s)\n"
                  % (url, len(plugged), workdir))
        if check:
            ok = not drive(url, out)
        else:
            out.write("Try: curl -s %s/servers -H 'X-Auth-Token: demo:demo'   "
                      "(Ctrl-C stops it)\n" % url)
            out.flush()
            try:
                proc.wait()
            except KeyboardInterrupt:
                pass
    except RuntimeError as exc:
        ok = False
        out.write("\n%s\n%s\n" % (exc, (workdir / "minova-all.log").read_text()[-3000:]))
    finally:
        stop_stack(proc)
    ok = report(plugged, workdir / "records", out) and ok
    if check:
        call_tree(plugged, target, out)
        out.write("\n%s\n" % ("Every step passed." if ok else
                              "Something failed (above); logs in %s" % workdir))
    if ok and own_workdir:
        shutil.rmtree(workdir, ignore_errors=True)  # a fresh state folder every run
    return 0 if ok else 1


# --- in a notebook: one request through your seam, in this process ---------------------

_HERE_REQUEST = {"1.2": "one worker forked by a ProcessLauncher (in a subprocess)",
                 "2.2": "GET /v2.1/servers over a socket to a Server on port 0",
                 "3.1": "GET /v2.1/servers", "4.1": "GET /v2.1/servers",
                 "5.1": "GET /v2.1/servers",
                 "6.1": "POST /v2.1/servers (the cast to the conductor on memory://)"}
_HERE_TOKEN = {"X-Auth-Token": "learner:mine"}


@dataclass
class Here:
    """What :func:`run_here` saw: text for ``print``, a ``<pre>`` in a notebook."""

    task: checker.Task
    status: str           # the checker's: passed, todo, FAILED, error
    plugged: bool
    target: str
    request: str
    outcome: str          # e.g. "200 OK"
    calls: list           # trace.Call rows of the request, focused on the seam
    served: int = 0       # calls your function served
    errors: tuple = ()

    @property
    def yours(self) -> str:
        return "exercises.%s.%s.%s" % (self.target, pathlib.Path(self.task.file).stem,
                                       self.task.symbol)

    @property
    def package(self) -> str:
        return self.task.seam.replace(":", ".")

    def text(self) -> str:
        t = self.task
        if self.plugged:
            head = ["Task %s solved: your %s() is plugged into %s." % (t.id, t.symbol, t.seam),
                    "%s -> %s; your %s() served %d call(s). >> marks your code:"
                    % (self.request, self.outcome, t.symbol, self.served)]
        else:
            why = {"todo": "not solved yet", "FAILED": "its tests fail"}.get(
                self.status, "its tests did not run (%s)" % self.status)
            head = ["Task %s %s: the package's own %s ran (check(\"%s\") says more)."
                    % (t.id, why, t.seam, t.id),
                    "%s -> %s. .. marks the seam, still the package's code:"
                    % (self.request, self.outcome)]
        rows = []
        for call in self.calls:
            mark = (">>" if call.name == self.yours else
                    ".." if call.name == self.package and not self.plugged else "  ")
            rows.append((mark, "  " * call.depth + call.name, call.where))
        width = max([len(r[1]) for r in rows] + [4])
        lines = head + ["%s %-*s  %s" % (m, width, n, w) for m, n, w in rows]
        return "\n".join(lines + ["", *self.errors] if self.errors else lines)

    def __repr__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        import html
        out = []
        for line in self.text().splitlines():
            line = html.escape(line)
            out.append("<b>%s</b>" % line if line.startswith(("&gt;&gt;", "..")) else line)
        return "<pre>%s</pre>" % "\n".join(out)


def _focus(calls, names, below: int = 2, limit: int = 40) -> list:
    """The chain of callers down to the first call named in ``names``, and what it calls."""
    at = next((i for i, c in enumerate(calls) if c.name in names), None)
    if at is None:
        return [c for c in calls if c.depth <= 2][:limit]
    depth, chain, want = calls[at].depth, [], calls[at].depth
    for call in reversed(calls[:at]):
        if call.depth < want:
            chain.append(call)
            want = call.depth
    below_rows = []
    for call in calls[at + 1:]:
        if call.depth <= depth:
            break
        if call.depth <= depth + below:
            below_rows.append(call)
    return (chain[::-1] + [calls[at]] + below_rows)[:limit]


def _here_request(task_id: str, include):
    """Send the seam's request through the in-process stack; ``(outcome, calls)``."""
    import http.client

    import webob

    from minova import wsgi
    from minova.course import trace

    app = wsgi.Loader().load_app("osapi_compute")
    if task_id == "2.2":
        def over_a_socket():
            server = wsgi.Server("mine-here", app, host="127.0.0.1", port=0)
            server.start()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
                conn.request("GET", "/v2.1/servers", headers=dict(_HERE_TOKEN, Connection="close"))
                reply = conn.getresponse()
                reply.read()
                conn.close()
                return "%d %s" % (reply.status, reply.reason)
            finally:
                server.stop()
                server.wait(10)
        return trace.trace_call(over_a_socket, include=include)
    if task_id == "6.1":
        import json

        images = webob.Request.blank("/v2.1/images", headers=_HERE_TOKEN).get_response(app)
        body = {"server": {"name": "mine-here", "flavorRef": "1",
                           "imageRef": images.json["images"][0]["id"]}}
        resp, calls = trace.trace_request(app, "/v2.1/servers", method="POST", include=include,
                                          headers=dict(_HERE_TOKEN, **{
                                              "Content-Type": "application/json"}),
                                          body=json.dumps(body))
    else:
        resp, calls = trace.trace_request(app, "/v2.1/servers", headers=_HERE_TOKEN,
                                          include=include)
    return resp.status, calls


def _here_launcher(target: str, plugged: bool, workdir: pathlib.Path) -> dict:
    """In a subprocess (never the kernel): one worker forked, its call tree written by the worker."""
    import json

    from minova.course import trace
    from minova.openstack.common import service

    os.environ[ENV_DIR] = str(workdir)
    plugs = install(["1.2"], target) if plugged else []
    recorder = trace.Recorder(trace.DEFAULT_INCLUDE + ("exercises.",), trace.DEFAULT_EXCLUDE)
    dump = workdir / "tree.json"

    class Worker(service.Service):
        def start(self):  # in the worker, after its signal handlers are installed
            rows = [[c.depth, c.name, c.where] for c in recorder.calls]
            (workdir / "tree.tmp").write_text(json.dumps(rows))
            os.replace(workdir / "tree.tmp", dump)

    launcher = service.ProcessLauncher()
    sys.setprofile(recorder)
    try:
        launcher.launch_service(Worker(), workers=1)
    finally:
        sys.setprofile(None)
    try:
        deadline = time.monotonic() + 20
        while not dump.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        launcher.stop()  # SIGTERM to the worker: your handler (or the package's) ends it
        uninstall(plugs)
    calls, errors = read_records(workdir)
    rows = json.loads(dump.read_text()) if dump.exists() else []
    return {"outcome": "worker started and stopped" if rows else "the worker never started",
            "calls": rows, "served": calls["1.2"], "errors": errors}


def run_here(task_id: str, target: str | None = None) -> Here:
    """Check ``task_id``; if it passes, plug it in, send one request through it here, unplug.

    A notebook's "run it with your code" cell: the request runs in this process
    (layer 1 forks, so its worker runs in a subprocess), traced; your function is
    marked ``>>`` in the call tree. Unsolved, the package's own code runs instead.
    """
    import json

    from exercises import _target
    from minova.course import inprocess, trace

    task = next(t for t in seam_tasks() if t.id == task_id)
    target = target or _target.target()
    status = checker.run_tasks([task], target)[0].status
    plugged = status == "passed"
    include = trace.DEFAULT_INCLUDE + ("exercises.",)
    saved = {k: os.environ.get(k) for k in (ENV_DIR, _target.ENV_VAR)}
    with tempfile.TemporaryDirectory(prefix="minova-here-") as tmp:
        records = pathlib.Path(tmp) / "records"
        records.mkdir()
        try:
            if task_id == "1.2":
                root = str(checker.repo_root())
                env = dict(os.environ, PYTHONPATH=os.pathsep.join(
                    filter(None, [root, os.environ.get("PYTHONPATH")])))
                proc = subprocess.run(
                    [sys.executable, "-m", "minova.course.mine", "here-launcher", target,
                     "1" if plugged else "0", str(records)], cwd=root, env=env,
                    capture_output=True, text=True, timeout=60, check=False)
                try:
                    got = json.loads(proc.stdout.strip().splitlines()[-1])
                except (ValueError, IndexError):
                    got = {"outcome": "the subprocess failed", "calls": [], "served": 0,
                           "errors": [proc.stderr[-2000:]]}
                from minova.course.trace import Call
                calls = [Call(d, n, w) for d, n, w in got["calls"]]
                outcome, served, errors = got["outcome"], got["served"], got["errors"]
            else:
                os.environ[ENV_DIR] = str(records)
                with inprocess.memory_bus(pathlib.Path(tmp) / "state"):
                    plugs = install([task_id], target) if plugged else []
                    try:
                        outcome, calls = _here_request(task_id, include)
                    finally:
                        uninstall(plugs)
                counted, errors = read_records(records)
                served = counted[task_id]
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    here = Here(task, status, plugged, target, _HERE_REQUEST[task_id], str(outcome), [],
                served, tuple(errors))
    here.calls = _focus(calls, {here.yours, here.package})
    return here


def serve(argv: list[str]) -> int:
    """In the stack's process: plug in, then hand over to ``minova-all``."""
    from minova.cmd import all as minova_all

    plugged = [t for t in os.environ.get(ENV_PLUG, "").split(",") if t]
    install(plugged, os.environ.get(ENV_TARGET, "workspace"))
    sys.argv = ["minova-all"] + argv
    return minova_all.main()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["serve"]:
        return serve(argv[1:])
    if argv[:1] == ["here-launcher"]:  # run_here("1.2")'s subprocess: TARGET 0|1 FOLDER
        import json

        print(json.dumps(_here_launcher(argv[1], argv[2] == "1", pathlib.Path(argv[3]))))
        return 0
    parser = argparse.ArgumentParser(prog="minova mine", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="drive the stack with openstacksdk, report, and stop")
    parser.add_argument("--port", type=int, help="API port (default 8774; --check: a free one)")
    parser.add_argument("--target", default=None,
                        choices=["workspace", "stubs", "solutions"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    return run(check=args.check, target=args.target, port=args.port)


if __name__ == "__main__":
    sys.exit(main())
