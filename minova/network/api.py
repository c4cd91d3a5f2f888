"""The network API the compute API holds: one flat 'private' network, one fixed IP per instance.

Layer 5: notebooks/05_resource_dispatch.ipynb
Juno: nova/network/api.py (nova-network, ``API`` at 62-559; the default network_api_class)
Now: removed in 21.0.0 (nova-network); nova/network/neutron.py ``API`` talks to neutron
"""

from __future__ import annotations

import hashlib
import ipaddress

from minova import exception

PRIVATE_NETWORK_ID = "9d8ad7f9-6a59-4b4c-9c66-8b9e0ab2b2f1"
PRIVATE_LABEL = "private"
_PRIVATE_CIDR = ipaddress.ip_network("10.0.0.0/16")


class API:
    """Validate requested networks and hand out fake fixed IPs on the 'private' network.

    Mirrors: nova.network.api.API (nova/network/api.py:62, 2014.2)
    Simplified: no network service, no DHCP; the address is derived from the
    instance uuid, so it needs no database table and no lock.
    """

    def validate_networks(self, context, requested_networks, num_instances: int) -> int:
        """Every requested network must be ours; returns how many instances fit."""
        for network in requested_networks or []:
            net_id = network.get("uuid")
            if net_id and net_id != PRIVATE_NETWORK_ID:
                raise exception.NetworkNotFound(network_id=net_id)
        return num_instances

    def allocate_for_instance(self, context, instance, **kwargs) -> dict:
        """Return the instance's ``addresses`` ({label: [ip dict]}), as the info cache holds it.

        Called, as in Juno, by the compute manager once the instance has a
        host; until then ``addresses`` is empty.
        """
        digest = hashlib.sha1(instance["uuid"].encode()).digest()
        host_index = 2 + int.from_bytes(digest[:2], "big") % (_PRIVATE_CIDR.num_addresses - 3)
        mac = "fa:16:3e:" + ":".join("%02x" % b for b in digest[2:5])
        return {PRIVATE_LABEL: [{
            "addr": str(_PRIVATE_CIDR[host_index]), "version": 4,
            "type": "fixed", "mac_addr": mac,
        }]}

    def deallocate_for_instance(self, context, instance, **kwargs) -> None:
        """Nothing to release: addresses are derived, not stored in a pool."""
