"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 17:55:20.529249
"""

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('apps',
    sa.Column('app_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.Column('core_config', sa.Text(), server_default='{}', nullable=False),
    sa.PrimaryKeyConstraint('app_id', name=op.f('pk_apps'))
    )
    op.create_table('job_leases',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('holder', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.BigInteger(), nullable=False),
    sa.Column('runs', sa.Integer(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_job_leases'))
    )
    op.create_table('app_users',
    sa.Column('app_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=128), nullable=False),
    sa.Column('recipe_id', sa.String(length=32), nullable=False),
    sa.Column('time_joined', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['app_id'], ['apps.app_id'], name=op.f('fk_app_users_apps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('app_id', 'user_id', name=op.f('pk_app_users'))
    )
    op.create_table('dashboard_users',
    sa.Column('app_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('email', sa.String(length=256), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('time_joined', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['app_id'], ['apps.app_id'], name=op.f('fk_dashboard_users_apps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('app_id', 'user_id', name=op.f('pk_dashboard_users')),
    sa.UniqueConstraint('app_id', 'email', name=op.f('uq_dashboard_users_app_id_email'))
    )
    op.create_table('key_value',
    sa.Column('app_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['app_id'], ['apps.app_id'], name=op.f('fk_key_value_apps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('app_id', 'name', name=op.f('pk_key_value'))
    )
    op.create_table('roles',
    sa.Column('app_id', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['app_id'], ['apps.app_id'], name=op.f('fk_roles_apps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('app_id', 'role', name=op.f('pk_roles'))
    )
    op.create_table('signing_keys',
    sa.Column('app_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.Column('private_key', sa.Text(), nullable=False),
    sa.Column('public_key', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['app_id'], ['apps.app_id'], name=op.f('fk_signing_keys_apps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('app_id', 'created_at', name=op.f('pk_signing_keys'))
    )
    op.create_table('static_signing_keys',
    sa.Column('app_id', sa.String(length=64), nullable=False),
    sa.Column('key_id', sa.String(length=255), nullable=False),
    sa.Column('algorithm', sa.String(length=10), nullable=False),
    sa.Column('private_key', sa.Text(), nullable=False),
    sa.Column('public_key', sa.Text(), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['app_id'], ['apps.app_id'], name=op.f('fk_static_signing_keys_apps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('app_id', 'key_id', name=op.f('pk_static_signing_keys')),
    sa.UniqueConstraint('app_id', 'algorithm', name=op.f('uq_static_signing_keys_app_id_algorithm'))
    )
    op.create_table('tenants',
    sa.Column('app_id', sa.String(length=64), nullable=False),
    sa.Column('tenant_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.Column('config', sa.Text(), server_default='{}', nullable=False),
    sa.ForeignKeyConstraint(['app_id'], ['apps.app_id'], name=op.f('fk_tenants_apps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('app_id', 'tenant_id', name=op.f('pk_tenants'))
    )
    op.create_table('user_counters',
    sa.Column('app_id', sa.String(length=64), nullable=False),
    sa.Column('tenant_id', sa.String(length=64), nullable=False),
    sa.Column('recipe_id', sa.String(length=32), nullable=False),
    sa.Column('count', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['app_id'], ['apps.app_id'], name=op.f('fk_user_counters_apps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('app_id', 'tenant_id', 'recipe_id', name=op.f('pk_user_counters'))
    )
    op.create_table('user_metadata',
    sa.Column('app_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=128), nullable=False),
    sa.Column('metadata', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['app_id'], ['apps.app_id'], name=op.f('fk_user_metadata_apps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('app_id', 'user_id', name=op.f('pk_user_metadata'))
    )
    op.create_table('verified_emails',
    sa.Column('app_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=128), nullable=False),
    sa.Column('email', sa.String(length=256), nullable=False),
    sa.ForeignKeyConstraint(['app_id'], ['apps.app_id'], name=op.f('fk_verified_emails_apps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('app_id', 'user_id', 'email', name=op.f('pk_verified_emails'))
    )
    with op.batch_alter_table('verified_emails', schema=None) as batch_op:
        batch_op.create_index('ix_verified_emails_email', ['app_id', 'email'], unique=False)

    op.create_table('dashboard_sessions',
    sa.Column('app_id', sa.String(length=64), nullable=False),
    sa.Column('session_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('time_created', sa.BigInteger(), nullable=False),
    sa.Column('last_active', sa.BigInteger(), nullable=False),
    sa.Column('expiry', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['app_id', 'user_id'], ['dashboard_users.app_id', 'dashboard_users.user_id'], name=op.f('fk_dashboard_sessions_dashboard_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('app_id', 'session_hash', name=op.f('pk_dashboard_sessions'))
    )
    with op.batch_alter_table('dashboard_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_dashboard_sessions_expiry', ['expiry'], unique=False)
        batch_op.create_index('ix_dashboard_sessions_user', ['app_id', 'user_id'], unique=False)

    op.create_table('email_verification_tokens',
    sa.Column('app_id', sa.String(length=64), nullable=False),
    sa.Column('tenant_id', sa.String(length=64), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=128), nullable=False),
    sa.Column('email', sa.String(length=256), nullable=False),
    sa.Column('token_expiry', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['app_id', 'tenant_id'], ['tenants.app_id', 'tenants.tenant_id'], name=op.f('fk_email_verification_tokens_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('app_id', 'token_hash', name=op.f('pk_email_verification_tokens'))
    )
    with op.batch_alter_table('email_verification_tokens', schema=None) as batch_op:
        batch_op.create_index('ix_email_verification_tokens_expiry', ['token_expiry'], unique=False)
        batch_op.create_index('ix_email_verification_tokens_user', ['app_id', 'tenant_id', 'user_id', 'email'], unique=False)

    op.create_table('emailpassword_users',
    sa.Column('app_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=128), nullable=False),
    sa.Column('email', sa.String(length=256).with_variant(sa.String(length=256, collation='C'), 'postgresql'), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('time_joined', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['app_id', 'user_id'], ['app_users.app_id', 'app_users.user_id'], name=op.f('fk_emailpassword_users_app_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('app_id', 'user_id', name=op.f('pk_emailpassword_users'))
    )
    with op.batch_alter_table('emailpassword_users', schema=None) as batch_op:
        batch_op.create_index('ix_emailpassword_users_email', ['app_id', 'email'], unique=False)

    op.create_table('password_reset_tokens',
    sa.Column('app_id', sa.String(length=64), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=128), nullable=False),
    sa.Column('email', sa.String(length=256), nullable=False),
    sa.Column('token_expiry', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['app_id', 'user_id'], ['app_users.app_id', 'app_users.user_id'], name=op.f('fk_password_reset_tokens_app_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('app_id', 'token_hash', name=op.f('pk_password_reset_tokens'))
    )
    with op.batch_alter_table('password_reset_tokens', schema=None) as batch_op:
        batch_op.create_index('ix_password_reset_tokens_expiry', ['token_expiry'], unique=False)
        batch_op.create_index('ix_password_reset_tokens_user', ['app_id', 'user_id'], unique=False)

    op.create_table('role_permissions',
    sa.Column('app_id', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=255), nullable=False),
    sa.Column('permission', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['app_id', 'role'], ['roles.app_id', 'roles.role'], name=op.f('fk_role_permissions_roles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('app_id', 'role', 'permission', name=op.f('pk_role_permissions'))
    )
    with op.batch_alter_table('role_permissions', schema=None) as batch_op:
        batch_op.create_index('ix_role_permissions_permission', ['app_id', 'permission'], unique=False)

    op.create_table('sessions',
    sa.Column('app_id', sa.String(length=64), nullable=False),
    sa.Column('tenant_id', sa.String(length=64), nullable=False),
    sa.Column('session_handle', sa.String(length=255), nullable=False),
    sa.Column('user_id', sa.String(length=128), nullable=False),
    sa.Column('refresh_token_hash_2', sa.String(length=64), nullable=False),
    sa.Column('session_data', sa.Text(), nullable=False),
    sa.Column('jwt_user_payload', sa.Text(), nullable=False),
    sa.Column('use_static_key', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.Column('expires_at', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['app_id', 'tenant_id'], ['tenants.app_id', 'tenants.tenant_id'], name=op.f('fk_sessions_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('app_id', 'tenant_id', 'session_handle', name=op.f('pk_sessions'))
    )
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.create_index('ix_sessions_expires_at', ['expires_at'], unique=False)
        batch_op.create_index('ix_sessions_user', ['app_id', 'user_id'], unique=False)

    op.create_table('tenant_users',
    sa.Column('app_id', sa.String(length=64), nullable=False),
    sa.Column('tenant_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=128), nullable=False),
    sa.Column('recipe_id', sa.String(length=32), nullable=False),
    sa.Column('time_joined', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['app_id', 'tenant_id'], ['tenants.app_id', 'tenants.tenant_id'], name=op.f('fk_tenant_users_tenants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['app_id', 'user_id'], ['app_users.app_id', 'app_users.user_id'], name=op.f('fk_tenant_users_app_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('app_id', 'tenant_id', 'user_id', name=op.f('pk_tenant_users'))
    )
    with op.batch_alter_table('tenant_users', schema=None) as batch_op:
        batch_op.create_index('ix_tenant_users_page_asc', ['app_id', 'tenant_id', 'time_joined', sa.literal_column('user_id DESC')], unique=False)
        batch_op.create_index('ix_tenant_users_page_desc', ['app_id', 'tenant_id', 'time_joined', 'user_id'], unique=False)
        batch_op.create_index('ix_tenant_users_user', ['app_id', 'user_id'], unique=False)

    op.create_table('user_roles',
    sa.Column('app_id', sa.String(length=64), nullable=False),
    sa.Column('tenant_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=128), nullable=False),
    sa.Column('role', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['app_id', 'role'], ['roles.app_id', 'roles.role'], name=op.f('fk_user_roles_roles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['app_id', 'tenant_id'], ['tenants.app_id', 'tenants.tenant_id'], name=op.f('fk_user_roles_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('app_id', 'tenant_id', 'user_id', 'role', name=op.f('pk_user_roles'))
    )
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.create_index('ix_user_roles_role', ['app_id', 'tenant_id', 'role'], unique=False)
        batch_op.create_index('ix_user_roles_user', ['app_id', 'user_id'], unique=False)

    op.create_table('emailpassword_user_to_tenant',
    sa.Column('app_id', sa.String(length=64), nullable=False),
    sa.Column('tenant_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=128), nullable=False),
    sa.Column('email', sa.String(length=256).with_variant(sa.String(length=256, collation='C'), 'postgresql'), nullable=False),
    sa.Column('email_domain', sa.String(length=256).with_variant(sa.String(length=256, collation='C'), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['app_id', 'tenant_id', 'user_id'], ['tenant_users.app_id', 'tenant_users.tenant_id', 'tenant_users.user_id'], name=op.f('fk_emailpassword_user_to_tenant_tenant_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('app_id', 'tenant_id', 'user_id', name=op.f('pk_emailpassword_user_to_tenant')),
    sa.UniqueConstraint('app_id', 'tenant_id', 'email', name=op.f('uq_emailpassword_user_to_tenant_app_id_tenant_id_email'))
    )
    with op.batch_alter_table('emailpassword_user_to_tenant', schema=None) as batch_op:
        batch_op.create_index('ix_emailpassword_user_to_tenant_domain', ['app_id', 'tenant_id', 'email_domain'], unique=False)

