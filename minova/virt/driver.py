"""The interface a hypervisor driver implements, and the option that picks one.

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: nova/virt/driver.py
Now: nova/virt/driver.py
"""

from __future__ import annotations

import importlib
import logging

from oslo_config import cfg

LOG = logging.getLogger(__name__)

driver_opts = [
    # NOVA-DIFF: Juno has no default (deployers choose libvirt, xenapi, ...);
    # minova only has the fake driver.
    cfg.StrOpt("compute_driver", default="fake.FakeDriver",
               help="Driver to use for controlling virtualization, relative to minova.virt"),
]

CONF = cfg.CONF
CONF.register_opts(driver_opts)


class ComputeDriver:
    """What the compute manager asks of a hypervisor: create, destroy, reboot, power.

    Mirrors: nova.virt.driver.ComputeDriver (nova/virt/driver.py, 2014.2)
    Simplified: a few of its ~80 methods; instances are dicts.
    """

    def __init__(self, virtapi=None):
        self.virtapi = virtapi

    def init_host(self, host: str) -> None:
        """Prepare the hypervisor on ``host`` (nothing to do for most drivers)."""

    def spawn(self, context, instance: dict, image_meta: dict, injected_files: list,
              admin_password: str | None, network_info=None, block_device_info=None) -> None:
        raise NotImplementedError

    def destroy(self, context, instance: dict, network_info=None, block_device_info=None,
                destroy_disks: bool = True) -> None:
        raise NotImplementedError

    def reboot(self, context, instance: dict, network_info=None, reboot_type: str = "SOFT",
               block_device_info=None) -> None:
        raise NotImplementedError

    def power_off(self, instance: dict) -> None:
        raise NotImplementedError

    def power_on(self, context, instance: dict, network_info=None,
                 block_device_info=None) -> None:
        raise NotImplementedError

    def pause(self, instance: dict) -> None:
        raise NotImplementedError

    def unpause(self, instance: dict) -> None:
        raise NotImplementedError

    def suspend(self, instance: dict) -> None:
        raise NotImplementedError

    def resume(self, context, instance: dict, network_info=None,
               block_device_info=None) -> None:
        raise NotImplementedError

    def get_available_resource(self, nodename: str) -> dict:
        """The node's capacity: vcpus, memory_mb, local_gb, hypervisor_type, ..."""
        raise NotImplementedError


def load_compute_driver(virtapi=None, compute_driver: str | None = None) -> ComputeDriver:
    """Import ``minova.virt.<compute_driver>`` (Juno: nova/virt/driver.py load_compute_driver)."""
    name = compute_driver or CONF.compute_driver
    module_name, _, class_name = ("minova.virt." + name).rpartition(".")
    LOG.info("Loading compute driver '%s'", name)
    return getattr(importlib.import_module(module_name), class_name)(virtapi)
