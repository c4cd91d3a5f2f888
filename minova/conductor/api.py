"""What the compute API calls to hand a build to the conductor.

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: nova/conductor/api.py
Now: nova/conductor/api.py
"""

from __future__ import annotations

import logging
import threading

from oslo_config import cfg

from minova.conductor import rpcapi

LOG = logging.getLogger(__name__)

conductor_opts = [
    cfg.BoolOpt("use_local", default=False,
                help="Run the conductor's work inside the API process (no RPC)"),
    cfg.StrOpt("topic", default="conductor",
               help="The topic on which conductor nodes listen"),
    cfg.StrOpt("manager", default="minova.conductor.manager.ConductorManager",
               help="Full class name for the Manager for conductor"),
    # NOVA-DIFF: Juno's default (None) means one worker per CPU; minova
    # starts one, to stay light on a laptop.
    cfg.IntOpt("workers", default=1,
               help="Number of workers for the conductor service"),
]

CONF = cfg.CONF
CONF.register_opts(conductor_opts, group="conductor")


class LocalComputeTaskAPI:
    """Runs ``ComputeTaskManager`` in a thread of this process: no transport at all.

    Mirrors: nova.conductor.api.LocalComputeTaskAPI (nova/conductor/api.py:220-276, 2014.2)
    Simplified: a native thread instead of utils.spawn_n; no ExceptionHelper.
    """

    def __init__(self):
        from minova.conductor import manager  # import late: the manager imports compute
        self._manager = manager.ComputeTaskManager()

    def build_instances(self, context, instances, image, filter_properties, admin_password,
                        injected_files, requested_networks, security_groups,
                        block_device_mapping, legacy_bdm=True):
        threading.Thread(
            target=self._manager.build_instances, name="local-build-instances", daemon=True,
            args=(context, instances, image, filter_properties, admin_password, injected_files,
                  requested_networks, security_groups, block_device_mapping, legacy_bdm),
        ).start()


class ComputeTaskAPI:
    """Forwards every argument to the conductor's RPC client.

    Mirrors: nova.conductor.api.ComputeTaskAPI (nova/conductor/api.py:332-386, 2014.2)
    Simplified: build_instances only (no resize/migrate, no rebuild).
    """

    def __init__(self):
        self.conductor_compute_rpcapi = rpcapi.ComputeTaskAPI()

    def build_instances(self, context, instances, image, filter_properties, admin_password,
                        injected_files, requested_networks, security_groups,
                        block_device_mapping, legacy_bdm=True):
        self.conductor_compute_rpcapi.build_instances(
            context, instances=instances, image=image, filter_properties=filter_properties,
            admin_password=admin_password, injected_files=injected_files,
            requested_networks=requested_networks, security_groups=security_groups,
            block_device_mapping=block_device_mapping, legacy_bdm=legacy_bdm)
