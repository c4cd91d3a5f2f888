"""``minova.volume.API()``: the volume API factory the compute API calls.

Juno: nova/volume/__init__.py (lines 33-37; ``volume_api_class``, default nova.volume.cinder.API)
Now: removed; nova.volume.cinder.API is used directly
"""


def API():
    from minova.volume import cinder
    return cinder.API()
