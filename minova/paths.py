"""Where minova keeps its state (SQLite file, broker-less message folders).

Juno: nova/paths.py (``state_path``, default ``$pybasedir``)
Now: nova/conf/paths.py
"""

from __future__ import annotations

import os

from oslo_config import cfg


def _default_state_path() -> str:
    """``$XDG_STATE_HOME/minova``, i.e. ``~/.local/state/minova`` unless XDG_STATE_HOME is set."""
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(
        os.path.expanduser("~"), ".local", "state")
    return os.path.join(base, "minova")


path_opts = [
    # NOVA-DIFF: Juno's default is the source tree ($pybasedir); minova keeps
    # its state in the user's state folder (XDG) so a pip-installed package
    # never writes into site-packages.
    cfg.StrOpt("state_path",
               default=_default_state_path(),
               help="Top-level directory for maintaining minova's state"),
]

CONF = cfg.CONF
CONF.register_opts(path_opts)


def state_path_def(*args: str) -> str:
    """Return a path under ``state_path`` (creating ``state_path`` itself)."""
    os.makedirs(CONF.state_path, exist_ok=True)
    return os.path.join(CONF.state_path, *args)
