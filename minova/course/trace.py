"""Trace a request through minova: the article's ``pdb.set_trace()`` method, made repeatable.

Not a nova mirror: a teaching helper for notebooks 03-07.

The article stops nova-api at a breakpoint and reads the call stack.  Here a
profiler hook (``sys.setprofile`` and ``threading.setprofile``, both restored
afterwards) records every call into a minova module while one request runs
through a WSGI app, so the whole chain is visible at once::

    resp, calls = trace_request(app, "/v2.1/servers")
    table(calls, max_depth=2)       # indented: depth, qualified name, file:line
    pipeline(calls)                 # whose __call__ ran, outermost first
    show_sequence(calls, 2)         # the same as a drawn call tree
    describe(app, "/v2.1/servers")  # status, mount, filters, headers, body as text

``trace_call(func, ..., include=(...))`` does the same for any call (e.g. ``Loader.load_app``,
with library names such as ``paste.deploy.loadwsgi.loadapp`` included); ``show_app_graph``
draws what paste.deploy built; ``explorer`` is an ipywidgets form over ``describe``.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass
from itertools import pairwise

import webob

from minova.course import diagrams

DEFAULT_INCLUDE = ("minova.",)
DEFAULT_EXCLUDE = ("minova.course.",)


@dataclass(frozen=True)
class Call:
    """One recorded call; ``script_name`` and ``path_info`` only for a ``__call__``."""

    depth: int
    name: str            # minova.api.openstack.urlmap.URLMap.__call__
    where: str           # minova/api/openstack/urlmap.py:283
    owner: str | None = None        # class of ``self`` (or ``cls``): who really runs
    script_name: str | None = None  # environ as that __call__ received it
    path_info: str | None = None


def _full_name(cls: type) -> str:
    return "%s.%s" % (cls.__module__, cls.__qualname__)


def _owner_note(call: Call) -> str | None:
    """The class of ``self``/``cls`` when it is not the class that defines the function."""
    if not call.owner or call.owner == call.name.rpartition(".")[0]:
        return None
    short, defined_in = call.owner.rpartition(".")[2], call.name.split(".")[-2]
    return call.owner if short == defined_in else short


def _short_path(filename: str) -> str:
    parts = os.path.normpath(filename).split(os.sep)
    for anchor in ("minova", "site-packages"):
        if anchor in parts:
            index = len(parts) - 1 - parts[::-1].index(anchor)
            return "/".join(parts[index + (anchor == "site-packages"):])
    return filename


def frame_qualname(frame) -> str:
    """``Class.method`` of the code a frame runs (``co_qualname`` on Python 3.11+).

    Python 3.10 has no ``co_qualname``: look for the function whose code this is
    on the frame's ``self``/``cls`` class, then among the module's classes and functions.
    """
    return getattr(frame.f_code, "co_qualname", None) or _qualname_by_search(frame)


def _qualname_by_search(frame) -> str:
    code = frame.f_code
    local = frame.f_locals
    owners = []
    obj = local.get("self", local.get("cls"))
    if obj is not None:
        owners.extend(obj.__mro__ if isinstance(obj, type) else type(obj).__mro__)
    owners.extend(v for v in list(frame.f_globals.values()) if isinstance(v, type))
    for owner in owners:
        func = owner.__dict__.get(code.co_name)
        for _ in range(4):  # classmethod/staticmethod, functools.wraps, webob's @wsgify
            if func is None or getattr(func, "__code__", None) is code:
                break
            func = (getattr(func, "__func__", None) or getattr(func, "__wrapped__", None)
                    or getattr(func, "func", None))
        if func is not None and getattr(func, "__code__", None) is code:
            return "%s.%s" % (owner.__qualname__, code.co_name)
    return code.co_name


class Recorder:
    """The profile function: keeps a stack per thread and a list of recorded calls.

    Public so a notebook can record in threads it does not start itself (07 does, for
    the conductor and compute RPC workers): ``sys.setprofile(Recorder(...))`` there.
    """

    def __init__(self, include, exclude):
        self.include, self.exclude = tuple(include), tuple(exclude)
        self.calls: list[Call] = []
        self._stacks: dict[int, list] = {}
        self._names: dict = {}      # id(code) -> (code, qualified name or None: not recorded)

    def _name(self, frame) -> str | None:
        code = frame.f_code
        # Keyed by identity: two functions with the same body at the same line in
        # two files have EQUAL code objects (== ignores the file name).
        entry = self._names.get(id(code))
        if entry is None or entry[0] is not code:
            name = "%s.%s" % (frame.f_globals.get("__name__", "?"), frame_qualname(frame))
            wanted = name.startswith(self.include) and not name.startswith(self.exclude)
            entry = self._names[id(code)] = (code, name if wanted else None)
        return entry[1]

    def __call__(self, frame, event, arg):
        if event == "call":
            name = self._name(frame)
            if name is None:
                return
            stack = self._stacks.setdefault(threading.get_ident(), [])
            self.calls.append(self._call(frame, name, len(stack)))
            stack.append(frame)
        elif event == "return":
            stack = self._stacks.get(threading.get_ident())
            if stack and stack[-1] is frame:
                stack.pop()

    @staticmethod
    def _call(frame, name: str, depth: int) -> Call:
        where = "%s:%d" % (_short_path(frame.f_code.co_filename), frame.f_code.co_firstlineno)
        local = frame.f_locals
        obj = local.get("self", local.get("cls"))
        owner = _full_name(obj if isinstance(obj, type) else type(obj)) if obj else None
        if frame.f_code.co_name != "__call__":
            return Call(depth, name, where, owner)
        env = local.get("environ")
        env = env if isinstance(env, dict) else getattr(local.get("req"), "environ", {})
        return Call(depth, name, where, owner, env.get("SCRIPT_NAME"), env.get("PATH_INFO"))


def trace_call(func, *args, include=DEFAULT_INCLUDE, exclude=DEFAULT_EXCLUDE, **kwargs):
    """Run ``func(*args, **kwargs)`` under the recorder; return ``(result, calls)``.

    ``include`` are name prefixes to record, e.g. ``("minova.", "paste.deploy.loadwsgi.loadapp")``.
    """
    recorder = Recorder(include, exclude)
    old_sys, old_threading = sys.getprofile(), threading.getprofile()
    threading.setprofile(recorder)
    sys.setprofile(recorder)
    try:
        result = func(*args, **kwargs)
    finally:
        sys.setprofile(old_sys)
        threading.setprofile(old_threading)
    return result, recorder.calls


def trace_request(app, path: str, method: str = "GET", headers=None, body=None, **kwargs):
    """Send one request through ``app`` with ``webob.Request.blank``; ``(response, calls)``."""
    req = webob.Request.blank(path, method=method, headers=headers or {})
    if body is not None:
        req.body = body.encode() if isinstance(body, str) else body
    return trace_call(req.get_response, app, **kwargs)


class Text(str):
    """A string that a notebook shows as plain text (not as a quoted repr)."""

    def __repr__(self) -> str:
        return str(self)


def table(calls: list[Call], max_depth: int | None = None) -> Text:
    """The calls as an indented table; ``[Owner]`` when ``self`` is a subclass."""
    rows = []
    for call in calls:
        if max_depth is not None and call.depth > max_depth:
            continue
        name = "  " * call.depth + call.name
        if _owner_note(call):
            name += "  [%s]" % _owner_note(call)
        rows.append((name, call.where))
    width = max([len(n) for n, _ in rows] + [4])
    return Text("\n".join("%-*s  %s" % (width, n, w) for n, w in rows))


def pipeline(calls: list[Call], short: bool = True) -> list[str]:
    """Classes whose ``__call__`` ran, in order: the filters and apps the request passed."""
    owners = [c.owner for c in calls if c.owner and c.name.endswith(".__call__")]
    return [o.rpartition(".")[2] for o in owners] if short else owners


def _label(*lines: str) -> str:
    """A quoted DOT label, one line per argument."""
    escaped = (line.replace("\\", "\\\\").replace('"', '\\"') for line in lines)
    return '"%s"' % "\\n".join(escaped)


def sequence_dot(calls: list[Call], max_depth: int | None = None,
                 title: str = "call sequence") -> str:
    """DOT of the call tree: node ``n`` is the n-th call, edges go from caller to callee."""
    lines = ["digraph %s {" % _label(title),
             '  graph [rankdir=LR, fontname="Helvetica", labelloc=t, label=%s];' % _label(title),
             ('  node [shape=box, style="rounded,filled", fillcolor="#eef4ff", '
              'fontname="Helvetica", fontsize=10];')]
    parents: list[tuple[int, int]] = []     # (depth, node) of the open callers
    for index, call in enumerate(calls, 1):
        if max_depth is not None and call.depth > max_depth:
            continue
        while parents and parents[-1][0] >= call.depth:
            parents.pop()
        parts = call.name.split(".")
        short = parts[-4:] if "<locals>" in parts[-2:] else parts[-2:]   # keep the closure's owner
        label = ["%d. %s" % (index, ".".join(short)), call.where]
        if _owner_note(call):
            label.append("[%s]" % _owner_note(call))
        lines.append("  c%d [label=%s];" % (index, _label(*label)))
        if parents:
            lines.append("  c%d -> c%d;" % (parents[-1][1], index))
        parents.append((call.depth, index))
    return "\n".join(lines + ["}"]) + "\n"


def show_sequence(calls: list[Call], max_depth: int | None = None, title: str = "call sequence"):
    """The call tree rendered by graphviz (or its DOT text when ``dot`` is missing)."""
    return diagrams.render(sequence_dot(calls, max_depth, title))


# --- the loaded pipeline, drawn from the objects paste.deploy built -------------------

def _node(obj) -> tuple[str, str]:
    cls = type(obj)
    # id(): /v2 and /v1.1 name the same section, yet paste.deploy builds it twice.
    return "n%x" % id(obj), _label(cls.__qualname__, cls.__module__)


def chain(app) -> list:
    """``app``, then each ``.application`` below it: a pipeline's filters and its final app."""
    found = [app]
    while getattr(found[-1], "application", None) is not None:
        found.append(found[-1].application)
    return found


def app_graph_dot(urlmap, title: str = "osapi_compute as paste.deploy built it") -> str:
    """DOT: the URLMap, an edge per mount, and each mount's filter chain down to its app."""
    root_id, root_label = _node(urlmap)
    lines = ["digraph %s {" % _label(title),
             '  graph [rankdir=LR, fontname="Helvetica", labelloc=t, label=%s];' % _label(title),
             '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
             '  edge [fontname="Helvetica", fontsize=10];',
             '  %s [label=%s, fillcolor="#ffe9c6"];' % (root_id, root_label)]
    for (_domain, url), app in urlmap.applications:
        objects = chain(app)
        for position, obj in enumerate(objects):
            node_id, label = _node(obj)
            colour = "#eef4ff" if position < len(objects) - 1 else "#dff5df"
            lines.append('  %s [label=%s, fillcolor="%s"];' % (node_id, label, colour))
        lines.append("  %s -> %s [label=%s];" % (root_id, _node(objects[0])[0], _label(url or "/")))
        lines += ["  %s -> %s;" % (_node(a)[0], _node(b)[0]) for a, b in pairwise(objects)]
    return "\n".join(lines + ["}"]) + "\n"


def show_app_graph(urlmap):
    """The loaded graph rendered by graphviz: mounts (edges), filters (blue), apps (green)."""
    return diagrams.render(app_graph_dot(urlmap))


# --- one request, summed up; and the widget that asks for it ----------------------------

def parse_headers(text: str) -> dict[str, str]:
    """``"Name: value"`` lines (blank lines ignored) -> a dict."""
    pairs = (line.split(":", 1) for line in text.splitlines() if ":" in line)
    return {name.strip(): value.strip() for name, value in pairs}


def describe(app, path: str, method: str = "GET", headers=None, body=None,
             max_body: int = 400) -> Text:
    """Which mount, which filters in which order, and what came back, as text."""
    if isinstance(headers, str):
        headers = parse_headers(headers)
    resp, calls = trace_request(app, path, method, headers, body or None)
    ran = [c for c in calls if c.script_name is not None]
    mount = next((c.script_name for c in ran[1:]), None)
    lines = ["%s %s  ->  %s" % (method, path, resp.status),
             "mount: %r  (SCRIPT_NAME the first app below URLMap saw)" % mount,
             "ran:   " + " -> ".join(pipeline(calls)),
             "response headers:"]
    lines += ["  %s: %s" % item for item in resp.headerlist]
    text = resp.body.decode("utf-8", "replace")
    lines.append("body (%d bytes): %s" % (len(resp.body), text[:max_body]
                                           + (" ..." if len(text) > max_body else "")))
    return Text("\n".join(lines))


def explorer(app, path: str = "/v2.1/servers", headers: str = "X-Auth-Token: demo:demo"):
    """An ipywidgets form: URL, method, headers, body -> ``describe`` of that request."""
    import ipywidgets as w

    url = w.Text(value=path, description="URL")
    method = w.Dropdown(options=["GET", "POST", "PUT", "DELETE", "HEAD"], description="method")
    head = w.Textarea(value=headers, description="headers", layout=w.Layout(width="60%"))
    body = w.Textarea(value="", description="body", layout=w.Layout(width="60%"))
    send, out = w.Button(description="send", button_style="primary"), w.Output()

    def on_send(_button):
        out.clear_output()
        with out:
            print(describe(app, url.value, method.value, head.value, body.value))

    send.on_click(on_send)
    return w.VBox([url, method, head, body, send, out])
