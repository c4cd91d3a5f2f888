"""The Instance Actions extension: ``/servers/{server_id}/os-instance-actions[/{request_id}]``.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/contrib/instance_actions.py (``InstanceActionsController``
at 65, ``Instance_actions`` at 114)
Now: nova/api/openstack/compute/instance_actions.py
"""

from __future__ import annotations

import webob.exc as exc

from minova import compute, exception
from minova.api.openstack import extensions, wsgi
from minova.db import api as db

ACTION_KEYS = ["action", "instance_uuid", "request_id", "user_id", "project_id",
               "start_time", "message"]


class InstanceActionsController(wsgi.Controller):
    """The actions recorded for one server: create, reboot, stop, start, rebuild.

    Mirrors: nova.api.openstack.compute.contrib.instance_actions.InstanceActionsController
    (nova/api/openstack/compute/contrib/instance_actions.py:65, 2014.2)
    Simplified: no events (Juno showed them to admins).
    """

    def __init__(self):
        super().__init__()
        self.compute_api = compute.API()

    def _instance(self, context, server_id):
        try:
            return self.compute_api.get(context, server_id, want_objects=True)
        except exception.InstanceNotFound:
            raise exc.HTTPNotFound(explanation="Instance could not be found")

    @staticmethod
    def _format_action(action_raw) -> dict:
        action = {key: getattr(action_raw, key) for key in ACTION_KEYS}
        action["start_time"] = action["start_time"].isoformat() if action["start_time"] \
            else None
        return action

    def index(self, req, server_id):
        """Returns the list of actions recorded for a given instance."""
        context = req.environ["nova.context"]
        instance = self._instance(context, server_id)
        return {"instanceActions": [self._format_action(a)
                                    for a in db.actions_get(context, instance.uuid)]}

    def show(self, req, server_id, id):
        """Return data about the given instance action (``id`` is its request id)."""
        context = req.environ["nova.context"]
        instance = self._instance(context, server_id)
        action = db.action_get_by_request_id(context, instance.uuid, id)
        if action is None:
            raise exc.HTTPNotFound(explanation="Action %s not found" % id)
        return {"instanceAction": self._format_action(action)}


class Instance_actions(extensions.ExtensionDescriptor):
    """View a log of actions and events taken on an instance."""

    name = "InstanceActions"
    alias = "os-instance-actions"
    namespace = "http://docs.openstack.org/compute/ext/instance-actions/api/v1.1"
    updated = "2013-02-08T00:00:00Z"

    def get_resources(self):
        return [extensions.ResourceExtension(
            "os-instance-actions", InstanceActionsController(),
            parent=dict(member_name="server", collection_name="servers"))]
