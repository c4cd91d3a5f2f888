"""Class diagrams from live code: qualified names, inheritance and holds edges, drift detection."""

from __future__ import annotations

import importlib
import os
import pathlib
import shutil
import sys
import textwrap

import pytest
from graphviz.backend import dot_command

from minova.course import diagrams, dotfinder

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_committed_diagrams_match_the_code():
    problems = diagrams.stale_diagrams(ROOT / "diagrams")
    assert not problems, "\n".join(problems)


def test_svg_width_px_reads_points_and_pixels():
    assert diagrams.svg_width_px('<svg width="750pt" height="10pt">') == 1000
    assert diagrams.svg_width_px('<?xml?>\n<svg height="1" width="640px">') == 640
    assert diagrams.svg_width_px('<svg width="12" height="3">') == 12
    with pytest.raises(ValueError):
        diagrams.svg_width_px("<svg>")


@pytest.mark.parametrize("path", sorted((ROOT / "diagrams").glob("*.svg")), ids=lambda p: p.name)
def test_committed_svgs_fit_a_notebook_cell(path):
    """Issue 12 item 10: a JupyterLab cell at a 1400 px window (issue 14 measured 968 px)."""
    width = diagrams.svg_width_px(path.read_text())
    assert width <= diagrams.MAX_WIDTH_PX, "%s is %d px wide" % (path.name, width)


def test_every_registered_diagram_drawn_now_fits_a_notebook_cell():
    if dotfinder.find_dot().path is None:
        pytest.skip("no dot here: ./course setup provides one")
    for name in diagrams.DIAGRAMS:
        drawn = diagrams.show_diagram(name)
        if drawn.svg is not None:
            assert diagrams.svg_width_px(drawn.svg) <= diagrams.MAX_WIDTH_PX, name


def test_wrap_name_breaks_only_after_dots_and_slashes():
    assert diagrams.wrap_name("minova.api.openstack.compute.contrib.extended_status") == [
        "minova.api.", "openstack.compute.", "contrib.", "extended_status"]
    assert diagrams.wrap_name("minova/api/openstack/compute/servers.py:154", 24, "/") == [
        "minova/api/openstack/", "compute/servers.py:154"]
    assert diagrams.wrap_name("webob") == ["webob"]
    assert diagrams.wrap_name("a_very_long_name_without_any_dot", 5) == [
        "a_very_long_name_without_any_dot"]


def test_stagger_lines_spreads_a_fan_out_and_stacks_lonely_nodes():
    held = ["h%d" % i for i in range(5)]
    lines = diagrams.stagger_lines(["api", *held, "x", "y", "z", "w"],
                                   [("api", h) for h in held])
    assert lines == ['  "api" -> "h1" [style=invis, minlen=2];',
                     '  "api" -> "h3" [style=invis, minlen=2];',
                     '  "x" -> "y" [style=invis];', '  "y" -> "z" [style=invis];']
    assert diagrams.stagger_lines(["a", "b", "c"], [("a", "b"), ("a", "c")]) == []


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


def _use_dot(monkeypatch, path, kind=dotfinder.SYSTEM):
    """Make diagrams.render run the ``dot`` at ``path`` (graphviz's DOT_BINARY restored after)."""
    monkeypatch.setattr(dot_command, "DOT_BINARY", dot_command.DOT_BINARY)
    monkeypatch.setattr(dotfinder, "find_dot", lambda *a, **k: dotfinder.DotBinary(str(path), kind))


def _fake_dot(tmp_path):
    """A ``dot`` whose SVG differs on every run, as two graphviz builds' SVGs differ."""
    fake = tmp_path / "bin" / "dot"
    fake.parent.mkdir()
    fake.write_text('#!/bin/sh\ncat >/dev/null\necho "<svg width=\\"10pt\\" height=\\"10pt\\">'
                    '<!-- $$ $(date +%N) --></svg>"\n')
    fake.chmod(0o755)
    return fake


def _snapshot(directory) -> dict:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(directory.iterdir())}


def test_generate_all_twice_changes_no_file(tmp_path, monkeypatch):
    """Issue 12 item 15: the .dot decides; an SVG is drawn only when its .dot changed."""
    _use_dot(monkeypatch, _fake_dot(tmp_path))
    out = tmp_path / "out"
    first = diagrams.generate_all(out)
    assert first and all(line.startswith("wrote ") for line in first), first
    before = _snapshot(out)
    second = diagrams.generate_all(out)
    assert _snapshot(out) == before
    assert all(line.startswith("unchanged ") for line in second), second
    # A missing SVG is drawn again, and only that one.
    name = sorted(diagrams.DIAGRAMS)[0]
    (out / ("%s.svg" % name)).unlink()
    third = diagrams.generate_all(out)
    assert third[0] == "kept %s.dot, wrote %s.svg" % (name, name)
    assert all(line.startswith("unchanged ") for line in third[1:]), third
    # --force redraws every SVG and leaves the unchanged .dot files alone.
    dots = {n: v for n, v in _snapshot(out).items() if n.endswith(".dot")}
    diagrams.generate_all(out, force=True)
    after = _snapshot(out)
    assert {n: v for n, v in after.items() if n.endswith(".dot")} == dots
    assert all(after[n] != before[n] for n in after if n.endswith(".svg"))


def test_generate_all_leaves_the_committed_svgs_alone_whatever_dot_draws(tmp_path, monkeypatch):
    """What ./course diagrams does to diagrams/ when the code did not change: nothing."""
    _use_dot(monkeypatch, _fake_dot(tmp_path))
    copy = tmp_path / "diagrams"
    shutil.copytree(ROOT / "diagrams", copy)
    before = _snapshot(copy)
    report = diagrams.generate_all(copy)
    assert _snapshot(copy) == before, report


def _real_dots():
    """The system's dot and the graphviz-pure wheel's, each where this machine has it."""
    system = shutil.which("dot")
    if system and dotfinder._kind_of(system) != dotfinder.SYSTEM:  # our link to graphviz-pure
        system = None
    pure = os.path.join(os.path.dirname(sys.executable), dotfinder.GRAPHVIZ_PURE)
    pure = shutil.which(dotfinder.GRAPHVIZ_PURE) or (pure if os.path.exists(pure) else None)
    return [pytest.param(system, dotfinder.SYSTEM, id="system-dot"),
            pytest.param(pure, dotfinder.GRAPHVIZ_PURE, id="graphviz-pure")]


@pytest.mark.parametrize(("path", "kind"), _real_dots())
def test_generate_all_twice_with_a_real_dot_changes_no_file(path, kind, tmp_path, monkeypatch):
    if path is None:
        pytest.skip("no %s on this machine" % kind)
    _use_dot(monkeypatch, path, kind)
    out = tmp_path / "out"
    assert any(" and " in line for line in diagrams.generate_all(out))
    before = _snapshot(out)
    diagrams.generate_all(out)
    assert _snapshot(out) == before


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
