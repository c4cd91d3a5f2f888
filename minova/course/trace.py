"""Trace a request through minova: the article's ``pdb.set_trace()`` method, made repeatable.

Not a nova mirror: a teaching helper for notebooks 03-07.

The article stops nova-api at a breakpoint and reads the call stack.  Here a
profiler hook (``sys.setprofile`` and ``threading.setprofile``, both restored
afterwards) records every call into a minova module while one request runs
through a WSGI app, so the whole chain is visible at once::

    resp, calls = trace_request(app, "/v2.1/servers")
    table(calls, max_depth=2)       # indented by depth: name, file:line (HTML in a notebook)
    pipeline(calls)                 # whose __call__ ran, outermost first
    show_sequence(calls, 2)         # the same as a drawn call tree
    describe(app, "/v2.1/servers")  # status, mount, filters, headers, body as text

``trace_call(func, ..., include=(...))`` does the same for any call (e.g. ``Loader.load_app``,
with library names such as ``paste.deploy.loadwsgi.loadapp`` included); ``show_app_graph``
draws what paste.deploy built; ``explorer`` is an ipywidgets form over ``describe``.
"""

from __future__ import annotations

import html
import sys
import threading
import time
from dataclasses import dataclass, field
from itertools import pairwise

import webob

from minova.course import diagrams, paths

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
    # time.monotonic() when the call began (pictures.journey measures the hops with it)
    t: float | None = field(default=None, compare=False, repr=False)


def _full_name(cls: type) -> str:
    return "%s.%s" % (cls.__module__, cls.__qualname__)


def _owner_note(call: Call) -> str | None:
    """The class of ``self``/``cls`` when it is not the class that defines the function."""
    if not call.owner or call.owner == call.name.rpartition(".")[0]:
        return None
    short, defined_in = call.owner.rpartition(".")[2], call.name.split(".")[-2]
    return call.owner if short == defined_in else short


def _short_path(filename: str) -> str:
    return paths.repo_path(filename)  # minova/httpd.py, also in a clone called minova


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
        now = time.monotonic()
        where = "%s:%d" % (_short_path(frame.f_code.co_filename), frame.f_code.co_firstlineno)
        local = frame.f_locals
        obj = local.get("self", local.get("cls"))
        owner = _full_name(obj if isinstance(obj, type) else type(obj)) if obj else None
        if frame.f_code.co_name != "__call__":
            return Call(depth, name, where, owner, t=now)
        env = local.get("environ")
        env = env if isinstance(env, dict) else getattr(local.get("req"), "environ", {})
        return Call(depth, name, where, owner, env.get("SCRIPT_NAME"), env.get("PATH_INFO"), t=now)


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


class CallTable(Text):
    """What :func:`table` returns: plain text for ``print``, an HTML table in a notebook.

    The text keeps every qualified name whole (it is what ``print`` and a grep see).
    In a notebook it is a two-column HTML table made to read at a cell's width:
    monospace; the call column shows ``Class.method`` (the module is the file
    path's, and the whole name is its tooltip) and may break only after a dot;
    the ``file:line`` column never breaks inside a path.
    """

    rows: tuple = ()    # (indent, qualified name, short name, [Owner] note, file:line)

    def _repr_html_(self) -> str:
        cell = "padding:1px 0.8em 1px 0;text-align:left;vertical-align:top;"
        out = ['<table style="font-family:var(--jp-code-font-family,monospace);'
               'font-size:var(--jp-code-font-size,13px);border-collapse:collapse;'
               'table-layout:auto;margin:0">',
               '<tr><th style="%s">call (indented: called by the row above)</th>'
               '<th style="%s">file:line</th></tr>' % (cell, cell)]
        for indent, name, short, note, where in self.rows:
            shown = "<wbr>".join(html.escape(part) for part in short.split("."))
            shown = shown.replace("<wbr>", ".<wbr>")
            if note:
                shown += ' <span style="color:#777">[%s]</span>' % html.escape(note)
            out.append('<tr><td style="%spadding-left:%.1fem" title="%s">%s</td>'
                       '<td style="%swhite-space:nowrap">%s</td></tr>'
                       % (cell, 1.2 * indent, html.escape(name), shown, cell, html.escape(where)))
        out.append("</table>")
        return "\n".join(out)


def _short_name(name: str, where: str) -> str:
    """``Class.method`` of a qualified name, when the file path already names the module."""
    module = where.rpartition(":")[0].removesuffix(".py").removesuffix("/__init__")
    module = module.replace("/", ".")
    for prefix in (module + ".", "minova." + module + "."):
        if name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix):]
    return name


def table(calls: list[Call], max_depth: int | None = None) -> CallTable:
    """The calls as an indented table; ``[Owner]`` when ``self`` is a subclass.

    Indented from the shallowest call shown (a table of calls deep inside a request
    starts at the left margin); in a notebook it shows as an HTML table (:class:`CallTable`).
    """
    shown = [c for c in calls if max_depth is None or c.depth <= max_depth]
    base = min((c.depth for c in shown), default=0)
    rows, lines = [], []
    for call in shown:
        indent, note = call.depth - base, _owner_note(call)
        rows.append((indent, call.name, _short_name(call.name, call.where), note, call.where))
        lines.append(("  " * indent + call.name + ("  [%s]" % note if note else ""), call.where))
    width = max([len(n) for n, _ in lines] + [4])
    text = CallTable("\n".join("%-*s  %s" % (width, n, w) for n, w in lines))
    text.rows = tuple(rows)
    return text


def pipeline(calls: list[Call], short: bool = True) -> list[str]:
    """Classes whose ``__call__`` ran, in order: the filters and apps the request passed."""
    owners = [c.owner for c in calls if c.owner and c.name.endswith(".__call__")]
    return [o.rpartition(".")[2] for o in owners] if short else owners


def _label(*lines: str) -> str:
    """A quoted DOT label, one line per argument."""
    escaped = (line.replace("\\", "\\\\").replace('"', '\\"') for line in lines)
    return '"%s"' % "\\n".join(escaped)


FAN_ROW = 5    # callees of one caller side by side in a top-to-bottom call tree


def sequence_dot(calls: list[Call], max_depth: int | None = None,
                 title: str = "call sequence") -> str:
    """DOT of the call tree: node ``n`` is the n-th call, edges go from caller to callee.

    Made to fit a notebook cell (``diagrams.FIT``), with file paths wrapped: a
    tree deeper than it is bushy is drawn top to bottom (a long chain grows down
    the page, not across it), the callees of one caller left to right in call
    order, in rows of ``FAN_ROW``; a bushy one (a caller with many callees, such
    as a dozen extensions) is drawn left to right, its callees one under the
    other, in call order.
    """
    body: list[str] = []
    parents: list[tuple[int, int]] = []     # (depth, node) of the open callers
    per_level: dict[int, int] = {}          # how many nodes each level of the tree has
    callees: dict[int, list[int]] = {}      # caller node -> its callee nodes, in call order
    for index, call in enumerate(calls, 1):
        if max_depth is not None and call.depth > max_depth:
            continue
        while parents and parents[-1][0] >= call.depth:
            parents.pop()
        parts = call.name.split(".")
        short = parts[-4:] if "<locals>" in parts[-2:] else parts[-2:]   # keep the closure's owner
        label = ["%d. %s" % (index, ".".join(short)), *diagrams.wrap_name(call.where, 24, "/")]
        if _owner_note(call):
            label.append("[%s]" % _owner_note(call))
        body.append("  c%d [label=%s];" % (index, _label(*label)))
        if parents:
            body.append("  c%d -> c%d;" % (parents[-1][1], index))
            callees.setdefault(parents[-1][1], []).append(index)
        per_level[len(parents)] = per_level.get(len(parents), 0) + 1
        parents.append((call.depth, index))
    # Top to bottom, the widest level sets the width; left to right, the number of
    # levels does (a level's box plus the gap for the arrows is about 1.2 boxes).
    bushy = max(per_level.values(), default=0) > max(FAN_ROW, 1.2 * len(per_level))
    if not bushy:   # top to bottom: a caller's callees in rows of FAN_ROW, one under the other
        body += ["  c%d -> c%d [style=invis];" % (row[i], row[i + FAN_ROW])
                 for row in callees.values() for i in range(len(row) - FAN_ROW)]
    lines = ["digraph %s {" % _label(title),
             '  graph [rankdir=%s, ordering=out, fontname="Helvetica", labelloc=t, label=%s,'
             % ("LR" if bushy else "TB", _label(title)),
             '         nodesep=0.15, ranksep=0.25, %s];' % diagrams.FIT,
             ('  node [shape=box, style="rounded,filled", fillcolor="#eef4ff", '
              'fontname="Helvetica", fontsize=10];')]
    return "\n".join(lines + body + ["}"]) + "\n"


def show_sequence(calls: list[Call], max_depth: int | None = None, title: str = "call sequence"):
    """The call tree rendered by graphviz (or its DOT text when ``dot`` is missing)."""
    return diagrams.render(sequence_dot(calls, max_depth, title))


# --- the loaded pipeline, drawn from the objects paste.deploy built -------------------

def _node(obj) -> tuple[str, str]:
    cls = type(obj)
    # id(): /v2 and /v1.1 name the same section, yet paste.deploy builds it twice.
    return "n%x" % id(obj), _label(cls.__qualname__, *diagrams.wrap_name(cls.__module__))


def chain(app) -> list:
    """``app``, then each ``.application`` below it: a pipeline's filters and its final app."""
    found = [app]
    while getattr(found[-1], "application", None) is not None:
        found.append(found[-1].application)
    return found


def app_graph_dot(urlmap, title: str = "osapi_compute as paste.deploy built it") -> str:
    """DOT: the URLMap, an edge per mount, and each mount's filter chain down to its app.

    Top to bottom: the URLMap above, one column per mount (``diagrams.FIT``).
    """
    root_id, root_label = _node(urlmap)
    lines = ["digraph %s {" % _label(title),
             '  graph [rankdir=TB, fontname="Helvetica", labelloc=t, label=%s,' % _label(title),
             '         nodesep=0.15, ranksep=0.3, %s];' % diagrams.FIT,
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
