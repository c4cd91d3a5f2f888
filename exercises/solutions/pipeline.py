"""Exercise 3.3 (reference solution): rebuild ``pipeline_factory``.

Layer 3: notebooks/03_paste_urlmap.ipynb
Juno: nova/api/auth.py:53-75 (``_load_pipeline`` and ``pipeline_factory``); the ini side is
``[composite:openstack_compute_api_v2]`` in etc/nova/api-paste.ini:67-71.
"""

from __future__ import annotations

from oslo_config import cfg

import minova.api.auth  # noqa: F401  (registers auth_strategy and api_rate_limit)

CONF = cfg.CONF


def pipeline_factory(loader, global_conf, **local_conf):
    """Build the WSGI app of the pipeline line named by ``CONF.auth_strategy``."""
    line = local_conf[CONF.auth_strategy]
    if not CONF.api_rate_limit:
        line = local_conf.get(CONF.auth_strategy + "_nolimit", line)
    names = line.split()
    filters = [loader.get_filter(name) for name in names[:-1]]
    app = loader.get_app(names[-1])
    # Wrap from the app outwards, so the first name ends up outermost.
    for make_filter in reversed(filters):
        app = make_filter(app)
    return app
