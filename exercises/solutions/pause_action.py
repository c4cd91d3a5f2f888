"""Exercise 7.1 (reference solution): a ``pause`` server action, end to end.

Layer 7: notebooks/07_journey.ipynb
Juno: the action pattern of ``_action_reboot`` (nova/api/openstack/compute/servers.py:1132-1163);
the compute RPC client pattern of ``ComputeAPI.build_and_run_instance``
(nova/compute/rpcapi.py:879-900: ``prepare(server=host, version=...)`` then ``cast``).
"""

from __future__ import annotations

from minova.api.openstack import wsgi
from minova.api.openstack.compute import servers
from minova.compute import api as compute_api
from minova.compute import manager as compute_manager
from minova.compute import power_state, vm_states
from minova.compute import rpcapi as compute_rpcapi

PAUSING = "pausing"


class PauseComputeRPCAPI(compute_rpcapi.ComputeAPI):
    """The compute RPC client plus ``pause_instance``, cast to the instance's own host."""

    def pause_instance(self, ctxt, instance: dict) -> None:
        cctxt = self.client.prepare(server=instance["host"], version="3.0")
        cctxt.cast(ctxt, "pause_instance", instance=instance)


class PauseComputeManager(compute_manager.ComputeManager):
    """The compute endpoint plus ``pause_instance``: the instance ends PAUSED."""

    def pause_instance(self, context, instance):
        self._update(context, instance["uuid"], vm_state=vm_states.PAUSED, task_state=None,
                     power_state=power_state.PAUSED)


class PauseComputeAPI(compute_api.API):
    """The compute API plus ``pause``, using the RPC client that knows ``pause_instance``."""

    @property
    def compute_rpcapi(self):
        if not isinstance(self._compute_rpcapi, PauseComputeRPCAPI):
            self._compute_rpcapi = PauseComputeRPCAPI()
        return self._compute_rpcapi

    def pause(self, context, instance) -> None:
        compute_api._check_instance_state(instance, [vm_states.ACTIVE], "pause")
        self._act(context, instance, "pause_instance", PAUSING,
                  {"vm_state": vm_states.PAUSED, "power_state": power_state.PAUSED})


class PauseController(servers.Controller):
    """The servers controller plus the action ``{"pause": null}`` (202)."""

    def __init__(self, ext_mgr=None, **kwargs):
        super().__init__(ext_mgr, **kwargs)
        self.compute_api = PauseComputeAPI()

    @wsgi.response(202)
    @wsgi.action("pause")
    def _action_pause(self, req, id, body):
        self._instance_action(req, id, "pause")


def create_resource(ext_mgr=None):
    """The ``wsgi.Resource`` for ``/servers``, holding a ``PauseController``."""
    return wsgi.Resource(PauseController(ext_mgr))
