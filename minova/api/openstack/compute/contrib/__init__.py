"""Contrib extensions: every module here is one extension, loaded by ``standard_extensions``.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/contrib/__init__.py (``standard_extensions`` at 40-41);
Juno's contrib/ held about 90 modules; minova has the few the servers views need.
"""

from __future__ import annotations

import logging

from minova.api.openstack import extensions

LOG = logging.getLogger(__name__)


def standard_extensions(ext_mgr) -> None:
    """Load every extension of this package (Juno's default ``osapi_compute_extension``)."""
    extensions.load_standard_extensions(ext_mgr, LOG, __path__, __name__)
