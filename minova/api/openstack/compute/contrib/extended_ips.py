"""The ExtendedIps extension: ``OS-EXT-IPS:type`` on each address of a server.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/contrib/extended_ips.py (``Extended_ips`` at 72)
Now: the key is in nova master's core server view
"""

from __future__ import annotations

from minova.api.openstack import extensions, wsgi


class ExtendedIpsController(wsgi.Controller):
    """Adds ``OS-EXT-IPS:type`` to each address the core view listed.

    Mirrors: nova.api.openstack.compute.contrib.extended_ips.ExtendedIpsController
    (nova/api/openstack/compute/contrib/extended_ips.py:29, 2014.2)
    Simplified: reads the network info stored on the instance (Juno asked
    common.get_networks_for_instance); the core view lists it in the same order.
    """

    def _extend_server(self, server, instance):
        key = "%s:type" % Extended_ips.alias
        networks = (instance.addresses if instance is not None else None) or {}
        for label, ips in server["addresses"].items():
            for ip, info in zip(ips, networks.get(label, []), strict=False):
                ip[key] = info.get("type", "fixed")

    @wsgi.extends
    def show(self, req, resp_obj, id):
        server = resp_obj.obj["server"]
        self._extend_server(server, req.get_db_instance(server["id"]))

    @wsgi.extends
    def detail(self, req, resp_obj):
        for server in resp_obj.obj["servers"]:
            self._extend_server(server, req.get_db_instance(server["id"]))


class Extended_ips(extensions.ExtensionDescriptor):
    """Adds type parameter to the ip list."""

    name = "ExtendedIps"
    alias = "OS-EXT-IPS"
    namespace = "http://docs.openstack.org/compute/ext/extended_ips/api/v1.1"
    updated = "2013-01-06T00:00:00Z"

    def get_controller_extensions(self):
        return [extensions.ControllerExtension(self, "servers", ExtendedIpsController())]
