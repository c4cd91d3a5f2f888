"""The Deferred Delete extension: the ``restore`` and ``forceDelete`` server actions.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/contrib/deferred_delete.py (``DeferredDeleteController``
at 30, ``Deferred_delete`` at 67)
Now: nova/api/openstack/compute/deferred_delete.py
"""

from __future__ import annotations

import webob

from minova import compute, exception
from minova.api.openstack import common, extensions, wsgi


class DeferredDeleteController(wsgi.Controller):
    """Two actions on a server; the server is looked up first, so a missing one is a 404.

    Mirrors: nova.api.openstack.compute.contrib.deferred_delete.DeferredDeleteController
    (nova/api/openstack/compute/contrib/deferred_delete.py:30, 2014.2)
    Simplified: no policy check.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.compute_api = compute.API()

    def _get_instance(self, context, id):
        try:
            return self.compute_api.get(context, id, want_objects=True)
        except exception.InstanceNotFound:
            raise webob.exc.HTTPNotFound(explanation="Instance could not be found")

    @wsgi.action("restore")
    def _restore(self, req, id, body):
        """Restore a previously deleted instance (only a SOFT_DELETED one)."""
        context = req.environ["nova.context"]
        instance = self._get_instance(context, id)
        try:
            self.compute_api.restore(context, instance)
        except exception.InstanceInvalidState as state_error:
            common.raise_http_conflict_for_instance_invalid_state(state_error, "restore", id)
        return webob.Response(status_int=202)

    @wsgi.action("forceDelete")
    def _force_delete(self, req, id, body):
        """Force delete of instance before deferred cleanup."""
        context = req.environ["nova.context"]
        instance = self._get_instance(context, id)
        self.compute_api.force_delete(context, instance)
        return webob.Response(status_int=202)


class Deferred_delete(extensions.ExtensionDescriptor):
    """Instance deferred delete."""

    name = "DeferredDelete"
    alias = "os-deferred-delete"
    namespace = "http://docs.openstack.org/compute/ext/deferred-delete/api/v1.1"
    updated = "2011-09-01T00:00:00Z"

    def get_controller_extensions(self):
        return [extensions.ControllerExtension(self, "servers", DeferredDeleteController())]
