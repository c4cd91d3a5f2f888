"""The Security Groups extension: ``security_groups`` on each server (show, detail, create).

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/contrib/security_groups.py (``Security_groups`` at 639;
``SecurityGroupsOutputController`` at 528)
Now: the key is in nova master's core server view
"""

from __future__ import annotations

from minova.api.openstack import extensions, wsgi


class SecurityGroupsOutputController(wsgi.Controller):
    """Adds ``security_groups: [{"name": ...}]`` after servers ``show``, ``detail`` and ``create``.

    Mirrors: nova.api.openstack.compute.contrib.security_groups.SecurityGroupsOutputController
    (nova/api/openstack/compute/contrib/security_groups.py:528, 2014.2)
    Simplified: nova-network's shape only; no /os-security-groups resource, no
    addSecurityGroup/removeSecurityGroup actions yet.
    """

    def _extend_servers(self, req, servers):
        for server in servers:
            instance = req.get_db_instance(server["id"])
            groups = instance.security_groups if instance is not None else None
            server["security_groups"] = [{"name": name} for name in groups or []]

    @wsgi.extends
    def show(self, req, resp_obj, id):
        self._extend_servers(req, [resp_obj.obj["server"]])

    @wsgi.extends
    def create(self, req, resp_obj, body):
        self._extend_servers(req, [resp_obj.obj["server"]])

    @wsgi.extends
    def detail(self, req, resp_obj):
        self._extend_servers(req, list(resp_obj.obj["servers"]))


class Security_groups(extensions.ExtensionDescriptor):
    """Security group support."""

    name = "SecurityGroups"
    alias = "os-security-groups"
    namespace = "http://docs.openstack.org/compute/ext/securitygroups/api/v1.1"
    updated = "2013-05-28T00:00:00Z"

    def get_controller_extensions(self):
        return [extensions.ControllerExtension(self, "servers",
                                               SecurityGroupsOutputController())]
