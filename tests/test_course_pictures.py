"""The pictures of notebooks 01, 06 and 07, drawn from live data (minova/course/pictures.py)."""

from __future__ import annotations

import pytest

from minova.course import diagrams, pictures
from minova.course.trace import Call


def _call(name, t):
    return Call(0, "minova." + name, "minova/x.py:1", t=t)


API = [_call("api.openstack.urlmap.URLMap.__call__", 10.000),
       _call("db.api.instance_create", 10.010),
       _call("messaging.rpc.client._CallContext.cast", 10.020)]
CONDUCTOR = [_call("messaging.rpc.server.MessageHandlingServer._process", 10.050),
             _call("messaging.rpc.client._CallContext.cast", 10.060)]
COMPUTE = [_call("messaging.rpc.server.MessageHandlingServer._process", 10.065),
           _call("virt.fake.FakeDriver.spawn", 10.070),
           _call("db.api.instance_update", 10.071), _call("db.api.instance_update", 10.080)]


def test_the_journey_is_the_runs_hops_in_time_order_with_the_time_on_the_bus():
    hops = pictures.journey_messages(9.999, API, CONDUCTOR, COMPUTE, answered=0.030, active=0.090)
    assert [(round(t), src, dst) for t, src, dst, _label in hops] == [
        (1, "client", "API worker"), (11, "API worker", "database"),
        (21, "API worker", "conductor"), (30, "API worker", "client"),
        (51, "conductor", "conductor"), (61, "conductor", "compute"),
        (66, "compute", "compute"), (71, "compute", "compute"),
        (81, "compute", "database"), (90, "client", "API worker")]
    assert "30.0 ms on the bus" in hops[4][3] and "5.0 ms on the bus" in hops[6][3]
    assert hops[8][3] == "instance_update\n(ACTIVE)"   # the last update: the one to ACTIVE


def test_without_dot_a_picture_is_a_text_table(monkeypatch):
    monkeypatch.setattr(diagrams, "render", lambda dot: diagrams.Diagram(dot, message="no dot"))
    pic = pictures.journey(9.999, API, CONDUCTOR, COMPUTE, answered=0.030, active=0.090)
    assert pic.svg is None
    bundle = pic._repr_mimebundle_()
    assert "image/svg+xml" not in bundle
    lines = bundle["text/plain"].splitlines()
    assert lines[0] == "One create, as it ran: 30 ms to 202, 90 ms to ACTIVE"
    assert lines[2].split() == ["t", "(ms)", "+hop", "from", "to", "message"]
    assert lines[3].split() == ["1.0", "client", "API", "worker", "POST", "/v2.1/servers"]
    assert lines[-1].split()[:2] == ["90.0", "+9.0"]


@pytest.fixture
def dot():
    if diagrams.render("digraph g { a }").svg is None:
        pytest.skip("no graphviz dot here")


def test_the_journey_is_an_svg_named_journey_that_fits_a_cell(dot):
    pic = pictures.journey(9.999, API, CONDUCTOR, COMPUTE, answered=0.030, active=0.090)
    assert "<title>journey</title>" in pic.svg
    for lane in pictures.JOURNEY_LANES + ("FakeDriver.spawn", "cast build_and_run_instance"):
        assert ">%s<" % lane in pic.svg
    assert 300 < diagrams.svg_width_px(pic.svg) <= diagrams.MAX_WIDTH_PX


class _Row:
    def __init__(self, pid, ppid):
        self.pid, self.ppid, self.listening, self.rss_mb, self.threads = (
            pid, ppid, "127.0.0.1:8774", 50.0, 4)


LAUNCHER_LOG = ["... Started child 11", "... Started child 12", "... Child 11 killed by signal 9",
                "... Started child 13", "... Child 13 exited with status 1", "... Started child 14"]


def test_the_process_tree_pairs_each_dead_worker_with_its_replacement():
    dot, rows = pictures.process_tree_dot(10, [_Row(10, 1), _Row(12, 10), _Row(14, 10)],
                                          LAUNCHER_LOG)
    assert rows == [(10, "parent", "running", "127.0.0.1:8774"),
                    (12, "worker", "running", "127.0.0.1:8774"),
                    (14, "worker", "running", "127.0.0.1:8774"),
                    (11, "worker", "killed by signal 9; respawned as 13", "-"),
                    (13, "worker", "exited with status 1; respawned as 14", "-")]
    assert "p10 -> p12" in dot and "p10 -> p14" in dot
    assert 'p13 -> p14 [label=" respawned as"' in dot
    assert "p11 -> p13" not in dot   # 13 is gone too: no arrow to a dead node


def test_the_process_tree_is_an_svg_named_process_tree(dot):
    dot_text, _rows = pictures.process_tree_dot(10, [_Row(10, 1), _Row(12, 10), _Row(14, 10)],
                                                LAUNCHER_LOG)
    svg = pictures._draw(dot_text)
    assert "<title>process_tree</title>" in svg and "killed by signal 9" in svg
    assert diagrams.svg_width_px(svg) <= diagrams.MAX_WIDTH_PX


RUNS = {"memory://": [("vm1", 0.0, 0.012, 0.150), ("vm2", 0.012, 0.020, None)],
        "RabbitMQ": [("vm1", 0.0, 0.010, 0.140)]}


def test_the_timeline_is_one_bar_per_server_and_a_table():
    pic = pictures.timeline(RUNS)
    assert pic.table.splitlines()[1:] == [
        "memory://  vm1     0             12           150             138",
        "memory://  vm2     12            20           not yet         -",
        "RabbitMQ   vm1     0             10           140             130"]
    assert pic.svg.count("<title>BUILD: ") == 2 and pic.svg.count("<title>POST until 202") == 3
    assert "<title>timeline</title>" in pic.svg and ">RabbitMQ<" in pic.svg
    assert diagrams.svg_width_px(pic.svg) == pictures.TIMELINE_WIDTH <= diagrams.MAX_WIDTH_PX


def test_time_creates_measures_build_to_active_on_the_memory_bus():
    from minova.course import inprocess

    rows = inprocess.time_creates("memory://", count=2, spawn_delay=0.05)
    assert [name for name, *_ in rows] == ["vm1", "vm2"]
    for _name, posted, answered, active in rows:
        assert posted < answered < active and active - answered >= 0.05
