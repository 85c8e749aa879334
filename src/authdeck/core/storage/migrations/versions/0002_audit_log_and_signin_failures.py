"""audit log and sign-in failures

Adds the dashboard's audit log, and a table for the dashboard sign-in lockout, whose counters lived in
key_value rows named "dashboard-signin-failures:<sha256(email)>" until now; those rows are moved over.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 18:43:46.472998
"""

import json

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('app_id', sa.String(length=64), nullable=False),
    sa.Column('time', sa.BigInteger(), nullable=False),
    sa.Column('actor', sa.String(length=256), nullable=False),
    sa.Column('actor_ip', sa.String(length=64), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('target_type', sa.String(length=32), nullable=False),
    sa.Column('target_id', sa.String(length=255), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('tenant_id', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['app_id'], ['apps.app_id'], name=op.f('fk_audit_log_apps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_action', ['app_id', 'action', 'time', 'id'], unique=False)
        batch_op.create_index('ix_audit_log_actor', ['app_id', 'actor', 'time', 'id'], unique=False)
        batch_op.create_index('ix_audit_log_target', ['app_id', 'target_id', 'time', 'id'], unique=False)
        batch_op.create_index('ix_audit_log_time', ['app_id', 'time', 'id'], unique=False)

    op.create_table('dashboard_signin_failures',
    sa.Column('app_id', sa.String(length=64), nullable=False),
    sa.Column('email_hash', sa.CHAR(length=64), nullable=False),
    sa.Column('failures', sa.Text(), nullable=False),
    sa.Column('locked_until', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['app_id'], ['apps.app_id'], name=op.f('fk_dashboard_signin_failures_apps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('app_id', 'email_hash', name=op.f('pk_dashboard_signin_failures'))
    )
    with op.batch_alter_table('dashboard_signin_failures', schema=None) as batch_op:
        batch_op.create_index('ix_dashboard_signin_failures_updated_at', ['updated_at'], unique=False)

    _move_failure_counters()


def _move_failure_counters() -> None:
    prefix = "dashboard-signin-failures:"
    key_value = sa.table(
        "key_value", sa.column("app_id"), sa.column("name"), sa.column("value"), sa.column("created_at")
    )
    failures = sa.table(
        "dashboard_signin_failures",
        sa.column("app_id"),
        sa.column("email_hash"),
        sa.column("failures"),
        sa.column("locked_until"),
        sa.column("updated_at"),
    )
    old = key_value.c.name.startswith(prefix)
    conn = op.get_bind()
    rows = []
    for app_id, name, value, written_at in conn.execute(
        sa.select(key_value.c.app_id, key_value.c.name, key_value.c.value, key_value.c.created_at).where(old)
    ):
        email_hash = name[len(prefix) :]
        if len(email_hash) != 64:
            continue
        try:
            data = json.loads(value)
            times = [int(t) for t in data.get("failures", [])]
            locked_until = int(data.get("lockedUntil", 0))
        except (ValueError, TypeError, AttributeError):
            continue  # unreadable counters never locked anyone out; they are dropped with the rest
        rows.append(
            {
                "app_id": app_id,
                "email_hash": email_hash,
                "failures": json.dumps(times),
                "locked_until": locked_until,
                "updated_at": written_at,
            }
        )
    if rows:
        conn.execute(sa.insert(failures), rows)
    conn.execute(sa.delete(key_value).where(old))
