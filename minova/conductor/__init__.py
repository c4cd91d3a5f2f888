"""Factories for the conductor APIs: over RPC, or (``[conductor] use_local``) in this process.

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: nova/conductor/__init__.py
Now: nova/conductor/__init__.py (plain aliases; use_local is gone)
"""

from __future__ import annotations

from oslo_config import cfg

from minova.conductor import api as conductor_api

CONF = cfg.CONF


def ComputeTaskAPI(*args, use_local: bool = False, **kwargs):
    """Juno: nova/conductor/__init__.py:29-35."""
    if use_local or CONF.conductor.use_local:
        api = conductor_api.LocalComputeTaskAPI
    else:
        api = conductor_api.ComputeTaskAPI
    return api(*args, **kwargs)


# NOVA-DIFF: Juno also has API() (the DB-proxy conductor API compute nodes use);
# minova's compute service talks to the database directly.
