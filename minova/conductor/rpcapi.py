"""Client side of the conductor's compute-task RPC API: the cast the API process makes.

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: nova/conductor/rpcapi.py
Now: nova/conductor/rpcapi.py
"""

from __future__ import annotations

from oslo_config import cfg

from minova import messaging, rpc

CONF = cfg.CONF


class ComputeTaskAPI:
    """Client side of the conductor 'compute_task' namespaced RPC API.

    API version history::

        1.0 - Initial version (empty).
        1.1 - Added unified migrate_server call.
        1.2 - Added build_instances
        1.3 - Added unshelve_instance
        1.4 - Added reservations to migrate_server.
        1.5 - Added the leagacy_bdm parameter to build_instances
        1.6 - Made migrate_server use instance objects
        1.7 - Do not send block_device_mapping and legacy_bdm to build_instances
        1.8 - Add rebuild_instance
        1.9 - Converted requested_networks to NetworkRequestList object

    Mirrors: nova.conductor.rpcapi.ComputeTaskAPI (nova/conductor/rpcapi.py:359-442, 2014.2)
    Simplified: build_instances only; no version fallbacks (minova has one release).
    """

    def __init__(self):
        CONF.import_opt("topic", "minova.conductor.api", group="conductor")
        target = messaging.Target(topic=CONF.conductor.topic, namespace="compute_task",
                                  version="1.0")
        self.client = rpc.get_client(target)

    def build_instances(self, context, instances, image, filter_properties, admin_password,
                        injected_files, requested_networks, security_groups,
                        block_device_mapping, legacy_bdm=True):
        """Juno lines 403-424: version 1.9, then a fire-and-forget cast."""
        # 1.7 dropped block_device_mapping and legacy_bdm from the message.
        kw = {"instances": instances, "image": image,
              "filter_properties": filter_properties, "admin_password": admin_password,
              "injected_files": injected_files, "requested_networks": requested_networks,
              "security_groups": security_groups}
        cctxt = self.client.prepare(version="1.9")
        cctxt.cast(context, "build_instances", **kw)
