"""Task 5.2: {"os-hello": {}} is a server action, wired through the router and a Resource."""

from __future__ import annotations

import json
import uuid

import pytest
import webob
from oslo_config import cfg

from exercises._target import load
from minova import context, wsgi
from minova.api.openstack import compute as compute_router
from minova.api.openstack.compute import servers
from minova.db import api as db
from minova.db.sqlalchemy import api as sqla

hello_action = load("hello_action")
CONF = cfg.CONF


@pytest.fixture
def router(tmp_path, monkeypatch):
    """The v2 APIRouter built with YOUR create_resource for /servers."""
    CONF.set_override("state_path", str(tmp_path))
    monkeypatch.setattr(servers, "create_resource", hello_action.create_resource)
    try:
        yield compute_router.APIRouter.factory({})
    finally:
        sqla.dispose_engine()
        CONF.clear_override("state_path")


def server(project="p1", name="vm1", vm_state="active") -> str:
    sid = str(uuid.uuid4())
    db.instance_create(context.get_admin_context(), {
        "uuid": sid, "project_id": project, "user_id": "u1", "display_name": name,
        "vm_state": vm_state, "task_state": None})
    return sid


def call(app, method, path, body=None, project="p1"):
    req = webob.Request.blank(path, method=method, environ={
        "SCRIPT_NAME": "/v2.1", "nova.context": context.RequestContext("u1", project)})
    if body is not None:
        req.body = json.dumps(body).encode()
        req.content_type = "application/json"
    return req.get_response(app)


def test_hello_action_answers_202_with_the_server(router):
    sid = server(name="web-1")
    resp = call(router, "POST", "/servers/%s/action" % sid, {"os-hello": {}})
    assert resp.status_int == 202, resp.text
    assert resp.json == {"hello": {"id": sid, "name": "web-1"}}


def test_hello_resource_holds_a_hello_controller_with_every_servers_action(router):
    resource = router.resources["servers"]
    assert isinstance(resource, servers.wsgi.Resource)
    assert isinstance(resource.controller, hello_action.HelloController)
    assert {"reboot", "os-start", "os-stop", "os-hello"} <= set(resource.wsgi_actions)


def test_hello_keeps_the_servers_controller_working(router):
    sid = server()
    assert call(router, "GET", "/servers/" + sid).json["server"]["id"] == sid
    assert call(router, "POST", "/servers/%s/action" % sid,
                {"reboot": {"type": "SOFT"}}).status_int == 202


@pytest.mark.parametrize("who", ["other project", "unknown", "not a uuid"])
def test_hello_on_a_server_you_cannot_see_is_404(router, who):
    sid = {"other project": server(project="p2"), "unknown": str(uuid.uuid4()),
           "not a uuid": "vm1"}[who]
    resp = call(router, "POST", "/servers/%s/action" % sid, {"os-hello": {}})
    assert resp.status_int == 404, resp.text
    assert resp.json == {"itemNotFound": {"code": 404,
                                          "message": "Instance could not be found"}}


def test_hello_bodies_are_peeked_like_every_action(router):
    sid = server()
    two = call(router, "POST", "/servers/%s/action" % sid, {"os-hello": {}, "reboot": {}})
    assert two.status_int == 400 and two.json["badRequest"]["message"] == \
        "Malformed request body"
    typo = call(router, "POST", "/servers/%s/action" % sid, {"os-helo": {}})
    assert typo.json["badRequest"]["message"] == "There is no such action: os-helo"


def test_hello_through_the_paste_pipeline(router):
    sid = server(name="via-paste")
    app = wsgi.Loader().load_app("osapi_compute")
    req = webob.Request.blank("/v2.1/servers/%s/action" % sid, method="POST",
                              headers={"X-Auth-Token": "u1:p1"},
                              body=b'{"os-hello": null}', content_type="application/json")
    resp = req.get_response(app)
    assert resp.status_int == 202 and resp.json["hello"]["name"] == "via-paste"
    assert resp.headers["x-compute-request-id"].startswith("req-")
