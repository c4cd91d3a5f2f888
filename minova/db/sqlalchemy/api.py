"""SQLAlchemy implementation of minova.db.api: one engine per process, short transactions.

Layers 5-6: notebooks/05_resource_dispatch.ipynb, notebooks/06_conductor_cast.ipynb
Juno: nova/db/sqlalchemy/api.py
Now: nova/db/main/api.py
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from typing import Any, Iterator

import sqlalchemy
from oslo_config import cfg
from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from minova import exception, paths
from minova.db.sqlalchemy import models

LOG = logging.getLogger(__name__)

database_opts = [
    cfg.StrOpt("connection", secret=True,
               help="SQLAlchemy URL, e.g. mysql+pymysql://root@127.0.0.1/minova or "
                    "postgresql+psycopg2://postgres@127.0.0.1/minova. "
                    "Default: a SQLite file in state_path."),
]

CONF = cfg.CONF
CONF.register_opts(database_opts, group="database")

_LOCK = threading.Lock()
_ENGINE: dict[str, Any] = {}  # {"pid", "url", "engine", "maker"}


def _connection_url() -> str:
    # NOVA-DIFF: Juno requires [database] connection; minova defaults to SQLite
    # so that nothing needs installing or starting.
    return CONF.database.connection or "sqlite:///" + paths.state_path_def("minova.sqlite")


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # WAL lets the API workers read while the compute service writes.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def get_engine():
    """The engine for this process and URL; re-created after a fork (engines are not fork-safe)."""
    url = _connection_url()
    with _LOCK:
        if _ENGINE.get("pid") != os.getpid() or _ENGINE.get("url") != url:
            engine = sqlalchemy.create_engine(url, future=True, pool_pre_ping=True)
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)
            models.BASE.metadata.create_all(engine)
            _ENGINE.update(pid=os.getpid(), url=url, engine=engine,
                           maker=sessionmaker(engine, expire_on_commit=False))
        return _ENGINE["engine"]


def dispose_engine() -> None:
    """Close pooled connections (tests, notebooks and services on shutdown)."""
    with _LOCK:
        engine = _ENGINE.pop("engine", None)
        _ENGINE.clear()
    if engine is not None:
        engine.dispose()


@contextlib.contextmanager
def session_scope() -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error (nothing half-written)."""
    get_engine()
    session = _ENGINE["maker"]()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _instance_query(context, session: Session, uuid: str):
    query = select(models.Instance).where(models.Instance.uuid == uuid)
    if getattr(context, "read_deleted", "no") == "no":
        query = query.where(models.Instance.deleted == 0)
    return session.scalars(query).first()


def instance_create(context, values: dict) -> models.Instance:
    with session_scope() as session:
        instance = models.Instance(**values)
        session.add(instance)
    return instance


def instance_get_by_uuid(context, uuid: str) -> models.Instance:
    with session_scope() as session:
        instance = _instance_query(context, session, uuid)
        if instance is None:
            raise exception.InstanceNotFound(instance_id=uuid)
        return instance


def instance_get_all_by_filters(context, filters: dict, limit: int | None = None,
                                marker: str | None = None) -> list[models.Instance]:
    """Newest first, like nova's default sort (created_at desc); ``marker`` is the last uuid seen."""
    with session_scope() as session:
        query = select(models.Instance).order_by(models.Instance.created_at.desc(),
                                                 models.Instance.id.desc())
        if not filters.get("deleted", False):
            query = query.where(models.Instance.deleted == 0)
        for key in ("project_id", "user_id", "host", "vm_state", "display_name"):
            if key in filters:
                query = query.where(getattr(models.Instance, key) == filters[key])
        if marker is not None:
            ref = _instance_query(context, session, marker)
            if ref is None:
                raise exception.NotFound("marker [%s] not found" % marker)  # Juno: MarkerNotFound
            query = query.where(models.Instance.id < ref.id)
        if limit is not None:
            query = query.limit(limit)
        return list(session.scalars(query))


def instance_update(context, uuid: str, values: dict,
                    expected_task_state: Any = ()) -> models.Instance:
    """Update columns; with ``expected_task_state`` only if the row is still in that state."""
    with session_scope() as session:
        instance = _instance_query(context, session, uuid)
        if instance is None:
            raise exception.InstanceNotFound(instance_id=uuid)
        if expected_task_state != () and instance.task_state not in _as_list(expected_task_state):
            raise exception.InstanceInvalidState(
                instance_uuid=uuid, attr="task_state", state=instance.task_state,
                method="update")
        for key, value in values.items():
            setattr(instance, key, value)
        return instance


def instance_destroy(context, uuid: str) -> models.Instance:
    """Soft-delete, as nova does: the row stays with ``deleted = id``."""
    with session_scope() as session:
        instance = _instance_query(context, session, uuid)
        if instance is None:
            raise exception.InstanceNotFound(instance_id=uuid)
        instance.deleted = instance.id
        instance.deleted_at = models._utcnow()
        instance.vm_state = "deleted"
        instance.task_state = None
        return instance


def service_create(context, values: dict) -> models.Service:
    with session_scope() as session:
        service = models.Service(**values)
        session.add(service)
    return service


def service_get_all_by_topic(context, topic: str) -> list[models.Service]:
    with session_scope() as session:
        query = select(models.Service).where(models.Service.topic == topic,
                                             models.Service.deleted == 0,
                                             models.Service.disabled == 0)
        return list(session.scalars(query))


def service_get_by_host_and_topic(context, host: str, topic: str) -> models.Service | None:
    with session_scope() as session:
        query = select(models.Service).where(models.Service.host == host,
                                             models.Service.topic == topic,
                                             models.Service.deleted == 0)
        return session.scalars(query).first()


def service_update(context, service_id: int, values: dict) -> None:
    with session_scope() as session:
        service = session.get(models.Service, service_id)
        for key, value in values.items():
            setattr(service, key, value)


def _as_list(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple, set)) else [value]
