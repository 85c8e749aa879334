"""Seeds the ``sessions`` table straight through SQLAlchemy, for the sessions benchmark: fast, no tokens."""

from __future__ import annotations

import hashlib
import json
import random
import time
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, insert

from authdeck.core.storage.engine import transaction
from authdeck.core.storage.tables import sessions

DAY_MS = 86_400_000
BATCH = 20_000


def seed(
    engine: Engine, count: int, now_ms: int, jwt_payload: dict[str, Any], progress: Callable[[int, float], None]
) -> tuple[float, list[str]]:
    """Insert ``count`` live sessions of the public app's public tenant, 4 per user, ``BATCH`` a transaction.

    Returns the seconds taken and a sample of up to 1,000 handles. The rows have the shape the core writes
    (random handle, 64-hex refresh hash, JSON payloads); nobody holds their tokens. PostgreSQL is ANALYZEd.
    """
    rng = random.Random(3)
    payload = json.dumps(jwt_payload, separators=(",", ":"))
    step = max(1, count // 1000)
    sample: list[str] = []
    statement = insert(sessions)
    started = time.perf_counter()
    for start in range(0, count, BATCH):
        rows = []
        for i in range(start, min(count, start + BATCH)):
            handle = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            created_at = now_ms - rng.randrange(30 * DAY_MS)
            rows.append(
                {
                    "app_id": "public",
                    "tenant_id": "public",
                    "session_handle": handle,
                    "user_id": str(uuid.UUID(int=(i // 4) * 0x9E3779B97F4A7C15 + 1, version=4)),
                    "refresh_token_hash_2": hashlib.sha256(rng.randbytes(32)).hexdigest(),
                    "session_data": "{}",
                    "jwt_user_payload": payload,
                    "use_static_key": False,
                    "created_at": created_at,
                    "expires_at": created_at + 100 * DAY_MS,
                }
            )
            if i % step == 0:
                sample.append(handle)
        with transaction(engine, write=True) as conn:
            conn.execute(statement, rows)
        progress(min(count, start + BATCH), time.perf_counter() - started)
    if engine.dialect.name == "postgresql":
        with transaction(engine, write=True) as conn:
            conn.exec_driver_sql("ANALYZE sessions")
    return time.perf_counter() - started, sample[:1000]
