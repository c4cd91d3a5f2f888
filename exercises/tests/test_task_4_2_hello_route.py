"""Task 4.2: GET /v2.1/os-hello, added by subclassing the compute APIRouter, loaded from an ini."""

from __future__ import annotations

import os
import pathlib

import pytest
import webob
from oslo_config import cfg

import minova
from exercises._target import load, target
from minova import (
    paths,  # noqa: F401  (registers state_path)
    wsgi,
)
from minova.api.openstack import compute
from minova.db.sqlalchemy import api as db_api

hello_route = load("hello_route")
PASTE_INI = os.path.join(os.path.dirname(minova.__file__), "etc", "api-paste.ini")
APP_LINE = ("[app:osapi_compute_app_v21]\n"
            "paste.app_factory = minova.api.openstack.compute:APIRouter.factory")
TOKEN = {"X-Auth-Token": "alice:demo"}


@pytest.fixture
def state(tmp_path):
    cfg.CONF.set_override("state_path", str(tmp_path))
    try:
        yield tmp_path
    finally:
        db_api.dispose_engine()
        cfg.CONF.clear_override("state_path")


@pytest.fixture
def api(state):
    """The packaged api-paste.ini with the v2.1 app replaced by the exercise's router."""
    text = pathlib.Path(PASTE_INI).read_text()
    assert APP_LINE in text, "the packaged api-paste.ini changed: update this test"
    text = text.replace(APP_LINE, APP_LINE.replace(
        "minova.api.openstack.compute:", "exercises.%s.hello_route:" % target()))
    ini = state / "api-paste.ini"
    ini.write_text(text)
    return wsgi.Loader(str(ini)).load_app("osapi_compute")


def _get(app, path, method="GET"):
    return webob.Request.blank(path, method=method, headers=TOKEN).get_response(app)


def test_hello_router_is_a_compute_router_subclass():
    assert issubclass(hello_route.APIRouter, compute.APIRouter)
    assert "_setup_routes" in vars(hello_route.APIRouter)


def test_hello_router_keeps_the_resource_and_the_old_ones(state):
    router = hello_route.APIRouter.factory({})
    assert {"versions", "servers", "images", "flavors", "os-hello"} <= set(router.resources)
    match = router.map.match("/os-hello", {"REQUEST_METHOD": "GET", "PATH_INFO": "/os-hello"})
    assert match["action"] == "index" and match["controller"] is router.resources["os-hello"]
    assert isinstance(router.resources["os-hello"].controller, hello_route.HelloController)


@pytest.mark.parametrize("path", ["/v2.1/os-hello", "/v2.1/demo/os-hello", "/v2.1/os-hello.json"])
def test_hello_answers_through_the_loaded_paste_app(api, path):
    resp = _get(api, path)
    assert resp.status_int == 200
    assert resp.content_type == "application/json"
    assert resp.json == {"hello": {"user": "alice", "project": "demo"}}


def test_hello_leaves_the_other_routes_working(api):
    assert _get(api, "/v2.1/servers/detail").json == {"servers": []}
    assert _get(api, "/v2.1/flavors").status_int == 200


def test_hello_wrong_method_is_a_json_405(api):
    resp = _get(api, "/v2.1/os-hello", method="PUT")
    assert resp.status_int == 405 and "badMethod" in resp.json


def test_hello_is_only_on_the_v21_app(api):
    assert _get(api, "/v2/demo/os-hello").status_int == 404
