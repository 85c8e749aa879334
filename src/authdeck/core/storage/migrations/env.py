"""Alembic environment: always run with a connection handed in by ``authdeck.core.storage.migrate``."""

from alembic import context

from authdeck.core.storage.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable when alembic is invoked by hand
    raise RuntimeError("run migrations with `authdeck migrate`, which passes the database connection")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
