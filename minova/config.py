"""Parse the command line and config files once, at process start.

Layer 1: notebooks/01_launcher.ipynb
Juno: nova/config.py (``parse_args``, lines 32-41)
Now: nova/config.py
"""

from __future__ import annotations

from oslo_config import cfg

CONF = cfg.CONF


def parse_args(argv: list[str], default_config_files: list[str] | None = None) -> None:
    """Load ``--config-file`` and friends into the global ``CONF``.

    Juno also sets the RPC defaults and calls ``rpc.init(CONF)`` here, so the
    transport exists before any API class is built; minova does the same.
    ``default_config_files=[]`` means "no implicit /etc files", which is how
    ``minova-api`` runs with no configuration at all.
    """
    CONF(argv[1:], project="minova", default_config_files=default_config_files or [])
    from minova import rpc  # late: rpc registers options on this CONF

    rpc.set_defaults(control_exchange="nova")
    rpc.init(CONF)
