"""The compute API: what the servers controller calls to read, create, delete and act on servers.

Layer 5 (reads, straight from the database): notebooks/05_resource_dispatch.ipynb
Layer 6 (create → the ``build_instances`` cast): notebooks/06_conductor_cast.ipynb
Juno: nova/compute/api.py (``API`` at 259-3249)
Now: nova/compute/api.py (``API`` at 452-6088)
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import logging
import string
import uuid

import sqlalchemy
from oslo_config import cfg

from minova import exception, image, network, utils, volume
from minova.compute import flavors, power_state, task_states, vm_states
from minova.db import api as db
from minova.db.sqlalchemy import models
from minova.network.security_group import openstack_driver

LOG = logging.getLogger(__name__)

compute_api_opts = [
    cfg.StrOpt("multi_instance_display_name_template", default="%(name)s-%(count)d",
               help="Display name of each instance when one request creates several"),
]

CONF = cfg.CONF
CONF.register_opts(compute_api_opts)

# NOVA-DIFF: Juno limits a request by the project's instance quota (10 by
# default); minova has no quotas and caps one request at that number instead.
MAX_COUNT = 10

_INSTANCE_ATTRS = [attr.key for attr in sqlalchemy.inspect(models.Instance).column_attrs]


def _instance_to_primitive(instance) -> dict:
    """The instance row as a JSON-friendly dict: what travels in casts to conductor and compute.

    NOVA-DIFF: Juno sends a versioned ``Instance`` object (NovaObjectSerializer);
    minova sends the row's columns, ``metadata_`` renamed ``metadata`` and
    datetimes as ISO 8601 strings.
    """
    prim = {}
    for attr in _INSTANCE_ATTRS:
        value = getattr(instance, attr)
        if isinstance(value, datetime.datetime):
            value = value.isoformat()
        prim["metadata" if attr == "metadata_" else attr] = value
    return prim


def _to_primitive(value):
    """Dicts, lists and datetimes made JSON-friendly (Juno: jsonutils.to_primitive on the image)."""
    if isinstance(value, dict):
        return {k: _to_primitive(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_primitive(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


def _check_instance_state(instance, vm_state: list[str], method: str) -> None:
    """Refuse an action unless the instance is idle in one of ``vm_state`` (Juno: a decorator)."""
    if instance.vm_state not in vm_state:
        raise exception.InstanceInvalidState(instance_uuid=instance.uuid, attr="vm_state",
                                             state=instance.vm_state, method=method)
    if instance.task_state is not None:
        raise exception.InstanceInvalidState(instance_uuid=instance.uuid, attr="task_state",
                                             state=instance.task_state, method=method)


# Juno's default metadata_items quota (nova/quota.py): items per server.
METADATA_ITEMS = 128


class API:
    """API for interacting with the compute manager: reads hit the database, writes end in casts.

    Mirrors: nova.compute.api.API (nova/compute/api.py:259, 2014.2)
    Simplified: no policy checks, quotas, block device mappings, instance
    actions or notifications; instances are database rows, not objects.
    """

    def __init__(self, image_api=None, network_api=None, volume_api=None,
                 security_group_api=None, **kwargs):
        self.db = db  # Juno: nova.db.base.Base sets self.db from the db_driver option
        self.image_api = image_api or image.API()
        self.network_api = network_api or network.API()
        self.volume_api = volume_api or volume.API()
        self.security_group_api = (security_group_api or
                                   openstack_driver.get_openstack_security_group_driver())
        self._compute_rpcapi = None
        self._compute_task_api = None

    @property
    def compute_rpcapi(self):
        """The compute service's RPC client, built on first use.

        NOVA-DIFF: Juno builds it in ``__init__`` (nova-api has called
        ``rpc.init`` by then); minova waits for the first cast, so the router
        also loads in-process (layer 4-5 notebooks, tests) with no transport.
        """
        if self._compute_rpcapi is None:
            from minova.compute import rpcapi as compute_rpcapi
            self._compute_rpcapi = compute_rpcapi.ComputeAPI()
        return self._compute_rpcapi

    @compute_rpcapi.setter
    def compute_rpcapi(self, value) -> None:
        self._compute_rpcapi = value

    @property
    def compute_task_api(self):
        """The conductor's task API, imported on first use (Juno: avoids a circular import)."""
        if self._compute_task_api is None:
            from minova import conductor
            self._compute_task_api = conductor.ComputeTaskAPI()
        return self._compute_task_api

    # --- reads: no RPC at all, just the database --------------------------------

    def get(self, context, instance_id, want_objects: bool = False, expected_attrs=None):
        """One instance of the caller's project (any project for an admin), or InstanceNotFound."""
        # NOVA-DIFF: Juno also looks integer ids up by the row id.
        if not utils.is_uuid_like(instance_id):
            raise exception.InstanceNotFound(instance_id=instance_id)
        instance = self.db.instance_get_by_uuid(context, instance_id)
        # Juno's query is project_only for non-admins: another project's server
        # does not exist for the caller (404, never 403, so nothing is revealed).
        if not context.is_admin and instance.project_id != context.project_id:
            raise exception.InstanceNotFound(instance_id=instance_id)
        return instance

    def get_all(self, context, search_opts: dict | None = None, sort_key: str = "created_at",
                sort_dir: str = "desc", limit: int | None = None, marker: str | None = None,
                want_objects: bool = False, expected_attrs=None) -> list:
        """Instances matching ``search_opts``, renamed to columns as Juno's filter_mapping does.

        Juno: nova/compute/api.py:1893 (``image`` -> image_ref, ``name`` ->
        display_name, a regular expression; ``flavor`` -> the flavor's id, an
        unknown flavor -> FlavorNotFound, which the API turns into an empty list).
        NOVA-DIFF: ``ip`` is accepted and ignored (addresses are JSON, not a table).
        """
        filters = dict(search_opts or {})
        filters.pop("ip", None)
        for option, column in (("name", "display_name"), ("image", "image_ref")):
            if option in filters:
                filters[column] = filters.pop(option)
        if "flavor" in filters:
            filters["flavor_id"] = flavors.get_flavor_by_flavor_id(
                filters.pop("flavor"), ctxt=context)["flavorid"]
        if not context.is_admin:
            filters["project_id"] = context.project_id  # Juno does this in the db layer
            if marker is not None:
                try:
                    self.get(context, marker)
                except exception.InstanceNotFound:
                    raise exception.MarkerNotFound(marker=marker)
        return self.db.instance_get_all_by_filters(context, filters, limit=limit, marker=marker)

    # --- create: write rows, then cast build_instances ------------------------------

    def create(self, context, instance_type: dict, image_href: str, min_count=None,
               max_count=None, display_name=None, display_description=None, key_name=None,
               security_group=None, availability_zone=None, metadata=None, injected_files=None,
               admin_password=None, access_ip_v4=None, access_ip_v6=None,
               requested_networks=None, scheduler_hints=None, **kwargs):
        """Provision instances and ask the conductor to build them; return (instances, resv_id).

        ``kwargs`` takes Juno's remaining parameters (kernel_id, user_data,
        block_device_mapping, config_drive, ...), which minova ignores.
        """
        min_count = min_count or 1
        max_count = max_count or min_count
        if max_count > MAX_COUNT:
            raise exception.InvalidInput(
                message="max_count must be <= %d (minova has no quotas)" % MAX_COUNT)
        base = dict(display_name=display_name, key_name=key_name,
                    availability_zone=availability_zone or "nova", metadata_=metadata or {},
                    access_ip_v4=access_ip_v4, access_ip_v6=access_ip_v6)
        return self._create_instance(context, instance_type, image_href, max_count, base,
                                     security_group or ["default"], requested_networks,
                                     admin_password, injected_files or [], scheduler_hints or {})

    def _create_instance(self, context, instance_type, image_href, num_instances, base,
                         security_groups, requested_networks, admin_password,
                         injected_files, scheduler_hints):
        """Validate, write the rows in BUILD, then cast ``build_instances`` to the conductor."""
        reservation_id = utils.generate_uid("r")
        boot_meta = self.image_api.get(context, image_href)
        security_groups = self.security_group_api.validate_names(context, security_groups)
        self.network_api.validate_networks(context, requested_networks, num_instances)
        base_options = self._validate_and_build_base_options(
            context, instance_type, boot_meta, reservation_id, security_groups, base)
        instances = self._provision_instances(context, base_options, num_instances)
        for instance in instances:
            self._record_action_start(context, instance, "create")
        filter_properties = {"scheduler_hints": scheduler_hints, "instance_type": instance_type}
        self._cast_build_instances(context, instances, _to_primitive(boot_meta),
                                   filter_properties, admin_password, injected_files,
                                   requested_networks, security_groups)
        return instances, reservation_id

    def _check_metadata_properties_quota(self, context, metadata=None) -> None:
        """At most 128 items, keys of 1-255 characters, values of 0-255.

        Juno: nova/compute/api.py:423-454. 128 is Juno's default metadata_items
        quota; minova has no other quotas.
        """
        if not metadata:
            return
        if not isinstance(metadata, dict):
            raise exception.InvalidMetadata(reason="Metadata type should be dict.")
        if len(metadata) > METADATA_ITEMS:
            raise exception.MetadataLimitExceeded(allowed=METADATA_ITEMS)
        for key, value in metadata.items():
            try:
                utils.check_string_length(value, "Metadata property value")
                utils.check_string_length(key, "Metadata property key", min_length=1)
            except exception.InvalidInput as error:
                raise exception.InvalidMetadata(reason=error.format_message())
            if len(key) > 255:
                raise exception.InvalidMetadataSize(
                    reason="Metadata property key greater than 255 characters")
            if len(value) > 255:
                raise exception.InvalidMetadataSize(
                    reason="Metadata property value greater than 255 characters")

    def _validate_and_build_base_options(self, context, instance_type, boot_meta,
                                         reservation_id, security_groups, base) -> dict:
        """The column values every new instance of this request shares (checked first)."""
        self._check_metadata_properties_quota(context, base.get("metadata_"))
        return dict(base, project_id=context.project_id, user_id=context.user_id,
                    image_ref=boot_meta["id"], flavor_id=instance_type["flavorid"],
                    reservation_id=reservation_id, security_groups=security_groups,
                    vm_state=vm_states.BUILDING, task_state=task_states.SCHEDULING,
                    power_state=power_state.NOSTATE)

    def _provision_instances(self, context, base_options: dict, num_instances: int) -> list:
        """Write one row per instance (each in its own transaction, as Juno); undo all on failure."""
        instances = []
        try:
            for index in range(num_instances):
                values = dict(base_options, uuid=str(uuid.uuid4()))
                if num_instances > 1:
                    values["display_name"] = CONF.multi_instance_display_name_template % {
                        "name": base_options["display_name"], "count": index + 1,
                        "uuid": values["uuid"]}
                instances.append(self.db.instance_create(context, values))
        except Exception:
            for instance in instances:  # Juno destroys what it created, then re-raises
                self.db.instance_destroy(context, instance.uuid)
            raise
        return instances

    def _cast_build_instances(self, context, instances, image, filter_properties,
                              admin_password, injected_files, requested_networks,
                              security_groups) -> None:
        """The cast to the conductor: from here on the build happens in other processes."""
        try:
            self.compute_task_api.build_instances(
                context, instances=[_instance_to_primitive(i) for i in instances], image=image,
                filter_properties=filter_properties, admin_password=admin_password,
                injected_files=injected_files, requested_networks=requested_networks,
                security_groups=security_groups, block_device_mapping=None, legacy_bdm=False)
        except Exception as exc:
            # NOVA-DIFF: in Juno the rabbit driver retries forever and the request
            # hangs; if it does fail, the rows stay in BUILD.  minova sets them to
            # ERROR with a fault, so nothing sits in BUILD unnoticed, and re-raises
            # (the controller answers 503 for TransportUnavailable/MessagingTimeout).
            LOG.error("build_instances cast failed, instances set to ERROR: %s", exc)
            for instance in instances:
                self._set_error(context, instance, exc)
            raise

    def _set_error(self, context, instance, exc: Exception) -> None:
        fault = {"code": getattr(exc, "code", 500), "message": str(exc),
                 "created": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
        self.db.instance_update(context, instance.uuid, {
            "vm_state": vm_states.ERROR, "task_state": None, "fault": json.dumps(fault)})

    # --- delete and actions -----------------------------------------------------------

    def delete(self, context, instance) -> None:
        """Delete locally if the instance never reached a host, else cast terminate_instance."""
        if not instance.host:
            self._local_delete(context, instance)
            return
        self._cast_with_task_state(context, instance, task_states.DELETING,
                                   self.compute_rpcapi.terminate_instance, bdms=[])

    def rebuild(self, context, instance, image_href: str, admin_password: str,
                **kwargs) -> None:
        """Rebuild the instance from ``image_href``: ACTIVE, STOPPED or ERROR only.

        Juno: nova/compute/api.py:2223 (``rebuild``): check the image and the
        metadata, save the new values with task_state REBUILDING, cast
        ``rebuild_instance`` to the instance's host.
        """
        _check_instance_state(instance, [vm_states.ACTIVE, vm_states.STOPPED, vm_states.ERROR],
                              "rebuild")
        image = self.image_api.get(context, image_href)
        self._record_action_start(context, instance, "rebuild")
        metadata = kwargs.pop("metadata", None)
        if metadata is not None:
            self._check_metadata_properties_quota(context, metadata)
            kwargs["metadata_"] = metadata
        self.db.instance_update(context, instance.uuid, dict(kwargs, image_ref=image["id"]))
        done = {"vm_state": vm_states.ACTIVE, "power_state": power_state.RUNNING}
        self._act(context, instance, "rebuild_instance", task_states.REBUILDING, done,
                  image_ref=image["id"], new_pass=admin_password)

    def snapshot(self, context, instance, name: str, extra_properties=None) -> dict:
        """createImage: an image record now, its data from the compute host (Juno: api.py:2048).

        A snapshot of an ACTIVE, STOPPED, PAUSED or SUSPENDED server; the image
        starts ``queued`` and the host's ``snapshot_instance`` makes it ``active``.
        """
        _check_instance_state(instance, [vm_states.ACTIVE, vm_states.STOPPED, vm_states.PAUSED,
                                         vm_states.SUSPENDED], "createImage")
        image_meta = self._create_image(context, instance, name, "snapshot",
                                        extra_properties=extra_properties)
        try:
            self._cast_with_task_state(context, instance, task_states.IMAGE_SNAPSHOT_PENDING,
                                       self.compute_rpcapi.snapshot_instance,
                                       image_id=image_meta["id"])
        except Exception:
            # NOVA-DIFF: Juno leaves the queued image behind when the cast fails.
            self.image_api.delete(context, image_meta["id"])
            raise
        return image_meta

    def _create_image(self, context, instance, name: str, image_type: str,
                      extra_properties=None) -> dict:
        """The new image's record: the base image's formats, the instance in its properties."""
        try:
            base = self.image_api.get(context, instance.image_ref) if instance.image_ref else {}
        except exception.ImageNotFound:
            base = {}
        properties = {"instance_uuid": instance.uuid, "user_id": str(context.user_id),
                      "image_type": image_type, "base_image_ref": instance.image_ref}
        properties.update(extra_properties or {})
        return self.image_api.create(context, {
            "name": name, "is_public": False, "disk_format": base.get("disk_format"),
            "container_format": base.get("container_format"),
            "min_ram": base.get("min_ram", 0), "min_disk": base.get("min_disk", 0),
            "properties": properties})

    def get_console_output(self, context, instance, tail_length=None) -> str:
        """Ask the instance's compute host for its console log (Juno: a call to the host)."""
        if not instance.host:
            raise exception.InstanceNotReady(instance_id=instance.uuid)
        return self.compute_rpcapi.get_console_output(
            context, instance=_instance_to_primitive(instance), tail_length=tail_length)

    # --- server metadata (Juno: nova/compute/api.py:3009-3120) ----------------------------

    def get_instance_metadata(self, context, instance) -> dict:
        return dict(self.db.instance_get_by_uuid(context, instance.uuid).metadata_ or {})

    def update_instance_metadata(self, context, instance, metadata: dict,
                                 delete: bool = False) -> dict:
        """Merge ``metadata`` in (or replace everything with it when ``delete``); the result."""
        new = dict(metadata) if delete else dict(self.get_instance_metadata(context, instance),
                                                 **metadata)
        self._check_metadata_properties_quota(context, new)
        self.db.instance_update(context, instance.uuid, {"metadata_": new})
        return new

    def delete_instance_metadata(self, context, instance, key: str) -> None:
        metadata = self.get_instance_metadata(context, instance)
        metadata.pop(key, None)
        self.db.instance_update(context, instance.uuid, {"metadata_": metadata})

    def restore(self, context, instance) -> None:
        """Undo a soft delete (deferred_delete's ``restore``): only a SOFT_DELETED instance.

        Juno: nova/compute/api.py:1798.
        minova never soft-deletes (Juno too with the default ``reclaim_instance_interval
        = 0``), so this always answers 409 for a live server.
        """
        _check_instance_state(instance, [vm_states.SOFT_DELETED], "restore")

    def force_delete(self, context, instance) -> None:
        """Delete now, whatever ``reclaim_instance_interval`` says (Juno: nova/compute/api.py:1827)."""
        self.delete(context, instance)

    def _local_delete(self, context, instance) -> None:
        """Juno's path for an instance no compute host knows about: just the database."""
        self.network_api.deallocate_for_instance(context, instance)
        self.db.instance_destroy(context, instance.uuid)

    def reboot(self, context, instance, reboot_type: str) -> None:
        allowed = (vm_states.ALLOW_SOFT_REBOOT if reboot_type == "SOFT"
                   else vm_states.ALLOW_HARD_REBOOT)
        _check_instance_state(instance, allowed, "reboot")
        self._record_action_start(context, instance, "reboot")
        task = task_states.REBOOTING if reboot_type == "SOFT" else task_states.REBOOTING_HARD
        self._act(context, instance, "reboot_instance", task,
                  {"vm_state": vm_states.ACTIVE, "power_state": power_state.RUNNING},
                  reboot_type=reboot_type)

    def stop(self, context, instance, do_cast: bool = True) -> None:
        _check_instance_state(instance, [vm_states.ACTIVE, vm_states.RESCUED, vm_states.ERROR],
                              "stop")
        self._record_action_start(context, instance, "stop")
        self._act(context, instance, "stop_instance", task_states.POWERING_OFF,
                  {"vm_state": vm_states.STOPPED, "power_state": power_state.SHUTDOWN})

    def start(self, context, instance) -> None:
        _check_instance_state(instance, [vm_states.STOPPED], "start")
        self._record_action_start(context, instance, "start")
        self._act(context, instance, "start_instance", task_states.POWERING_ON,
                  {"vm_state": vm_states.ACTIVE, "power_state": power_state.RUNNING})

    def pause(self, context, instance) -> None:
        """ACTIVE -> PAUSED on the host (Juno: nova/compute/api.py:2632)."""
        _check_instance_state(instance, [vm_states.ACTIVE], "pause")
        self._record_action_start(context, instance, "pause")
        self._act(context, instance, "pause_instance", task_states.PAUSING,
                  {"vm_state": vm_states.PAUSED, "power_state": power_state.PAUSED})

    def unpause(self, context, instance) -> None:
        """PAUSED -> ACTIVE (Juno: nova/compute/api.py:2643)."""
        _check_instance_state(instance, [vm_states.PAUSED], "unpause")
        self._record_action_start(context, instance, "unpause")
        self._act(context, instance, "unpause_instance", task_states.UNPAUSING,
                  {"vm_state": vm_states.ACTIVE, "power_state": power_state.RUNNING})

    def suspend(self, context, instance) -> None:
        """ACTIVE -> SUSPENDED (Juno: nova/compute/api.py:2665)."""
        _check_instance_state(instance, [vm_states.ACTIVE], "suspend")
        self._record_action_start(context, instance, "suspend")
        self._act(context, instance, "suspend_instance", task_states.SUSPENDING,
                  {"vm_state": vm_states.SUSPENDED, "power_state": power_state.SUSPENDED})

    def resume(self, context, instance) -> None:
        """SUSPENDED -> ACTIVE (Juno: nova/compute/api.py:2676)."""
        _check_instance_state(instance, [vm_states.SUSPENDED], "resume")
        self._record_action_start(context, instance, "resume")
        self._act(context, instance, "resume_instance", task_states.RESUMING,
                  {"vm_state": vm_states.ACTIVE, "power_state": power_state.RUNNING})

    def _record_action_start(self, context, instance, action: str) -> None:
        """One row per user action, keyed by the request id (Juno: compute/api.py, os-instance-actions)."""
        self.db.action_start(context, {
            "action": action, "instance_uuid": instance.uuid, "request_id": context.request_id,
            "user_id": context.user_id, "project_id": context.project_id,
            "start_time": datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)})

    def _act(self, context, instance, rpc_method: str, task_state: str, done: dict,
             **kwargs) -> None:
        """Cast ``rpc_method`` to the instance's host; without one, finish the change here."""
        if not instance.host:
            # NOVA-DIFF: Juno's rpcapi raises here, NovaException('Unable to find
            # host for Instance ...') (_compute_host, nova/compute/rpcapi.py:46-62),
            # a 500; an instance minova never placed has nothing to power, so the
            # API writes the end state itself.
            self.db.instance_update(context, instance.uuid, dict(done, task_state=None),
                                    expected_task_state=[None])
            return
        self._cast_with_task_state(context, instance, task_state,
                                   getattr(self.compute_rpcapi, rpc_method), **kwargs)

    def _cast_with_task_state(self, context, instance, task_state, cast, **kwargs) -> None:
        """Mark the task, cast; if the transport is down, undo the mark so a retry can work."""
        instance = self.db.instance_update(context, instance.uuid, {"task_state": task_state})
        try:
            cast(context, instance=_instance_to_primitive(instance), **kwargs)
        except Exception:
            self.db.instance_update(context, instance.uuid, {"task_state": None})
            raise

    def update(self, context, instance, **kwargs):
        """Change columns such as ``display_name`` and return the updated instance."""
        return self.db.instance_update(context, instance.uuid, kwargs)



# Juno's reserved_host_memory_mb and reserved_host_disk_mb defaults
# (nova/compute/resource_tracker.py:46-49): what the resource tracker counts as used
# on an empty host.
RESERVED_HOST_MEMORY_MB = 512
RESERVED_HOST_DISK_MB = 0


class HostAPI:
    """Sub-set of the Compute Manager API for managing host operations: compute nodes.

    Mirrors: nova.compute.api.HostAPI (nova/compute/api.py:3252, 2014.2)
    Simplified: ``compute_node_get_all`` and ``compute_node_get`` only.
    NOVA-DIFF: Juno read the compute_nodes table, which each compute host's resource
    tracker wrote every periodic tick (its driver's ``get_available_resource`` plus what
    the host's instances use).  minova has no such table: a compute node is a compute
    service row (its id is the node's id), its totals come from the configured driver
    class, and what is used is counted from the instances table at request time, the way
    Juno's ``_update_usage_from_instances`` counted (nova/compute/resource_tracker.py:681).
    """

    db = db

    def __init__(self):
        from minova.compute import rpcapi  # noqa: F401  (registers compute_topic)
        from minova.virt import driver

        self.driver = driver.load_compute_driver()

    def _compute_node(self, context, service) -> dict:
        node = dict(self.driver.get_available_resource(service.host))
        # The resource tracker's accounting: reserve room for the host, add each instance.
        node.update(memory_mb_used=RESERVED_HOST_MEMORY_MB,
                    local_gb_used=RESERVED_HOST_DISK_MB // 1024,
                    running_vms=0, current_workload=0)
        for instance in self.db.instance_get_all_by_filters(context, {"host": service.host}):
            if instance.vm_state == vm_states.DELETED:
                continue
            try:
                flavor = flavors.get_flavor_by_flavor_id(instance.flavor_id)
            except exception.FlavorNotFound:
                flavor = {"memory_mb": 0, "root_gb": 0, "ephemeral_gb": 0}
            node["memory_mb_used"] += flavor["memory_mb"]
            node["local_gb_used"] += flavor["root_gb"] + flavor["ephemeral_gb"]
            node["running_vms"] += 1
            # Juno's Stats.calculate_workload: instances with a task under way.
            node["current_workload"] += instance.task_state is not None
        node["free_ram_mb"] = node["memory_mb"] - node["memory_mb_used"]
        node["free_disk_gb"] = node["local_gb"] - node["local_gb_used"]
        # NOVA-DIFF: Juno's host_ip was the compute host's CONF.my_ip; every minova
        # service runs on this machine.
        node.update(id=service.id, service_id=service.id, host_ip="127.0.0.1",
                    service=service)
        return node

    def compute_node_get_all(self, context) -> list[dict]:
        return [self._compute_node(context, service) for service in
                self.db.service_get_all(context) if service.topic == CONF.compute_topic]

    def compute_node_get(self, context, compute_id) -> dict:
        """The node whose integer id is ``compute_id`` (ValueError if it is no integer)."""
        compute_id = int(compute_id)
        for node in self.compute_node_get_all(context):
            if node["id"] == compute_id:
                return node
        raise exception.ComputeHostNotFound(host=compute_id)


class KeypairAPI:
    """Subset of the Compute Manager API for managing key pairs.

    Mirrors: nova.compute.api.KeypairAPI (nova/compute/api.py:3617, 2014.2)
    Simplified: no quota (Juno: key_pairs, 100); a generated key needs the
    ``cryptography`` package (Juno: nova/crypto.py with ssh-keygen).
    """

    db = db

    def _validate_new_key_pair(self, context, user_id, key_name) -> None:
        """Juno: nova/compute/api.py:3633-3652."""
        safe_chars = "_- " + string.digits + string.ascii_letters
        if not isinstance(key_name, str) or "".join(
                x for x in key_name if x in safe_chars) != key_name:
            raise exception.InvalidKeypair(reason="Keypair name contains unsafe characters")
        if not 1 <= len(key_name) <= 255:
            raise exception.InvalidKeypair(
                reason="Keypair name must be string and between 1 and 255 characters long")

    def import_key_pair(self, context, user_id, key_name, public_key):
        self._validate_new_key_pair(context, user_id, key_name)
        fingerprint = generate_fingerprint(public_key)
        return self.db.key_pair_create(context, {
            "user_id": user_id, "name": key_name, "fingerprint": fingerprint,
            "public_key": public_key})

    def create_key_pair(self, context, user_id, key_name):
        """A new RSA key: (the stored key pair, the private key the user gets once)."""
        self._validate_new_key_pair(context, user_id, key_name)
        private_key, public_key = generate_key_pair()
        key_pair = self.import_key_pair(context, user_id, key_name, public_key)
        return key_pair, private_key

    def delete_key_pair(self, context, user_id, key_name) -> None:
        self.db.key_pair_destroy(context, user_id, key_name)

    def get_key_pairs(self, context, user_id) -> list:
        return self.db.key_pair_get_all_by_user(context, user_id)

    def get_key_pair(self, context, user_id, key_name):
        return self.db.key_pair_get(context, user_id, key_name)


def generate_fingerprint(public_key: str) -> str:
    """MD5 of the key's base64 body, as ``aa:bb:...`` (Juno: nova/crypto.py:133)."""
    try:
        body = base64.b64decode(public_key.split()[1], validate=True)
    except (AttributeError, IndexError, ValueError):
        raise exception.InvalidKeypair(reason="failed to generate fingerprint")
    digest = hashlib.md5(body, usedforsecurity=False).hexdigest()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def generate_key_pair() -> tuple[str, str]:
    """(private key PEM, public key in OpenSSH form) (Juno: nova/crypto.py:145)."""
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
    except ImportError:
        raise exception.InvalidKeypair(
            reason="minova cannot generate keys without the cryptography package; "
                   "send a public_key instead")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM,
                                serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                           serialization.PublicFormat.OpenSSH).decode()
    return private, public + " Generated-by-Nova"
