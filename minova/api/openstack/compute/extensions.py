"""The compute API's extension manager: which extensions ``osapi_compute_extension`` loads.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/extensions.py (option at 23, ``ExtensionManager`` at 35-41)
Now: gone (nova removed the v2 extension API in Newton)
"""

from __future__ import annotations

import logging

from oslo_config import cfg

from minova.api.openstack import extensions as base_extensions

LOG = logging.getLogger(__name__)

ext_opts = [
    cfg.MultiStrOpt("osapi_compute_extension",
                    default=["minova.api.openstack.compute.contrib.standard_extensions"],
                    help="osapi compute extension to load"),
]
CONF = cfg.CONF
CONF.register_opts(ext_opts)


class ExtensionManager(base_extensions.ExtensionManager):
    """Load the extensions named by ``CONF.osapi_compute_extension`` (every contrib/ module).

    Mirrors: nova.api.openstack.compute.extensions.ExtensionManager
    (nova/api/openstack/compute/extensions.py:35, 2014.2)
    """

    def __init__(self):
        LOG.info("Initializing extension manager.")
        self.cls_list = CONF.osapi_compute_extension
        super().__init__()  # extensions = {}, then _load_extensions()
