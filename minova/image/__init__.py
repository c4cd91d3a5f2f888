"""``minova.image.API()``: the image API factory the compute API calls.

Juno: nova/image/__init__.py (lines 14-17)
Now: removed; nova.image.glance.API is used directly
"""


def API():
    from minova.image import api  # Juno imports lazily too (avoids import cycles)
    return api.API()
