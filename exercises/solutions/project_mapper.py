"""Exercise 4.3: rebuild ``ProjectMapper``'s double registration (with and without the project id).

Layer 4: notebooks/04_router.ipynb
Juno: nova/api/openstack/__init__.py:146-158 (``ProjectMapper.resource`` forces
``path_prefix = '{project_id}/'``); nova master registers each route twice
(``ProjectMapper.create_route``, master nova/api/openstack/__init__.py:202-214).
The test plugs it into ``APIMapper.resource`` as minova's ``ProjectMapper`` does.
Check it with ``./course check 4.3`` (``--hint`` when stuck).
"""

from __future__ import annotations

import routes


def register_both(mapper, member_name, collection_name, **kwargs):
    """Register a resource twice on ``mapper``: under ``{project_id}/`` first, then without."""
    parent = kwargs.get("parent_resource")
    nested = "%s/:%s_id" % (parent["collection_name"], parent["member_name"]) if parent else ""
    routes.Mapper.resource(mapper, member_name, collection_name,
                           **dict(kwargs, path_prefix="{project_id}/" + nested))
    plain = dict(kwargs)
    if parent:
        plain["path_prefix"] = nested
    routes.Mapper.resource(mapper, member_name, collection_name, **plain)

