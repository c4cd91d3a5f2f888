"""The Admin Actions extension: pause, unpause, suspend and resume a server.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/contrib/admin_actions.py (``AdminActionsController``
at 44, ``Admin_actions`` at 403)
Now: nova/api/openstack/compute/pause_server.py and suspend_server.py
"""

from __future__ import annotations

import webob

from minova import compute, exception
from minova.api.openstack import common, extensions, wsgi


class AdminActionsController(wsgi.Controller):
    """Four actions on ``POST /servers/{id}/action``; each casts to the server's host.

    Mirrors: nova.api.openstack.compute.contrib.admin_actions.AdminActionsController
    (nova/api/openstack/compute/contrib/admin_actions.py:44, 2014.2)
    Simplified: only pause, unpause, suspend and resume (Juno's also has migrate,
    resetNetwork, injectNetworkInfo, lock, unlock, createBackup, os-migrateLive,
    os-resetState); no policy check (Juno's policy.json let the owner do these four).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.compute_api = compute.API()

    def _act(self, req, id, action: str):
        """What each of Juno's four methods spells out: find, act, 409 on a wrong state, 202."""
        context = req.environ["nova.context"]
        try:
            server = self.compute_api.get(context, id, want_objects=True)
        except exception.InstanceNotFound:
            raise webob.exc.HTTPNotFound(explanation="Server not found")
        try:
            getattr(self.compute_api, action)(context, server)
        except exception.InstanceInvalidState as state_error:
            common.raise_http_conflict_for_instance_invalid_state(state_error, action, id)
        return webob.Response(status_int=202)

    @wsgi.action("pause")
    def _pause(self, req, id, body):
        """Permit Admins to pause the server."""
        return self._act(req, id, "pause")

    @wsgi.action("unpause")
    def _unpause(self, req, id, body):
        """Permit Admins to unpause the server."""
        return self._act(req, id, "unpause")

    @wsgi.action("suspend")
    def _suspend(self, req, id, body):
        """Permit admins to suspend the server."""
        return self._act(req, id, "suspend")

    @wsgi.action("resume")
    def _resume(self, req, id, body):
        """Permit admins to resume the server from suspend."""
        return self._act(req, id, "resume")


class Admin_actions(extensions.ExtensionDescriptor):
    """Enable admin-only server actions

    Actions include: pause, unpause, suspend, resume (minova has these four).
    """

    name = "AdminActions"
    alias = "os-admin-actions"
    namespace = "http://docs.openstack.org/compute/ext/admin-actions/api/v1.1"
    updated = "2011-09-20T00:00:00Z"

    def get_controller_extensions(self):
        return [extensions.ControllerExtension(self, "servers", AdminActionsController())]
