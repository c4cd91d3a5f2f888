"""Task 5.4: a controller extension, loaded by the ExtensionManager, run after servers show/detail."""

from __future__ import annotations

import uuid

import pytest
import webob
from oslo_config import cfg

from exercises._target import load
from minova import context
from minova.api.openstack import compute as compute_router
from minova.api.openstack.compute import extensions as compute_extensions
from minova.db import api as db
from minova.db.sqlalchemy import api as sqla

hello_extension = load("hello_extension")
CONF = cfg.CONF
KEY = "OS-EXT-HELLO:greeting"


@pytest.fixture
def router(tmp_path):
    """The v2 APIRouter, loading the standard extensions and YOURS as nova.conf would name them."""
    CONF.set_override("state_path", str(tmp_path))
    CONF.set_override("osapi_compute_extension", [])
    try:
        probe = compute_extensions.ExtensionManager()  # loads nothing: the option is empty
        hello_extension.load_extensions(probe)  # called directly, so its errors show here
        assert probe.is_loaded(hello_extension.ALIAS), (
            "load_extensions did not register Hello; a descriptor without name, alias, "
            "namespace and updated is ignored")
        assert probe.extensions[hello_extension.ALIAS].get_controller_extensions()
        CONF.set_override("osapi_compute_extension", [
            "minova.api.openstack.compute.contrib.standard_extensions",
            "%s.load_extensions" % hello_extension.__name__])
        yield compute_router.APIRouter.factory({})  # the manager reads the option, as in nova
    finally:
        sqla.dispose_engine()
        CONF.clear_override("osapi_compute_extension")
        CONF.clear_override("state_path")


def server(name: str, project: str = "p1") -> str:
    sid = str(uuid.uuid4())
    db.instance_create(context.get_admin_context(), {
        "uuid": sid, "project_id": project, "user_id": "u1", "display_name": name,
        "vm_state": "active", "task_state": None})
    return sid


def get(app, path: str):
    req = webob.Request.blank(path, environ={
        "SCRIPT_NAME": "/v2.1", "nova.context": context.RequestContext("u1", "p1")})
    return req.get_response(app)


def test_the_extension_is_listed_with_its_name_and_alias(router):
    resp = get(router, "/extensions/%s" % hello_extension.ALIAS)
    assert resp.status_int == 200, resp.text
    assert resp.json["extension"]["name"] == "Hello"
    assert resp.json["extension"]["alias"] == "OS-EXT-HELLO"


def test_show_carries_the_greeting_beside_the_other_extensions_keys(router):
    sid = server("web-1")
    resp = get(router, "/servers/%s" % sid)
    assert resp.status_int == 200, resp.text
    assert resp.json["server"][KEY] == "hello, web-1"
    assert resp.json["server"]["OS-EXT-STS:vm_state"] == "active"  # the others still run


def test_detail_greets_every_server_and_index_none(router):
    names = {server("a"), server("b")}
    servers = get(router, "/servers/detail").json["servers"]
    assert {s["id"] for s in servers} == names
    assert {s[KEY] for s in servers} == {"hello, a", "hello, b"}
    assert all(KEY not in s for s in get(router, "/servers").json["servers"])


def test_a_fault_of_the_core_method_is_not_extended(router):
    resp = get(router, "/servers/%s" % uuid.uuid4())
    assert resp.status_int == 404
    assert list(resp.json) == ["itemNotFound"]


def test_only_show_and_detail_are_extended(router):
    extended = {name for name in ("index", "show", "detail", "create", "update", "delete")
                if hasattr(hello_extension.HelloServerController, name)}
    assert extended == {"show", "detail"}
