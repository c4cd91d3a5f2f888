"""Layer 3: the noauth filter and the keystone context filter."""

from __future__ import annotations

import os

import paste.deploy
import pytest
import webob

import minova
from minova import context
from minova.api import auth
from minova.api.openstack import auth as os_auth

PASTE_INI = os.path.join(os.path.dirname(minova.__file__), "etc", "api-paste.ini")


class Capture:
    """The next app in the pipeline: remembers the context it was given."""

    def __init__(self):
        self.ctx = None

    def __call__(self, environ, start_response):
        self.ctx = environ.get("nova.context")
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]


def _noauth(path="/v2/", headers=None, environ=None, **kw):
    inner = Capture()
    req = webob.Request.blank(path, headers=headers or {}, environ=environ or {}, **kw)
    resp = req.get_response(os_auth.NoAuthMiddleware(inner))
    return resp, inner.ctx


def test_noauth_without_token_answers_204_handshake(conf):
    resp, ctx = _noauth("http://api.example:8774/v2/")
    assert resp.status_int == 204 and ctx is None
    assert resp.headers["X-Auth-Token"] == "admin:admin"
    assert resp.headers["X-Server-Management-Url"] == "http://api.example:8774/v2/admin"
    assert resp.content_type == "text/plain"


def test_noauth_handshake_uses_auth_user_and_project_headers(conf):
    resp, _ = _noauth("/v2", headers={"X-Auth-User": "alice", "X-Auth-Project-Id": "p9"})
    assert resp.headers["X-Auth-Token"] == "alice:p9"
    assert resp.headers["X-Server-Management-Url"] == "http://localhost/v2/p9"


@pytest.mark.parametrize("token, user, project", [
    ("alice:p1", "alice", "p1"),
    ("alice", "alice", "alice"),          # no colon: project = user
    ("alice:", "alice", "alice"),
    ("alice:p1:extra", "alice", "p1:extra"),  # split on the first colon only
])
def test_noauth_token_names_user_and_project(conf, token, user, project):
    resp, ctx = _noauth(headers={"X-Auth-Token": token})
    assert resp.status_int == 200
    assert (ctx.user_id, ctx.project_id) == (user, project)


@pytest.mark.parametrize("token", ["", ":", ":p1"])
def test_noauth_garbled_token_is_401_json(conf, token):
    resp, ctx = _noauth(headers={"X-Auth-Token": token})
    assert ctx is None
    assert resp.status_int == 401
    assert resp.json["unauthorized"]["code"] == 401
    assert "user:project" in resp.json["unauthorized"]["message"]


def test_noauth_only_admin_user_is_admin(conf):
    _, admin = _noauth(headers={"X-Auth-Token": "admin:p1"})
    _, alice = _noauth(headers={"X-Auth-Token": "alice:p1"})
    assert (admin.is_admin, admin.roles) == (True, ["admin"])
    assert (alice.is_admin, alice.roles) == (False, ["member"])


def test_noauth_remote_address_is_the_real_client(conf):
    _, ctx = _noauth(headers={"X-Auth-Token": "a:b", "X-Forwarded-For": "10.9.9.9"},
                     environ={"REMOTE_ADDR": "192.0.2.7"})
    assert ctx.remote_address == "192.0.2.7"


def test_noauth_forwarded_for_only_when_enabled(conf):
    conf.set_override("use_forwarded_for", True)
    _, ctx = _noauth(headers={"X-Auth-Token": "a:b", "X-Forwarded-For": "10.9.9.9"},
                     environ={"REMOTE_ADDR": "192.0.2.7"})
    assert ctx.remote_address == "10.9.9.9"


def test_noauth_context_reuses_pipeline_request_id(conf):
    _, ctx = _noauth(headers={"X-Auth-Token": "a:b"},
                     environ={"openstack.request_id": "req-fixed"})
    assert ctx.request_id == "req-fixed"


@pytest.mark.parametrize("token", ["", ":", ":p"])
def test_paste_pipeline_garbled_token_gets_fault_not_500(conf, token):
    app = paste.deploy.loadapp("config:" + PASTE_INI, name="osapi_compute")
    for path in ("/v2.1/servers", "/v2/p/servers"):
        resp = webob.Request.blank(path, headers={"X-Auth-Token": token}).get_response(app)
        assert resp.status_int == 401, path
        assert resp.json["unauthorized"]["code"] == 401
        assert resp.headers["x-compute-request-id"].startswith("req-")


# --- keystone side ----------------------------------------------------------------------------

def _keystone(headers, environ=None):
    inner = Capture()
    req = webob.Request.blank("/v2.1/servers", headers=headers, environ=environ or {})
    return req.get_response(auth.NovaKeystoneContext(inner)), inner.ctx


def test_keystone_context_from_headers(conf):
    resp, ctx = _keystone(
        {"X_USER_ID": "u1", "X_TENANT_ID": "p1", "X_USER_NAME": "alice",
         "X_TENANT_NAME": "demo", "X_ROLES": "member, reader", "X_AUTH_TOKEN": "tok"},
        environ={"openstack.request_id": "req-k", "REMOTE_ADDR": "192.0.2.1"})
    assert resp.status_int == 200
    assert (ctx.user_id, ctx.project_id, ctx.user_name, ctx.project_name) == (
        "u1", "p1", "alice", "demo")
    assert (ctx.roles, ctx.is_admin, ctx.auth_token) == (["member", "reader"], False, "tok")
    assert (ctx.request_id, ctx.remote_address) == ("req-k", "192.0.2.1")


def test_keystone_context_legacy_headers_and_admin_role(conf):
    _, ctx = _keystone({"X_USER": "u0", "X_TENANT": "p0", "X_ROLE": "admin"})
    assert (ctx.user_id, ctx.project_id, ctx.is_admin) == ("u0", "p0", True)


def test_keystone_context_without_user_is_401_json(conf):
    resp, ctx = _keystone({"X_TENANT_ID": "p1"})
    assert ctx is None
    assert resp.status_int == 401 and resp.json["unauthorized"]["code"] == 401


def test_inject_context_sets_fixed_context():
    fixed = context.RequestContext("u", "p")
    inner = Capture()
    webob.Request.blank("/").get_response(auth.InjectContext(fixed, inner))
    assert inner.ctx is fixed


def test_auth_strategy_rejects_unknown_value(conf):
    with pytest.raises(ValueError):
        conf.set_override("auth_strategy", "keystoen")
