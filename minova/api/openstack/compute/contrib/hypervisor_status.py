"""The Hypervisor Status extension: ``state`` and ``status`` in os-hypervisors (a flag only).

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/contrib/hypervisor_status.py (``Hypervisor_status`` at 18);
contrib/hypervisors.py asks ``ext_mgr.is_loaded('os-hypervisor-status')``
Now: the keys are in nova master's core hypervisor view
"""

from __future__ import annotations

from minova.api.openstack import extensions


class Hypervisor_status(extensions.ExtensionDescriptor):
    """Show hypervisor status."""

    name = "HypervisorStatus"
    alias = "os-hypervisor-status"
    namespace = "http://docs.openstack.org/compute/ext/hypervisor_status/api/v1.1"
    updated = "2014-04-17T00:00:00Z"
