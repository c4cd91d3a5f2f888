"""A hypervisor that only pretends: instances "run" as entries in a dict.

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: nova/virt/fake.py
Now: nova/virt/fake.py
"""

from __future__ import annotations

import logging
import threading
import time

from oslo_config import cfg

from minova import exception, image
from minova.compute import power_state, task_states
from minova.virt import driver

LOG = logging.getLogger(__name__)

fake_opts = [
    # NOVA-DIFF: Juno's FakeDriver returns at once; a delay lets a notebook
    # watch the instance sit in BUILD/spawning.
    cfg.FloatOpt("fake_spawn_delay", default=0.0,
                 help="Seconds FakeDriver.spawn pretends to take"),
]

CONF = cfg.CONF
CONF.register_opts(fake_opts)


class FakeDriver(driver.ComputeDriver):
    """Keeps ``{uuid: power_state}``; every call succeeds.

    Mirrors: nova.virt.fake.FakeDriver (nova/virt/fake.py, 2014.2)
    Simplified: no consoles (but the fixed output) or volumes.
    """

    # Since we don't have a real hypervisor, pretend we have lots of disk and ram
    # (Juno's figures, nova/virt/fake.py:92-96): os-hypervisors shows them.
    vcpus = 1000
    memory_mb = 800000
    local_gb = 600000

    def __init__(self, virtapi=None):
        super().__init__(virtapi)
        self.instances: dict[str, int] = {}
        self._lock = threading.Lock()

    def spawn(self, context, instance, image_meta, injected_files, admin_password,
              network_info=None, block_device_info=None):
        if CONF.fake_spawn_delay:
            time.sleep(CONF.fake_spawn_delay)
        with self._lock:
            self.instances[instance["uuid"]] = power_state.RUNNING

    def destroy(self, context, instance, network_info=None, block_device_info=None,
                destroy_disks=True):
        with self._lock:
            if self.instances.pop(instance["uuid"], None) is None:
                # nova's fake driver warns too: destroying what never ran is not an error.
                LOG.warning("Key '%s' not in instances", instance["uuid"])

    def reboot(self, context, instance, network_info=None, reboot_type="SOFT",
               block_device_info=None):
        with self._lock:
            self.instances[instance["uuid"]] = power_state.RUNNING

    def get_available_resource(self, nodename: str) -> dict:
        """The host's totals, as Juno's fake driver reported them (nova/virt/fake.py:103-116, 385).

        What is *used* is the resource tracker's business (``minova.compute.api.HostAPI``);
        like Juno's fake driver this says 0 vcpus used.
        """
        return {"vcpus": self.vcpus, "memory_mb": self.memory_mb, "local_gb": self.local_gb,
                "vcpus_used": 0, "memory_mb_used": 0, "local_gb_used": 0,
                "hypervisor_type": "fake",
                "hypervisor_version": 1000,  # utils.convert_version_to_int('1.0')
                "hypervisor_hostname": nodename, "cpu_info": "?", "disk_available_least": 0}

    def get_console_output(self, context, instance) -> str:
        """Juno's fake driver answers the same three lines (nova/virt/fake.py:344-345)."""
        return "FAKE CONSOLE OUTPUT\nANOTHER\nLAST LINE"

    def power_off(self, instance):
        with self._lock:
            self.instances[instance["uuid"]] = power_state.SHUTDOWN

    def power_on(self, context, instance, network_info=None, block_device_info=None):
        with self._lock:
            self.instances[instance["uuid"]] = power_state.RUNNING

    def snapshot(self, context, instance, image_id, update_task_state):
        """Juno's fake only moves the task state (nova/virt/fake.py:147).

        NOVA-DIFF: minova's also "uploads": the image becomes active, sized as
        its base image, so a client waiting for the snapshot sees it finish.
        """
        if instance["uuid"] not in self.instances:
            raise exception.InstanceNotRunning(instance_id=instance["uuid"])
        update_task_state(task_state=task_states.IMAGE_UPLOADING)
        images = image.API()
        try:
            size = images.get(context, instance.get("image_ref") or "")["size"]
        except exception.ImageNotFound:
            size = 0
        images.update(context, image_id, {"status": "active", "size": size})

    def pause(self, instance):
        """Juno's fake driver does nothing here (nova/virt/fake.py:208); minova keeps the state."""
        with self._lock:
            self.instances[instance["uuid"]] = power_state.PAUSED

    def unpause(self, instance):
        with self._lock:
            self.instances[instance["uuid"]] = power_state.RUNNING

    def suspend(self, instance):
        with self._lock:
            self.instances[instance["uuid"]] = power_state.SUSPENDED

    def resume(self, context, instance, network_info=None, block_device_info=None):
        with self._lock:
            self.instances[instance["uuid"]] = power_state.RUNNING
