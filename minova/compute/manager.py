"""The compute service's manager: drives the virt driver and records the result in the DB.

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: nova/compute/manager.py
Now: nova/compute/manager.py
"""

from __future__ import annotations

import datetime
import logging

from minova import context as nova_context
from minova import exception, image, manager, messaging, network
from minova.compute import power_state, task_states, vm_states
from minova.conductor import manager as conductor_manager
from minova.virt import driver

LOG = logging.getLogger(__name__)


def _utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class ComputeManager(manager.Manager):
    """Manages the running instances of one host: build, terminate, reboot, stop, start.

    Mirrors: nova.compute.manager.ComputeManager (nova/compute/manager.py, 2014.2)
    Simplified: no resource tracker or claims, no retry/reschedule, no instance
    actions or notifications; the network API hands out derived addresses.
    """

    target = messaging.Target(version="3.35")

    def __init__(self, compute_driver: str | None = None, *args, **kwargs):
        super().__init__(*args, service_name="compute", **kwargs)
        self.driver = driver.load_compute_driver(None, compute_driver)
        self.network_api = network.API()

    def init_host(self) -> None:
        """Start the driver, then settle what a crash of this service left half done.

        Juno: nova/compute/manager.py:1123 (init_host) and 833 (_init_instance).
        """
        self.driver.init_host(host=self.host)
        context = nova_context.get_admin_context()
        for instance in self.db.instance_get_all_by_filters(context, {"host": self.host}):
            self._init_instance(context, instance)

    def _init_instance(self, context, instance) -> None:
        """A build cut short stays cut short: ERROR; a snapshot cut short: no task left.

        Juno: nova/compute/manager.py:833, the build at 857-873 (the other cases it
        handles, reboots and deletes in flight, are not here).
        """
        building = (task_states.SCHEDULING, task_states.BLOCK_DEVICE_MAPPING,
                    task_states.NETWORKING, task_states.SPAWNING)
        if instance.vm_state == vm_states.BUILDING or instance.task_state in building:
            LOG.info("Instance %s failed to spawn before this service stopped: ERROR",
                     instance.uuid)
            self._update(context, instance.uuid, vm_state=vm_states.ERROR, task_state=None)
        elif instance.task_state in (task_states.IMAGE_SNAPSHOT_PENDING,
                                     task_states.IMAGE_SNAPSHOT,
                                     task_states.IMAGE_PENDING_UPLOAD,
                                     task_states.IMAGE_UPLOADING):
            self._update(context, instance.uuid, task_state=None)

    def build_and_run_instance(self, context, instance, image, request_spec,
                               filter_properties, admin_password=None, injected_files=None,
                               requested_networks=None, security_groups=None,
                               block_device_mapping=None, node=None, limits=None):
        """BUILD/scheduling -> spawning -> ACTIVE (or ERROR if the driver fails).

        The first step takes the instance only if it is still BUILD/scheduling, so a
        message delivered twice (RabbitMQ redelivers what a killed service had not
        acknowledged) or one that arrives after the instance went to ERROR builds
        nothing. Juno: do_build_and_run_instance's first ``instance.save(expected_task_state=
        (SCHEDULING, None))`` (nova/compute/manager.py:1979-1995).
        """
        uuid = instance["uuid"]
        try:
            self._update(context, uuid, expected_vm_state=vm_states.BUILDING,
                         expected_task_state=task_states.SCHEDULING,
                         task_state=task_states.SPAWNING, host=self.host, node=node or self.host)
        except exception.InstanceNotFound:
            LOG.info("Instance %s was deleted before it was built", uuid)
            return
        except exception.InstanceInvalidState as exc:
            LOG.info("Not building instance %s: %s", uuid, exc.format_message())
            return
        try:
            network_info = self._allocate_network(context, instance, requested_networks)
            LOG.info("Spawning instance %s", uuid)
            self.driver.spawn(context, instance, image, injected_files or [], admin_password)
        except Exception as exc:
            LOG.exception("Instance %s failed to spawn", uuid)
            self._update(context, uuid, vm_state=vm_states.ERROR, task_state=None,
                         fault=conductor_manager.instance_fault(
                             "Build of instance %s aborted: %s" % (uuid, exc)))
            return
        self._set_active(context, uuid, network_info)

    def _allocate_network(self, context, instance, requested_networks) -> dict:
        """Ask the network API for the instance's addresses (MAC included), before spawning.

        Juno: _build_networks_for_instance -> _allocate_network ->
        _allocate_network_async -> network_api.allocate_for_instance
        (nova/compute/manager.py:1620-1668, 1705). Juno did it in a green thread
        while the block devices were prepared; minova has nothing to overlap it with.
        """
        return self.network_api.allocate_for_instance(
            context, instance, requested_networks=requested_networks)

    def _set_active(self, context, uuid: str, network_info: dict) -> None:
        """Juno: _build_and_run_instance's final instance.save(expected_task_state=SPAWNING)."""
        try:
            self._update(context, uuid, expected_task_state=task_states.SPAWNING,
                         vm_state=vm_states.ACTIVE, task_state=None,
                         power_state=power_state.RUNNING, launched_at=_utcnow(),
                         addresses=network_info)
            LOG.info("Instance %s is ACTIVE on %s", uuid, self.host)
        except (exception.InstanceNotFound, exception.InstanceInvalidState):
            # Deleted (or being deleted) while spawning: the delete wins.
            LOG.info("Instance %s changed while spawning; leaving it alone", uuid)

    def terminate_instance(self, context, instance, bdms=None, reservations=None):
        uuid = instance["uuid"]
        self.driver.destroy(context, instance)
        try:
            self._update(context, uuid, vm_state=vm_states.DELETED, task_state=None,
                         power_state=power_state.NOSTATE, terminated_at=_utcnow())
            self.db.instance_destroy(context, uuid)
        except exception.InstanceNotFound:
            LOG.info("Instance %s was already deleted", uuid)

    def reboot_instance(self, context, instance, block_device_info=None, reboot_type="SOFT"):
        self.driver.reboot(context, instance, reboot_type=reboot_type)
        self._update(context, instance["uuid"], vm_state=vm_states.ACTIVE, task_state=None,
                     power_state=power_state.RUNNING)

    def rebuild_instance(self, context, instance, image_ref, new_pass=None, **kwargs):
        """Destroy and spawn again from the new image: REBUILD -> ACTIVE.

        Juno: nova/compute/manager.py:2675 (``rebuild_instance``).
        """
        self.driver.destroy(context, instance)
        self._update(context, instance["uuid"], task_state=task_states.REBUILD_SPAWNING)
        self.driver.spawn(context, instance, {"id": image_ref}, [], new_pass)
        self._update(context, instance["uuid"], vm_state=vm_states.ACTIVE, task_state=None,
                     power_state=power_state.RUNNING, launched_at=_utcnow())

    def get_console_output(self, context, instance, tail_length=None) -> str:
        """The driver's console log, its last ``tail_length`` lines (a call, not a cast)."""
        output = self.driver.get_console_output(context, instance)
        if tail_length is not None:
            lines = output.split("\n")
            output = "\n".join(lines[-int(tail_length):]) if int(tail_length) > 0 else ""
        return output

    def stop_instance(self, context, instance, clean_shutdown=True):
        self.driver.power_off(instance)
        self._update(context, instance["uuid"], vm_state=vm_states.STOPPED, task_state=None,
                     power_state=power_state.SHUTDOWN)

    def start_instance(self, context, instance):
        self.driver.power_on(context, instance)
        self._update(context, instance["uuid"], vm_state=vm_states.ACTIVE, task_state=None,
                     power_state=power_state.RUNNING)

    def snapshot_instance(self, context, image_id, instance):
        """Juno: nova/compute/manager.py:2980 (and _snapshot_instance at 3010).

        IMAGE_SNAPSHOT_PENDING -> IMAGE_SNAPSHOT -> (the driver) IMAGE_UPLOADING -> None;
        if the driver fails, the image is deleted and the task state cleared.
        """
        uuid = instance["uuid"]
        self._update(context, uuid, expected_task_state=task_states.IMAGE_SNAPSHOT_PENDING,
                     task_state=task_states.IMAGE_SNAPSHOT)

        def update_task_state(task_state, expected_state=task_states.IMAGE_SNAPSHOT):
            self._update(context, uuid, expected_task_state=expected_state,
                         task_state=task_state)

        try:
            self.driver.snapshot(context, instance, image_id, update_task_state)
        except Exception:
            LOG.exception("Snapshot of instance %s failed", uuid)
            self._update(context, uuid, task_state=None)
            image.API().delete(context, image_id)
            raise
        self._update(context, uuid, expected_task_state=task_states.IMAGE_UPLOADING,
                     task_state=None)

    def pause_instance(self, context, instance):
        """Juno: nova/compute/manager.py:3954 (expects PAUSING, as the next three their task)."""
        self.driver.pause(instance)
        self._update(context, instance["uuid"], expected_task_state=task_states.PAUSING,
                     vm_state=vm_states.PAUSED, task_state=None, power_state=power_state.PAUSED)

    def unpause_instance(self, context, instance):
        """Juno: nova/compute/manager.py:3971."""
        self.driver.unpause(instance)
        self._update(context, instance["uuid"], expected_task_state=task_states.UNPAUSING,
                     vm_state=vm_states.ACTIVE, task_state=None, power_state=power_state.RUNNING)

    def suspend_instance(self, context, instance):
        """Juno: nova/compute/manager.py:4047 (Juno remembers the old vm_state; minova's is ACTIVE)."""
        self.driver.suspend(instance)
        self._update(context, instance["uuid"], expected_task_state=task_states.SUSPENDING,
                     vm_state=vm_states.SUSPENDED, task_state=None,
                     power_state=power_state.SUSPENDED)

    def resume_instance(self, context, instance):
        """Juno: nova/compute/manager.py:4068."""
        self.driver.resume(context, instance)
        self._update(context, instance["uuid"], expected_task_state=task_states.RESUMING,
                     vm_state=vm_states.ACTIVE, task_state=None, power_state=power_state.RUNNING)

    def _update(self, context, uuid: str, expected_task_state=(), expected_vm_state=(),
                **values):
        return self.db.instance_update(context, uuid, values,
                                       expected_task_state=expected_task_state,
                                       expected_vm_state=expected_vm_state)
