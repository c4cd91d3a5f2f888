"""``minova.network.API()``: the network API factory the compute API calls.

Juno: nova/network/__init__.py (lines 33-39; ``network_api_class`` picks nova-network or neutron)
Now: removed; nova.network.neutron.API is used directly
"""


def API():
    # NOVA-DIFF: no network_api_class option; nova-network's shape is the only one.
    from minova.network import api
    return api.API()
