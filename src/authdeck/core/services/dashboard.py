"""Dashboard users and their sessions: the rules behind the core's /recipe/dashboard endpoints.

Session ids are stored only as SHA-256 hashes. Sessions end on an idle timeout and an absolute lifetime
(per-app settings), and when their user's email or password changes. Sign-in locks an email out after
repeated failures; the counter lives in the database so that every core process sees the same one.
"""

from __future__ import annotations

import hashlib
import json
import math
import uuid
from dataclasses import dataclass
from typing import Any, Literal, get_args, get_origin

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from authdeck.core import jobs
from authdeck.core.config import AppSettings
from authdeck.core.crypto.passwords import PasswordHashing
from authdeck.core.errors import StatusError
from authdeck.core.services import policy
from authdeck.core.storage import engine
from authdeck.core.storage.queries import dashboard as q

LOCKOUT_THRESHOLD = 5  # wrong passwords for one email ...
LOCKOUT_WINDOW_MS = 15 * 60 * 1000  # ... within this long ...
LOCKOUT_DURATION_MS = 15 * 60 * 1000  # ... refuse sign-in for that email this long.

# Refreshing last_active on every verify would write on every dashboard API call; a coarser clock is
# enough for an idle timeout of minutes (and scales down for the short timeouts tests use).
_TOUCH_EVERY_MS = 1000


class InvalidEmailError(StatusError):
    status = "INVALID_EMAIL_ERROR"


class PasswordWeakError(StatusError):
    status = "PASSWORD_WEAK_ERROR"


class EmailAlreadyExistsError(StatusError):
    status = "EMAIL_ALREADY_EXISTS_ERROR"


class UnknownUserError(StatusError):
    status = "UNKNOWN_USER_ERROR"


@dataclass(frozen=True)
class DashboardUser:
    user_id: str
    email: str
    time_joined: int


@dataclass(frozen=True)
class SignInResult:
    """A session id, or why there is none: locked out (``retry_after_ms`` > 0) or wrong credentials."""

    session_id: str | None = None
    retry_after_ms: int = 0


@dataclass(frozen=True)
class SessionInfo:
    user_id: str
    public_id: str
    time_created: int
    expiry: int


# --- users -------------------------------------------------------------------------------------------


def checked_email(email: str) -> str:
    """``email`` normalised; raises InvalidEmailError when its shape is not acceptable."""
    normalised = policy.normalise_email(email)
    if not policy.is_valid_email(normalised):
        raise InvalidEmailError()
    return normalised


def check_password(password: str) -> None:
    problem = policy.password_problem(password)
    if problem is not None:
        raise PasswordWeakError(message=problem)


def create_user(conn: Connection, app_id: str, email: str, password_hash: str, now_ms: int) -> DashboardUser:
    """Add a dashboard user; there is deliberately no limit on how many an app has."""
    if q.user_by_email(conn, app_id, email) is not None:
        raise EmailAlreadyExistsError()
    user = DashboardUser(str(uuid.uuid4()), email, now_ms)
    try:
        q.insert_user(conn, app_id, user.user_id, email, password_hash, now_ms)
    except IntegrityError as exc:  # created by a concurrent request since we looked
        if engine.is_unique_violation(exc):
            raise EmailAlreadyExistsError() from exc
        raise
    return user


def update_user(
    conn: Connection,
    app_id: str,
    *,
    user_id: str | None,
    email: str | None,
    new_email: str | None,
    new_password_hash: str | None,
) -> DashboardUser:
    """Change a user's email and/or password (found by ``user_id``, else ``email``); ends their sessions."""
    if user_id is not None:
        row = q.user_by_id(conn, app_id, user_id, for_update=True)
    else:
        row = q.user_by_email(conn, app_id, email or "", for_update=True)
    if row is None:
        raise UnknownUserError()
    if new_email == row.email:
        new_email = None  # not a change: keeps the sessions
    if new_email is not None and q.user_by_email(conn, app_id, new_email) is not None:
        raise EmailAlreadyExistsError()
    try:
        q.update_user(conn, app_id, row.user_id, email=new_email, password_hash=new_password_hash)
    except IntegrityError as exc:
        if engine.is_unique_violation(exc):
            raise EmailAlreadyExistsError() from exc
        raise
    if new_email is not None or new_password_hash is not None:
        # Whoever held the old credentials must sign in again with the new ones.
        q.delete_user_sessions(conn, app_id, row.user_id)
    return DashboardUser(row.user_id, new_email or row.email, row.time_joined)


def delete_user(conn: Connection, app_id: str, *, user_id: str | None, email: str | None) -> bool:
    """Delete a user (by ``user_id``, else ``email``) and their sessions; False when there was none."""
    if user_id is None:
        row = q.user_by_email(conn, app_id, email or "")
        if row is None:
            return False
        user_id = row.user_id
    return q.delete_user(conn, app_id, user_id)


def list_users(conn: Connection, app_id: str) -> list[DashboardUser]:
    return [DashboardUser(r.user_id, r.email, r.time_joined) for r in q.list_users(conn, app_id)]


# --- sign-in and its lockout -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Failures:
    """Recent wrong passwords for one email, and until when sign-in is refused (ms)."""

    times: tuple[int, ...] = ()
    locked_until: int = 0

    @classmethod
    def load(cls, raw: str | None) -> _Failures:
        try:
            data = json.loads(raw) if raw else {}
            return cls(tuple(int(t) for t in data.get("failures", ())), int(data.get("lockedUntil", 0)))
        except (ValueError, TypeError, AttributeError):
            return cls()  # an unreadable record must not lock anyone out, nor break sign-in

    def dump(self) -> str:
        return json.dumps({"failures": list(self.times), "lockedUntil": self.locked_until})

    def locked_for(self, now_ms: int) -> int:
        return max(0, self.locked_until - now_ms)

    def after_failure(self, now_ms: int) -> _Failures:
        recent = (*(t for t in self.times if t > now_ms - LOCKOUT_WINDOW_MS), now_ms)
        if len(recent) >= LOCKOUT_THRESHOLD:
            return _Failures((), now_ms + LOCKOUT_DURATION_MS)  # counting starts afresh after the lock
        return _Failures(recent, self.locked_until)


def _failure_key(email: str) -> str:
    # Hashed: bounded length, and emails that are no dashboard user's are not stored in clear.
    return hashlib.sha256(email.encode("utf-8")).hexdigest()


def sign_in(
    conn: Connection,
    hashing: PasswordHashing,
    app_id: str,
    email: str,
    password: str,
    settings: AppSettings,
    now_ms: int,
) -> SignInResult:
    """Check the credentials and open a session, or say why not. Never raises for a refusal, so that a
    failed attempt is committed with the reply."""
    key = _failure_key(email)
    if wait := _Failures.load(q.peek_failures(conn, app_id, key)).locked_for(now_ms):
        return SignInResult(retry_after_ms=wait)
    user = q.user_by_email(conn, app_id, email)
    # The slow hash runs before any row lock is taken; the lock state is read again under the lock.
    if user is None:
        hashing.burn_dummy(password)  # unknown emails cost as much as known ones
        correct = False
    else:
        correct = hashing.verify(password, user.password_hash)
    failures = _Failures.load(q.lock_failures(conn, app_id, key, _Failures().dump(), now_ms))
    if wait := failures.locked_for(now_ms):
        return SignInResult(retry_after_ms=wait)
    if user is not None and correct:
        current = q.user_by_id(conn, app_id, user.user_id, for_update=True)
        if current is None or current.password_hash != user.password_hash:
            return SignInResult()  # deleted or given a new password while we were verifying
        q.clear_failures(conn, app_id, key)
        session_id = str(uuid.uuid4())
        expiry = now_ms + settings.dashboard_session_absolute_lifetime * 1000
        q.insert_session(conn, app_id, session_hash(session_id), user.user_id, now_ms, expiry)
        return SignInResult(session_id=session_id)
    q.write_failures(conn, app_id, key, failures.after_failure(now_ms).dump(), now_ms)
    return SignInResult()


def lockout_message(retry_after_ms: int) -> tuple[str, int]:
    """The refusal's message and its retry-after in whole seconds (rounded up)."""
    seconds = max(1, math.ceil(retry_after_ms / 1000))
    minutes = math.ceil(seconds / 60)
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many failed sign-in attempts. Try again in {minutes} {unit}.", seconds


# --- sessions ----------------------------------------------------------------------------------------


def session_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def _ends_at(last_active: int, expiry: int, settings: AppSettings) -> int:
    return min(expiry, last_active + settings.dashboard_session_idle_timeout * 1000)


def verify_session(conn: Connection, app_id: str, session_id: str, settings: AppSettings, now_ms: int) -> str | None:
    """The email of the session's user, or None when the session is unknown or has ended (it is deleted)."""
    digest = session_hash(session_id)
    row = q.session_with_email(conn, app_id, digest)
    if row is None:
        return None
    if now_ms >= _ends_at(row.last_active, row.expiry, settings):
        q.delete_session(conn, app_id, digest)
        return None
    idle_ms = settings.dashboard_session_idle_timeout * 1000
    if now_ms - row.last_active >= min(_TOUCH_EVERY_MS, idle_ms // 10):
        q.touch_session(conn, app_id, digest, now_ms)
    return str(row.email)


def delete_session(conn: Connection, app_id: str, session_id: str) -> None:
    q.delete_session(conn, app_id, session_hash(session_id))


def user_sessions(conn: Connection, app_id: str, user_id: str, settings: AppSettings, now_ms: int) -> list[SessionInfo]:
    """The user's live sessions. Only hashes are stored, so each is named by a non-secret prefix of its
    hash; ``expiry`` is when it ends if left idle (never later than its absolute expiry)."""
    infos = []
    for row in q.user_sessions(conn, app_id, user_id):
        ends = _ends_at(row.last_active, row.expiry, settings)
        if ends > now_ms:
            infos.append(SessionInfo(user_id, row.session_hash[:16], row.time_created, ends))
    return infos


# --- core config for the dashboard's tenant view -----------------------------------------------------


def _value_type(annotation: Any) -> tuple[str, list[Any]]:
    if get_origin(annotation) is Literal:
        return "enum", list(get_args(annotation))
    if annotation is bool:
        return "boolean", []
    if annotation in (int, float):
        return "number", []
    return "string", []


def core_config(settings: AppSettings, defaults: AppSettings) -> list[dict[str, Any]]:
    """Each per-app setting with its current value; ``defaults`` are what an app gets without coreConfig."""
    items = []
    for name, field in type(settings).model_fields.items():
        value_type, possible = _value_type(field.annotation)
        items.append(
            {
                "key": name,
                "valueType": value_type,
                "value": getattr(settings, name),
                "description": field.description or "",
                "isDifferentAcrossTenants": False,
                "possibleValues": possible,
                "isNullable": False,
                "defaultValue": getattr(defaults, name),
                "isPluginProperty": False,
                "isPluginPropertyEditable": False,
            }
        )
    return items


# --- purges ------------------------------------------------------------------------------------------

jobs.register("dashboard-sessions")(q.purge_expired_sessions)


@jobs.register("dashboard-signin-failures")
def _purge_failures(conn: Connection, now_ms: int) -> int:
    return q.purge_failures(conn, now_ms - max(LOCKOUT_WINDOW_MS, LOCKOUT_DURATION_MS))
