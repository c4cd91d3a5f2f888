"""The Extended Hypervisors extension: ``host_ip`` in os-hypervisors detail (a flag only).

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/api/openstack/compute/contrib/extended_hypervisors.py (``Extended_hypervisors``
at 18); contrib/hypervisors.py asks ``ext_mgr.is_loaded('os-extended-hypervisors')``
Now: the key is in nova master's core hypervisor view
"""

from __future__ import annotations

from minova.api.openstack import extensions


class Extended_hypervisors(extensions.ExtensionDescriptor):
    """Extended hypervisors support."""

    name = "ExtendedHypervisors"
    alias = "os-extended-hypervisors"
    namespace = "http://docs.openstack.org/compute/ext/extended_hypervisors/api/v1.1"
    updated = "2014-01-04T00:00:00Z"
