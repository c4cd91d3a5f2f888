"""The ExtendedIpsMac extension: ``OS-EXT-IPS-MAC:mac_addr`` on each address of a server.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/contrib/extended_ips_mac.py (``Extended_ips_mac`` at 70)
Now: the key is in nova master's core server view
"""

from __future__ import annotations

from minova.api.openstack import extensions, wsgi


class ExtendedIpsMacController(wsgi.Controller):
    """Adds ``OS-EXT-IPS-MAC:mac_addr`` to each address the core view listed.

    Mirrors: nova.api.openstack.compute.contrib.extended_ips_mac.ExtendedIpsMacController
    (nova/api/openstack/compute/contrib/extended_ips_mac.py:28, 2014.2)
    Simplified: reads the network info stored on the instance (Juno asked
    common.get_networks_for_instance); the core view lists it in the same order.
    """

    def _extend_server(self, server, instance):
        key = "%s:mac_addr" % Extended_ips_mac.alias
        networks = (instance.addresses if instance is not None else None) or {}
        for label, ips in server["addresses"].items():
            for ip, info in zip(ips, networks.get(label, []), strict=False):
                ip[key] = info.get("mac_addr")

    @wsgi.extends
    def show(self, req, resp_obj, id):
        server = resp_obj.obj["server"]
        self._extend_server(server, req.get_db_instance(server["id"]))

    @wsgi.extends
    def detail(self, req, resp_obj):
        for server in resp_obj.obj["servers"]:
            self._extend_server(server, req.get_db_instance(server["id"]))


class Extended_ips_mac(extensions.ExtensionDescriptor):
    """Adds mac address parameter to the ip list."""

    name = "ExtendedIpsMac"
    alias = "OS-EXT-IPS-MAC"
    namespace = "http://docs.openstack.org/compute/ext/extended_ips_mac/api/v1.1"
    updated = "2013-03-07T00:00:00Z"

    def get_controller_extensions(self):
        return [extensions.ControllerExtension(self, "servers", ExtendedIpsMacController())]
