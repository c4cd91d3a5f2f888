"""The identity stand-in: password auth -> a noauth token and a catalog, as clients expect."""

from __future__ import annotations

import json

import pytest
import webob

from minova import identity

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning")]


def _post(body, host="127.0.0.1:5000"):
    req = webob.Request.blank("/v3/auth/tokens", method="POST", body=json.dumps(body).encode(),
                              content_type="application/json", headers={"Host": host})
    return req.get_response(identity.application)


def _password(user="alice", project="demo", by="name"):
    return {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        by: user, "domain": {"id": "default"}, "password": "anything"}}},
        "scope": {"project": {by: project, "domain": {"id": "default"}}}}}


def test_password_auth_answers_201_a_noauth_token_and_the_compute_endpoint(conf):
    resp = _post(_password(), host="minova.example:5000")
    assert resp.status_int == 201
    assert resp.headers["X-Subject-Token"] == "alice:demo"
    token = resp.json["token"]
    assert token["project"]["name"] == "demo" and token["user"]["name"] == "alice"
    assert {r["name"] for r in token["roles"]} == {"member", "reader"}
    compute, ident, image = token["catalog"]
    assert (compute["type"], ident["type"], image["type"]) == ("compute", "identity", "image")
    urls = {e["interface"]: e["url"] for e in compute["endpoints"]}
    assert urls["public"] == "http://minova.example:8774/v2.1"


def test_admin_gets_the_admin_role_and_ids_work_like_names(conf):
    token = _post(_password("admin", "p1", by="id")).json["token"]
    assert "admin" in {r["name"] for r in token["roles"]} and token["project"]["id"] == "p1"


@pytest.mark.parametrize("body", [{}, {"auth": {}}, _password(user="a:b"),
                                  {"auth": {"identity": {"methods": ["password"], "password": {
                                      "user": {"name": "u"}}}}}])
def test_a_bad_auth_request_is_a_400_in_keystones_shape(conf, body):
    resp = _post(body)
    assert resp.status_int == 400 and resp.json["error"]["code"] == 400


def test_version_documents_and_token_validation(conf):
    root = webob.Request.blank("/").get_response(identity.application)
    assert root.status_int == 300 and root.json["versions"]["values"][0]["id"].startswith("v3")
    v3 = webob.Request.blank("/v3").get_response(identity.application)
    assert v3.json["version"]["links"][0]["href"].endswith("/v3/")
    ok = webob.Request.blank("/v3/auth/tokens", headers={"X-Subject-Token": "bob:p2"})
    assert ok.get_response(identity.application).json["token"]["user"]["name"] == "bob"
    bad = webob.Request.blank("/v3/auth/tokens", headers={"X-Subject-Token": "nonsense"})
    assert bad.get_response(identity.application).status_int == 404


def test_openstacksdk_with_password_auth_lists_through_minova(conf, free_port):
    """A clouds.yaml-style password login, end to end against in-process servers."""
    import openstack

    from minova import wsgi

    compute = wsgi.Server("t-compute", wsgi.Loader().load_app("osapi_compute"),
                          host="127.0.0.1", port=0)
    compute.start()
    conf.set_override("identity_compute_url", "http://127.0.0.1:%d/v2.1" % compute.port)
    keystone = wsgi.Server("t-identity", identity.application, host="127.0.0.1", port=0)
    keystone.start()
    try:
        conn = openstack.connect(
            auth_type="password", compute_api_version="2.1", identity_api_version="3",
            auth={"auth_url": "http://127.0.0.1:%d/v3" % keystone.port, "username": "alice",
                  "password": "x", "project_name": "demo", "user_domain_name": "Default",
                  "project_domain_name": "Default"}, load_yaml_config=False, load_envvars=False)
        assert "m1.tiny" in [f.name for f in conn.compute.flavors()]
        assert list(conn.compute.servers()) == []
        conn.close()
    finally:
        for server in (compute, keystone):
            server.stop()
            server.wait(5)
