"""SQLAlchemy implementation of minova.db.api: one engine per process, short transactions.

Layers 5-6: notebooks/05_resource_dispatch.ipynb, notebooks/06_conductor_cast.ipynb
Juno: nova/db/sqlalchemy/api.py
Now: nova/db/main/api.py
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import threading
import types
from collections.abc import Iterator
from typing import Any

import sqlalchemy
from oslo_config import cfg
from sqlalchemy import bindparam, event, select
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
_ENGINE: dict[str, Any] = {}  # {"key", "url", "engine", "maker"}


def _connection_url() -> str:
    # Juno's config.parse_args defaults [database] connection to
    # sqlite:///$state_path/nova.sqlite (nova/config.py:29,33-34); minova
    # does the same with its own file name, so nothing needs installing or starting.
    return CONF.database.connection or "sqlite:///" + paths.state_path_def("minova.sqlite")


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # WAL lets the API workers read while the compute service writes.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def get_engine():
    """The engine for this process and URL; re-created after a fork (engines are not fork-safe)."""
    # Called for every query: compare the options the URL comes from and work
    # the URL out only on a change (_connection_url creates state_path: a syscall).
    key = (os.getpid(), CONF.database.connection, CONF.state_path)
    with _LOCK:
        if _ENGINE.get("key") != key:
            url = _connection_url()
            is_sqlite = url.startswith("sqlite")
            # A database server drops idle connections, so test each one at
            # checkout; a SQLite file never goes stale, and the test would add
            # a "SELECT 1" to every request.
            engine = sqlalchemy.create_engine(url, pool_pre_ping=not is_sqlite)
            if is_sqlite:
                event.listen(engine, "connect", _sqlite_pragmas)
            _create_tables(engine)
            _ENGINE.update(key=key, url=url, engine=engine,
                           maker=sessionmaker(engine, expire_on_commit=False))
        return _ENGINE["engine"]


def _create_tables(engine, attempts: int = 5) -> None:
    """``create_all``, tolerating processes that start together on a fresh database."""
    for attempt in range(attempts):
        try:
            models.BASE.metadata.create_all(engine)
            return
        except sqlalchemy.exc.OperationalError:
            # Another process created a table between our check and our CREATE
            # (conductor and compute forked by minova-all at the same moment).
            if attempt == attempts - 1:
                raise


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


@contextlib.contextmanager
def read_scope() -> Iterator[Session]:
    """A session for reads only: nothing to commit, so no commit.

    ``close`` hands the connection back to the pool, which rolls back and so
    ends the read transaction; the skipped commit saves ~10 µs of bookkeeping.
    """
    get_engine()
    session = _ENGINE["maker"]()
    try:
        yield session
    finally:
        session.close()


@contextlib.contextmanager
def read_connection() -> Iterator[sqlalchemy.Connection]:
    """A pooled connection for a read of plain rows (no Session, no ORM objects).

    ``close`` hands it back to the pool, whose rollback ends the read transaction.
    """
    with get_engine().connect() as conn:
        yield conn


# Statements are built once, with bind parameters for the values, and reused:
# building a SELECT and its cache key anew costs SQLAlchemy ~200 µs, more
# than SQLite takes to run it.  lru_cache keeps one statement per variant.

@functools.cache
def _instance_by_uuid_select(with_deleted: bool):
    query = select(models.Instance).where(models.Instance.uuid == bindparam("uuid"))
    if not with_deleted:
        query = query.where(models.Instance.deleted == 0)
    return query


@functools.cache
def _marker_id_select(with_deleted: bool):
    query = select(models.Instance.id).where(models.Instance.uuid == bindparam("uuid"))
    return query if with_deleted else query.where(models.Instance.deleted == 0)


def _instance_query(context, session: Session, uuid: str):
    with_deleted = getattr(context, "read_deleted", "no") != "no"
    return session.scalars(_instance_by_uuid_select(with_deleted), {"uuid": uuid}).first()


def instance_create(context, values: dict) -> models.Instance:
    with session_scope() as session:
        instance = models.Instance(**values)
        session.add(instance)
    return instance


def instance_get_by_uuid(context, uuid: str) -> models.Instance:
    with read_scope() as session:
        instance = _instance_query(context, session, uuid)
        if instance is None:
            raise exception.InstanceNotFound(instance_id=uuid)
        return instance


# Exact matches (a list: any of these), as Juno's exact_match_filter_names
# (nova/db/sqlalchemy/api.py:1950-1953); display_name is a regular expression
# (regex_filter, 2038); changes-since compares updated_at (1904-1907).
_INSTANCE_FILTERS = ("project_id", "user_id", "host", "vm_state", "task_state", "image_ref",
                     "flavor_id", "reservation_id", "uuid")
_REGEX_FILTERS = ("display_name",)


@functools.lru_cache(maxsize=256)
def _instances_select(filters: tuple[tuple[str, bool], ...], with_deleted: bool,
                      by_marker: bool, limited: bool):
    """The list query for one combination of ``(column, is_list)`` filters."""
    query = select(*_LISTED_COLUMNS).order_by(models.Instance.created_at.desc(),
                                              models.Instance.id.desc())
    if not with_deleted:
        query = query.where(models.Instance.deleted == 0)
    for key, kind in filters:
        if key == "changes-since":
            # NOVA-DIFF: a row never updated counts from its creation (the view
            # shows "updated" = created_at then); Juno compared updated_at alone.
            query = query.where(sqlalchemy.func.coalesce(
                models.Instance.updated_at, models.Instance.created_at)
                >= bindparam("changes_since"))
            continue
        column = getattr(models.Instance, key)
        # A list means "any of these", as the API's status filter needs.  A regex
        # filter searches (not anchored): REGEXP on SQLite (SQLAlchemy registers
        # Python's re.search) and MariaDB, ~ on PostgreSQL.
        if kind == "regexp":
            query = query.where(column.regexp_match(bindparam(key)))
        elif kind == "in":
            query = query.where(column.in_(bindparam(key, expanding=True)))
        else:
            query = query.where(column == bindparam(key))
    if by_marker:
        query = query.where(models.Instance.id < bindparam("marker_id"))
    if limited:
        query = query.limit(bindparam("limit"))
    return query


def _filter_params(filters: dict) -> tuple[tuple[tuple[str, str], ...], dict]:
    """``({'project_id': 'p', 'vm_state': ['active']})`` → (the query's shape, its bind values)."""
    shape, params = [], {}
    for key in _INSTANCE_FILTERS:
        if key in filters:
            value = filters[key]
            is_list = isinstance(value, (list, tuple, set))
            shape.append((key, "in" if is_list else "eq"))
            params[key] = list(value) if is_list else value
    for key in _REGEX_FILTERS:
        if key in filters:
            shape.append((key, "regexp"))
            params[key] = str(filters[key])
    if filters.get("changes-since") is not None:
        shape.append(("changes-since", "ge"))
        params["changes_since"] = filters["changes-since"]
    return tuple(shape), params


def instance_get_all_by_filters(context, filters: dict, limit: int | None = None,
                                marker: str | None = None) -> list[InstanceRow]:
    """Newest first, like nova's default sort (created_at desc); ``marker`` is the last uuid seen."""
    shape, params = _filter_params(filters)
    with read_connection() as conn:
        if marker is not None:
            with_deleted = getattr(context, "read_deleted", "no") != "no"
            params["marker_id"] = conn.scalar(_marker_id_select(with_deleted), {"uuid": marker})
            if params["marker_id"] is None:
                raise exception.MarkerNotFound(marker=marker)
        if limit is not None:
            params["limit"] = limit
        query = _instances_select(shape, bool(filters.get("deleted", False)),
                                  marker is not None, limit is not None)
        return _instance_rows(conn.execute(query, params))


# NOVA-DIFF: Juno's list read built an ORM object per row (model_query(...).options(
# joinedload(...)), nova/db/sqlalchemy/api.py:1838), and so did minova; nobody here
# uses them as ORM objects (the view and the extensions read the column values), and
# building them cost more than running the query.  So the list reads plain rows:
# the same SELECT, each row an InstanceRow with the same attribute names.

class InstanceRow(types.SimpleNamespace):
    """One listed instance: its column values as attributes, as on models.Instance (read only)."""


# Every column under its attribute name (``metadata`` is ``metadata_``); the JSON
# columns come back as their text, which _instance_rows decodes.
_JSON_KEYS = frozenset(attr.key for attr in sqlalchemy.inspect(models.Instance).column_attrs
                       if isinstance(attr.columns[0].type, sqlalchemy.JSON))
_LISTED_COLUMNS = [
    (sqlalchemy.type_coerce(attr.columns[0], sqlalchemy.Text) if attr.key in _JSON_KEYS
     else attr.columns[0]).label(attr.key)
    for attr in sqlalchemy.inspect(models.Instance).column_attrs]


def _instance_rows(result) -> list[InstanceRow]:
    """Rows → InstanceRows; a JSON text is decoded once per list (pages repeat ``{}``, ...)."""
    keys = list(result.keys())
    json_keys = _JSON_KEYS.intersection(keys)
    decoded: dict[str, Any] = {}
    rows = []
    for values in result.all():
        row = dict(zip(keys, values, strict=True))
        for key in json_keys:
            text = row[key]
            if isinstance(text, str):       # (PostgreSQL's driver decodes JSON itself)
                if text not in decoded:
                    decoded[text] = json.loads(text)
                row[key] = decoded[text]
        rows.append(InstanceRow(**row))
    return rows


def instance_update(context, uuid: str, values: dict, expected_task_state: Any = (),
                    expected_vm_state: Any = ()) -> models.Instance:
    """Update columns; with ``expected_*`` only if the row is still in that state.

    The check and the write are one ``UPDATE ... WHERE task_state IN (...)``: when two
    processes race (a redelivered build, the conductor's sweep of stuck builds), exactly
    one of them changes the row. NOVA-DIFF: Juno read the row, compared in Python and
    wrote it back (nova/db/sqlalchemy/api.py:2317-2345, ``_instance_update``); nova today
    does this compare-and-swap.
    """
    expected = [(models.Instance.task_state, expected_task_state),
                (models.Instance.vm_state, expected_vm_state)]
    expected = [(column, _as_list(states)) for column, states in expected if states != ()]
    with session_scope() as session:
        instance = _instance_query(context, session, uuid)
        if instance is None:
            raise exception.InstanceNotFound(instance_id=uuid)
        if not expected:
            for key, value in values.items():
                setattr(instance, key, value)
            return instance
        changed = session.execute(
            sqlalchemy.update(models.Instance)
            .where(models.Instance.id == instance.id,
                   *(_state_in(column, states) for column, states in expected))
            .values(values).execution_options(synchronize_session=False)).rowcount
        session.refresh(instance)
        if not changed:
            column, _ = next(((c, s) for c, s in expected
                              if getattr(instance, c.key) not in s), expected[0])
            raise exception.InstanceInvalidState(
                instance_uuid=uuid, attr=column.key, state=getattr(instance, column.key),
                method="update")
        return instance


def _state_in(column, states: list):
    """``column IN (states)``, where a None in ``states`` matches NULL."""
    known = [state for state in states if state is not None]
    clause = column.in_(known)
    return sqlalchemy.or_(clause, column.is_(None)) if None in states else clause


def instance_get_all_unscheduled(context, created_before) -> list[models.Instance]:
    """BUILD instances no compute host took, created before ``created_before``."""
    with read_scope() as session:
        return list(session.scalars(select(models.Instance).where(
            models.Instance.deleted == 0, models.Instance.vm_state == "building",
            models.Instance.host.is_(None), models.Instance.created_at < created_before)))


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


def instance_get_active_by_window_joined(context, begin, end=None, project_id=None,
                                         host=None) -> list[models.Instance]:
    """Instances that ran some time in [begin, end): deleted rows too (usage is billed).

    Juno: nova/db/sqlalchemy/api.py:2134 (not terminated before ``begin``, launched before
    ``end``; a row never launched has a NULL launched_at and never matches an ``end``).
    """
    query = select(models.Instance).where(sqlalchemy.or_(
        models.Instance.terminated_at.is_(None), models.Instance.terminated_at > begin))
    if end:
        query = query.where(models.Instance.launched_at < end)
    if project_id:
        query = query.where(models.Instance.project_id == project_id)
    if host:
        query = query.where(models.Instance.host == host)
    with read_scope() as session:
        return list(session.scalars(query.order_by(models.Instance.id)))


def key_pair_create(context, values: dict) -> models.KeyPair:
    """A new key pair; KeyPairExists when the user already has one by that name."""
    with session_scope() as session:
        if _key_pair_query(session, values["user_id"], values["name"]) is not None:
            raise exception.KeyPairExists(key_name=values["name"])
        key_pair = models.KeyPair(**values)
        session.add(key_pair)
    return key_pair


def _key_pair_query(session, user_id: str, name: str):
    return session.scalars(select(models.KeyPair).where(
        models.KeyPair.user_id == user_id, models.KeyPair.name == name,
        models.KeyPair.deleted == 0)).first()


def key_pair_get(context, user_id: str, name: str) -> models.KeyPair:
    with session_scope() as session:
        key_pair = _key_pair_query(session, user_id, name)
        if key_pair is None:
            raise exception.KeypairNotFound(user_id=user_id, name=name)
        return key_pair


def key_pair_get_all_by_user(context, user_id: str) -> list[models.KeyPair]:
    with session_scope() as session:
        return list(session.scalars(select(models.KeyPair).where(
            models.KeyPair.user_id == user_id, models.KeyPair.deleted == 0)
            .order_by(models.KeyPair.name)))


def key_pair_destroy(context, user_id: str, name: str) -> None:
    """Soft-delete, as nova does."""
    with session_scope() as session:
        key_pair = _key_pair_query(session, user_id, name)
        if key_pair is None:
            raise exception.KeypairNotFound(user_id=user_id, name=name)
        key_pair.deleted = key_pair.id
        key_pair.deleted_at = models._utcnow()


def image_create(context, values: dict) -> models.Image:
    with session_scope() as session:
        row = models.Image(**values)
        session.add(row)
    return row


def _image_row(session, image_id: str) -> models.Image:
    """The live row of ``image_id``; ImageNotFound if there is none."""
    row = session.scalars(select(models.Image).where(
        models.Image.id == image_id, models.Image.deleted == 0)).first()
    if row is None:
        raise exception.ImageNotFound(image_id=image_id)
    return row


def image_get(context, image_id: str) -> models.Image:
    with session_scope() as session:
        return _image_row(session, image_id)


def image_get_all(context) -> list[models.Image]:
    with session_scope() as session:
        return list(session.scalars(select(models.Image).where(models.Image.deleted == 0)))


def image_update(context, image_id: str, values: dict) -> models.Image:
    with session_scope() as session:
        row = _image_row(session, image_id)
        for key, value in values.items():
            setattr(row, key, value)
        return row


def image_destroy(context, image_id: str) -> None:
    """Soft-delete: the row stays, marked deleted."""
    with session_scope() as session:
        row = _image_row(session, image_id)
        row.deleted = 1
        row.deleted_at = models._utcnow()


def action_start(context, values: dict) -> models.InstanceAction:
    with session_scope() as session:
        action = models.InstanceAction(**values)
        session.add(action)
    return action


def actions_get(context, instance_uuid: str) -> list[models.InstanceAction]:
    """Newest first, as Juno's actions_get."""
    with session_scope() as session:
        return list(session.scalars(select(models.InstanceAction).where(
            models.InstanceAction.instance_uuid == instance_uuid).order_by(
            models.InstanceAction.created_at.desc(), models.InstanceAction.id.desc())))


def action_get_by_request_id(context, instance_uuid: str, request_id: str):
    with session_scope() as session:
        return session.scalars(select(models.InstanceAction).where(
            models.InstanceAction.instance_uuid == instance_uuid,
            models.InstanceAction.request_id == request_id).order_by(
            models.InstanceAction.id.desc())).first()


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


def service_get_all(context, disabled: bool | None = None) -> list[models.Service]:
    with session_scope() as session:
        query = select(models.Service).where(models.Service.deleted == 0)
        if disabled is not None:
            query = query.where(models.Service.disabled == int(disabled))
        return list(session.scalars(query.order_by(models.Service.id)))


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
