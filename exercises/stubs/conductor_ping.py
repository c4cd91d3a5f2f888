"""Exercise 6.2: a new RPC method end to end -- ``ping`` on the conductor's compute_task API.

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: the endpoint nova/conductor/manager.py:442-759 (``ComputeTaskManager``, target at
line 451) and its client nova/conductor/rpcapi.py:359-442 (``ComputeTaskAPI``); every new
method there bumped the minor version and added a line to the version history.
Check it with ``./course check 6.2`` (``--hint`` when stuck).
"""

from __future__ import annotations

from minova import messaging  # noqa: F401  (you will need messaging.Target)
from minova.conductor import manager as conductor_manager
from minova.conductor import rpcapi as conductor_rpcapi


class PingComputeTaskManager(conductor_manager.ComputeTaskManager):
    """The conductor's compute_task endpoint, one minor version newer (1.10), with ``ping``.

    Give the class its own ``target``: namespace ``compute_task``, version ``1.10``.
    """

    def ping(self, context, arg):
        """Return ``{"pong": arg, "user_id": context.user_id}`` (the caller's context, rebuilt)."""
        raise NotImplementedError(
            "Exercise 6.2: write PingComputeTaskManager.ping() in "
            "exercises/workspace/conductor_ping.py -- see notebooks/06_conductor_cast.ipynb, "
            "section 'Exercise 6.2'")


class PingComputeTaskAPI(conductor_rpcapi.ComputeTaskAPI):
    """The conductor's compute_task RPC client, with a ``ping`` that waits for the answer."""

    def ping(self, ctxt, arg):
        """Send ``ping`` as a **call** at version 1.10 and return the conductor's reply."""
        raise NotImplementedError(
            "Exercise 6.2: write PingComputeTaskAPI.ping() in "
            "exercises/workspace/conductor_ping.py -- see notebooks/06_conductor_cast.ipynb, "
            "section 'Exercise 6.2'")


def ping_conductor(ctxt, arg):
    """What the API process would call: ``PingComputeTaskAPI().ping(ctxt, arg)``, and its reply."""
    raise NotImplementedError(
        "Exercise 6.2: write ping_conductor() in exercises/workspace/conductor_ping.py"
        " -- see notebooks/06_conductor_cast.ipynb, section 'Exercise 6.2'")
