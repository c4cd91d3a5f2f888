"""Layer 4: the compute router — route table, project-id forms, redirects, unmatched requests."""

from __future__ import annotations

import json

import pytest
import routes
import webob

from minova import context
from minova.api.openstack import APIMapper, ProjectMapper
from minova.api.openstack import compute as compute_api_router
from minova.db.sqlalchemy import api as sqla

SERVER_ID = "3f1c2a0e-6b7d-4c35-9a41-0f7f3c6f2b11"

# The table of nova-juno-map.md 4.3: (method, path under the project, action, has id).
SERVER_ROUTES = [
    ("GET", "servers/detail", "detail", False),
    ("POST", "servers", "create", False),
    ("GET", "servers", "index", False),
    ("GET", "servers/new", "new", False),
    ("POST", "servers/%s/action" % SERVER_ID, "action", True),
    ("GET", "servers/%s/edit" % SERVER_ID, "edit", True),
    ("PUT", "servers/%s" % SERVER_ID, "update", True),
    ("DELETE", "servers/%s" % SERVER_ID, "delete", True),
    ("GET", "servers/%s" % SERVER_ID, "show", True),
]


@pytest.fixture
def router(conf):
    yield compute_api_router.APIRouter.factory({})
    sqla.dispose_engine()


def _juno_mapper() -> routes.Mapper:
    """What Juno's ProjectMapper builds for servers, made with plain routes (the reference)."""
    mapper = routes.Mapper()
    mapper.resource("server", "servers", controller="servers", path_prefix="{project_id}/",
                    collection={"detail": "GET"}, member={"action": "POST"},
                    requirements={"format": "json"})
    return mapper


def _match(mapper, method: str, path: str):
    match = mapper.match(path, environ={"REQUEST_METHOD": method, "PATH_INFO": path})
    if match:
        match = {k: v for k, v in match.items() if k != "controller"}
    return match


@pytest.mark.parametrize("method,path,action,has_id", SERVER_ROUTES)
def test_router_matches_juno_route_table_with_project(router, method, path, action, has_id):
    expected = {"action": action, "project_id": "p1"}
    if has_id:
        expected["id"] = SERVER_ID
    assert _match(_juno_mapper(), method, "/p1/" + path) == expected
    assert _match(router.map, method, "/p1/" + path) == expected


@pytest.mark.parametrize("method,path,action,has_id", SERVER_ROUTES)
def test_router_matches_same_actions_without_project(router, method, path, action, has_id):
    expected = {"action": action}
    if has_id:
        expected["id"] = SERVER_ID
    assert _match(router.map, method, "/" + path) == expected


def test_router_detail_collection_route_wins_over_id(router):
    assert _match(router.map, "GET", "/p1/servers/detail")["action"] == "detail"
    assert _match(router.map, "GET", "/servers/detail")["action"] == "detail"
    assert _match(router.map, "GET", "/servers/detail.json") == {"action": "detail",
                                                                 "format": "json"}


def test_router_format_suffix_is_json_only(router):
    # Juno also took .xml; minova speaks JSON only, so ".xml" is part of the id.
    assert _match(router.map, "GET", "/servers/abc.xml") == {"action": "show", "id": "abc.xml"}


@pytest.mark.parametrize("path", ["/flavors", "/flavors/detail", "/flavors/1",
                                  "/images", "/images/detail", "/images/x"])
def test_router_flavors_and_images_with_and_without_project(router, path):
    with_project = _match(router.map, "GET", "/p1" + path)
    without = _match(router.map, "GET", path)
    assert with_project.pop("project_id") == "p1"
    assert with_project == without
    assert without["action"] in ("index", "detail", "show")


def test_router_resources_are_kept_by_name(router):
    # the core four, /extensions, and the contrib extensions' new collections
    assert set(router.resources) >= {"versions", "servers", "images", "flavors", "extensions",
                                     "os-services", "os-availability-zone", "os-extra_specs"}
    assert router.map.match("/servers")["controller"] is router.resources["servers"]


def test_api_mapper_routematch_matches_empty_path():
    mapper = APIMapper()
    mapper.redirect("", "/")
    match, route = mapper.routematch("")
    assert route.redirect and match == {}


def test_project_mapper_registers_both_forms():
    mapper = ProjectMapper()
    mapper.resource("thing", "things", controller="c")
    assert _match(mapper, "GET", "/things") == {"action": "index"}
    assert _match(mapper, "GET", "/p9/things") == {"action": "index", "project_id": "p9"}


def _get(router, path, method="GET", script_name="/v2.1"):
    req = webob.Request.blank(path, method=method, environ={
        "SCRIPT_NAME": script_name, "nova.context": context.RequestContext("u1", "p1")})
    return req.get_response(router)


def test_router_redirects_bare_v2_to_slash(router):
    resp = _get(router, "", script_name="/v2")
    assert resp.status_int == 302
    assert resp.headers["Location"].endswith("/v2/")


def test_router_versions_at_slash_is_v2_document(router):
    resp = _get(router, "/", script_name="/v2")
    assert resp.status_int == 200
    assert resp.json["version"]["id"] == "v2.0"


def test_router_unknown_path_is_json_item_not_found(router):
    resp = _get(router, "/no-such-thing/at/all")
    assert resp.status_int == 404
    assert resp.content_type == "application/json"
    assert json.loads(resp.body)["itemNotFound"]["code"] == 404


@pytest.mark.parametrize("method,path,allowed", [
    ("DELETE", "/servers", "GET, POST"),
    ("PATCH", "/p1/servers/%s" % SERVER_ID, "GET, PUT, DELETE"),
    ("GET", "/servers/%s/action" % SERVER_ID, "POST"),
])
def test_router_wrong_method_is_405_bad_method_with_allow(router, method, path, allowed):
    resp = _get(router, path, method=method)
    assert resp.status_int == 405
    assert resp.json["badMethod"]["code"] == 405
    assert resp.headers["Allow"] == allowed


def test_router_missing_controller_method_is_404(router):
    # /servers/new is routed (routes makes it) but servers.Controller has no "new".
    resp = _get(router, "/servers/new")
    assert resp.status_int == 404
    assert "itemNotFound" in resp.json
