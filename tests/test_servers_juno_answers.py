"""Where minova answered differently from nova (issue 19, section 2), each with Juno's source."""

from __future__ import annotations

import pytest
from test_servers_api import ADMIN, api, call, create, fault, rows  # noqa: F401  (api: fixture)

from minova.db import api as db

MAPPED_V6 = "0000:0000:0000:0000:0000:babe:220.12.22.2"


def test_access_ipv6_is_stored_and_returned_shortened(api):  # noqa: F811
    """Juno's IPAddress column (nova/db/sqlalchemy/types.py:25-37) shortens IPv6 addresses."""
    server_id = create(api, server={"accessIPv6": MAPPED_V6})
    assert call(api, "GET", "/servers/" + server_id).json["server"]["accessIPv6"] == \
        "::babe:dc0c:1602"
    updated = call(api, "PUT", "/servers/" + server_id,
                   {"server": {"accessIPv6": "2001:0db8:0000:0000:0000:0000:0000:0001"}})
    assert updated.json["server"]["accessIPv6"] == "2001:db8::1"
    assert db.instance_get_by_uuid(ADMIN, server_id).access_ip_v6 == "2001:db8::1"


@pytest.mark.parametrize("metadata", [{"a": "b" * 256}, {"k" * 256: "v"}])
def test_metadata_longer_than_255_is_413_and_writes_nothing(api, metadata):  # noqa: F811
    """Juno: InvalidMetadataSize (nova/compute/api.py:448-454) -> 413 (servers.py:964-965)."""
    before = len(rows())
    resp = call(api, "POST", "/servers", {"server": {
        "name": "vm", "imageRef": "155d900f-4e14-4e4c-a73d-069cbf4541e6", "flavorRef": "1",
        "metadata": metadata}})
    assert "greater than 255 characters" in fault(resp, "overLimit", 413)
    assert len(rows()) == before


def test_metadata_key_blank_is_400(api):  # noqa: F811
    """Juno: check_string_length(k, min_length=1) -> InvalidMetadata (nova/compute/api.py:440-445)."""
    resp = call(api, "POST", "/servers", {"server": {
        "name": "vm", "imageRef": "155d900f-4e14-4e4c-a73d-069cbf4541e6", "flavorRef": "1",
        "metadata": {"": "v"}}})
    assert "Invalid metadata" in fault(resp, "badRequest", 400)


@pytest.mark.parametrize("action", ["forceDelete", "restore", "reboot", "os-start", "os-stop"])
def test_a_registered_action_on_a_missing_server_is_404(api, action):  # noqa: F811
    """Juno's deferred_delete (contrib/deferred_delete.py:30-64) looks the server up first."""
    body = {action: {"type": "SOFT"} if action == "reboot" else None}
    resp = call(api, "POST", "/servers/00000000-0000-0000-0000-000000000000/action", body)
    fault(resp, "itemNotFound", 404)


def test_an_unknown_action_is_still_400(api):  # noqa: F811
    server_id = create(api)
    resp = call(api, "POST", "/servers/%s/action" % server_id, {"os-nope": None})
    assert "There is no such action: os-nope" in fault(resp, "badRequest", 400)


def test_restore_of_a_live_server_is_409_and_force_delete_deletes(api):  # noqa: F811
    """Juno: restore needs vm_state SOFT_DELETED (compute/api.py:1798); forceDelete 202."""
    server_id = create(api)
    resp = call(api, "POST", "/servers/%s/action" % server_id, {"restore": None})
    fault(resp, "conflictingRequest", 409)
    resp = call(api, "POST", "/servers/%s/action" % server_id, {"forceDelete": None})
    assert resp.status_int == 202, resp.text
    fault(call(api, "GET", "/servers/" + server_id), "itemNotFound", 404)


# --- list filters: Juno's non-admin search options (servers.py:1513-1516) -------------

def _ids(resp):
    assert resp.status_int == 200, resp.text
    return {s["id"] for s in resp.json["servers"]}


def test_name_filter_is_a_regular_expression(api):  # noqa: F811
    """Juno: regex_filter (nova/db/sqlalchemy/api.py:2038); ?name=-instance finds a-instance-1."""
    wanted = create(api, server={"name": "a-instance-1"})
    create(api, server={"name": "other"})
    assert _ids(call(api, "GET", "/servers?name=-instance")) == {wanted}
    assert _ids(call(api, "GET", "/servers?name=^a-.*-1$")) == {wanted}


def test_flavor_and_image_filters(api):  # noqa: F811
    """Juno: filter_mapping (nova/compute/api.py:1936-1941); an unknown flavor lists nothing."""
    small = create(api, server={"flavorRef": "2"})
    tiny = create(api, server={"flavorRef": "1"})
    assert _ids(call(api, "GET", "/servers?flavor=2")) == {small}
    assert _ids(call(api, "GET", "/servers/detail?flavor=1")) == {tiny}
    assert _ids(call(api, "GET", "/servers?flavor=no-such-flavor")) == set()
    image = call(api, "GET", "/servers/" + small).json["server"]["image"]["id"]
    assert _ids(call(api, "GET", "/servers?image=" + image)) == {small, tiny}
    assert _ids(call(api, "GET", "/servers?image=00000000-0000-0000-0000-000000000000")) == set()


def test_changes_since(api):  # noqa: F811
    """Juno: parse_isotime or 400 (servers.py:550-555); updated_at >= it (db api.py:1904-1907)."""
    server_id = create(api)
    assert _ids(call(api, "GET", "/servers?changes-since=2011-01-01T00:00:00Z")) == {server_id}
    assert _ids(call(api, "GET", "/servers?changes-since=2999-01-01T00:00:00Z")) == set()
    resp = call(api, "GET", "/servers?changes-since=2011/01/01")
    assert "Invalid changes-since value" in fault(resp, "badRequest", 400)


# --- the server metadata API (Juno: nova/api/openstack/compute/server_metadata.py) ----

def test_server_metadata_index_create_update_all_show_delete(api):  # noqa: F811
    server_id = create(api, server={"metadata": {"a": "1"}})
    base = "/servers/%s/metadata" % server_id
    assert call(api, "GET", base).json == {"metadata": {"a": "1"}}
    merged = call(api, "POST", base, {"metadata": {"b": "2"}})
    assert merged.json == {"metadata": {"a": "1", "b": "2"}}
    assert call(api, "PUT", base + "/c", {"meta": {"c": "3"}}).json == {"meta": {"c": "3"}}
    assert call(api, "GET", base + "/c").json == {"meta": {"c": "3"}}
    assert call(api, "PUT", base, {"metadata": {"only": "x"}}).json == {
        "metadata": {"only": "x"}}
    assert call(api, "DELETE", base + "/only").status_int == 204
    assert call(api, "GET", base).json == {"metadata": {}}
    assert call(api, "GET", "/servers/" + server_id).json["server"]["metadata"] == {}


@pytest.mark.parametrize("method, path, body, code", [
    ("GET", "/metadata/nope", None, 404),
    ("DELETE", "/metadata/nope", None, 404),
    ("PUT", "/metadata/k", {"meta": {"other": "v"}}, 400),      # body and URI mismatch
    ("PUT", "/metadata/k", {"meta": {"k": "v", "l": "w"}}, 400),  # too many items
    ("POST", "/metadata", {"metadata": "not a dict"}, 400),
    ("POST", "/metadata", {"metadata": {"": "blank key"}}, 400),
    ("POST", "/metadata", {"metadata": {"k": "v" * 256}}, 413),
    ("POST", "/metadata", {"metadata": {"k%d" % i: "v" for i in range(129)}}, 403),
])
def test_server_metadata_errors_as_juno(api, method, path, body, code):  # noqa: F811
    """Juno: server_metadata.py:53-195; 128 items is Juno's default metadata_items quota."""
    server_id = create(api)
    resp = call(api, method, "/servers/%s%s" % (server_id, path), body)
    assert resp.status_int == code, resp.text


def test_server_metadata_of_a_missing_server_is_404(api):  # noqa: F811
    resp = call(api, "GET", "/servers/00000000-0000-0000-0000-000000000000/metadata")
    assert "Server does not exist" in fault(resp, "itemNotFound", 404)


def test_console_output_of_a_missing_server_is_404_and_of_an_unbuilt_one_409(api):  # noqa: F811
    """Juno: contrib/console_output.py:37-83 looks the server up first."""
    resp = call(api, "POST", "/servers/00000000-0000-0000-0000-000000000000/action",
                {"os-getConsoleOutput": {"length": 2}})
    fault(resp, "itemNotFound", 404)
    server_id = create(api)  # never built (the fake conductor): no host to ask
    resp = call(api, "POST", "/servers/%s/action" % server_id, {"os-getConsoleOutput": {}})
    fault(resp, "conflictingRequest", 409)
    resp = call(api, "POST", "/servers/%s/action" % server_id,
                {"os-getConsoleOutput": {"length": "2.5"}})
    fault(resp, "badRequest", 400)


def test_quota_sets_show_juno_defaults(api):  # noqa: F811
    """Juno: contrib/quotas.py:118-216; metadata_items is the one minova enforces."""
    shown = call(api, "GET", "/os-quota-sets/p1").json["quota_set"]
    assert shown["id"] == "p1" and shown["metadata_items"] == 128 and shown["instances"] == 10
    assert call(api, "GET", "/os-quota-sets/p1/defaults").json["quota_set"] == shown


def test_rebuild_looks_the_server_up_first_and_needs_an_idle_built_one(api):  # noqa: F811
    """Juno: servers.py:1325-1417 (404, then InstanceInvalidState 409, bad imageRef 400)."""
    body = {"rebuild": {"imageRef": "155d900f-4e14-4e4c-a73d-069cbf4541e6"}}
    fault(call(api, "POST", "/servers/00000000-0000-0000-0000-000000000000/action", body),
          "itemNotFound", 404)
    server_id = create(api)  # BUILD, never built
    fault(call(api, "POST", "/servers/%s/action" % server_id, body), "conflictingRequest", 409)
    fault(call(api, "POST", "/servers/%s/action" % server_id, {"rebuild": {}}),
          "badRequest", 400)


def test_instance_actions_list_and_show_by_request_id(api):  # noqa: F811
    """Juno: contrib/instance_actions.py:65-111; the id of an action is its request id."""
    resp = call(api, "POST", "/servers", {"server": {
        "name": "vm", "imageRef": "155d900f-4e14-4e4c-a73d-069cbf4541e6", "flavorRef": "1"}})
    server_id = resp.json["server"]["id"]
    actions = call(api, "GET", "/servers/%s/os-instance-actions" % server_id).json
    (create_action,) = actions["instanceActions"]
    request_id = create_action["request_id"]  # the context's: the x-compute-request-id header
    assert create_action["action"] == "create" and request_id.startswith("req-")
    shown = call(api, "GET", "/servers/%s/os-instance-actions/%s" % (server_id, request_id))
    assert shown.json["instanceAction"]["action"] == "create"
    fault(call(api, "GET", "/servers/%s/os-instance-actions/req-nope" % server_id),
          "itemNotFound", 404)
    fault(call(api, "GET", "/servers/00000000-0000-0000-0000-000000000000/os-instance-actions"),
          "itemNotFound", 404)
