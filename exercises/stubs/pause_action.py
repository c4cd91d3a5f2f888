"""Exercise 7.1 (capstone): a ``pause`` server action, end to end, through every layer after routes.

Layer 7: notebooks/07_journey.ipynb
Juno: the action pattern of ``_action_reboot`` (nova/api/openstack/compute/servers.py:1132-1163);
the compute RPC client pattern of ``ComputeAPI.build_and_run_instance``
(nova/compute/rpcapi.py:879-900: ``prepare(server=host, version=...)`` then ``cast``).

``POST /servers/<id>/action {"pause": null}`` must answer 202, set the task state ``pausing``,
cast ``pause_instance`` to ``compute.<host>``, and the compute side must leave the instance with
``vm_state`` PAUSED, ``power_state`` PAUSED and no task state. Only an ACTIVE server can be
paused (others: 409). Follow the journey of notebook 07 backwards: controller → compute API →
compute RPC client → (queue) → compute manager.
Check it with ``./course check 7.1`` (``--hint`` when stuck).
"""

from __future__ import annotations

from minova.api.openstack import wsgi
from minova.api.openstack.compute import servers
from minova.compute import api as compute_api
from minova.compute import manager as compute_manager
from minova.compute import power_state, vm_states  # noqa: F401
from minova.compute import rpcapi as compute_rpcapi

_SEE = " -- see notebooks/07_journey.ipynb, section 'Exercises'"


class PauseComputeRPCAPI(compute_rpcapi.ComputeAPI):
    """The compute RPC client plus ``pause_instance``, cast to the instance's own host."""

    def pause_instance(self, ctxt, instance: dict) -> None:
        """Cast ``pause_instance(instance=...)`` at version 3.0 to ``compute.<instance host>``."""
        raise NotImplementedError("Exercise 7.1: write PauseComputeRPCAPI.pause_instance() in "
                                  "exercises/workspace/pause_action.py" + _SEE)


class PauseComputeManager(compute_manager.ComputeManager):
    """The compute endpoint plus ``pause_instance``: the instance ends PAUSED."""

    def pause_instance(self, context, instance):
        """Write vm_state PAUSED, power_state PAUSED, task_state None for ``instance["uuid"]``."""
        raise NotImplementedError("Exercise 7.1: write PauseComputeManager.pause_instance() in "
                                  "exercises/workspace/pause_action.py" + _SEE)


class PauseComputeAPI(compute_api.API):
    """The compute API plus ``pause``, using the RPC client that knows ``pause_instance``."""

    @property
    def compute_rpcapi(self):
        """A ``PauseComputeRPCAPI``, made on first use (the base class makes a plain one)."""
        raise NotImplementedError("Exercise 7.1: write PauseComputeAPI.compute_rpcapi in "
                                  "exercises/workspace/pause_action.py" + _SEE)

    def pause(self, context, instance) -> None:
        """ACTIVE only (else InstanceInvalidState); mark ``pausing`` and cast ``pause_instance``."""
        raise NotImplementedError("Exercise 7.1: write PauseComputeAPI.pause() in "
                                  "exercises/workspace/pause_action.py" + _SEE)


class PauseController(servers.Controller):
    """The servers controller plus the action ``{"pause": null}`` (202)."""

    def __init__(self, ext_mgr=None, **kwargs):
        """Everything ``servers.Controller`` sets up, with a ``PauseComputeAPI`` as compute_api."""
        raise NotImplementedError("Exercise 7.1: write PauseController.__init__() in "
                                  "exercises/workspace/pause_action.py" + _SEE)

    @wsgi.response(202)
    @wsgi.action("pause")
    def _action_pause(self, req, id, body):
        """Find the server and pause it; 404 / 409 / 503 as the other server actions answer."""
        raise NotImplementedError("Exercise 7.1: write PauseController._action_pause() in "
                                  "exercises/workspace/pause_action.py" + _SEE)


def create_resource(ext_mgr=None):
    """The ``wsgi.Resource`` for ``/servers``, holding a ``PauseController``."""
    raise NotImplementedError("Exercise 7.1: write create_resource() in "
                              "exercises/workspace/pause_action.py" + _SEE)
