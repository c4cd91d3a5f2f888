"""Exercise 3.3: rebuild ``pipeline_factory``, the composite that picks the auth pipeline.

Layer 3: notebooks/03_paste_urlmap.ipynb
Juno: nova/api/auth.py:53-75 (``_load_pipeline`` and ``pipeline_factory``); the ini side is
``[composite:openstack_compute_api_v2]`` in etc/nova/api-paste.ini:67-71.
Check it with ``./course check 3.3`` (``--hint`` when stuck).
"""

from __future__ import annotations

from oslo_config import cfg

import minova.api.auth  # noqa: F401  (registers auth_strategy and api_rate_limit)

CONF = cfg.CONF


def pipeline_factory(loader, global_conf, **local_conf):
    """Build the WSGI app of the pipeline line named by ``CONF.auth_strategy``.

    ``local_conf`` holds the composite's lines, e.g. ``{"noauth": "f1 f2 app",
    "keystone": "...", "keystone_nolimit": "..."}``.  When ``CONF.api_rate_limit``
    is false and a ``<strategy>_nolimit`` line exists, that line wins.  Every
    name but the last is a filter (``loader.get_filter(name)`` returns a
    function ``filter(app) -> app``); the last is the app (``loader.get_app``).
    The first filter named must end up outermost: ``f1(f2(app))``.
    """
    raise NotImplementedError(
        "Exercise 3.3: write pipeline_factory() in exercises/workspace/pipeline.py"
        " -- see notebooks/03_paste_urlmap.ipynb, section 'Exercise 3.3'")
