"""Class diagrams from live code: qualified names, inheritance and holds edges, drift detection."""

from __future__ import annotations

import importlib
import pathlib
import sys
import textwrap

import pytest
from graphviz.backend import dot_command

from minova.course import diagrams, dotfinder

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_committed_diagrams_match_the_code():
    problems = diagrams.stale_diagrams(ROOT / "diagrams")
    assert not problems, "\n".join(problems)


def test_registry_builds_at_least_one_diagram_and_explains_the_rest():
    built, skipped = [], []
    for name in diagrams.DIAGRAMS:
        try:
            built.append(diagrams.build_spec(name))
        except diagrams.DiagramUnavailable as exc:
            skipped.append(str(exc))
    assert built
    assert all("cannot be imported" in reason or "is not a class" in reason for reason in skipped)


@pytest.fixture
def demo_modules(tmp_path, monkeypatch):
    """Write small modules under tmp_path and import them fresh (no stale bytecode)."""
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    monkeypatch.syspath_prepend(str(tmp_path))
    written = []

    def write(name: str, source: str):
        (tmp_path / ("%s.py" % name)).write_text(textwrap.dedent(source))
        importlib.invalidate_caches()
        sys.modules.pop(name, None)
        written.append(name)
        return importlib.import_module(name)

    yield write
    for name in written:
        sys.modules.pop(name, None)


def test_build_dot_keeps_two_same_named_classes_apart(demo_modules):
    base = demo_modules("demo_common", "class Service:\n    pass\n")
    mine = demo_modules("demo_nova", "import demo_common\n"
                                     "class Service(demo_common.Service):\n    pass\n")
    dot = diagrams.build_dot([mine.Service, base.Service])
    assert '"demo_nova.Service" [label="Service\\ndemo_nova"' in dot
    assert '"demo_common.Service" [label="Service\\ndemo_common"' in dot
    assert '"demo_nova.Service" -> "demo_common.Service" [arrowhead=empty];' in dot


def test_build_dot_finds_holds_edges_in_init(demo_modules):
    demo_modules("demo_parts", "class Pool:\n    pass\n")
    mod = demo_modules("demo_holder", '''
        import demo_parts
        from paste.urlmap import URLMap

        class Controller:
            pass

        class Loader:
            pass

        class Holder:
            def __init__(self, controller: "Controller", loader=None, n: int = 1):
                self.pool = demo_parts.Pool()
                self.loader = loader or Loader()
                self.controller = controller
                self.count = n
                self.app = URLMap()
    ''')
    import demo_parts
    dot = diagrams.build_dot([mod.Holder, mod.Controller, mod.Loader, demo_parts.Pool],
                             external=["paste.urlmap.URLMap"])
    for attr, target in [("pool", "demo_parts.Pool"), ("loader", "demo_holder.Loader"),
                         ("controller", "demo_holder.Controller"), ("app", "paste.urlmap.URLMap")]:
        assert ('"demo_holder.Holder" -> "%s" [style=dashed, arrowhead=vee, label="%s"];'
                % (target, attr)) in dot
    assert 'label="count"' not in dot
    assert '"paste.urlmap.URLMap" [label="URLMap\\npaste.urlmap", fillcolor="#eeeeee"' in dot


def test_build_dot_is_deterministic_and_takes_spec_holds(demo_modules):
    mod = demo_modules("demo_resource", '''
        class Resource:
            def __init__(self, controller):
                self.controller = controller

        class ServersController:
            pass
    ''')
    holds = [("demo_resource.Resource", "controller", "demo_resource.ServersController")]
    one = diagrams.build_dot([mod.Resource, mod.ServersController], holds=holds)
    two = diagrams.build_dot(["demo_resource.ServersController", "demo_resource.Resource"],
                             holds=holds)
    assert one == two
    assert 'label="controller"' in one


def test_stale_diagrams_catches_a_changed_class(demo_modules, tmp_path, monkeypatch):
    source = '''
        class Launcher:
            def __init__(self):
                self.services = Services()

        class Services:
            pass

        class ServiceLauncher(Launcher):
            pass
    '''
    demo_modules("demo_launch", source)
    spec = diagrams.DiagramSpec("demo", ("demo_launch.Launcher", "demo_launch.Services",
                                         "demo_launch.ServiceLauncher"))
    monkeypatch.setattr(diagrams, "DIAGRAMS", {"demo": spec})
    out = tmp_path / "out"
    assert diagrams.generate_all(out)[0].startswith("wrote demo.dot")
    assert diagrams.stale_diagrams(out) == []
    # The drift a learner might cause: ServiceLauncher stops inheriting Launcher.
    demo_modules("demo_launch", source.replace("ServiceLauncher(Launcher)", "ServiceLauncher"))
    assert diagrams.stale_diagrams(out) == ["diagrams/demo.dot is stale: run ./course diagrams"]
    (out / "demo.dot").unlink()
    assert diagrams.stale_diagrams(out) == ["diagrams/demo.dot is missing: run ./course diagrams"]


def test_stale_diagrams_reports_a_committed_diagram_that_no_longer_builds(tmp_path, monkeypatch):
    spec = diagrams.DiagramSpec("gone", ("minova.no_such_module.Thing",))
    monkeypatch.setattr(diagrams, "DIAGRAMS", {"gone": spec})
    assert diagrams.generate_all(tmp_path)[0].startswith("skipped gone: minova.no_such_module")
    (tmp_path / "gone.dot").write_text("digraph {}\n")
    assert "cannot be built" in diagrams.stale_diagrams(tmp_path)[0]


def test_render_without_dot_gives_message_and_dot_text(monkeypatch):
    monkeypatch.setattr(dotfinder, "find_dot", lambda *a, **k: dotfinder.DotBinary(None, None))
    drawn = diagrams.render("digraph { a -> b }")
    assert drawn.svg is None and "No graphviz `dot`" in drawn.message
    bundle = drawn._repr_mimebundle_()
    assert "digraph { a -&gt; b }" in bundle["text/html"] and "a -> b" in bundle["text/plain"]


def test_render_with_a_broken_dot_does_not_raise(monkeypatch, tmp_path):
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\necho 'dot: out of cheese' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setattr(dot_command, "DOT_BINARY", dot_command.DOT_BINARY)  # restored after
    monkeypatch.setattr(dotfinder, "find_dot", lambda *a, **k: dotfinder.DotBinary(
        str(fake), dotfinder.SYSTEM))
    drawn = diagrams.render("digraph { a -> b }")
    assert drawn.svg is None and "failed" in drawn.message and "digraph" in drawn.dot


def test_render_with_the_real_dot_gives_svg():
    if dotfinder.find_dot().path is None:
        pytest.skip("no dot here: ./course setup provides one")
    drawn = diagrams.render(diagrams.build_dot(["minova.wsgi.Middleware",
                                                "minova.wsgi.Application"]))
    assert drawn.svg is not None and "<svg" in drawn.svg and "Middleware" in drawn.svg
    assert drawn._repr_mimebundle_()["image/svg+xml"] == drawn.svg


def test_show_diagram_explains_an_unavailable_spec(monkeypatch):
    spec = diagrams.DiagramSpec("later", ("minova.not_yet.Thing",))
    monkeypatch.setitem(diagrams.DIAGRAMS, "later", spec)
    drawn = diagrams.show_diagram("later")
    assert "not available yet" in drawn.message and "minova.not_yet" in drawn.message
    assert "No diagram 'nope'; known: " in diagrams.show_diagram("nope").message


def test_find_dot_wires_up_graphviz_pure(tmp_path):
    binary = tmp_path / "graphviz-pure"
    binary.write_text("#!/bin/sh\n")
    binary.chmod(0o755)
    assert dotfinder.find_dot(path_env="", bin_dir=str(tmp_path)) == dotfinder.DotBinary(
        str(binary), dotfinder.GRAPHVIZ_PURE)
    (tmp_path / "dot").symlink_to("graphviz-pure")  # what ./course does in .venv/bin
    found = dotfinder.find_dot(path_env=str(tmp_path), bin_dir="/nonexistent")
    assert found == dotfinder.DotBinary(str(tmp_path / "dot"), dotfinder.GRAPHVIZ_PURE)
    assert dotfinder.find_dot(path_env="", bin_dir="/nonexistent").path is None
