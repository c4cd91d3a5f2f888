"""The conductor's side: receives ``build_instances``, picks a compute host, casts onward.

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: nova/conductor/manager.py
Now: nova/conductor/manager.py (schedule_and_build_instances does this today)
"""

from __future__ import annotations

import datetime
import json
import logging
import random
import time

from oslo_config import cfg

from minova import exception, manager, messaging
from minova.compute import rpcapi as compute_rpcapi
from minova.compute import task_states, vm_states
from minova.db import api as db_api

LOG = logging.getLogger(__name__)

scheduler_opts = [
    # Juno: nova/servicegroup/api.py; the DB servicegroup driver's "is it up?" test.
    cfg.IntOpt("service_down_time", default=60,
               help="Maximum seconds since a service last reported to be considered up"),
    # Not in Juno: see ComputeTaskManager._fail_unscheduled_builds.
    cfg.IntOpt("instance_scheduling_timeout", default=300,
               help="Seconds an instance may wait in BUILD for a compute host to take it "
                    "before the conductor sets it to ERROR. Set to 0 to disable."),
]

CONF = cfg.CONF
CONF.register_opts(scheduler_opts)


class ConductorManager(manager.Manager):
    """The conductor service's manager; its compute-task half is an extra endpoint.

    Mirrors: nova.conductor.manager.ConductorManager (nova/conductor/manager.py:69-439, 2014.2)
    Simplified: none of its ~40 DB-proxy methods.
    """

    target = messaging.Target(version="2.0")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, service_name="conductor", **kwargs)
        self.compute_task_mgr = ComputeTaskManager()
        self.additional_endpoints.append(self.compute_task_mgr)

    def periodic_tasks(self, context) -> None:
        self.compute_task_mgr._fail_unscheduled_builds(context)


class ComputeTaskManager:
    """Endpoint of the 'compute_task' namespace: turns a build request into a cast to a host.

    Mirrors: nova.conductor.manager.ComputeTaskManager (nova/conductor/manager.py:442-759,
    target at line 451, build_instances 592-645, 2014.2)
    Simplified: no request spec, no retries; ``_schedule`` replaces the scheduler.
    """

    target = messaging.Target(namespace="compute_task", version="1.9")

    def __init__(self):
        self.db = db_api
        self.compute_rpcapi = compute_rpcapi.ComputeAPI()
        self._started = time.monotonic()

    def build_instances(self, context, instances, image, filter_properties, admin_password,
                        injected_files, requested_networks, security_groups,
                        block_device_mapping=None, legacy_bdm=True):
        try:
            hosts = self._schedule(context, len(instances))
        except exception.NoValidHost as exc:
            self._set_vm_state_error(context, instances, exc)
            return
        for instance, host in zip(instances, hosts, strict=True):
            self._build_on_host(context, instance, host, image, filter_properties,
                                admin_password, injected_files, requested_networks,
                                security_groups)

    def _schedule(self, context, count: int) -> list[str]:
        """Least-loaded live compute host per instance (random among equals).

        NOVA-DIFF: Juno asks nova-scheduler with a blocking RPC call
        (select_destinations, nova/conductor/manager.py:592-645); minova has no
        scheduler service and does this one step here.
        """
        hosts = self._live_compute_hosts(context)
        if not hosts:
            raise exception.NoValidHost(reason="There are not enough hosts available.")
        load = {host: len(self.db.instance_get_all_by_filters(context, {"host": host}))
                for host in hosts}
        chosen = []
        for _ in range(count):
            least = min(load.values())
            host = random.choice([h for h, n in load.items() if n == least])
            load[host] += 1
            chosen.append(host)
        return chosen

    def _live_compute_hosts(self, context) -> list[str]:
        """Compute services whose last report is recent (Juno: the DB servicegroup driver)."""
        now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
        limit = datetime.timedelta(seconds=CONF.service_down_time)
        return sorted({svc.host for svc in self.db.service_get_all_by_topic(
            context, CONF.compute_topic)
            if now - (svc.updated_at or svc.created_at) <= limit})

    def _set_vm_state_error(self, context, instances, exc: Exception) -> None:
        """Juno: scheduler_utils.set_vm_state_and_notify via handle_schedule_error."""
        for instance in instances:
            LOG.warning("Setting instance %s to ERROR: %s", instance["uuid"], exc)
            try:
                self.db.instance_update(context, instance["uuid"], {
                    "vm_state": vm_states.ERROR, "task_state": None,
                    "fault": instance_fault(exc.format_message())})
            except exception.InstanceNotFound:
                LOG.info("Instance %s was deleted meanwhile", instance["uuid"])

    def _build_on_host(self, context, instance, host, image, filter_properties,
                       admin_password, injected_files, requested_networks, security_groups):
        try:
            # Juno: instance.refresh(); skip an instance deleted while it was scheduled.
            instance = _to_dict(self.db.instance_get_by_uuid(context, instance["uuid"]))
        except exception.InstanceNotFound:
            LOG.info("Instance %s deleted while scheduling; not building", instance["uuid"])
            return
        if (instance["vm_state"], instance["task_state"]) != (vm_states.BUILDING,
                                                              task_states.SCHEDULING):
            # A redelivered request (RabbitMQ) whose instance a compute already took,
            # or one the sweep below already failed: casting again would build nothing.
            LOG.info("Instance %s is %s/%s, no longer waiting for a host; not casting",
                     instance["uuid"], instance["vm_state"], instance["task_state"])
            return
        LOG.info("Casting build_and_run_instance of %s to compute.%s", instance["uuid"], host)
        self.compute_rpcapi.build_and_run_instance(
            context, instance=instance, host=host, image=image, request_spec={},
            filter_properties=dict(filter_properties or {}), admin_password=admin_password,
            injected_files=injected_files, requested_networks=requested_networks,
            security_groups=security_groups, block_device_mapping=[], node=host, limits={})


    def _fail_unscheduled_builds(self, context) -> None:
        """Set to ERROR the instances no compute host took within the timeout.

        A create's journey has two hand-offs that a crash can cut: the API worker
        writes the row, then casts; the conductor takes the message, then casts to a
        compute. The broker-less bus deletes a message when a service takes it, so a
        service killed at the wrong moment leaves an instance in BUILD/scheduling with
        nothing on its way to it (RabbitMQ redelivers what was not acknowledged, but
        the API worker's row-then-cast gap stays). Only instances without a host are
        touched (a compute's ``init_host`` handles its own), only after this conductor
        has run for the timeout (messages queued while it was down come first), and
        only if still BUILD/scheduling at the moment of the write, so a compute
        taking the instance at the same moment wins or loses cleanly.

        NOVA-DIFF: Juno had no such sweep: such an instance stayed in BUILD until an
        operator ran ``nova reset-state``; compute's ``_check_instance_build_time``
        (instance_build_timeout, 0 = off; nova/compute/manager.py:1587) covered only
        instances already on its host.
        """
        timeout = CONF.instance_scheduling_timeout
        if not timeout or time.monotonic() - self._started < timeout:
            return
        now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
        cutoff = now - datetime.timedelta(seconds=timeout)
        for instance in self.db.instance_get_all_unscheduled(context, cutoff):
            message = ("Build of instance %s timed out: no compute host took it within %d "
                       "seconds" % (instance.uuid, timeout))
            try:
                self.db.instance_update(
                    context, instance.uuid,
                    {"vm_state": vm_states.ERROR, "task_state": None,
                     "fault": instance_fault(message)},
                    expected_vm_state=vm_states.BUILDING,
                    expected_task_state=task_states.SCHEDULING)
            except (exception.InstanceNotFound, exception.InstanceInvalidState):
                continue  # deleted, or a compute took it meanwhile
            LOG.warning("%s; set to ERROR", message)


def _to_dict(instance) -> dict:
    """An instance row as the dict that travels over RPC (Juno sends an Instance NovaObject).

    Same keys as minova.compute.api's primitive: ``metadata``, not ``metadata_``.
    """
    return {("metadata" if col.key == "metadata_" else col.key): getattr(instance, col.key)
            for col in instance.__mapper__.column_attrs}


def instance_fault(message: str, code: int = 500) -> str:
    """The ``fault`` column's JSON (Juno keeps it in the instance_faults table)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    return json.dumps({"code": code, "message": message,
                       "created": now.strftime("%Y-%m-%dT%H:%M:%SZ")})
