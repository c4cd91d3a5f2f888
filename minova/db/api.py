"""The database API the rest of minova calls; the SQLAlchemy module does the work.

Layers 5-6: notebooks/05_resource_dispatch.ipynb
Juno: nova/db/api.py (every function forwards to ``IMPL``, oslo.db's backend wrapper built at
53-56 from ``[database] backend``, default sqlalchemy)
Now: nova/db/main/api.py (the forwarding layer is gone)
"""

from __future__ import annotations

from minova.db.sqlalchemy import api as IMPL  # noqa: N812  (nova's name)


def instance_create(context, values):
    return IMPL.instance_create(context, values)


def instance_get_by_uuid(context, uuid):
    return IMPL.instance_get_by_uuid(context, uuid)


def instance_get_all_by_filters(context, filters, limit=None, marker=None):
    return IMPL.instance_get_all_by_filters(context, filters, limit=limit, marker=marker)


def instance_update(context, uuid, values, expected_task_state=(), expected_vm_state=()):
    return IMPL.instance_update(context, uuid, values, expected_task_state=expected_task_state,
                                expected_vm_state=expected_vm_state)


def instance_get_all_unscheduled(context, created_before):
    return IMPL.instance_get_all_unscheduled(context, created_before)


def instance_destroy(context, uuid):
    return IMPL.instance_destroy(context, uuid)


def instance_get_active_by_window_joined(context, begin, end=None, project_id=None, host=None):
    return IMPL.instance_get_active_by_window_joined(context, begin, end=end,
                                                     project_id=project_id, host=host)


def key_pair_create(context, values):
    return IMPL.key_pair_create(context, values)


def key_pair_get(context, user_id, name):
    return IMPL.key_pair_get(context, user_id, name)


def key_pair_get_all_by_user(context, user_id):
    return IMPL.key_pair_get_all_by_user(context, user_id)


def key_pair_destroy(context, user_id, name):
    return IMPL.key_pair_destroy(context, user_id, name)


def image_create(context, values):
    return IMPL.image_create(context, values)


def image_get(context, image_id):
    return IMPL.image_get(context, image_id)


def image_get_all(context):
    return IMPL.image_get_all(context)


def image_update(context, image_id, values):
    return IMPL.image_update(context, image_id, values)


def image_destroy(context, image_id):
    return IMPL.image_destroy(context, image_id)


def action_start(context, values):
    return IMPL.action_start(context, values)


def actions_get(context, instance_uuid):
    return IMPL.actions_get(context, instance_uuid)


def action_get_by_request_id(context, instance_uuid, request_id):
    return IMPL.action_get_by_request_id(context, instance_uuid, request_id)


def service_create(context, values):
    return IMPL.service_create(context, values)


def service_get_all_by_topic(context, topic):
    return IMPL.service_get_all_by_topic(context, topic)


def service_get_all(context, disabled=None):
    return IMPL.service_get_all(context, disabled)


def service_get_by_host_and_topic(context, host, topic):
    return IMPL.service_get_by_host_and_topic(context, host, topic)


def service_update(context, service_id, values):
    return IMPL.service_update(context, service_id, values)
