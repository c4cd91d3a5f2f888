"""Exercise 6.2 (reference solution): ``ping`` on the conductor's compute_task API.

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: nova/conductor/manager.py:442-759 (target at line 451), nova/conductor/rpcapi.py:359-442.
"""

from __future__ import annotations

from minova import messaging
from minova.conductor import manager as conductor_manager
from minova.conductor import rpcapi as conductor_rpcapi


class PingComputeTaskManager(conductor_manager.ComputeTaskManager):
    """The conductor's compute_task endpoint, one minor version newer (1.10), with ``ping``."""

    # 1.10 - Added ping (1.x clients up to 1.9 keep working: same major, higher minor)
    target = messaging.Target(namespace="compute_task", version="1.10")

    def ping(self, context, arg):
        return {"pong": arg, "user_id": context.user_id}


class PingComputeTaskAPI(conductor_rpcapi.ComputeTaskAPI):
    """The conductor's compute_task RPC client, with a ``ping`` that waits for the answer."""

    def ping(self, ctxt, arg):
        cctxt = self.client.prepare(version="1.10")
        return cctxt.call(ctxt, "ping", arg=arg)


def ping_conductor(ctxt, arg):
    """What the API process would call: ``PingComputeTaskAPI().ping(ctxt, arg)``, and its reply."""
    api = PingComputeTaskAPI()
    return api.ping(ctxt, arg)
