"""What one core process holds for its lifetime: settings, the engine, the password hasher, caches."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from authdeck.core.config import CoreSettings
from authdeck.core.crypto.passwords import PasswordHashing
from authdeck.core.storage.engine import make_engine


@dataclass
class CoreState:
    settings: CoreSettings
    engine: Engine
    hashing: PasswordHashing
    # Per-process caches that any module may keep, keyed by its own name; always safe to drop.
    caches: dict[str, object] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: CoreSettings) -> CoreState:
        return cls(
            settings=settings,
            engine=make_engine(settings.database, pool_size=settings.db_pool_size),
            hashing=PasswordHashing(
                bcrypt_rounds=settings.bcrypt_log_rounds,
                argon2_iterations=settings.argon2_iterations,
                argon2_memory_kb=settings.argon2_memory_kb,
                argon2_parallelism=settings.argon2_parallelism,
                pool_size=settings.password_hashing_pool_size,
            ),
        )
