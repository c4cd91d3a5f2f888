"""Base class of the service managers (conductor, compute): the objects RPC calls land on.

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: nova/manager.py
Now: nova/manager.py
"""

from __future__ import annotations

import logging
import socket

from oslo_config import cfg

from minova.db import api as db_api
from minova.messaging import Target

LOG = logging.getLogger(__name__)

netconf_opts = [
    # Juno registers this in nova/netconf.py; minova has no netconf module.
    cfg.StrOpt("host", default=socket.gethostname(),
               help="Name of this node; compute routing keys are compute.<host>"),
]

CONF = cfg.CONF
CONF.register_opts(netconf_opts)


class Manager:
    """A service's RPC endpoint; ``additional_endpoints`` lists more objects served beside it.

    Mirrors: nova.manager.Manager (nova/manager.py, ``additional_endpoints`` at line 76, 2014.2)
    Simplified: no ``PeriodicTasks`` metaclass; ``periodic_tasks`` is one plain method.
    """

    target = Target(version="1.0")

    def __init__(self, host: str | None = None, db_driver=None, service_name: str = "undefined"):
        self.host = host or CONF.host
        self.service_name = service_name
        self.db = db_api  # Juno: nova.db.base.Base sets self.db to the nova.db module
        self.additional_endpoints: list = []

    def init_host(self) -> None:
        """Hook: called by Service.start before the RPC server exists."""

    def pre_start_hook(self) -> None:
        """Hook: after the service row exists, before the RPC server starts."""

    def post_start_hook(self) -> None:
        """Hook: after the RPC server started consuming."""

    def periodic_tasks(self, context) -> None:
        """Hook: Service calls it every ``periodic_interval`` seconds (Juno: one per task)."""

    def cleanup_host(self) -> None:
        """Hook: called by Service.stop after the RPC server stopped."""
