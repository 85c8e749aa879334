"""SQL for signing keys (dynamic and static) and per-app secrets kept in ``key_value``."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, Row, delete, func, insert, select

from authdeck.core.storage.tables import apps, key_value, signing_keys, static_signing_keys


def lock_app(conn: Connection, app_id: str) -> None:
    """Serialise key creation for ``app_id`` across core processes (a row lock; SQLite's write lock)."""
    conn.execute(select(apps.c.app_id).where(apps.c.app_id == app_id).with_for_update())


def dynamic_keys(conn: Connection, app_id: str) -> Sequence[Row[int, str, str]]:
    """Every dynamic key of the app, newest first."""
    return conn.execute(
        select(signing_keys.c.created_at, signing_keys.c.private_key, signing_keys.c.public_key)
        .where(signing_keys.c.app_id == app_id)
        .order_by(signing_keys.c.created_at.desc())
    ).all()


def insert_dynamic_key(conn: Connection, app_id: str, created_at: int, private_key: str, public_key: str) -> None:
    conn.execute(
        insert(signing_keys).values(
            app_id=app_id, created_at=created_at, private_key=private_key, public_key=public_key
        )
    )


def delete_dynamic_keys_before(conn: Connection, app_id: str, cutoff: int) -> int:
    """Delete the app's dynamic keys created before ``cutoff``, but never its newest one."""
    newest = select(func.max(signing_keys.c.created_at)).where(signing_keys.c.app_id == app_id).scalar_subquery()
    result = conn.execute(
        delete(signing_keys).where(
            signing_keys.c.app_id == app_id,
            signing_keys.c.created_at < cutoff,
            signing_keys.c.created_at < newest,
        )
    )
    return int(result.rowcount)


def apps_with_dynamic_keys(conn: Connection) -> Sequence[Row[str, str]]:
    """``(app_id, core_config)`` of every app holding more than one dynamic key (only those can be purged)."""
    many = select(signing_keys.c.app_id).group_by(signing_keys.c.app_id).having(func.count() > 1).subquery()
    return conn.execute(select(apps.c.app_id, apps.c.core_config).join(many, many.c.app_id == apps.c.app_id)).all()


def static_key(conn: Connection, app_id: str, algorithm: str) -> Row[str, int, str, str] | None:
    return conn.execute(
        select(
            static_signing_keys.c.key_id,
            static_signing_keys.c.created_at,
            static_signing_keys.c.private_key,
            static_signing_keys.c.public_key,
        ).where(static_signing_keys.c.app_id == app_id, static_signing_keys.c.algorithm == algorithm)
    ).first()


def insert_static_key(
    conn: Connection, app_id: str, key_id: str, algorithm: str, created_at: int, private_key: str, public_key: str
) -> None:
    conn.execute(
        insert(static_signing_keys).values(
            app_id=app_id,
            key_id=key_id,
            algorithm=algorithm,
            created_at=created_at,
            private_key=private_key,
            public_key=public_key,
        )
    )


def get_value(conn: Connection, app_id: str, name: str) -> str | None:
    value: str | None = conn.execute(
        select(key_value.c.value).where(key_value.c.app_id == app_id, key_value.c.name == name)
    ).scalar()
    return value


def insert_value(conn: Connection, app_id: str, name: str, value: str, created_at: int) -> None:
    conn.execute(insert(key_value).values(app_id=app_id, name=name, value=value, created_at=created_at))
