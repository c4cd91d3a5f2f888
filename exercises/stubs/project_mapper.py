"""Exercise 4.3: rebuild ``ProjectMapper``'s double registration (with and without the project id).

Layer 4: notebooks/04_router.ipynb
Juno: nova/api/openstack/__init__.py:146-158 (``ProjectMapper.resource`` forces
``path_prefix = '{project_id}/'``); nova master registers each route twice
(``ProjectMapper.create_route``, master nova/api/openstack/__init__.py:202-214).
The test plugs it into ``APIMapper.resource`` as minova's ``ProjectMapper`` does.
Check it with ``./course check 4.3`` (``--hint`` when stuck).
"""

from __future__ import annotations


def register_both(mapper, member_name, collection_name, **kwargs):
    """Register a resource twice on ``mapper``: under ``{project_id}/`` first, then without.

    Call ``routes.Mapper.resource(mapper, member_name, collection_name, ...)``
    (the library's method: ``mapper.resource`` would come back here) twice:

    1. with ``path_prefix='{project_id}/'``, or, for a nested resource
       (``parent_resource={'member_name': 'server', 'collection_name': 'servers'}``),
       ``'{project_id}/servers/:server_id'``;
    2. without the project id: no ``path_prefix`` at all, or ``'servers/:server_id'``
       for a nested one.

    ``routes.Mapper.resource`` pops keys from the kwargs it gets: give each call its own dict.
    """
    raise NotImplementedError(
        "Exercise 4.3: write register_both() in exercises/workspace/project_mapper.py"
        " -- see notebooks/04_router.ipynb, section 'Exercise 4.3'")

