"""The database layer: SQLite by default, soft delete, rollback on failure, project filter."""

import uuid

import pytest

from minova import context, exception
from minova.db import api as db
from minova.db.sqlalchemy import api as sqla


@pytest.fixture
def ctxt(conf):
    yield context.get_admin_context()
    sqla.dispose_engine()


def _new(ctxt, project="p1", **kw):
    values = dict(uuid=str(uuid.uuid4()), project_id=project, display_name="vm",
                  vm_state="building", **kw)
    return db.instance_create(ctxt, values)


def test_db_default_is_sqlite_file_in_state_path(ctxt, conf, tmp_path):
    _new(ctxt)
    assert (tmp_path / "state" / "minova.sqlite").exists()


def test_db_destroy_is_soft_and_hides_row(ctxt):
    inst = _new(ctxt)
    db.instance_destroy(ctxt, inst.uuid)
    with pytest.raises(exception.InstanceNotFound):
        db.instance_get_by_uuid(ctxt, inst.uuid)
    ctxt.read_deleted = "yes"
    assert db.instance_get_by_uuid(ctxt, inst.uuid).deleted == inst.id


def test_db_filters_by_project_newest_first(ctxt):
    a, b = _new(ctxt), _new(ctxt)
    _new(ctxt, project="p2")
    got = [i.uuid for i in db.instance_get_all_by_filters(ctxt, {"project_id": "p1"})]
    assert got == [b.uuid, a.uuid]


def test_db_failed_transaction_leaves_nothing(ctxt):
    inst = _new(ctxt)
    import sqlalchemy.exc
    with pytest.raises(sqlalchemy.exc.IntegrityError):
        db.instance_create(ctxt, dict(uuid=inst.uuid, project_id="p1"))  # duplicate uuid
    assert len(db.instance_get_all_by_filters(ctxt, {})) == 1


def test_db_update_respects_expected_task_state(ctxt):
    inst = _new(ctxt, task_state="spawning")
    with pytest.raises(exception.InstanceInvalidState):
        db.instance_update(ctxt, inst.uuid, {"vm_state": "active"}, expected_task_state="deleting")
    db.instance_update(ctxt, inst.uuid, {"vm_state": "active"}, expected_task_state="spawning")
    assert db.instance_get_by_uuid(ctxt, inst.uuid).vm_state == "active"


def test_instance_update_expected_states_is_one_compare_and_swap(ctxt):
    row = _new(ctxt, task_state="scheduling")
    with pytest.raises(exception.InstanceInvalidState, match="vm_state building"):
        db.instance_update(ctxt, row.uuid, {"task_state": "spawning"},
                           expected_vm_state="active")
    updated = db.instance_update(ctxt, row.uuid, {"task_state": "spawning", "host": "h"},
                                 expected_vm_state="building",
                                 expected_task_state=["scheduling"])
    assert (updated.task_state, updated.host) == ("spawning", "h")
    with pytest.raises(exception.InstanceInvalidState, match="task_state spawning"):
        db.instance_update(ctxt, row.uuid, {"task_state": "spawning"},
                           expected_task_state="scheduling")
    db.instance_update(ctxt, row.uuid, {"task_state": None})
    # None in the expected list matches a NULL task_state
    assert db.instance_update(ctxt, row.uuid, {"vm_state": "active"},
                              expected_task_state=[None, "x"]).vm_state == "active"
    with pytest.raises(exception.InstanceNotFound):
        db.instance_update(ctxt, str(uuid.uuid4()), {}, expected_task_state=None)
