"""minova.course.trace: a request's call chain through the packaged api-paste.ini, recorded."""

from __future__ import annotations

import os
import re
import sys
import threading

import paste.deploy
import pytest
import webob
import webob.dec

import minova
from minova.course import diagrams, trace

PASTE_INI = os.path.join(os.path.dirname(minova.__file__), "etc", "api-paste.ini")
V21_FILTERS = ["URLMap", "ComputeReqIdMiddleware", "FaultWrapper", "RequestBodySizeLimiter",
               "NoAuthMiddleware"]


@pytest.fixture
def app(conf):
    return paste.deploy.loadapp("config:" + PASTE_INI, name="osapi_compute")


def test_trace_request_root_runs_urlmap_faultwrap_versions_in_order(app):
    resp, calls = trace.trace_request(app, "/")
    assert resp.status_int == 200
    assert trace.pipeline(calls) == ["URLMap", "FaultWrapper", "Versions"]
    assert calls[0].name == "minova.api.openstack.urlmap.URLMap.__call__"
    assert calls[0].where.startswith("minova/api/openstack/urlmap.py:")


def test_trace_request_v21_runs_the_filters_then_the_router(app):
    _resp, calls = trace.trace_request(app, "/v2.1/flavors", headers={"X-Auth-Token": "u:p"})
    ran = trace.pipeline(calls)
    assert ran[:5] == V21_FILTERS
    assert ran[5] == "APIRouter"   # the last app of the pipeline, whatever it does inside
    assert "minova.api.openstack.compute.APIRouter" in trace.pipeline(calls, short=False)


def test_trace_request_noauth_handshake_stops_before_the_router(app):
    resp, calls = trace.trace_request(app, "/v2.1/servers")
    assert resp.status_int == 204
    assert trace.pipeline(calls) == V21_FILTERS


def test_trace_request_nests_each_filter_inside_the_one_above(app):
    _resp, calls = trace.trace_request(app, "/v2.1/servers")
    depth = {c.owner.rpartition(".")[2]: c.depth for c in calls if c.name.endswith("__call__")}
    assert (depth["URLMap"] < depth["ComputeReqIdMiddleware"] < depth["FaultWrapper"]
            < depth["RequestBodySizeLimiter"] < depth["NoAuthMiddleware"])


def test_trace_request_records_the_environ_each_app_saw(app):
    _resp, calls = trace.trace_request(app, "/v2.1/servers")
    seen = {c.owner.rpartition(".")[2]: (c.script_name, c.path_info) for c in calls
            if c.name.endswith("__call__")}
    assert seen["URLMap"] == ("", "/v2.1/servers")
    assert seen["FaultWrapper"] == ("/v2.1", "/servers")


def test_trace_call_restores_the_profilers_even_when_the_call_raises():
    def marker(*_args):
        return None

    sys.setprofile(marker)
    try:
        with pytest.raises(ZeroDivisionError):
            trace.trace_call(lambda: 1 / 0)
        assert sys.getprofile() is marker
    finally:
        sys.setprofile(None)
    assert threading.getprofile() is None


def test_trace_call_records_calls_made_in_new_threads():
    from minova import context

    def run():
        thread = threading.Thread(target=context.generate_request_id)
        thread.start()
        thread.join()

    _result, calls = trace.trace_call(run)
    assert [c.name for c in calls] == ["minova.context.generate_request_id"]
    assert calls[0].depth == 0


def test_trace_call_include_names_library_functions(app):
    loader = paste.deploy.loadwsgi.loadapp
    _app, calls = trace.trace_call(
        loader, "config:" + PASTE_INI, name="osapi_compute",
        include=("paste.deploy.loadwsgi.loadapp", "minova.api.openstack.urlmap.urlmap_factory",
                 "minova.api.auth.pipeline_factory"))
    names = [(c.depth, c.name.rpartition(".")[2]) for c in calls]
    assert names[:2] == [(0, "loadapp"), (1, "urlmap_factory")]
    assert (2, "pipeline_factory") in names and (2, "pipeline_factory_v21") in names


def test_table_indents_by_depth_and_names_the_real_class(app):
    _resp, calls = trace.trace_request(app, "/v2.1/servers")
    text = trace.table(calls)
    assert "  minova.openstack.common.middleware.base.Middleware.__call__  " \
           "[ComputeReqIdMiddleware]" in text
    assert len(trace.table(calls, max_depth=0).splitlines()) == 1
    assert repr(text) == str(text)


def test_table_indents_from_the_shallowest_call_shown(app):
    _resp, calls = trace.trace_request(app, "/v2.1/servers")
    deep = [c for c in calls if c.depth >= 3]
    lines = trace.table(deep).splitlines()
    assert not lines[0].startswith(" ") and lines[0].startswith(deep[0].name)
    assert trace.table([]) == ""


def test_table_in_a_notebook_is_an_html_table_that_keeps_paths_whole(app):
    """Issue 12 item 10: no wrap inside a file path; the module is the path's, not repeated."""
    _resp, calls = trace.trace_request(app, "/v2.1/servers")
    shown = trace.table(calls)
    page = shown._repr_html_()
    assert page.count("<tr>") == len(calls) + 1          # a header, then a row per call
    assert page.count("white-space:nowrap") == len(calls)
    assert "monospace" in page
    row = next(r for r in shown.rows if r[1].endswith("base.Middleware.__call__"))
    assert row[2:] == ("Middleware.__call__", "ComputeReqIdMiddleware",
                       "minova/openstack/common/middleware/base.py:%s" % row[4].rpartition(":")[2])
    assert ('title="minova.openstack.common.middleware.base.Middleware.__call__">'
            'Middleware.<wbr>__call__ <span style="color:#777">[ComputeReqIdMiddleware]</span>'
            in page)
    assert ">minova/openstack/common/middleware/base.py:" in page


def test_call_graphs_fit_a_notebook_cell_however_long_the_chain(app):
    """A 40-call chain, a 9-way and a 33-way fan-out: each drawn within MAX_WIDTH_PX."""
    from minova.course import dotfinder

    if dotfinder.find_dot().path is None:
        pytest.skip("no dot here: ./course setup provides one")
    where = "minova/api/openstack/compute/contrib/extended_status.py:25"
    calls = [trace.Call(depth, "minova.api.openstack.wsgi.Resource.step%d"
                        % depth, where) for depth in range(40)]
    calls += [trace.Call(3, "minova.compute.api.API.fan%d" % i, where) for i in range(9)]
    assert "rankdir=TB" in trace.sequence_dot(calls)
    bushy = calls[:6] + [trace.Call(6, "minova.compute.api.API.ext%d" % i, where)
                         for i in range(33)]
    assert "rankdir=LR" in trace.sequence_dot(bushy)   # 33 callees: one under the other
    for drawn in (trace.show_sequence(calls), trace.show_sequence(bushy),
                  trace.show_app_graph(app)):
        assert drawn.svg is not None, drawn.message
        assert diagrams.svg_width_px(drawn.svg) <= diagrams.MAX_WIDTH_PX
        scale = re.search(r'class="graph" transform="scale\(([\d.]+)', drawn.svg)
        assert scale is None or float(scale.group(1)) >= 0.6   # laid out to fit, not shrunk


def test_sequence_dot_draws_caller_to_callee_edges(app):
    _resp, calls = trace.trace_request(app, "/")
    dot = trace.sequence_dot(calls, max_depth=1)
    assert dot.startswith('digraph "call sequence"')
    assert '"1. URLMap.__call__\\nminova/api/openstack/\\nurlmap.py:' in dot
    assert "c1 -> c2;" in dot
    diagram = trace.show_sequence(calls, max_depth=1)
    assert diagram.svg is not None or "DOT" in diagram.message


def test_app_graph_dot_shows_every_mount_and_its_chain(app):
    dot = trace.app_graph_dot(app)
    for mount in ('"/"', '"/v2"', '"/v1.1"', '"/v2.1"', '"/v2.1/+"'):
        assert "[label=%s]" % mount in dot
    assert dot.count('"NoAuthMiddleware\\nminova.api.\\nopenstack.auth"') == 3
    assert len(trace.chain(dict(app.applications)[(None, "/v2.1/+")])) == 5


def test_describe_reports_status_mount_filters_and_headers(app):
    text = trace.describe(app, "/v2.1/servers", headers="X-Auth-User: alice\n\n")
    assert text.splitlines()[0] == "GET /v2.1/servers  ->  204 No Content"
    assert "mount: '/v2.1'" in text
    assert "ran:   " + " -> ".join(V21_FILTERS) in text
    assert "X-Auth-Token: alice:admin" in text


def test_describe_shows_the_413_of_a_large_body(app, conf):
    conf.set_override("osapi_max_request_body_size", 10)
    text = trace.describe(app, "/v2.1/servers", "POST", {"X-Auth-Token": "u:p"}, "x" * 11)
    assert "413" in text.splitlines()[0]
    assert "overLimit" in text


def test_parse_headers_reads_name_value_lines():
    assert trace.parse_headers("A: 1\nnot a header\n B : x:y ") == {"A": "1", "B": "x:y"}


def test_explorer_builds_a_form_whose_button_sends_the_request(app, capsys):
    form = trace.explorer(app, path="/")
    url, method, _headers, _body, send, _out = form.children
    assert (url.value, method.value) == ("/", "GET")
    send.click()   # outside a kernel the Output widget lets the text through to stdout
    assert "GET /  ->  200 OK" in capsys.readouterr().out


def test_sequence_dot_of_only_the_apps_shows_who_really_calls_the_router(app):
    _resp, calls = trace.trace_request(app, "/v2.1/flavors", headers={"X-Auth-Token": "u:p"})
    apps = [c for c in calls if c.name.endswith(".__call__")]
    dot = trace.sequence_dot(apps)
    number = {c.owner.rpartition(".")[2]: i for i, c in enumerate(apps, 1)}
    # NoAuthMiddleware returns the router; webob's wsgify in the size limiter's call runs it.
    assert "c%d -> c%d;" % (number["RequestBodySizeLimiter"], number["APIRouter"]) in dot
    assert "c%d -> c%d;" % (number["NoAuthMiddleware"], number["APIRouter"]) not in dot


class _Base:
    @webob.dec.wsgify
    def __call__(self, req):
        return _frame_names()

    @classmethod
    def make(cls):
        return _frame_names()


class _Child(_Base):
    pass


def _frame_names():
    frame = sys._getframe(1)
    return trace._qualname_by_search(frame), trace.frame_qualname(frame)


def test_frame_qualname_without_co_qualname_finds_the_defining_class():
    """Python 3.10 has no code.co_qualname: the search must find the same names."""
    assert _Child.make() == ("_Base.make", "_Base.make")
    req = webob.Request.blank("/")
    assert _Child()(req) == ("_Base.__call__", "_Base.__call__")
    assert _frame_names_here() == ("_frame_names_here", "_frame_names_here")


def _frame_names_here():
    return _frame_names()


def test_equal_code_in_two_modules_keeps_two_names(tmp_path):
    """Two files with the same function at the same line: code objects compare equal."""
    names = []
    for mod in ("twin_a", "twin_b"):
        (tmp_path / (mod + ".py")).write_text("class C:\n    def show(self):\n        return 1\n")
    sys.path.insert(0, str(tmp_path))
    try:
        import twin_a
        import twin_b
        assert twin_a.C.show.__code__ == twin_b.C.show.__code__
        _r, calls = trace.trace_call(lambda: (twin_a.C().show(), twin_b.C().show()),
                                     include=("twin_",), exclude=())
        names = [c.name for c in calls]
    finally:
        sys.path.remove(str(tmp_path))
    assert names == ["twin_a.C.show", "twin_b.C.show"]
