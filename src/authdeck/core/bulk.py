"""Bulk import and export of email-password users, straight to and from the database.

Each batch is one transaction through the same insert path as sign-up, so counters stay exact and a failed
batch leaves nothing behind. Import takes password hashes (bcrypt or Argon2) or plain passwords.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from sqlalchemy import Engine, select

from authdeck.core.crypto.passwords import PasswordHashing, is_supported_hash
from authdeck.core.errors import CoreError
from authdeck.core.services import emailpassword
from authdeck.core.services.apps import get_tenant
from authdeck.core.services.policy import is_valid_email
from authdeck.core.storage.engine import transaction
from authdeck.core.storage.queries.emailpassword import NewUser
from authdeck.core.storage.tables import apps, emailpassword_users


class ImportFileError(CoreError):
    """A line of the import file is unusable; the message names the line and the fix."""


@dataclass(frozen=True)
class ImportReport:
    imported: int
    seconds: float


def parse_line(number: int, line: str, hashing: PasswordHashing | None, now_ms: int) -> NewUser:
    """One JSON Lines record → a user to insert; raises ImportFileError saying what is wrong with it."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ImportFileError(f"line {number}: not valid JSON ({exc.msg})") from exc
    if not isinstance(record, dict):
        raise ImportFileError(f"line {number}: expected a JSON object with email and passwordHash or password")
    email = record.get("email")
    if not isinstance(email, str) or not is_valid_email(email.strip().lower()):
        raise ImportFileError(f"line {number}: 'email' is missing or not a valid email address")
    password_hash = record.get("passwordHash")
    password = record.get("password")
    if password_hash is not None:
        if not isinstance(password_hash, str) or not is_supported_hash(password_hash):
            raise ImportFileError(
                f"line {number}: 'passwordHash' must be a bcrypt ($2a$/$2b$/$2y$) or Argon2 ($argon2id$) hash"
            )
    elif isinstance(password, str) and password:
        if hashing is None:
            raise ImportFileError(f"line {number}: plain 'password' given but hashing is not configured")
        password_hash = hashing.hash(password)
    else:
        raise ImportFileError(f"line {number}: give 'passwordHash' (preferred) or 'password'")
    time_joined = record.get("timeJoined", now_ms)
    if not isinstance(time_joined, int) or isinstance(time_joined, bool) or time_joined < 0:
        raise ImportFileError(f"line {number}: 'timeJoined' must be milliseconds since 1970 (a whole number)")
    user_id = record.get("userId") or str(uuid.uuid4())
    if not isinstance(user_id, str) or len(user_id) > 36:
        raise ImportFileError(f"line {number}: 'userId' must be a string of at most 36 characters")
    return NewUser(user_id=user_id, email=email.strip().lower(), password_hash=password_hash, time_joined=time_joined)


def read_lines(stream: IO[str], hashing: PasswordHashing | None) -> Iterator[NewUser]:
    now_ms = time.time_ns() // 1_000_000
    for number, line in enumerate(stream, start=1):
        if line.strip():
            yield parse_line(number, line, hashing, now_ms)


def _batches(users: Iterable[NewUser], size: int) -> Iterator[list[NewUser]]:
    batch: list[NewUser] = []
    for user in users:
        batch.append(user)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def import_users(
    engine: Engine,
    users: Iterable[NewUser],
    *,
    app_id: str = "public",
    tenant_id: str = "public",
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Insert ``users`` in batches of one transaction each; returns how many and how long it took."""
    with engine.connect() as conn:
        if get_tenant(conn, app_id, tenant_id) is None:
            raise ImportFileError(f"app '{app_id}' with tenant '{tenant_id}' does not exist; create it first")
    started = time.perf_counter()
    done = 0
    for batch in _batches(users, batch_size):
        try:
            with transaction(engine, write=True) as conn:
                emailpassword.create_users(conn, app_id, tenant_id, batch)
        except emailpassword.EmailAlreadyExistsError as exc:
            first, last = batch[0].email, batch[-1].email
            raise ImportFileError(
                f"a user in the batch {first} … {last} already exists (same email or userId); "
                f"{done} users were imported before it. Remove the duplicates and import the rest."
            ) from exc
        done += len(batch)
        if progress is not None:
            progress(len(batch))
    if done:
        # Fresh statistics, so the planner sees the new size now (PostgreSQL would wait for autovacuum; SQLite
        # has none unless asked, and then picks the wrong index for lookups by user id).
        tables = ("app_users", "tenant_users", "emailpassword_users", "emailpassword_user_to_tenant")
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.exec_driver_sql("ANALYZE " + ", ".join(tables))
            else:
                for table in tables:
                    conn.exec_driver_sql(f"ANALYZE {table}")
    return ImportReport(imported=done, seconds=time.perf_counter() - started)


def export_users(engine: Engine, *, app_id: str = "public", page_size: int = 5000) -> Iterator[dict[str, Any]]:
    """Every email-password user of ``app_id`` as an import record, in user id order (keyset paged)."""
    with engine.connect() as conn:
        if conn.execute(select(apps.c.app_id).where(apps.c.app_id == app_id)).first() is None:
            raise ImportFileError(f"app '{app_id}' does not exist")
    after = ""
    t = emailpassword_users
    while True:
        with engine.connect() as conn:
            rows = conn.execute(
                select(t.c.user_id, t.c.email, t.c.password_hash, t.c.time_joined)
                .where(t.c.app_id == app_id, t.c.user_id > after)
                .order_by(t.c.user_id)
                .limit(page_size)
            ).all()
        if not rows:
            return
        for row in rows:
            yield {
                "userId": row.user_id,
                "email": row.email,
                "passwordHash": row.password_hash,
                "timeJoined": row.time_joined,
            }
        after = rows[-1].user_id
