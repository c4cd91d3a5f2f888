"""Run minova's messaging in ONE process: the memory:// transport and a private state folder.

Not a nova mirror: a teaching helper for exercise tests and cells that cast
and serve RPC in-process (layers 5-6).  Everything it sets is undone on exit,
so a test or a notebook can use it again in the same interpreter.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from oslo_config import cfg

from minova import paths, rpc  # noqa: F401  (paths registers state_path)
from minova.db.sqlalchemy import api as db_impl

CONF = cfg.CONF


@contextlib.contextmanager
def memory_bus(state_path: str | os.PathLike) -> Iterator[None]:
    """``transport_url = memory://`` and ``state_path`` for the block; exchange ``nova`` as nova's."""
    CONF.set_override("state_path", str(state_path))
    CONF.set_override("transport_url", "memory://")
    rpc.set_defaults(control_exchange="nova")   # what config.parse_args does (Juno nova/config.py:35)
    rpc.init(CONF)
    try:
        yield
    finally:
        rpc.cleanup()
        rpc.set_defaults(control_exchange="openstack")
        db_impl.dispose_engine()
        CONF.clear_override("transport_url")
        CONF.clear_override("state_path")
