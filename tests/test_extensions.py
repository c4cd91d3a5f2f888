"""The extension mechanism (issue 11, item 1): Juno's ExtensionManager, contrib/, @wsgi.extends.

Juno: nova/api/openstack/extensions.py (ExtensionManager 175, load_standard_extensions 315),
nova/api/openstack/wsgi.py (register_extensions 758, pre/post_process_extensions 828/858,
get_method 1013, _get_method 1026, extends 1075), nova/api/openstack/__init__.py
(_setup_ext_routes 198, _setup_extensions 227).
"""

from __future__ import annotations

import logging

import pytest
import webob
from test_servers_api import api, call, create  # noqa: F401  (api is a fixture)

from minova import exception
from minova.api.openstack import extensions, wsgi
from minova.api.openstack.compute import extensions as compute_extensions

CONTRIB = {"OS-DCF", "OS-EXT-AZ", "OS-EXT-IPS", "OS-EXT-IPS-MAC", "OS-EXT-SRV-ATTR",
           "OS-EXT-STS", "OS-SRV-USG", "os-config-drive", "os-extended-volumes",
           "os-keypairs", "os-security-groups", "os-deferred-delete", "os-services",
           "os-availability-zone", "os-flavor-extra-specs", "os-console-output",
           "os-quota-sets", "os-instance-actions", "os-used-limits",
           "os-hypervisors", "os-hypervisor-status", "os-extended-hypervisors",
           "os-simple-tenant-usage", "os-admin-actions"}
CORE_SHOW = {"id", "name", "status", "tenant_id", "user_id", "metadata", "hostId", "image",
             "flavor", "created", "updated", "addresses", "accessIPv4", "accessIPv6", "links",
             "progress"}


def test_the_manager_loads_every_contrib_module_by_its_class_name(conf):
    mgr = compute_extensions.ExtensionManager()
    assert set(mgr.extensions) == CONTRIB
    assert mgr.is_loaded("OS-EXT-STS") and not mgr.is_loaded("os-no-such")
    assert type(mgr.extensions["OS-EXT-STS"]).__name__ == "Extended_status"  # module name


def test_osapi_compute_extension_chooses_what_loads_and_a_bad_factory_is_only_logged(
        conf, caplog):
    conf.set_override("osapi_compute_extension", [
        "minova.api.openstack.compute.contrib.extended_status.Extended_status",
        "minova.api.openstack.compute.contrib.no_such.Extension"])
    with caplog.at_level(logging.WARNING):
        mgr = compute_extensions.ExtensionManager()
    assert set(mgr.extensions) == {"OS-EXT-STS"}
    assert "Failed to load extension" in caplog.text


def test_a_duplicate_alias_is_refused_and_a_nameless_descriptor_ignored(conf):
    conf.set_override("osapi_compute_extension", [])
    mgr = compute_extensions.ExtensionManager()

    class Toy(extensions.ExtensionDescriptor):
        name, alias, namespace, updated = "Toy", "os-toy", "http://example/toy", "2014-10-16"

    class Nameless(extensions.ExtensionDescriptor):
        alias = "os-nameless"

    Toy(mgr)
    with pytest.raises(exception.NovaException, match="duplicate extension: os-toy"):
        Toy(mgr)
    Nameless(mgr)
    assert set(mgr.extensions) == {"os-toy"}


def test_get_extensions_lists_and_shows_them(api):  # noqa: F811
    listed = call(api, "GET", "/extensions").json["extensions"]
    assert {e["alias"] for e in listed} == CONTRIB
    shown = call(api, "GET", "/extensions/OS-EXT-STS").json["extension"]
    assert shown["name"] == "ExtendedStatus" and shown["updated"] == "2011-11-03T00:00:00Z"
    resp = call(api, "GET", "/extensions/os-nope")
    assert resp.status_int == 404 and "itemNotFound" in resp.json


def test_show_and_detail_carry_the_extension_keys(api):  # noqa: F811
    server_id = create(api)
    shown = call(api, "GET", "/servers/" + server_id).json["server"]
    detailed = call(api, "GET", "/servers/detail").json["servers"][0]
    for server in (shown, detailed):
        assert server["OS-EXT-STS:vm_state"] == "building"
        assert server["OS-DCF:diskConfig"] == "MANUAL"
        assert server["security_groups"] == [{"name": "default"}]
        assert {"key_name", "config_drive", "OS-EXT-AZ:availability_zone",
                "OS-SRV-USG:launched_at", "os-extended-volumes:volumes_attached"} <= set(server)
        assert "OS-EXT-SRV-ATTR:host" not in server  # admins only
    admin_view = call(api, "GET", "/servers/detail?all_tenants=1", user="admin").json
    assert "OS-EXT-SRV-ATTR:host" in admin_view["servers"][0]


def test_update_answers_the_core_view_plus_disk_config_only(api):  # noqa: F811
    """Issue 19: in Juno only disk_config extends update (contrib/disk_config.py:146)."""
    server_id = create(api)
    updated = call(api, "PUT", "/servers/" + server_id, {"server": {"name": "renamed"}})
    assert updated.status_int == 200, updated.text
    assert set(updated.json["server"]) == CORE_SHOW | {"OS-DCF:diskConfig"}
    assert updated.json["server"]["name"] == "renamed"


def test_create_answers_id_links_and_what_its_extensions_add(api):  # noqa: F811
    resp = call(api, "POST", "/servers", {"server": {
        "name": "vm", "imageRef": "155d900f-4e14-4e4c-a73d-069cbf4541e6", "flavorRef": "1"}})
    assert set(resp.json["server"]) == {"id", "links", "adminPass", "OS-DCF:diskConfig",
                                        "security_groups"}


def test_with_no_extensions_the_views_are_juno_core(conf):
    conf.set_override("osapi_compute_extension", [])
    from minova.api.openstack.compute import APIRouter

    router = APIRouter.factory({})
    assert router.resources["servers"].wsgi_extensions == {}
    assert "extensions" in router.resources  # /extensions itself is always there


# --- the Resource side: @extends, pre- and post-processing -----------------------------

class Toys(wsgi.Controller):
    def show(self, req, id):
        return {"toy": {"id": id}}


class Ext(wsgi.Controller):
    calls: list = []

    @wsgi.extends
    def show(self, req, resp_obj, id):  # a plain function: runs after
        self.calls.append("after")
        resp_obj.obj["toy"]["colour"] = "red"


class GenExt(wsgi.Controller):
    @wsgi.extends
    def show(self, req, id):  # a generator: before, then after with the ResponseObject
        Ext.calls.append("before")
        resp_obj = yield
        Ext.calls.append("gen-after")
        resp_obj.obj["toy"]["size"] = "S"


class Refuser(wsgi.Controller):
    @wsgi.extends
    def show(self, req, id):
        if id == "secret":
            yield webob.exc.HTTPForbidden()
        yield


def _resource(*exts):
    resource = wsgi.Resource(Toys())
    for ext in exts:
        resource.register_extensions(ext)
    return resource


def _get(resource, id):
    req = wsgi.Request.blank("/toys/" + id)
    req.environ["wsgiorg.routing_args"] = ((), {"action": "show", "id": id})
    return req.get_response(resource)


def test_metaclass_collects_extends_and_get_method_returns_them():
    assert Ext.wsgi_extensions == [("show", None)]
    resource = _resource(Ext())
    meth, exts = resource.get_method(None, "show", None, b"")
    assert meth.__func__ is Toys.show and [e.__func__ for e in exts] == [Ext.show]


def test_extensions_run_around_the_method_in_juno_order():
    Ext.calls.clear()
    resp = _get(_resource(Ext(), GenExt()), "t1")
    assert resp.json == {"toy": {"id": "t1", "colour": "red", "size": "S"}}
    # generators run before the call; post-processing goes in reverse registration order
    assert Ext.calls == ["before", "gen-after", "after"]


def test_a_generator_extension_can_answer_instead_of_the_controller():
    resource = _resource(Refuser())
    assert _get(resource, "secret").status_int == 403
    assert _get(resource, "open").json == {"toy": {"id": "open"}}


def test_inherits_adds_the_parent_resources_extensions():
    parent = _resource(Ext())
    child = wsgi.Resource(Toys(), inherits=parent)
    _meth, exts = child.get_method(None, "show", None, b"")
    assert [e.__func__ for e in exts] == [Ext.show]
    assert parent.wsgi_extensions["show"] == exts  # the parent's list was not extended


# --- resource extensions: new collections (Juno contrib/, read only in minova) ----------

def _services(conf):
    from minova import context as nova_context
    from minova.db import api as db

    ctxt = nova_context.get_admin_context()
    db.service_create(ctxt, {"host": "h1", "binary": "minova-compute", "topic": "compute"})
    db.service_create(ctxt, {"host": "h1", "binary": "minova-conductor", "topic": "conductor"})


def test_os_services_lists_each_service_for_admins_only(api):  # noqa: F811
    """Juno: contrib/services.py:71-121 (admin_api policy)."""
    _services(None)
    listed = call(api, "GET", "/os-services", user="admin").json["services"]
    assert [(s["binary"], s["zone"], s["state"], s["status"]) for s in listed] == [
        ("minova-compute", "nova", "up", "enabled"),
        ("minova-conductor", "internal", "up", "enabled")]
    assert call(api, "GET", "/os-services").status_int == 403


def test_availability_zones_hide_internal_and_detail_shows_hosts(api):  # noqa: F811
    """Juno: contrib/availability_zone.py:77-157."""
    _services(None)
    zones = call(api, "GET", "/os-availability-zone").json["availabilityZoneInfo"]
    assert zones == [{"zoneName": "nova", "zoneState": {"available": True}, "hosts": None}]
    detail = call(api, "GET", "/os-availability-zone/detail", user="admin").json
    by_zone = {z["zoneName"]: z["hosts"] for z in detail["availabilityZoneInfo"]}
    assert set(by_zone["nova"]["h1"]) == {"minova-compute"}
    assert set(by_zone["internal"]["h1"]) == {"minova-conductor"}


def test_flavor_extra_specs_are_empty_and_an_unknown_flavor_is_404(api):  # noqa: F811
    """Juno: contrib/flavorextraspecs.py:89-147, a sub-resource of /flavors."""
    assert call(api, "GET", "/flavors/1/os-extra_specs").json == {"extra_specs": {}}
    assert call(api, "GET", "/flavors/1/os-extra_specs/hw:cpu").status_int == 404
    assert call(api, "GET", "/flavors/nope/os-extra_specs").status_int == 404


PUBLIC_KEY = ("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDx8nkQv/zgGgB4rMYmIf+6A4l6Rr+o/6lHBQdW"
              "5aYd44bd8JttDCE/F/pNRr0lRE+PiqSPO8nDPHw0010JeMH9gYgnnFlyY3/OcJ02RhIPyyxYpv9F"
              "hY+2YiUkpwFOcLImyrxEsYXpD/0d3ac30bNH6Sw9JD9UZHYcpSxsIbECHw== Generated-by-Nova")


def test_keypairs_import_list_show_delete_and_key_name_on_create(api):  # noqa: F811
    """Juno: contrib/keypairs.py:49-160 and compute/api.py:3617-3706 (KeypairAPI)."""
    created = call(api, "POST", "/os-keypairs", {"keypair": {"name": "k1",
                                                              "public_key": PUBLIC_KEY}})
    assert created.status_int == 200, created.text
    keypair = created.json["keypair"]
    assert keypair["fingerprint"].count(":") == 15 and keypair["user_id"] == "u1"
    again = call(api, "POST", "/os-keypairs", {"keypair": {"name": "k1",
                                                            "public_key": PUBLIC_KEY}})
    assert again.status_int == 409 and "already exists" in again.text
    assert [k["keypair"]["name"] for k in call(api, "GET", "/os-keypairs").json["keypairs"]] \
        == ["k1"]
    assert call(api, "GET", "/os-keypairs/k1").json["keypair"]["public_key"] == PUBLIC_KEY
    assert call(api, "GET", "/os-keypairs", user="u2").json["keypairs"] == []  # per user
    server_id = create(api, server={"key_name": "k1"})
    assert call(api, "GET", "/servers/" + server_id).json["server"]["key_name"] == "k1"
    bad = call(api, "POST", "/servers", {"server": {
        "name": "vm", "imageRef": "155d900f-4e14-4e4c-a73d-069cbf4541e6", "flavorRef": "1",
        "key_name": "nope"}})
    assert bad.status_int == 400 and "Invalid key_name provided." in bad.text
    assert call(api, "DELETE", "/os-keypairs/k1").status_int == 202
    assert call(api, "GET", "/os-keypairs/k1").status_int == 404


@pytest.mark.parametrize("keypair, message", [
    ({"name": "bad/name", "public_key": PUBLIC_KEY}, "unsafe characters"),
    ({"name": "k", "public_key": "not a key"}, "failed to generate fingerprint"),
    ({"public_key": PUBLIC_KEY}, "Invalid request body"),
])
def test_bad_keypairs_are_400(api, keypair, message):  # noqa: F811
    resp = call(api, "POST", "/os-keypairs", {"keypair": keypair})
    assert resp.status_int == 400 and message in resp.text


def test_a_generated_keypair_returns_its_private_key_once(api):  # noqa: F811
    pytest.importorskip("cryptography")
    keypair = call(api, "POST", "/os-keypairs", {"keypair": {"name": "gen"}}).json["keypair"]
    assert keypair["private_key"].startswith("-----BEGIN RSA PRIVATE KEY-----")
    assert "private_key" not in call(api, "GET", "/os-keypairs/gen").json["keypair"]
