"""Layer 5: the servers, flavors and images controllers through the router (in-process),
then through the packaged paste pipeline."""

from __future__ import annotations

import hashlib
import json
import os
from types import SimpleNamespace

import pytest
import webob
from paste.deploy import loadapp

import minova
from minova import context, exception
from minova.api.openstack import compute as compute_router
from minova.db import api as db
from minova.db.sqlalchemy import api as sqla

IMAGE = "155d900f-4e14-4e4c-a73d-069cbf4541e6"
UNKNOWN = "00000000-1111-2222-3333-444444444444"
ADMIN = context.get_admin_context()


class FakeConductor:
    """Stands in for minova.conductor.ComputeTaskAPI: records build_instances casts."""

    def __init__(self):
        self.calls, self.error = [], None

    def build_instances(self, context, **kwargs):
        if self.error:
            raise self.error
        json.dumps(kwargs)  # everything must be able to travel as JSON
        self.calls.append(kwargs)


class FakeComputeRPC:
    """Stands in for minova.compute.rpcapi.ComputeAPI: records casts to compute hosts."""

    def __init__(self):
        self.calls, self.error = [], None

    def _cast(self, name, ctxt, instance, **kwargs):
        if self.error:
            raise self.error
        self.calls.append((name, instance["uuid"], instance["task_state"], kwargs))

    def terminate_instance(self, ctxt, instance, bdms, reservations=None):
        self._cast("terminate_instance", ctxt, instance, bdms=bdms)

    def reboot_instance(self, ctxt, instance, block_device_info=None, reboot_type="SOFT"):
        self._cast("reboot_instance", ctxt, instance, reboot_type=reboot_type)

    def stop_instance(self, ctxt, instance, do_cast=True):
        self._cast("stop_instance", ctxt, instance)

    def start_instance(self, ctxt, instance):
        self._cast("start_instance", ctxt, instance)

    def pause_instance(self, ctxt, instance):
        self._cast("pause_instance", ctxt, instance)

    def snapshot_instance(self, ctxt, instance, image_id):
        self._cast("snapshot_instance", ctxt, instance, image_id=image_id)

    def unpause_instance(self, ctxt, instance):
        self._cast("unpause_instance", ctxt, instance)

    def suspend_instance(self, ctxt, instance):
        self._cast("suspend_instance", ctxt, instance)

    def resume_instance(self, ctxt, instance):
        self._cast("resume_instance", ctxt, instance)


@pytest.fixture
def api(conf):
    router = compute_router.APIRouter.factory({})
    compute_api = router.resources["servers"].controller.compute_api
    compute_api._compute_task_api = FakeConductor()
    compute_api.compute_rpcapi = FakeComputeRPC()
    for action in router.resources["servers"].wsgi_actions.values():
        owner = getattr(action, "__self__", None)  # an extension's controller (admin_actions)
        if hasattr(owner, "compute_api"):
            owner.compute_api = compute_api
    yield SimpleNamespace(router=router, conductor=compute_api._compute_task_api,
                          rpc=compute_api.compute_rpcapi)
    sqla.dispose_engine()


def call(api, method, path, body=None, user="u1", project="p1",
         content_type="application/json", script_name="/v2.1"):
    req = webob.Request.blank(path, method=method, environ={
        "SCRIPT_NAME": script_name,
        "nova.context": context.RequestContext(user, project, is_admin=(user == "admin"))})
    if body is not None:
        req.body = body if isinstance(body, bytes) else json.dumps(body).encode()
        req.environ.pop("CONTENT_TYPE", None)
        if content_type:
            req.content_type = content_type
    return req.get_response(api.router)


def server_body(**overrides):
    server = {"name": "vm", "imageRef": IMAGE, "flavorRef": "1"}
    server.update(overrides)
    return {"server": {k: v for k, v in server.items() if v is not None}}


def rows():
    return db.instance_get_all_by_filters(ADMIN, {})


def create(api, **kwargs) -> str:
    resp = call(api, "POST", "/servers", server_body(**kwargs.pop("server", {})), **kwargs)
    assert resp.status_int == 202, resp.text
    return resp.json["server"]["id"]


def fault(resp, name, code) -> str:
    assert resp.status_int == code, resp.text
    assert list(resp.json) == [name] and resp.json[name]["code"] == code
    return resp.json[name]["message"]


# --- create --------------------------------------------------------------------------

def test_servers_create_202_location_adminpass_and_one_cast(api):
    resp = call(api, "POST", "/servers", server_body())
    assert resp.status_int == 202
    server = resp.json["server"]
    self_link = [link["href"] for link in server["links"] if link["rel"] == "self"][0]
    assert resp.headers["Location"] == self_link == "http://localhost/v2.1/servers/" + server["id"]
    assert len(server["adminPass"]) == 12
    assert server["security_groups"] == [{"name": "default"}]
    (row,) = rows()
    assert (row.uuid, row.vm_state, row.task_state) == (server["id"], "building", "scheduling")
    (cast,) = api.conductor.calls
    assert [i["uuid"] for i in cast["instances"]] == [server["id"]]
    assert cast["image"]["id"] == IMAGE and cast["security_groups"] == ["default"]
    assert cast["legacy_bdm"] is False


def test_servers_create_accepts_hrefs_and_novaclient_fields(api):
    sid = create(api, server={"imageRef": "http://glance/images/" + IMAGE,
                              "flavorRef": "http://h/v2.1/flavors/2",
                              "min_count": 1, "max_count": 1, "networks": "auto"})
    row = db.instance_get_by_uuid(ADMIN, sid)
    assert (row.image_ref, row.flavor_id) == (IMAGE, "2")


def test_servers_create_max_count_makes_several_in_one_cast(api):
    create(api, server={"name": "web", "min_count": 2, "max_count": 2})
    assert sorted(r.display_name for r in rows()) == ["web-1", "web-2"]
    (cast,) = api.conductor.calls
    assert len(cast["instances"]) == 2


BAD_CREATES = [
    (b"{oops", "application/json", "badRequest", 400, "Malformed request body"),
    (server_body(), None, "badRequest", 400, "Unsupported Content-Type"),
    (server_body(), "text/xml", "badRequest", 400, "Unsupported Content-Type"),
    ({"serverx": {}}, "application/json", "computeFault", 422, None),
    ({"server": "vm"}, "application/json", "computeFault", 422, None),
    (server_body(name=None), "application/json", "badRequest", 400,
     "Server name is not defined"),
    (server_body(name="  "), "application/json", "badRequest", 400,
     "Server name has a minimum character requirement of 1."),
    (server_body(imageRef=None), "application/json", "badRequest", 400,
     "Missing imageRef attribute"),
    (server_body(imageRef="cirros"), "application/json", "badRequest", 400,
     "Invalid imageRef provided."),
    (server_body(imageRef=UNKNOWN), "application/json", "badRequest", 400,
     "Can not find requested image"),
    (server_body(flavorRef=None), "application/json", "badRequest", 400,
     "Missing flavorRef attribute"),
    (server_body(flavorRef="42"), "application/json", "badRequest", 400,
     "Invalid flavorRef provided."),
    (server_body(min_count="two"), "application/json", "badRequest", 400,
     "min_count must be an integer."),
    (server_body(min_count=3, max_count=2), "application/json", "badRequest", 400,
     "min_count must be <= max_count"),
    (server_body(max_count=11), "application/json", "badRequest", 400, None),
    (server_body(security_groups=[{"name": "web"}]), "application/json", "badRequest", 400,
     "Security group web not found for project p1."),
    (server_body(networks=[{"uuid": "nope"}]), "application/json", "badRequest", 400, None),
    (server_body(networks=[{"uuid": UNKNOWN}]), "application/json", "badRequest", 400,
     "Network %s could not be found." % UNKNOWN),
    (server_body(key_name="mykey"), "application/json", "badRequest", 400,
     "Invalid key_name provided."),
    (server_body(accessIPv4="1.2.3"), "application/json", "badRequest", 400,
     "accessIPv4 is not proper IPv4 format"),
    (server_body(metadata=["x"]), "application/json", "badRequest", 400, "Invalid metadata"),
]


@pytest.mark.parametrize("body,content_type,name,code,message", BAD_CREATES)
def test_servers_create_bad_input_faults_and_leaves_nothing(api, body, content_type, name,
                                                            code, message):
    resp = call(api, "POST", "/servers", body, content_type=content_type)
    got = fault(resp, name, code)
    if message:
        assert got == message
    assert "Traceback" not in resp.text
    assert rows() == [] and api.conductor.calls == []


def test_servers_create_transport_down_is_503_and_instance_error(api):
    api.conductor.error = exception.TransportUnavailable(reason="broker gone")
    resp = call(api, "POST", "/servers", server_body())
    assert "broker gone" in fault(resp, "serviceUnavailable", 503)
    (row,) = rows()
    assert row.vm_state == "error" and row.task_state is None
    shown = call(api, "GET", "/servers/" + row.uuid).json["server"]
    assert shown["status"] == "ERROR"
    assert shown["fault"]["code"] == 503 and "broker gone" in shown["fault"]["message"]


# --- reads ---------------------------------------------------------------------------

DETAIL_KEYS = {"id", "name", "status", "tenant_id", "user_id", "metadata", "hostId", "image",
               "flavor", "created", "updated", "addresses", "accessIPv4", "accessIPv6",
               "links", "progress", "OS-EXT-STS:task_state", "OS-EXT-STS:vm_state",
               "OS-EXT-STS:power_state", "OS-EXT-AZ:availability_zone", "key_name",
               "security_groups", "OS-DCF:diskConfig"}


def test_servers_detail_has_keys_clients_read(api):
    sid = create(api)
    db.instance_update(ADMIN, sid, {"vm_state": "active", "task_state": None, "power_state": 1,
                                    "host": "node1", "addresses": {"private": [
                                        {"addr": "10.0.0.5", "version": 4}]}})
    (server,) = call(api, "GET", "/servers/detail").json["servers"]
    assert DETAIL_KEYS <= set(server)
    assert "OS-EXT-SRV-ATTR:host" not in server  # admins only, as Juno's policy
    assert (server["status"], server["OS-EXT-STS:power_state"]) == ("ACTIVE", 1)
    assert server["addresses"]["private"][0]["addr"] == "10.0.0.5"
    assert server["addresses"]["private"][0]["OS-EXT-IPS:type"] == "fixed"
    assert server["hostId"] == hashlib.sha224(b"p1node1").hexdigest()
    assert server["image"]["id"] == IMAGE and server["flavor"]["id"] == "1"
    assert server["created"].endswith("Z")
    admin_view = call(api, "GET", "/servers/detail?all_tenants=1", user="admin",
                      project="admin").json["servers"][0]
    assert admin_view["OS-EXT-SRV-ATTR:host"] == "node1"


def test_servers_index_and_show_shapes(api):
    sid = create(api)
    (brief,) = call(api, "GET", "/servers").json["servers"]
    assert set(brief) == {"id", "name", "links"}
    assert [link["rel"] for link in brief["links"]] == ["self", "bookmark"]
    shown = call(api, "GET", "/p1/servers/" + sid, script_name="/v2").json["server"]
    assert shown["links"][0]["href"] == "http://localhost/v2/p1/servers/" + sid
    assert shown["links"][1]["href"] == "http://localhost/p1/servers/" + sid
    assert shown["status"] == "BUILD" and shown["hostId"] == ""


@pytest.mark.parametrize("method,suffix,body", [
    ("GET", "", None), ("DELETE", "", None), ("PUT", "", {"server": {"name": "x"}}),
    ("POST", "/action", {"os-stop": None}), ("POST", "/action", {"os-start": None}),
    ("POST", "/action", {"reboot": {"type": "HARD"}}),
    ("POST", "/action", {"rebuild": {"imageRef": "cedef40a-ed67-4d10-800e-17455edce175"}}),
    ("POST", "/action", {"createImage": {"name": "theirs"}}),
    ("POST", "/action", {"pause": None}), ("POST", "/action", {"suspend": None}),
    ("POST", "/action", {"os-getConsoleOutput": {}}), ("POST", "/action", {"restore": None}),
    ("POST", "/action", {"forceDelete": None}),
    ("GET", "/metadata", None), ("POST", "/metadata", {"metadata": {"a": "b"}}),
    ("PUT", "/metadata/a", {"meta": {"a": "b"}}), ("DELETE", "/metadata/a", None),
    ("GET", "/os-instance-actions", None),
])
def test_servers_other_projects_server_is_404(api, method, suffix, body):
    """Project isolation (issue 10 item 5): another project's server does not exist for you."""
    sid = create(api, project="p2")
    db.instance_update(ADMIN, sid, {"host": "node1", "vm_state": "active", "task_state": None})
    fault(call(api, method, "/servers/" + sid + suffix, body), "itemNotFound", 404)
    row = db.instance_get_by_uuid(ADMIN, sid)
    assert (row.vm_state, row.task_state, row.display_name) == ("active", None, "vm")
    assert api.rpc.calls == []


@pytest.mark.parametrize("server_id", ["not-a-uuid", "1", UNKNOWN])
def test_servers_bad_or_unknown_id_is_404(api, server_id):
    msg = fault(call(api, "GET", "/servers/" + server_id), "itemNotFound", 404)
    assert msg == "Instance could not be found"


def test_servers_list_is_per_project_unless_admin_all_tenants(api):
    mine, theirs = create(api), create(api, project="p2")
    assert [s["id"] for s in call(api, "GET", "/servers").json["servers"]] == [mine]
    assert [s["id"] for s in call(api, "GET", "/servers?all_tenants=1").json["servers"]] \
        == [mine]
    everyone = call(api, "GET", "/servers?all_tenants=1", user="admin", project="admin")
    assert {s["id"] for s in everyone.json["servers"]} == {mine, theirs}


def test_servers_pagination_next_link_and_marker(api):
    ids = [create(api) for _ in range(3)]  # listed newest first
    page = call(api, "GET", "/servers/detail?limit=2").json
    assert [s["id"] for s in page["servers"]] == ids[:0:-1]
    (link,) = page["servers_links"]
    assert link["rel"] == "next" and "marker=%s" % ids[1] in link["href"]
    assert "/servers/detail?" in link["href"]
    rest = call(api, "GET", "/servers/detail?limit=2&marker=" + ids[1]).json
    assert [s["id"] for s in rest["servers"]] == [ids[0]] and "servers_links" not in rest


@pytest.mark.parametrize("query,message", [
    ("marker=" + UNKNOWN, "marker [%s] not found" % UNKNOWN),
    ("limit=abc", "limit param must be an integer"),
    ("limit=-1", "limit param must be positive"),
])
def test_servers_bad_pagination_is_400(api, query, message):
    create(api)
    assert fault(call(api, "GET", "/servers?" + query), "badRequest", 400) == message


def test_servers_filter_by_status_and_name(api):
    active, building = create(api, server={"name": "a"}), create(api, server={"name": "b"})
    db.instance_update(ADMIN, active, {"vm_state": "active", "task_state": None})
    assert [s["id"] for s in call(api, "GET", "/servers?status=ACTIVE").json["servers"]] \
        == [active]
    assert [s["id"] for s in call(api, "GET", "/servers?name=b").json["servers"]] == [building]
    assert call(api, "GET", "/servers?status=NOSUCH").json == {"servers": []}


# --- update, delete, actions ---------------------------------------------------------

def test_servers_update_renames(api):
    sid = create(api)
    resp = call(api, "PUT", "/servers/" + sid, {"server": {"name": "renamed"}})
    assert resp.status_int == 200 and resp.json["server"]["name"] == "renamed"


def test_servers_delete_unscheduled_is_local_204(api):
    sid = create(api)
    resp = call(api, "DELETE", "/servers/" + sid)
    assert resp.status_int == 204 and resp.body == b""
    assert rows() == [] and api.rpc.calls == []


def test_servers_delete_on_host_casts_terminate(api):
    sid = create(api)
    db.instance_update(ADMIN, sid, {"host": "node1", "vm_state": "active", "task_state": None})
    assert call(api, "DELETE", "/servers/" + sid).status_int == 204
    assert api.rpc.calls == [("terminate_instance", sid, "deleting", {"bdms": []})]
    assert db.instance_get_by_uuid(ADMIN, sid).task_state == "deleting"


def test_servers_delete_transport_down_is_503_and_state_restored(api):
    sid = create(api)
    db.instance_update(ADMIN, sid, {"host": "node1", "vm_state": "active", "task_state": None})
    api.rpc.error = exception.TransportUnavailable(reason="down")
    fault(call(api, "DELETE", "/servers/" + sid), "serviceUnavailable", 503)
    assert db.instance_get_by_uuid(ADMIN, sid).task_state is None


@pytest.mark.parametrize("body,cast,task_state", [
    ({"reboot": {"type": "SOFT"}}, "reboot_instance", "rebooting"),
    ({"reboot": {"type": "hard"}}, "reboot_instance", "rebooting_hard"),
    ({"os-stop": None}, "stop_instance", "powering-off"),
])
def test_servers_actions_cast_to_host(api, body, cast, task_state):
    sid = create(api)
    db.instance_update(ADMIN, sid, {"host": "node1", "vm_state": "active", "task_state": None})
    resp = call(api, "POST", "/servers/%s/action" % sid, body)
    assert resp.status_int == 202
    assert api.rpc.calls[0][:3] == (cast, sid, task_state)


@pytest.mark.parametrize("vm_state,body,cast,task_state", [
    ("active", {"pause": None}, "pause_instance", "pausing"),
    ("paused", {"unpause": None}, "unpause_instance", "unpausing"),
    ("active", {"suspend": None}, "suspend_instance", "suspending"),
    ("suspended", {"resume": None}, "resume_instance", "resuming"),
])
def test_admin_actions_cast_to_host_and_are_recorded(api, vm_state, body, cast, task_state):
    """os-admin-actions (Juno: contrib/admin_actions.py): a controller extension's actions."""
    sid = create(api)
    db.instance_update(ADMIN, sid, {"host": "node1", "vm_state": vm_state, "task_state": None})
    assert call(api, "POST", "/servers/%s/action" % sid, body).status_int == 202
    assert api.rpc.calls[0][:3] == (cast, sid, task_state)
    (action,) = [a for a in db.actions_get(ADMIN, sid) if a.action != "create"]
    assert action.action == next(iter(body))


@pytest.mark.parametrize("vm_state,body", [
    ("active", {"unpause": None}), ("active", {"resume": None}),
    ("paused", {"pause": None}), ("paused", {"suspend": None}), ("suspended", {"pause": None}),
])
def test_admin_actions_in_the_wrong_state_are_409_and_cast_nothing(api, vm_state, body):
    sid = create(api)
    db.instance_update(ADMIN, sid, {"host": "node1", "vm_state": vm_state, "task_state": None})
    message = fault(call(api, "POST", "/servers/%s/action" % sid, body),
                    "conflictingRequest", 409)
    assert message == "Cannot '%s' instance %s while it is in vm_state %s" % (
        next(iter(body)), sid, vm_state)
    assert api.rpc.calls == []


def test_create_image_is_202_with_location_a_queued_image_and_a_cast(api):
    """createImage (Juno: servers.py:1430): the image record first, then a cast to the host."""
    sid = create(api)
    db.instance_update(ADMIN, sid, {"host": "node1", "vm_state": "active", "task_state": None})
    resp = call(api, "POST", "/servers/%s/action" % sid,
                {"createImage": {"name": "snap-1", "metadata": {"purpose": "backup"}}})
    assert resp.status_int == 202 and resp.body == b""
    image_id = resp.headers["Location"].rsplit("/", 1)[1]
    assert resp.headers["Location"] == "http://localhost/v2.1/p1/images/" + image_id
    assert api.rpc.calls == [("snapshot_instance", sid, "image_snapshot_pending",
                              {"image_id": image_id})]
    image = call(api, "GET", "/images/" + image_id).json["image"]
    assert (image["name"], image["status"]) == ("snap-1", "SAVING")  # glance's "queued"
    assert image["metadata"]["instance_uuid"] == sid and image["metadata"]["purpose"] == "backup"
    assert image_id not in [i["id"] for i in call(api, "GET", "/images", project="p2").json[
        "images"]]  # a snapshot is private to its project


@pytest.mark.parametrize("body,name,code", [
    ({"createImage": {}}, "badRequest", 400),
    ({"createImage": {"name": ""}}, "badRequest", 400),
    ({"createImage": {"name": 7}}, "badRequest", 400),
    ({"createImage": {"name": "x" * 256}}, "badRequest", 400),
    ({"createImage": "snap"}, "badRequest", 400),
    ({"createImage": {"name": "s", "metadata": ["a"]}}, "badRequest", 400),
    ({"createImage": {"name": "s", "metadata": {"a": 1}}}, "badRequest", 400),
    ({"createImage": {"name": "s", "metadata": {str(i): "v" for i in range(129)}}},
     "forbidden", 403),
])
def test_create_image_bad_bodies_leave_no_image(api, body, name, code):
    sid = create(api)
    db.instance_update(ADMIN, sid, {"host": "node1", "vm_state": "active", "task_state": None})
    before = call(api, "GET", "/images").json["images"]
    fault(call(api, "POST", "/servers/%s/action" % sid, body), name, code)
    assert call(api, "GET", "/images").json["images"] == before and api.rpc.calls == []


def test_create_image_of_a_building_server_is_409_and_leaves_no_image(api):
    sid = create(api)  # BUILD
    before = call(api, "GET", "/images").json["images"]
    fault(call(api, "POST", "/servers/%s/action" % sid, {"createImage": {"name": "s"}}),
          "conflictingRequest", 409)
    assert call(api, "GET", "/images").json["images"] == before


def test_create_image_with_the_transport_down_is_503_and_leaves_no_image(api):
    sid = create(api)
    db.instance_update(ADMIN, sid, {"host": "node1", "vm_state": "active", "task_state": None})
    before = call(api, "GET", "/images").json["images"]
    api.rpc.error = exception.TransportUnavailable(url="memory://", reason="down")
    fault(call(api, "POST", "/servers/%s/action" % sid, {"createImage": {"name": "s"}}),
          "serviceUnavailable", 503)
    assert call(api, "GET", "/images").json["images"] == before
    assert db.instance_get_by_uuid(ADMIN, sid).task_state is None


def test_images_delete_a_snapshot_but_not_a_fixed_image_nor_anothers(api):
    sid = create(api)
    db.instance_update(ADMIN, sid, {"host": "node1", "vm_state": "active", "task_state": None})
    location = call(api, "POST", "/servers/%s/action" % sid,
                    {"createImage": {"name": "mine"}}).headers["Location"]
    image_id = location.rsplit("/", 1)[1]
    fault(call(api, "DELETE", "/images/" + image_id, project="p2"), "itemNotFound", 404)
    fixed = call(api, "GET", "/images").json["images"][0]["id"]
    fault(call(api, "DELETE", "/images/" + fixed), "forbidden", 403)
    assert call(api, "DELETE", "/images/" + image_id).status_int == 204
    fault(call(api, "GET", "/images/" + image_id), "itemNotFound", 404)


def test_admin_actions_on_a_missing_server_are_404(api):
    fault(call(api, "POST", "/servers/%s/action" % ("0" * 32), {"pause": None}),
          "itemNotFound", 404)


def test_servers_start_stopped_server_casts_start(api):
    sid = create(api)
    db.instance_update(ADMIN, sid, {"host": "node1", "vm_state": "stopped", "task_state": None})
    assert call(api, "POST", "/servers/%s/action" % sid, {"os-start": None}).status_int == 202
    assert api.rpc.calls[0][:3] == ("start_instance", sid, "powering-on")


@pytest.mark.parametrize("body,name,code,message", [
    ({"reboot": {"type": "SOFT"}}, "conflictingRequest", 409, None),
    ({"reboot": {}}, "badRequest", 400, "Missing argument 'type' for reboot"),
    ({"reboot": {"type": "WARM"}}, "badRequest", 400,
     "Argument 'type' for reboot is not HARD or SOFT"),
    ({"os-start": None}, "conflictingRequest", 409, None),
    ({"fly": None}, "badRequest", 400, "There is no such action: fly"),
])
def test_servers_bad_actions(api, body, name, code, message):
    sid = create(api)  # still BUILD
    got = fault(call(api, "POST", "/servers/%s/action" % sid, body), name, code)
    if message:
        assert got == message
    assert api.rpc.calls == []


# --- flavors and images -------------------------------------------------------------

def test_flavors_list_detail_show(api):
    brief = call(api, "GET", "/flavors").json["flavors"]
    assert [f["name"] for f in brief] == ["m1.tiny", "m1.small", "m1.medium", "m1.large",
                                          "m1.xlarge"]
    tiny = call(api, "GET", "/flavors/1").json["flavor"]
    assert (tiny["ram"], tiny["vcpus"], tiny["disk"]) == (512, 1, 1)
    assert call(api, "GET", "/flavors/detail?minRam=8192").json["flavors"][0]["name"] \
        == "m1.large"
    fault(call(api, "GET", "/flavors/42"), "itemNotFound", 404)


def test_images_list_detail_show(api):
    images = call(api, "GET", "/images/detail").json["images"]
    assert IMAGE in [i["id"] for i in images]
    shown = call(api, "GET", "/images/" + IMAGE).json["image"]
    assert shown["status"] == "ACTIVE" and shown["metadata"]["kernel_id"]
    assert fault(call(api, "GET", "/images/" + UNKNOWN), "itemNotFound", 404) \
        == "Image not found."


# --- the real pipeline ---------------------------------------------------------------

@pytest.fixture
def paste_app(conf, monkeypatch):
    from minova import conductor
    fake = FakeConductor()
    monkeypatch.setattr(conductor, "ComputeTaskAPI", lambda *a, **k: fake)
    ini = os.path.join(os.path.dirname(minova.__file__), "etc", "api-paste.ini")
    yield loadapp("config:" + ini, name="osapi_compute"), fake
    sqla.dispose_engine()


def test_paste_pipeline_create_list_delete(paste_app):
    app, fake = paste_app
    token = {"X-Auth-Token": "u1:p1"}
    req = webob.Request.blank("/v2.1/servers", method="POST", headers=token,
                              body=json.dumps(server_body()).encode(),
                              content_type="application/json")
    resp = req.get_response(app)
    assert resp.status_int == 202 and resp.headers["x-compute-request-id"].startswith("req-")
    sid = resp.json["server"]["id"]
    assert len(fake.calls) == 1
    for path in ("/v2.1/servers/detail", "/v2.1/p1/servers/detail", "/v2/p1/servers/detail"):
        listed = webob.Request.blank(path, headers=token).get_response(app)
        assert [s["id"] for s in listed.json["servers"]] == [sid], path
    other = webob.Request.blank("/v2.1/servers/" + sid, headers={"X-Auth-Token": "u2:p2"})
    assert other.get_response(app).status_int == 404
    gone = webob.Request.blank("/v2.1/servers/" + sid, method="DELETE", headers=token)
    assert gone.get_response(app).status_int == 204
