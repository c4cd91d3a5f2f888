"""The Extended Availability Zone extension: ``OS-EXT-AZ:availability_zone``.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/contrib/extended_availability_zone.py (``Extended_availability_zone`` at 58)
Now: the keys are in nova master's core server view
"""

from __future__ import annotations

from minova.api.openstack import extensions, wsgi


class ExtendedAZController(wsgi.Controller):
    """Runs after servers ``show``/``detail`` and adds its keys to each server.

    Mirrors: nova.api.openstack.compute.contrib.extended_availability_zone.ExtendedAZController
    (nova/api/openstack/compute/contrib/extended_availability_zone.py:27, 2014.2)
    Simplified: no policy check (Juno's soft authorizer allowed everyone by default).
    """

    def _extend_server(self, server, instance):
        # Juno asked the host's aggregate first; minova's hosts all sit in the
        # instance's zone (the default "nova"), so the row's own zone is the answer.
        server["%s:availability_zone" % Extended_availability_zone.alias] = (
            instance.availability_zone or "")

    @wsgi.extends
    def show(self, req, resp_obj, id):
        server = resp_obj.obj["server"]
        self._extend_server(server, req.get_db_instance(server["id"]))

    @wsgi.extends
    def detail(self, req, resp_obj):
        for server in resp_obj.obj["servers"]:
            self._extend_server(server, req.get_db_instance(server["id"]))


class Extended_availability_zone(extensions.ExtensionDescriptor):
    """Extended Availability Zone support."""

    name = "ExtendedAvailabilityZone"
    alias = "OS-EXT-AZ"
    namespace = "http://docs.openstack.org/compute/ext/extended_availability_zone/api/v2"
    updated = "2013-01-30T00:00:00Z"

    def get_controller_extensions(self):
        return [extensions.ControllerExtension(self, "servers", ExtendedAZController())]
