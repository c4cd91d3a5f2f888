"""``minova.compute.API()``: build the compute API object the controllers talk to.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/compute/__init__.py (``API()`` at lines 36-39)
Now: nova/compute/__init__.py is empty; controllers build ``nova.compute.api.API()`` directly
"""

from __future__ import annotations

from oslo_config import cfg

from minova import utils

compute_opts = [
    # NOVA-DIFF: Juno picks the class from the cells type (cells_api when
    # [cells] cell_type=api, else nova.compute.api.API); minova has no cells,
    # so the class name is a plain option, as nova's own option of this name
    # was before Grizzly.
    cfg.StrOpt("compute_api_class", default="minova.compute.api.API",
               help="The full class name of the compute API class to use"),
]

CONF = cfg.CONF
CONF.register_opts(compute_opts)


def API(*args, **kwargs):
    """Return an instance of the configured compute API class (a factory, not a class)."""
    return utils.import_object(CONF.compute_api_class, *args, **kwargs)
