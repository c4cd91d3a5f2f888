"""The Extended Volumes extension: ``os-extended-volumes:volumes_attached``.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/contrib/extended_volumes.py (``Extended_volumes`` at 64)
Now: the keys are in nova master's core server view
"""

from __future__ import annotations

from minova.api.openstack import extensions, wsgi


class ExtendedVolumesController(wsgi.Controller):
    """Runs after servers ``show``/``detail`` and adds its keys to each server.

    Mirrors: nova.api.openstack.compute.contrib.extended_volumes.ExtendedVolumesController
    (nova/api/openstack/compute/contrib/extended_volumes.py:26, 2014.2)
    Simplified: no policy check (Juno's soft authorizer allowed everyone by default).
    """

    def _extend_server(self, server, instance):
        # Juno listed the instance's block device mappings; minova attaches no volumes.
        server["%s:volumes_attached" % Extended_volumes.alias] = []

    @wsgi.extends
    def show(self, req, resp_obj, id):
        server = resp_obj.obj["server"]
        self._extend_server(server, req.get_db_instance(server["id"]))

    @wsgi.extends
    def detail(self, req, resp_obj):
        for server in resp_obj.obj["servers"]:
            self._extend_server(server, req.get_db_instance(server["id"]))


class Extended_volumes(extensions.ExtensionDescriptor):
    """Extended Volumes support."""

    name = "ExtendedVolumes"
    alias = "os-extended-volumes"
    namespace = "http://docs.openstack.org/compute/ext/extended_volumes/api/v1.1"
    updated = "2013-06-07T00:00:00Z"

    def get_controller_extensions(self):
        return [extensions.ControllerExtension(self, "servers", ExtendedVolumesController())]
