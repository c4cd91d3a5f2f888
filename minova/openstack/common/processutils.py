"""How many worker processes to fork when the config does not say.

Layer 1: notebooks/01_launcher.ipynb
Juno: nova/openstack/common/processutils.py (only ``get_worker_count`` is kept)
Now: oslo_concurrency/processutils.py
"""

from __future__ import annotations

import multiprocessing


def get_worker_count() -> int:
    """The number of CPUs, or 1 when the platform cannot tell (Juno processutils.py:283-292)."""
    try:
        return multiprocessing.cpu_count()
    except NotImplementedError:
        return 1
