"""Task 3.2: ServedByMiddleware signs responses, alone, from an ini file, and over a socket."""

from __future__ import annotations

import http.client
import os
import pathlib
import re

import paste.deploy
import pytest
import webob
import webob.dec

import minova
from exercises._target import load, target
from minova import wsgi

served_by = load("served_by")
PASTE_INI = os.path.join(os.path.dirname(minova.__file__), "etc", "api-paste.ini")


@webob.dec.wsgify
def hello(req):
    return webob.Response(text="hello", status=201)


def test_served_by_adds_the_header_and_keeps_the_response():
    resp = webob.Request.blank("/").get_response(served_by.ServedByMiddleware(hello))
    assert resp.headers["X-Served-By"] == "minova"
    assert (resp.status_int, resp.text) == (201, "hello")


def test_served_by_takes_its_value_from_the_constructor():
    app = served_by.ServedByMiddleware(hello, served_by="node-1")
    assert webob.Request.blank("/").get_response(app).headers["X-Served-By"] == "node-1"


def test_served_by_filter_factory_speaks_paste_filter_factory():
    make_filter = served_by.filter_factory({"here": "/tmp"}, served_by="node-2")
    app = make_filter(hello)
    assert isinstance(app, served_by.ServedByMiddleware) and app.application is hello
    assert webob.Request.blank("/").get_response(app).headers["X-Served-By"] == "node-2"


@pytest.fixture
def api(tmp_path):
    """The packaged api-paste.ini with served_by second in the v2.1 noauth pipeline."""
    text = pathlib.Path(PASTE_INI).read_text()
    line = "noauth = compute_req_id faultwrap sizelimit noauth osapi_compute_app_v21"
    assert line in text, "the packaged api-paste.ini changed: update this test"
    text = text.replace(line, line.replace("compute_req_id ", "compute_req_id served_by "))
    text += ("\n[filter:served_by]\n"
             "paste.filter_factory = exercises.%s.served_by:filter_factory\n"
             "served_by = ini-node\n" % target())
    ini = tmp_path / "api-paste.ini"
    ini.write_text(text)
    return paste.deploy.loadapp("config:%s" % ini, name="osapi_compute")


def _chain(app):
    names = []
    while app is not None:
        names.append(type(app).__name__)
        app = getattr(app, "application", None)
    return names


def test_served_by_sits_where_the_ini_puts_it(api):
    v21 = dict(api.applications)[(None, "/v2.1/+")]
    assert _chain(v21)[:3] == ["ComputeReqIdMiddleware", "ServedByMiddleware", "FaultWrapper"]


@pytest.mark.parametrize("path, headers, status", [
    ("/v2.1/servers", {}, 204),                      # the noauth handshake
    ("/v2.1/servers", {"X-Auth-Token": ":x"}, 401),  # a fault from below FaultWrapper
])
def test_served_by_signs_v21_responses_from_the_ini(api, path, headers, status):
    resp = webob.Request.blank(path, headers=headers).get_response(api)
    assert resp.status_int == status
    assert resp.headers["X-Served-By"] == "ini-node"
    assert re.match(r"req-[0-9a-f-]{36}$", resp.headers["x-compute-request-id"])


def test_served_by_leaves_other_pipelines_alone(api):
    resp = webob.Request.blank("/").get_response(api)
    assert resp.status_int == 200 and "X-Served-By" not in resp.headers


def test_served_by_over_a_real_socket(api):
    server = wsgi.Server("exercise-3.2", api, host="127.0.0.1", port=0)
    server.start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        conn.request("GET", "/v2.1/servers")
        resp = conn.getresponse()
        resp.read()
        conn.close()
        assert (resp.status, resp.getheader("X-Served-By")) == (204, "ini-node")
    finally:
        server.stop()
        server.wait()
