"""The core's schema, as SQLAlchemy Core tables. Every table is keyed by ``app_id``.

Alembic revisions under ``migrations/versions`` create exactly this; a test compares the two on both
databases. Change a table here only together with a new revision.
"""

from __future__ import annotations

from sqlalchemy import (
    CHAR,
    BigInteger,
    Boolean,
    Column,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# Prefix searches use index range scans on lower-cased values; PostgreSQL needs byte order for that,
# whatever the database's locale is. SQLite compares bytes already.
SearchText = String(256).with_variant(String(256, collation="C"), "postgresql")

AppId = String(64)
TenantId = String(64)
UserId = String(128)  # internal ids are UUIDs; roles, metadata and sessions also accept external ids

apps = Table(
    "apps",
    metadata,
    Column("app_id", AppId, primary_key=True),
    Column("created_at", BigInteger, nullable=False),
    Column("core_config", Text, nullable=False, server_default="{}"),
)

tenants = Table(
    "tenants",
    metadata,
    Column("app_id", AppId, nullable=False),
    Column("tenant_id", TenantId, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("config", Text, nullable=False, server_default="{}"),
    PrimaryKeyConstraint("app_id", "tenant_id"),
    ForeignKeyConstraint(["app_id"], ["apps.app_id"], ondelete="CASCADE"),
)

key_value = Table(
    "key_value",
    metadata,
    Column("app_id", AppId, nullable=False),
    Column("name", String(128), nullable=False),
    Column("value", Text, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    PrimaryKeyConstraint("app_id", "name"),
    ForeignKeyConstraint(["app_id"], ["apps.app_id"], ondelete="CASCADE"),
)

# One row per auth-recipe user of an app (SuperTokens' app_id_to_user_id).
app_users = Table(
    "app_users",
    metadata,
    Column("app_id", AppId, nullable=False),
    Column("user_id", UserId, nullable=False),
    Column("recipe_id", String(32), nullable=False),
    Column("time_joined", BigInteger, nullable=False),
    PrimaryKeyConstraint("app_id", "user_id"),
    ForeignKeyConstraint(["app_id"], ["apps.app_id"], ondelete="CASCADE"),
)

# One row per (tenant, user): what /users lists and pages through.
tenant_users = Table(
    "tenant_users",
    metadata,
    Column("app_id", AppId, nullable=False),
    Column("tenant_id", TenantId, nullable=False),
    Column("user_id", UserId, nullable=False),
    Column("recipe_id", String(32), nullable=False),
    Column("time_joined", BigInteger, nullable=False),
    PrimaryKeyConstraint("app_id", "tenant_id", "user_id"),
    ForeignKeyConstraint(["app_id", "user_id"], ["app_users.app_id", "app_users.user_id"], ondelete="CASCADE"),
    ForeignKeyConstraint(["app_id", "tenant_id"], ["tenants.app_id", "tenants.tenant_id"], ondelete="CASCADE"),
    Index("ix_tenant_users_page_desc", "app_id", "tenant_id", "time_joined", "user_id"),
    Index("ix_tenant_users_user", "app_id", "user_id"),
)
# Pages are ordered by (time_joined ASC, user_id DESC), or by both descending: the index above serves the
# latter scanned backwards, this one the former.
Index(
    "ix_tenant_users_page_asc",
    tenant_users.c.app_id,
    tenant_users.c.tenant_id,
    tenant_users.c.time_joined,
    tenant_users.c.user_id.desc(),
)

# Exact user counts without scanning: one row per (app, tenant, recipe); tenant_id '' counts distinct
# users of the whole app. Maintained in the same transaction as the rows they count.
user_counters = Table(
    "user_counters",
    metadata,
    Column("app_id", AppId, nullable=False),
    Column("tenant_id", TenantId, nullable=False),
    Column("recipe_id", String(32), nullable=False),
    Column("count", BigInteger, nullable=False),
    PrimaryKeyConstraint("app_id", "tenant_id", "recipe_id"),
    ForeignKeyConstraint(["app_id"], ["apps.app_id"], ondelete="CASCADE"),
)

emailpassword_users = Table(
    "emailpassword_users",
    metadata,
    Column("app_id", AppId, nullable=False),
    Column("user_id", UserId, nullable=False),
    Column("email", SearchText, nullable=False),
    Column("password_hash", String(256), nullable=False),
    Column("time_joined", BigInteger, nullable=False),
    PrimaryKeyConstraint("app_id", "user_id"),
    ForeignKeyConstraint(["app_id", "user_id"], ["app_users.app_id", "app_users.user_id"], ondelete="CASCADE"),
    Index("ix_emailpassword_users_email", "app_id", "email"),
)

# The email per tenant, unique there; also what email search scans (prefix of email or of its domain).
emailpassword_user_to_tenant = Table(
    "emailpassword_user_to_tenant",
    metadata,
    Column("app_id", AppId, nullable=False),
    Column("tenant_id", TenantId, nullable=False),
    Column("user_id", UserId, nullable=False),
    Column("email", SearchText, nullable=False),
    Column("email_domain", SearchText, nullable=False),
    PrimaryKeyConstraint("app_id", "tenant_id", "user_id"),
    UniqueConstraint("app_id", "tenant_id", "email"),
    ForeignKeyConstraint(
        ["app_id", "tenant_id", "user_id"],
        ["tenant_users.app_id", "tenant_users.tenant_id", "tenant_users.user_id"],
        ondelete="CASCADE",
    ),
    Index("ix_emailpassword_user_to_tenant_domain", "app_id", "tenant_id", "email_domain"),
)

password_reset_tokens = Table(
    "password_reset_tokens",
    metadata,
    Column("app_id", AppId, nullable=False),
    Column("token_hash", String(64), nullable=False),  # SHA-256 hex; the token itself is never stored
    Column("user_id", UserId, nullable=False),
    Column("email", String(256), nullable=False),
    Column("token_expiry", BigInteger, nullable=False),
    PrimaryKeyConstraint("app_id", "token_hash"),
    ForeignKeyConstraint(["app_id", "user_id"], ["app_users.app_id", "app_users.user_id"], ondelete="CASCADE"),
    Index("ix_password_reset_tokens_user", "app_id", "user_id"),
    Index("ix_password_reset_tokens_expiry", "token_expiry"),
)

verified_emails = Table(
    "verified_emails",
    metadata,
    Column("app_id", AppId, nullable=False),
    Column("user_id", UserId, nullable=False),
    Column("email", String(256), nullable=False),
    PrimaryKeyConstraint("app_id", "user_id", "email"),
    ForeignKeyConstraint(["app_id"], ["apps.app_id"], ondelete="CASCADE"),
    Index("ix_verified_emails_email", "app_id", "email"),
)

email_verification_tokens = Table(
    "email_verification_tokens",
    metadata,
    Column("app_id", AppId, nullable=False),
    Column("tenant_id", TenantId, nullable=False),
    Column("token_hash", String(64), nullable=False),  # SHA-256 hex
    Column("user_id", UserId, nullable=False),
    Column("email", String(256), nullable=False),
    Column("token_expiry", BigInteger, nullable=False),
    PrimaryKeyConstraint("app_id", "token_hash"),
    ForeignKeyConstraint(["app_id", "tenant_id"], ["tenants.app_id", "tenants.tenant_id"], ondelete="CASCADE"),
    Index("ix_email_verification_tokens_user", "app_id", "tenant_id", "user_id", "email"),
    Index("ix_email_verification_tokens_expiry", "token_expiry"),
)

user_metadata = Table(
    "user_metadata",
    metadata,
    Column("app_id", AppId, nullable=False),
    Column("user_id", UserId, nullable=False),
    Column("metadata", Text, nullable=False),
    PrimaryKeyConstraint("app_id", "user_id"),
    ForeignKeyConstraint(["app_id"], ["apps.app_id"], ondelete="CASCADE"),
)

roles = Table(
    "roles",
    metadata,
    Column("app_id", AppId, nullable=False),
    Column("role", String(255), nullable=False),
    PrimaryKeyConstraint("app_id", "role"),
    ForeignKeyConstraint(["app_id"], ["apps.app_id"], ondelete="CASCADE"),
)

role_permissions = Table(
    "role_permissions",
    metadata,
    Column("app_id", AppId, nullable=False),
    Column("role", String(255), nullable=False),
    Column("permission", String(255), nullable=False),
    PrimaryKeyConstraint("app_id", "role", "permission"),
    ForeignKeyConstraint(["app_id", "role"], ["roles.app_id", "roles.role"], ondelete="CASCADE"),
    Index("ix_role_permissions_permission", "app_id", "permission"),
)

user_roles = Table(
    "user_roles",
    metadata,
    Column("app_id", AppId, nullable=False),
    Column("tenant_id", TenantId, nullable=False),
    Column("user_id", UserId, nullable=False),
    Column("role", String(255), nullable=False),
    PrimaryKeyConstraint("app_id", "tenant_id", "user_id", "role"),
    ForeignKeyConstraint(["app_id", "role"], ["roles.app_id", "roles.role"], ondelete="CASCADE"),
    ForeignKeyConstraint(["app_id", "tenant_id"], ["tenants.app_id", "tenants.tenant_id"], ondelete="CASCADE"),
    Index("ix_user_roles_role", "app_id", "tenant_id", "role"),
    Index("ix_user_roles_user", "app_id", "user_id"),
)

dashboard_users = Table(
    "dashboard_users",
    metadata,
    Column("app_id", AppId, nullable=False),
    Column("user_id", String(36), nullable=False),
    Column("email", String(256), nullable=False),
    Column("password_hash", String(256), nullable=False),
    Column("time_joined", BigInteger, nullable=False),
    PrimaryKeyConstraint("app_id", "user_id"),
    UniqueConstraint("app_id", "email"),
    ForeignKeyConstraint(["app_id"], ["apps.app_id"], ondelete="CASCADE"),
)

# Only the SHA-256 of a dashboard session id is stored; the id itself lives in the browser alone.
dashboard_sessions = Table(
    "dashboard_sessions",
    metadata,
    Column("app_id", AppId, nullable=False),
    Column("session_hash", String(64), nullable=False),
    Column("user_id", String(36), nullable=False),
    Column("time_created", BigInteger, nullable=False),
    Column("last_active", BigInteger, nullable=False),
    Column("expiry", BigInteger, nullable=False),
    PrimaryKeyConstraint("app_id", "session_hash"),
    ForeignKeyConstraint(
        ["app_id", "user_id"], ["dashboard_users.app_id", "dashboard_users.user_id"], ondelete="CASCADE"
    ),
    Index("ix_dashboard_sessions_user", "app_id", "user_id"),
    Index("ix_dashboard_sessions_expiry", "expiry"),
)

# Wrong dashboard passwords per (app, email): recent failure times and until when sign-in is refused.
# Keyed by the SHA-256 of the email, so emails that are no dashboard user's are never stored in clear.
dashboard_signin_failures = Table(
    "dashboard_signin_failures",
    metadata,
    Column("app_id", AppId, nullable=False),
    Column("email_hash", CHAR(64), nullable=False),
    Column("failures", Text, nullable=False),  # JSON list of failure times (ms) within the window
    Column("locked_until", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    PrimaryKeyConstraint("app_id", "email_hash"),
    ForeignKeyConstraint(["app_id"], ["apps.app_id"], ondelete="CASCADE"),
    Index("ix_dashboard_signin_failures_updated_at", "updated_at"),
)

# Every dashboard write, newest first. SQLite needs INTEGER (not BIGINT) for an auto-incrementing key.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
    Column("app_id", AppId, nullable=False),
    Column("time", BigInteger, nullable=False),
    Column("actor", String(256), nullable=False),  # the dashboard user's email
    Column("actor_ip", String(64), nullable=True),
    Column("action", String(64), nullable=False),
    Column("target_type", String(32), nullable=False),
    Column("target_id", String(255), nullable=True),
    Column("summary", Text, nullable=False),  # JSON object of what changed; never password values
    Column("tenant_id", TenantId, nullable=True),
    ForeignKeyConstraint(["app_id"], ["apps.app_id"], ondelete="CASCADE"),
    # Lists are ordered by (time DESC, id DESC); ascending indexes serve that scanned backwards, on both
    # databases. Each filter has its own index so that a filtered page reads only its own rows.
    Index("ix_audit_log_time", "app_id", "time", "id"),
    Index("ix_audit_log_actor", "app_id", "actor", "time", "id"),
    Index("ix_audit_log_target", "app_id", "target_id", "time", "id"),
    Index("ix_audit_log_action", "app_id", "action", "time", "id"),
    sqlite_autoincrement=True,  # ids are never reused, even after the newest entry is deleted
)

sessions = Table(
    "sessions",
    metadata,
    Column("app_id", AppId, nullable=False),
    Column("tenant_id", TenantId, nullable=False),
    Column("session_handle", String(255), nullable=False),
    Column("user_id", UserId, nullable=False),  # the recipe user id the session was made for
    Column("refresh_token_hash_2", String(64), nullable=False),
    Column("session_data", Text, nullable=False),
    Column("jwt_user_payload", Text, nullable=False),
    Column("use_static_key", Boolean, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    PrimaryKeyConstraint("app_id", "tenant_id", "session_handle"),
    ForeignKeyConstraint(["app_id", "tenant_id"], ["tenants.app_id", "tenants.tenant_id"], ondelete="CASCADE"),
    Index("ix_sessions_user", "app_id", "user_id"),
    Index("ix_sessions_expires_at", "expires_at"),
)

# Dynamic access-token signing keys (kid d-<created_at>), rotated on an interval.
signing_keys = Table(
    "signing_keys",
    metadata,
    Column("app_id", AppId, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("private_key", Text, nullable=False),
    Column("public_key", Text, nullable=False),
    PrimaryKeyConstraint("app_id", "created_at"),
    ForeignKeyConstraint(["app_id"], ["apps.app_id"], ondelete="CASCADE"),
)

# Static signing keys (kid s-<uuid>), one per algorithm, never rotated.
static_signing_keys = Table(
    "static_signing_keys",
    metadata,
    Column("app_id", AppId, nullable=False),
    Column("key_id", String(255), nullable=False),
    Column("algorithm", String(10), nullable=False),
    Column("private_key", Text, nullable=False),
    Column("public_key", Text, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    PrimaryKeyConstraint("app_id", "key_id"),
    UniqueConstraint("app_id", "algorithm"),
    ForeignKeyConstraint(["app_id"], ["apps.app_id"], ondelete="CASCADE"),
)

# Who holds the periodic purge right now, so that several cores do not all purge at once.
job_leases = Table(
    "job_leases",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("holder", String(64), nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    Column("runs", Integer, nullable=False, server_default="0"),
)
