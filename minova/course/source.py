"""Show a minova class or function's source beside the Juno file:line it mirrors.

Not a nova mirror: a teaching helper.  In a notebook, ``show_source(ProcessLauncher)``
or ``show_source(ProcessLauncher._start_child)`` as the last line of a cell shows
highlighted source headed by the qualified name, where it lives in minova, and
where Juno has it: the ``Mirrors:`` trailer or inline ``Juno:`` file:line of the
object, else the same name in its class's or module's Juno file, looked up in
tests/juno/index.json (the index the citation test checks against).  What Juno
does not have is headed "not in Juno".
"""

from __future__ import annotations

import functools
import html
import inspect
import json
import os
import re
import sys
from dataclasses import dataclass

# Mirrors: nova.api.openstack.wsgi.Fault (nova/api/openstack/wsgi.py:1166, 2014.2); a library
# class may name only its file: Mirrors: oslo.messaging.Target (oslo/messaging/target.py, ...)
MIRRORS_RE = re.compile(
    r"^\s*Mirrors:\s*(?P<name>[\w.]+(?: \+ [\w.]+)*)\s*\((?P<path>[\w./-]+)"
    r"(?::(?P<line>\d+)(?:-\d+)?)?,"
    r"\s*(?P<release>(?:[^()]|\([^()]*\))+)\)", re.MULTILINE)  # "2014.2; start() at 159-217"
# Functions often say it inline: "Juno: nova/api/auth.py:53-59" or "(Juno: nova/rpc.py:58-65)".
JUNO_RE = re.compile(r"Juno:\s*(?P<path>nova/[\w./-]+\.py)(?::(?P<line>\d+)(?:-\d+)?)?")


@dataclass(frozen=True)
class Mirror:
    """One ``Mirrors:`` trailer: the nova name, file, line and release."""

    name: str
    path: str
    line: int
    release: str

    def __str__(self) -> str:
        where = "%s:%d" % (self.path, self.line) if self.line else self.path
        return "%s (%s, %s)" % (self.name, where, self.release)


def parse_mirrors(doc: str | None) -> list[Mirror]:
    return [Mirror(m["name"], m["path"], int(m["line"] or 0), " ".join(m["release"].split()))
            for m in MIRRORS_RE.finditer(doc or "")]


def _unwrap(obj):
    """The plain function behind methods, properties and decorators such as webob's wsgify."""
    if isinstance(obj, (staticmethod, classmethod)):
        obj = obj.__func__
    if isinstance(obj, property):
        obj = obj.fget
    obj = inspect.unwrap(obj) if callable(obj) else obj
    if inspect.ismethod(obj):
        obj = obj.__func__
    if not (inspect.isfunction(obj) or inspect.isclass(obj)) and callable(getattr(obj, "func",
                                                                                    None)):
        obj = obj.func  # webob.dec.wsgify keeps the decorated function as .func
    return obj


def _owner_class(func):
    """The class a function was defined in, found through its ``__qualname__``."""
    parts = func.__qualname__.split(".")
    if len(parts) < 2 or "<locals>" in parts:
        return None
    owner = sys.modules.get(func.__module__)
    for part in parts[:-1]:
        owner = getattr(owner, part, None)
    return owner if inspect.isclass(owner) else None


def parse_juno_refs(doc: str | None, name: str) -> list[Mirror]:
    """Inline ``Juno: nova/x.py:LINE`` references (line 0 when only the file is named)."""
    return [Mirror(name, m["path"], int(m["line"] or 0), "2014.2")
            for m in JUNO_RE.finditer(doc or "")][:1]


@functools.lru_cache(maxsize=1)
def juno_index() -> dict | None:
    """tests/juno/index.json: each cited Juno file's classes and defs with their lines.

    The citation test reads the same index; tests/juno/make_index.py writes it from
    a nova clone at tag 2014.2.  None outside a clone of the course.
    """
    path = os.path.join(_root(), "tests", "juno", "index.json")
    try:
        with open(path) as f:
            return {name: {qual: line for line, _kind, qual in entry["symbols"]}
                    for name, entry in json.load(f)["files"].items()}
    except OSError:
        return None


def _juno_qualname(name: str, path: str) -> str:
    """``nova.api.openstack.wsgi.Resource`` in nova/api/openstack/wsgi.py -> ``Resource``."""
    module = path[:-3].replace("/", ".")
    return name[len(module) + 1:] if name.startswith(module + ".") else name.rsplit(".", 1)[-1]


def _checked(mirror: Mirror, qualname: str | None = None) -> Mirror:
    """The mirror with the line the index gives for its symbol (the docstring's may be a range)."""
    index = juno_index() or {}
    qualname = qualname or _juno_qualname(mirror.name, mirror.path)
    line = index.get(mirror.path, {}).get(qualname)
    return Mirror(mirror.name, mirror.path, line, mirror.release) if line else mirror


def _lookup(path: str, qualname: str) -> int | None:
    return (juno_index() or {}).get(path, {}).get(qualname)


def find_origin(obj) -> tuple[list[Mirror], str]:
    """Where ``obj`` comes from in Juno, and a note when Juno does not have it.

    In order: the object's own ``Mirrors:`` trailer or inline ``Juno: nova/x.py:N``;
    for a method, the method of the same name in its class's Juno twin; for a
    module-level function or class, the same name in its module's Juno file.  A
    name the index does not hold there is a minova helper: ``([], "not in Juno: ...")``.
    """
    obj = _unwrap(obj)
    doc = inspect.getdoc(obj) if inspect.isclass(obj) or inspect.isfunction(obj) else None
    mirrors = parse_mirrors(doc)
    if mirrors:
        return [_checked(m) for m in mirrors], ""
    name = getattr(obj, "__qualname__", repr(obj))
    if inspect.isfunction(obj):
        refs = parse_juno_refs(doc, name)
        if refs:
            (ref,) = refs
            line = ref.line or _lookup(ref.path, name.rsplit(".", 1)[-1])
            return [Mirror(ref.name, ref.path, line or 0, ref.release)], ""
    index = juno_index()
    module_refs = parse_juno_refs(getattr(sys.modules.get(getattr(obj, "__module__", "")),
                                          "__doc__", ""), name)
    owner = _owner_class(obj) if inspect.isfunction(obj) else None
    if owner is not None:
        twins = parse_mirrors(inspect.getdoc(owner))
        if index is None or any(t.path not in index for t in twins):
            # outside a clone, or a library's class: point at the class, as before
            return [Mirror("%s (its class)" % m.name, m.path, m.line, m.release)
                    for m in twins], ""
        places = [(t.name, t.path, _juno_qualname(t.name, t.path), t.release) for t in twins]
        places += [("%s.%s" % (r.path[:-3].replace("/", "."), owner.__name__), r.path,
                    owner.__name__, r.release) for r in module_refs if not twins]
        for juno_name, path, qual, release in places:
            line = _lookup(path, "%s.%s" % (qual, obj.__name__))
            if line:
                return [Mirror("%s.%s" % (juno_name, obj.__name__), path, line, release)], ""
        if twins:
            return [], "not in Juno: a minova helper (its class mirrors %s)" % twins[0]
        return [], "not in Juno: a minova or course addition"
    if module_refs:
        (ref,) = module_refs
        if index is None:
            return module_refs, ""
        line = _lookup(ref.path, name)
        if line:
            return [Mirror(ref.name, ref.path, line, ref.release)], ""
        return [], "not in Juno: a minova helper (its module mirrors %s)" % ref.path
    return [], "not in Juno: a minova or course addition"


def find_mirrors(obj) -> list[Mirror]:
    """Where ``obj`` comes from in Juno (empty when Juno does not have it)."""
    return find_origin(obj)[0]


def _root() -> str:
    import minova

    return os.path.dirname(os.path.dirname(os.path.abspath(minova.__file__)))


def _repo_relative(path: str) -> str:
    """``/anything/minova/wsgi.py`` -> ``minova/wsgi.py`` (as a learner sees it in the tree)."""
    root = _root()
    path = os.path.abspath(path)
    return os.path.relpath(path, root) if path.startswith(root + os.sep) else path


@dataclass
class SourceView:
    """What ``show_source`` returns: renders as highlighted HTML in Jupyter, as text elsewhere."""

    qualname: str
    location: str
    source: str
    mirrors: list[Mirror]
    note: str = ""

    def header_lines(self) -> list[str]:
        lines = [self.qualname, "minova: %s" % self.location]
        lines += ["Juno:   %s" % m for m in self.mirrors] or [
            "Juno:   %s" % (self.note or "not in Juno: a minova or course addition")]
        return lines

    def __str__(self) -> str:
        return "\n".join(self.header_lines()) + "\n\n" + self.source

    __repr__ = __str__

    def _repr_html_(self) -> str:
        from pygments import highlight
        from pygments.formatters import HtmlFormatter
        from pygments.lexers import PythonLexer

        # noclasses: inline colours, so no stylesheet is needed in any front end.
        body = highlight(self.source, PythonLexer(), HtmlFormatter(noclasses=True))
        head = "<br>".join(html.escape(line) for line in self.header_lines())
        return "<div><p style='font-family:monospace'>%s</p>%s</div>" % (head, body)


def show_source(obj) -> SourceView:
    """Source of a minova class, function or method, with the Juno location it mirrors."""
    target = _unwrap(obj)
    lines, start = inspect.getsourcelines(target)
    filename = inspect.getsourcefile(target) or "?"
    qualname = "%s.%s" % (target.__module__, target.__qualname__)
    mirrors, note = find_origin(obj)
    return SourceView(qualname, "%s:%d" % (_repo_relative(filename), start), "".join(lines),
                      mirrors, note)
