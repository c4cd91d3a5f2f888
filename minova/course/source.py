"""Show a minova class or function's source beside the Juno file:line it mirrors.

Not a nova mirror: a teaching helper.  In a notebook, ``show_source(ProcessLauncher)``
or ``show_source(ProcessLauncher._start_child)`` as the last line of a cell shows
highlighted source headed by the qualified name, where it lives in minova, and
the nova file:line from the class docstring's ``Mirrors:`` trailer.
"""

from __future__ import annotations

import html
import inspect
import os
import re
import sys
from dataclasses import dataclass

# Mirrors: nova.api.openstack.wsgi.Fault (nova/api/openstack/wsgi.py:1166, 2014.2); a library
# class may name only its file: Mirrors: oslo.messaging.Target (oslo/messaging/target.py, ...)
MIRRORS_RE = re.compile(
    r"^\s*Mirrors:\s*(?P<name>[\w.]+(?: \+ [\w.]+)*)\s*\((?P<path>[\w./-]+)"
    r"(?::(?P<line>\d+)(?:-\d+)?)?,"
    r"\s*(?P<release>[^)]+)\)", re.MULTILINE)
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


def find_mirrors(obj) -> list[Mirror]:
    """Where ``obj`` comes from in Juno: its own docstring, else its class's, else its module's."""
    obj = _unwrap(obj)
    doc = inspect.getdoc(obj)
    mirrors = parse_mirrors(doc)
    if mirrors or not inspect.isfunction(obj):
        return mirrors
    name = obj.__qualname__
    mirrors = parse_juno_refs(doc, name)
    owner = _owner_class(obj)
    if not mirrors and owner is not None:
        # A method without its own reference: point at its class, and say so.
        mirrors = [Mirror("%s (its class)" % m.name, m.path, m.line, m.release)
                   for m in parse_mirrors(inspect.getdoc(owner))]
    if not mirrors:
        mirrors = parse_juno_refs(getattr(sys.modules.get(obj.__module__), "__doc__", ""), name)
    return mirrors


def _repo_relative(path: str) -> str:
    """``/anything/minova/wsgi.py`` -> ``minova/wsgi.py`` (as a learner sees it in the tree)."""
    import minova

    root = os.path.dirname(os.path.dirname(os.path.abspath(minova.__file__)))
    path = os.path.abspath(path)
    return os.path.relpath(path, root) if path.startswith(root + os.sep) else path


@dataclass
class SourceView:
    """What ``show_source`` returns: renders as highlighted HTML in Jupyter, as text elsewhere."""

    qualname: str
    location: str
    source: str
    mirrors: list[Mirror]

    def header_lines(self) -> list[str]:
        lines = [self.qualname, "minova: %s" % self.location]
        lines += ["Juno:   %s" % m for m in self.mirrors] or ["Juno:   (not from Juno: a minova or course addition)"]
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
    return SourceView(qualname, "%s:%d" % (_repo_relative(filename), start), "".join(lines),
                      find_mirrors(obj))
