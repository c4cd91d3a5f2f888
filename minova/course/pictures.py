"""Pictures drawn from what just ran: where a learner would rather look than read.

Not a nova mirror: a teaching helper for notebooks 01, 06 and 07 (issue 14).

- ``journey(...)``: notebook 07's create as a swimlane sequence (client, API worker,
  conductor, compute, database), each hop at the time the tracer recorded for it.
- ``timeline(rows)``: notebook 06's BUILD -> ACTIVE bars, a few creates per transport.
- ``process_tree(api)``: notebook 01's parent, workers and respawns (the worker panel
  redraws it on every change).

Each returns a :class:`Picture`: an SVG in a notebook (graphviz's ``dot`` for the graphs,
plain SVG for the timeline) sized to fit a cell at a 1400 px window, and the same facts
as a text table (``str()``; and what a notebook shows when ``dot`` is missing).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from minova.course import diagrams

# graphviz scales a drawing down to this many inches (72 pt = 96 px): 9 in = 864 px,
# narrower than diagrams.MAX_WIDTH_PX and than a notebook cell at a 1400 px window.
SIZE = "9,40"


@dataclass
class Picture:
    """An SVG when it could be drawn, always a text table; ``name`` is the SVG's <title>."""

    name: str
    table: str
    svg: str | None = None

    def _repr_mimebundle_(self, include=None, exclude=None):
        if self.svg is not None:
            return {"image/svg+xml": self.svg, "text/plain": self.table}
        return {"text/plain": self.table, "text/html": "<pre>%s</pre>" % html.escape(self.table)}

    def __str__(self) -> str:
        return self.table


def text_table(headers, rows) -> str:
    rows = [[str(c) for c in row] for row in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in rows)) if rows else len(str(h))
              for i, h in enumerate(headers)]
    line = "  ".join("%%-%ds" % w for w in widths)
    return "\n".join([(line % tuple(headers)).rstrip()]
                     + [(line % tuple(r)).rstrip() for r in rows])


def _q(text) -> str:
    return '"%s"' % str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _draw(dot: str) -> str | None:
    drawn = diagrams.render(dot)
    return drawn.svg


# --- a sequence diagram (07) ---------------------------------------------------------

def sequence_dot(name: str, title: str, lanes, messages) -> str:
    """DOT for a swimlane sequence: ``messages`` are ``(t_ms, from_lane, to_lane, label)``.

    One column per lane (a header, then a dashed lifeline), one row per message, in time
    order, with the time on the left.
    """
    index = {lane: i for i, lane in enumerate(lanes)}
    out = ["digraph %s {" % name,
           '  label=%s; labelloc=t; fontname="Helvetica"; fontsize=14; size="%s";' % (
               _q(title), SIZE),
           "  rankdir=TB; nodesep=0.15; ranksep=0.12; splines=line; newrank=true;",
           '  node [fontname="Helvetica", fontsize=11];',
           '  edge [fontname="Helvetica", fontsize=10];']
    rows = len(messages)
    header = ["time"] + list(lanes)
    out.append("  { rank=same; h0 [label=\"t (ms)\\n+hop\", shape=plaintext, fontcolor=gray40];")
    for i, lane in enumerate(lanes, 1):
        out.append("    h%d [label=%s, shape=box, style=\"rounded,filled\", fillcolor=\"#e8f0fe\","
                   " width=1.5];" % (i, _q(lane)))
    out.append("  }")
    out.append("  %s [style=invis];" % " -> ".join("h%d" % i for i in range(len(header))))
    for r, (t_ms, src, dst, label) in enumerate(messages, 1):
        # a point on each lifeline; an event within one lane is a note on its lifeline
        points = " ".join(
            ("p%d_%d [shape=box, style=\"rounded,filled\", fillcolor=\"#fdf6e3\", color=gray60,"
             " fontsize=10, width=0, height=0, margin=\"0.05,0.02\", label=%s];"
             % (i, r, _q(label))) if src == dst and index[src] + 1 == i
            else "p%d_%d [shape=point, width=0.02, color=gray60];" % (i, r)
            for i in range(1, len(header)))
        step = "" if r == 1 else "\\n+%.1f" % (t_ms - messages[r - 2][0])
        out.append("  { rank=same; t%d [label=\"%.1f%s\", shape=plaintext, fontcolor=gray40,"
                   " fontsize=10]; %s }" % (r, t_ms, step, points))
    for i in range(len(header)):  # lifelines (and the time column) top to bottom
        chain = ["h%d" % i] + [("t%d" % r) if i == 0 else ("p%d_%d" % (i, r))
                               for r in range(1, rows + 1)]
        style = "style=invis" if i == 0 else "style=dashed, color=gray70, arrowhead=none"
        out.append("  %s [%s, weight=100];" % (" -> ".join(chain), style))
    for r, (_t, src, dst, label) in enumerate(messages, 1):
        a, b = index[src] + 1, index[dst] + 1
        if a == b:
            continue    # drawn as a note (above)
        if a < b:
            out.append("  p%d_%d -> p%d_%d [xlabel=%s, constraint=false, color=\"#1a5fb4\"];"
                       % (a, r, b, r, _q(label)))
        else:   # drawn left to right, the arrowhead at the left end
            out.append("  p%d_%d -> p%d_%d [xlabel=%s, constraint=false, dir=back, "
                       "color=\"#26a269\"];" % (b, r, a, r, _q(label)))
    out.append("}")
    return "\n".join(out)


def sequence(name: str, title: str, lanes, messages) -> Picture:
    table = text_table(["t (ms)", "+hop", "from", "to", "message"],
                       [("%.1f" % t, "+%.1f" % (t - messages[i - 1][0]) if i else "", a, b,
                         label.replace("\n", " ")) for i, (t, a, b, label) in enumerate(messages)])
    return Picture(name, "%s\n\n%s" % (title, table),
                   _draw(sequence_dot(name, title, lanes, messages)))


JOURNEY_LANES = ("client", "API worker", "conductor", "compute", "database")


def _first(calls, pattern: str):
    rx = re.compile(pattern)
    return next((c for c in calls if rx.search(c.name)), None)


def _last(calls, pattern: str):
    rx = re.compile(pattern)
    return next((c for c in reversed(calls) if rx.search(c.name)), None)


def journey_messages(started: float, api_calls, conductor_calls, compute_calls,
                     answered: float, active: float):
    """The create's hops, from the tracer's record (``Call.t``, time.monotonic()).

    ``started``: time.monotonic() before the POST; ``answered`` and ``active``: seconds
    after it when the API answered and when a GET first saw ACTIVE.
    """
    def ms(call):
        return (call.t - started) * 1000

    hops = []
    steps = [
        (api_calls, r"urlmap\.URLMap\.__call__$", "client", "API worker", "POST /v2.1/servers"),
        (api_calls, r"db\.api\.instance_create$", "API worker", "database",
         "instance_create\n(BUILD)"),
        (api_calls, r"_CallContext\.cast$", "API worker", "conductor", "cast build_instances"),
    ]
    for calls, pattern, src, dst, label in steps:
        call = _first(calls, pattern)
        if call is not None and call.t is not None:
            hops.append((ms(call), src, dst, label))
    hops.append((answered * 1000, "API worker", "client", "202 Accepted"))
    conductor_cast = _first(conductor_calls, r"_CallContext\.cast$")
    if conductor_cast is not None:
        hops.append((ms(conductor_cast), "conductor", "compute", "cast build_and_run_instance"))
    # each service taking its message, with the time the message spent on the bus
    for cast, calls, lane in ((_first(api_calls, r"_CallContext\.cast$"), conductor_calls,
                               "conductor"), (conductor_cast, compute_calls, "compute")):
        received = _first(calls, r"MessageHandlingServer\._process$")
        if received is not None and cast is not None:
            hops.append((ms(received), lane, lane, "takes the message\n(%.1f ms on the bus)"
                         % ((received.t - cast.t) * 1000)))
    spawn = _first(compute_calls, r"FakeDriver\.spawn$")
    if spawn is not None:
        hops.append((ms(spawn), "compute", "compute", "FakeDriver.spawn"))
    update = _last(compute_calls, r"db\.api\.instance_update$")
    if update is not None:
        hops.append((ms(update), "compute", "database", "instance_update\n(ACTIVE)"))
    hops.append((active * 1000, "client", "API worker", "GET /servers/<id>:\nACTIVE"))
    hops.sort(key=lambda hop: hop[0])
    return hops


def journey(started, api_calls, conductor_calls, compute_calls, answered, active) -> Picture:
    """Notebook 07: the create, hop by hop, at the times this run recorded."""
    messages = journey_messages(started, api_calls, conductor_calls, compute_calls,
                                answered, active)
    return sequence("journey", "One create, as it ran: %.0f ms to 202, %.0f ms to ACTIVE"
                    % (answered * 1000, active * 1000), JOURNEY_LANES, messages)


# --- the launcher's process tree (01) ------------------------------------------------

_LIFE = re.compile(r"(Started child (?P<started>\d+))|(Child (?P<dead>\d+) "
                   r"(?P<how>killed by signal \d+|exited with status \d+))")


def process_tree_dot(parent: int, rows, log_lines, keep_dead: int = 4) -> tuple[str, list]:
    """DOT for the launcher, its live workers and the workers it replaced; and the table rows.

    ``rows``: ``ProcessRow``s of the running processes (``MinovaProcess.process_tree()``);
    ``log_lines``: the launcher's log, where "Child N killed by signal S" followed by
    "Started child M" is a respawn (the parent forks a replacement for each dead worker).
    """
    live = {r.pid: r for r in rows}
    dead, respawned, waiting = {}, {}, []
    for line in log_lines:
        match = _LIFE.search(line)
        if match is None:
            continue
        if match["dead"]:
            dead[int(match["dead"])] = match["how"]
            waiting.append(int(match["dead"]))
        elif waiting:
            respawned[waiting.pop(0)] = int(match["started"])
    shown_dead = list(dead)[-keep_dead:]
    table = [(pid, "parent" if pid == parent else "worker", "running", live[pid].listening)
             for pid in sorted(live)]
    table += [(pid, "worker", dead[pid] + ("; respawned as %d" % respawned[pid]
                                           if pid in respawned else ""), "-")
              for pid in shown_dead]
    out = ["digraph process_tree {",
           '  rankdir=TB; nodesep=0.25; ranksep=0.35; size="%s";' % SIZE,
           '  node [fontname="Helvetica", fontsize=11, shape=box, style="rounded,filled"];',
           '  edge [fontname="Helvetica", fontsize=9, color=gray40];']
    prow = live.get(parent)
    out.append("  p%d [label=%s, fillcolor=\"#fde7c8\"];" % (parent, _q(
        "minova-api (parent)\npid %d%s" % (parent, "\n%s" % prow.listening if prow else
                                           "\n(exited)"))))
    for pid in sorted(live):
        if pid != parent:
            out.append("  p%d [label=%s, fillcolor=\"#dff3df\"];" % (pid, _q(
                "worker\npid %d\n%.0f MB, %d threads" % (pid, live[pid].rss_mb,
                                                         live[pid].threads))))
            out.append("  p%d -> p%d [label=\" fork\"];" % (parent, pid))
    for pid in shown_dead:
        out.append("  p%d [label=%s, fillcolor=\"#eeeeee\", fontcolor=gray40, style=\"rounded,"
                   "filled,dashed\"];" % (pid, _q("worker\npid %d\n%s" % (pid, dead[pid]))))
        out.append("  p%d -> p%d [style=dashed, color=gray70];" % (parent, pid))
        if respawned.get(pid) in live:
            out.append("  p%d -> p%d [label=\" respawned as\", color=\"#c01c28\", "
                       "fontcolor=\"#c01c28\", constraint=false];" % (pid, respawned[pid]))
    out.append("}")
    return "\n".join(out), table


def process_tree(api) -> Picture:
    """Notebook 01: ``api`` (a ``MinovaProcess``) as a tree: parent, workers, respawns."""
    dot, rows = process_tree_dot(api.pid, api.process_tree(),
                                 api.logs(5000, grep=r"Started child|Child \d+ ").splitlines())
    return Picture("process_tree", text_table(["pid", "role", "state", "listening on"], rows),
                   _draw(dot))


# --- BUILD -> ACTIVE on each transport (06) ----------------------------------------

TIMELINE_WIDTH = 860  # px: the whole SVG, labels included


def _ticks(end_ms: float) -> list[float]:
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)
                if end_ms / s <= 8)
    return [step * i for i in range(int(end_ms // step) + 1)]


def timeline(runs: dict) -> Picture:
    """Notebook 06: ``{transport: [(name, posted, answered, active), ...]}`` (seconds, as
    ``inprocess.time_creates`` returns them) as one bar per server: the POST until its 202
    (grey), BUILD until a GET saw ACTIVE (amber), ACTIVE (a green dot)."""
    rows = [(transport, *row) for transport, got in runs.items() for row in got]
    table = text_table(["transport", "server", "POST at (ms)", "202 at (ms)", "ACTIVE at (ms)",
                        "BUILD for (ms)"],
                       [(t, n, "%.0f" % (p * 1000), "%.0f" % (a * 1000),
                         "%.0f" % (c * 1000) if c is not None else "not yet",
                         "%.0f" % ((c - a) * 1000) if c is not None else "-")
                        for t, n, p, a, c in rows])
    end = max([c or a for _t, _n, _p, a, c in rows] + [0.001]) * 1000
    left, right, top, bar, gap = 170, 100, 46, 14, 8   # right: room for 'ACTIVE 350 ms'
    scale = (TIMELINE_WIDTH - left - right) / (_ticks(end)[-1] + (_ticks(end)[1] if
                                                                   len(_ticks(end)) > 1 else 1))
    height = top + len(rows) * (bar + gap) + len(runs) * 10 + 44

    def x(seconds):
        return left + seconds * 1000 * scale

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%dpx" height="%dpx" '
           'viewBox="0 0 %d %d" font-family="Helvetica, Arial, sans-serif" font-size="12">'
           % (TIMELINE_WIDTH, height, TIMELINE_WIDTH, height),
           "<title>timeline</title>",
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="18" font-size="14" text-anchor="middle">BUILD → ACTIVE: '
           '%d creates per transport, as they ran</text>' % (TIMELINE_WIDTH // 2,
                                                             len(rows) // max(len(runs), 1))]
    for tick in _ticks(end):
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>'
                   '<text x="%.1f" y="%d" fill="#666" font-size="10" text-anchor="middle">'
                   '%g ms</text>' % (x(tick / 1000), top - 8, x(tick / 1000), height - 36,
                                     x(tick / 1000), height - 24, tick))
    y = top
    for transport, got in runs.items():
        out.append('<text x="8" y="%d" font-weight="bold">%s</text>'
                   % (y + bar - 2, html.escape(transport)))
        for name, posted, answered, active in got:
            out.append('<text x="%d" y="%d" text-anchor="end">%s</text>'
                       % (left - 8, y + bar - 2, html.escape(name)))
            out.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="#9a9996">'
                       '<title>POST until 202: %.0f ms</title></rect>'
                       % (x(posted), y, max(x(answered) - x(posted), 1), bar,
                          (answered - posted) * 1000))
            if active is not None:
                out.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="#f6d32d" '
                           'stroke="#c88800"><title>BUILD: %.0f ms</title></rect>'
                           % (x(answered), y, max(x(active) - x(answered), 1), bar,
                              (active - answered) * 1000))
                out.append('<circle cx="%.1f" cy="%.1f" r="5" fill="#26a269"/>'
                           '<text x="%.1f" y="%d" font-size="10" fill="#26a269">ACTIVE %.0f ms'
                           '</text>' % (x(active), y + bar / 2, x(active) + 8, y + bar - 3,
                                        active * 1000))
            y += bar + gap
        y += 10
    out.append('<text x="%d" y="%d" font-size="10" fill="#666">grey: POST until the 202 · '
               'amber: BUILD · green: ACTIVE (ms after the first POST)</text>'
               % (8, height - 6))
    out.append("</svg>")
    return Picture("timeline", table, "\n".join(out))
