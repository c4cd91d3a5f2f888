"""Layer 5: Resource dispatch — body rules, actions, response codes, error mapping, microversions."""

from __future__ import annotations

import json

import pytest
import routes
import webob
import webob.exc

from minova import context, exception
from minova import wsgi as base_wsgi
from minova.api.openstack import FaultWrapper, ProjectMapper, wsgi


class ToyController(wsgi.Controller):
    """A controller exercising every path through Resource."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def index(self, req):
        return {"things": []}

    @wsgi.response(202)
    def create(self, req, body):
        self.calls.append(("create", body))
        return wsgi.ResponseObject({"thing": body}, headers={"X-Made": "yes"})

    def show(self, req, id):
        errors = {"forbidden": exception.Forbidden(), "invalid": exception.InvalidInput(reason="no"),
                  "conflict": exception.InstanceInvalidState(instance_uuid=id, attr="vm_state",
                                                             state="building", method="x"),
                  "http": webob.exc.HTTPNotFound(explanation="gone"),
                  "boom": RuntimeError("secret internals")}
        if id in errors:
            raise errors[id]
        return {"thing": {"id": id}}

    def update(self, req, id):  # deliberately takes no body: a TypeError on PUT
        return {}

    @wsgi.response(204)
    def delete(self, req, id):
        return None

    @wsgi.action("poke")
    def _poke(self, req, id, body):
        self.calls.append(("poke", id, body))
        return webob.Response(status_int=202)


@pytest.fixture
def toy():
    controller = ToyController()
    mapper = ProjectMapper()
    mapper.resource("thing", "things", controller=wsgi.Resource(controller),
                    member={"action": "POST"})
    app = FaultWrapper(base_wsgi.Router(mapper))
    return app, controller


def _call(app, method, path, body=None, content_type="application/json", headers=None,
          script_name="/v2.1", project="p1"):
    req = webob.Request.blank(path, method=method, headers=headers or {}, environ={
        "SCRIPT_NAME": script_name, "nova.context": context.RequestContext("u1", project)})
    if body is not None:
        req.body = body if isinstance(body, bytes) else json.dumps(body).encode()
        if content_type:
            req.content_type = content_type
        else:
            req.environ.pop("CONTENT_TYPE", None)
    return req.get_response(app)


def _fault(resp, name, code):
    assert resp.status_int == code
    assert resp.content_type == "application/json"
    body = resp.json
    assert list(body) == [name] and body[name]["code"] == code
    return body[name]["message"]


def test_resource_dispatch_chain_order(toy, monkeypatch):
    app, _ctrl = toy
    seen = []
    for name in ("_process_stack", "get_method", "_get_method", "dispatch"):
        orig = getattr(wsgi.Resource, name)

        def spy(self, *args, _orig=orig, _name=name, **kw):
            seen.append(_name)
            return _orig(self, *args, **kw)
        monkeypatch.setattr(wsgi.Resource, name, spy)
    assert _call(app, "GET", "/things/42").json == {"thing": {"id": "42"}}
    assert seen == ["_process_stack", "get_method", "_get_method", "dispatch"]


def test_resource_response_decorator_code_and_headers(toy):
    app, ctrl = toy
    resp = _call(app, "POST", "/things", {"a": 1})
    assert resp.status_int == 202
    assert resp.headers["X-Made"] == "yes"
    assert resp.json == {"thing": {"a": 1}}
    assert ctrl.calls == [("create", {"a": 1})]


def test_resource_delete_204_has_empty_body(toy):
    resp = _call(toy[0], "DELETE", "/things/1")
    assert resp.status_int == 204 and resp.body == b""


def test_resource_post_without_content_type_is_400(toy):
    msg = _fault(_call(toy[0], "POST", "/things", {"a": 1}, content_type=None),
                 "badRequest", 400)
    assert msg == "Unsupported Content-Type"
    assert toy[1].calls == []


def test_resource_post_with_wrong_content_type_is_400(toy):
    msg = _fault(_call(toy[0], "POST", "/things", b"<a/>", content_type="application/xml"),
                 "badRequest", 400)
    assert msg == "Unsupported Content-Type"


def test_resource_malformed_json_is_400(toy):
    msg = _fault(_call(toy[0], "POST", "/things", b"{not json"), "badRequest", 400)
    assert msg == "Malformed request body"


def test_resource_empty_body_means_body_none(toy):
    resp = _call(toy[0], "POST", "/things", b"")
    assert resp.status_int == 202
    assert toy[1].calls == [("create", None)]


def test_resource_action_routes_by_body_key(toy):
    resp = _call(toy[0], "POST", "/things/7/action", {"poke": {"hard": True}})
    assert resp.status_int == 202
    assert toy[1].calls == [("poke", "7", {"poke": {"hard": True}})]


def test_resource_unknown_action_is_400(toy):
    msg = _fault(_call(toy[0], "POST", "/things/7/action", {"fly": None}), "badRequest", 400)
    assert msg == "There is no such action: fly"


def test_resource_action_needs_exactly_one_key(toy):
    msg = _fault(_call(toy[0], "POST", "/things/7/action", {"poke": 1, "fly": 2}),
                 "badRequest", 400)
    assert msg == "Malformed request body"


def test_resource_action_without_content_type_is_400(toy):
    msg = _fault(_call(toy[0], "POST", "/things/7/action", {"poke": 1}, content_type=None),
                 "badRequest", 400)
    assert msg == "Unsupported Content-Type"


def test_resource_project_id_mismatch_is_400(toy):
    msg = _fault(_call(toy[0], "GET", "/p2/things/1"), "badRequest", 400)
    assert msg == ("Malformed request URL: URL's project_id 'p2' doesn't match "
                   "Context's project_id 'p1'")
    assert _call(toy[0], "GET", "/p1/things/1").status_int == 200


@pytest.mark.parametrize("thing_id,name,code", [
    ("forbidden", "forbidden", 403), ("invalid", "badRequest", 400),
    ("conflict", "conflictingRequest", 409), ("http", "itemNotFound", 404),
])
def test_resource_exception_handler_maps_errors(toy, thing_id, name, code):
    _fault(_call(toy[0], "GET", "/things/" + thing_id), name, code)


def test_resource_type_error_from_controller_is_400(toy):
    _fault(_call(toy[0], "PUT", "/things/1", {"thing": {}}), "badRequest", 400)


def test_resource_unexpected_error_is_500_without_internals(toy):
    resp = _call(toy[0], "GET", "/things/boom")
    msg = _fault(resp, "computeFault", 500)
    assert "secret" not in resp.text and "Traceback" not in resp.text
    assert msg


def test_resource_missing_method_is_404(toy):
    mapper = routes.Mapper()
    mapper.connect("/x", controller=wsgi.Resource(ToyController()), action="nope")
    resp = _call(base_wsgi.Router(mapper), "GET", "/x")
    _fault(resp, "itemNotFound", 404)


def test_resource_v21_answers_with_microversion_headers(toy):
    resp = _call(toy[0], "GET", "/things", headers={"OpenStack-API-Version": "compute 2.1"})
    assert resp.headers["OpenStack-API-Version"] == "compute 2.1"
    assert resp.headers["X-OpenStack-Nova-API-Version"] == "2.1"
    assert "OpenStack-API-Version" in resp.headers["Vary"]


def test_resource_v2_has_no_microversion_headers(toy):
    resp = _call(toy[0], "GET", "/things", script_name="/v2",
                 headers={"X-OpenStack-Nova-API-Version": "2.99"})
    assert resp.status_int == 200
    assert "OpenStack-API-Version" not in resp.headers


@pytest.mark.parametrize("headers", [
    {"OpenStack-API-Version": "compute latest"},
    {"X-OpenStack-Nova-API-Version": "2.1"},
    {"OpenStack-API-Version": "placement 1.9, compute 2.1"},
])
def test_resource_accepts_served_microversion(toy, headers):
    resp = _call(toy[0], "GET", "/things", headers=headers)
    assert resp.status_int == 200
    assert resp.headers["X-OpenStack-Nova-API-Version"] == "2.1"


def test_resource_unsupported_microversion_is_406(toy):
    resp = _call(toy[0], "GET", "/things", headers={"OpenStack-API-Version": "compute 2.5"})
    msg = _fault(resp, "computeFault", 406)
    assert "Minimum is 2.1 and maximum is 2.1" in msg
    assert resp.headers["OpenStack-API-Version"] == "compute 2.1"


def test_resource_malformed_microversion_is_400(toy):
    msg = _fault(_call(toy[0], "GET", "/things", headers={"X-OpenStack-Nova-API-Version": "2"}),
                 "badRequest", 400)
    assert "invalid format" in msg


def test_response_object_headers_are_case_insensitive():
    robj = wsgi.ResponseObject({"a": 1})
    robj["Location"] = "http://x"
    assert robj["LOCATION"] == "http://x"
    del robj["location"]
    assert robj.headers == {}
    assert robj.code == 200


def test_controller_metaclass_collects_actions_with_inheritance():
    class Child(ToyController):
        @wsgi.action("kick")
        def _kick(self, req, id, body):
            return None
    assert Child.wsgi_actions == {"poke": "_poke", "kick": "_kick"}
    assert ToyController.wsgi_actions == {"poke": "_poke"}


def test_action_peek_json_returns_single_key():
    assert wsgi.action_peek_json(b'{"reboot": {"type": "SOFT"}}') == "reboot"
    with pytest.raises(exception.MalformedRequestBody):
        wsgi.action_peek_json(b"[1]")


def test_controller_is_valid_body():
    assert wsgi.Controller.is_valid_body({"server": {}}, "server")
    assert not wsgi.Controller.is_valid_body({"server": "x"}, "server")
    assert not wsgi.Controller.is_valid_body(None, "server")
