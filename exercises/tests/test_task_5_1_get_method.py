"""Task 5.1: find_method() picks the same controller method as minova's Resource._get_method."""

from __future__ import annotations

import json

import pytest
import routes  # noqa: F401  (ProjectMapper needs it)
import webob

from exercises._target import load
from minova import context, exception
from minova import wsgi as base_wsgi
from minova.api.openstack import FaultWrapper, ProjectMapper, wsgi

get_method = load("get_method")


class Toy(wsgi.Controller):
    def index(self, req):
        return {"toys": []}

    def show(self, req, id):
        return {"toy": {"id": id}}

    @wsgi.response(202)
    @wsgi.action("reboot")
    def _action_reboot(self, req, id, body):
        return {"rebooted": id}

    @wsgi.action("os-stop")
    def _stop(self, req, id, body):
        return None

    @wsgi.action("create")
    def _create_by_action(self, req, body):  # a routes method offered as an @action
        return {"made": body}


class MoreToy(Toy):
    @wsgi.action("os-hello")
    def _hello(self, req, id, body):
        return {"hello": id}


class Plain(wsgi.Controller):
    def index(self, req):
        return {}


def body(obj) -> bytes:
    return obj if isinstance(obj, bytes) else json.dumps(obj).encode()


def resource_answer(controller, action, raw):
    """What minova's Resource finds: ('method', bound) or ('error', exception class)."""
    try:
        meth, _extensions = wsgi.Resource(controller)._get_method(None, action,
                                                                  "application/json", raw)
        return "method", meth
    except Exception as e:  # noqa: BLE001 - comparing the kind of failure
        return "error", type(e)


def learner_answer(controller, action, raw):
    try:
        return "method", get_method.find_method(controller, action, raw)
    except NotImplementedError:
        raise
    except Exception as e:  # noqa: BLE001
        return "error", type(e)


CASES = [
    ("index", b""), ("show", b""), ("detail", b""), ("frobnicate", b""),
    ("action", {"reboot": {"type": "SOFT"}}), ("action", {"os-stop": None}),
    ("action", {"os-hello": {}}), ("action", {"fly": {}}),
    ("action", {"reboot": {}, "os-stop": None}), ("action", b"{oops"), ("action", [1]),
    ("action", {}), ("create", b""), ("delete", b""),
]


@pytest.mark.parametrize("action,raw", CASES, ids=[str(c) for c in CASES])
@pytest.mark.parametrize("cls", [Toy, MoreToy, Plain])
def test_find_method_agrees_with_minovas_resource(cls, action, raw):
    controller = cls()
    assert learner_answer(controller, action, body(raw)) == \
        resource_answer(controller, action, body(raw))


def test_find_method_returns_the_bound_methods():
    toy = MoreToy()
    assert get_method.find_method(toy, "index") == toy.index
    assert get_method.find_method(toy, "action", body({"reboot": {}})) == toy._action_reboot
    assert get_method.find_method(toy, "action", body({"os-hello": {}})) == toy._hello
    assert get_method.find_method(toy, "create", b"") == toy._create_by_action
    with pytest.raises(KeyError):
        get_method.find_method(toy, "action", body({"fly": {}}))
    with pytest.raises(AttributeError):
        get_method.find_method(Plain(), "action", body({"reboot": {}}))


@pytest.mark.parametrize("raw", [{"reboot": {"type": "SOFT"}}, {"os-start": None},
                                 b'{"a": 1, "b": 2}', b"[]", b"", b"{oops", b'"reboot"'])
def test_peek_action_agrees_with_action_peek_json(raw):
    raw = body(raw)
    try:
        expected = wsgi.action_peek_json(raw)
    except exception.MalformedRequestBody:
        with pytest.raises(exception.MalformedRequestBody):
            get_method.peek_action(raw)
        return
    assert get_method.peek_action(raw) == expected
    assert get_method.peek_action(raw.decode()) == expected


class LearnerResource(wsgi.Resource):
    """minova's Resource with its lookup replaced by yours (and no controller extensions)."""

    def _get_method(self, request, action, content_type, body):
        return get_method.find_method(self.controller, action, body), []


def test_find_method_serves_real_requests_through_a_resource():
    mapper = ProjectMapper()
    mapper.resource("toy", "toys", controller=LearnerResource(MoreToy()),
                    member={"action": "POST"})
    app = FaultWrapper(base_wsgi.Router(mapper))

    def post(obj):
        req = webob.Request.blank("/toys/t1/action", method="POST", body=body(obj),
                                  content_type="application/json",
                                  environ={"nova.context": context.RequestContext("u", "p")})
        return req.get_response(app)

    assert (post({"reboot": {}}).status_int, post({"reboot": {}}).json) == \
        (202, {"rebooted": "t1"})
    assert post({"os-hello": {}}).json == {"hello": "t1"}
    unknown = post({"fly": {}})
    assert unknown.status_int == 400
    assert unknown.json["badRequest"]["message"] == "There is no such action: fly"
    assert post({"a": 1, "b": 2}).json["badRequest"]["message"] == "Malformed request body"
