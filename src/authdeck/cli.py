"""The ``authdeck`` command: run the core, migrate its database, and operator tasks.

Each sub-command is a thin layer over a library function; errors print what to fix and exit non-zero.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
from sqlalchemy import Engine

from authdeck.core.config import CoreSettings, load_settings
from authdeck.core.errors import ConfigError


def _settings(ctx: click.Context, **flags: Any) -> CoreSettings:
    config_file = flags.pop("config", None)
    try:
        return load_settings(config_file=config_file, overrides=flags)
    except ConfigError as exc:
        ctx.fail(str(exc))
        raise  # unreachable: ctx.fail raises


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """authdeck: self-hosted authentication with a user management dashboard."""


@main.command("core")
@click.option("--config", type=click.Path(dir_okay=False), help="YAML file of settings.")
@click.option("--host", help="Address to bind [default: 127.0.0.1].")
@click.option("--port", type=int, help="Port to listen on [default: 3567].")
@click.option("--database", help="SQLAlchemy URL [default: sqlite:///./authdeck.db].")
@click.option("--api-keys", help="Comma-separated API keys; requests must carry one.")
@click.option("--allow-no-api-key", is_flag=True, default=None, help="Allow a non-loopback bind with no API key.")
@click.option("--log-level", type=click.Choice(["debug", "info", "warning", "error"]), help="[default: info]")
@click.option("--access-log", is_flag=True, default=None, help="Log one line per request.")
@click.pass_context
def core(ctx: click.Context, /, **flags: Any) -> None:
    """Run the authdeck core (CDI 5.4) under uvicorn."""
    import uvicorn

    from authdeck.core.app import create_app

    settings = _settings(ctx, **flags)
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        app = create_app(settings)
    except ConfigError as exc:
        ctx.fail(str(exc))
    # The core logs its own startup line (address, database, keys counted, never shown) once migrations are done.
    uvicorn.run(
        app, host=settings.host, port=settings.port, log_level=settings.log_level, access_log=settings.access_log
    )


@main.command("migrate")
@click.option("--config", type=click.Path(dir_okay=False), help="YAML file of settings.")
@click.option("--database", help="SQLAlchemy URL [default: sqlite:///./authdeck.db].")
@click.pass_context
def migrate_cmd(ctx: click.Context, /, **flags: Any) -> None:
    """Apply pending database migrations, then exit."""
    from authdeck.core.storage import migrate
    from authdeck.core.storage.engine import make_engine

    settings = _settings(ctx, **flags)
    try:
        engine = make_engine(settings.database)
    except ConfigError as exc:
        ctx.fail(str(exc))
    todo = migrate.pending(engine)
    migrate.upgrade(engine)
    click.echo(f"applied {len(todo)} migration(s): {', '.join(todo)}" if todo else "database is up to date")


@main.group("users")
def users_group() -> None:
    """Import and export email-password users (straight to the database; the core may keep running)."""


@contextmanager
def _engine_for(ctx: click.Context, database: str | None, config: str | None) -> Iterator[tuple[Engine, CoreSettings]]:
    """A migrated engine for the configured database, disposed afterwards (also when the command fails)."""
    from authdeck.core.storage import migrate
    from authdeck.core.storage.engine import make_engine

    settings = _settings(ctx, database=database, config=config)
    try:
        engine = make_engine(settings.database)
    except ConfigError as exc:
        ctx.fail(str(exc))
    try:
        migrate.upgrade(engine)
        yield engine, settings
    finally:
        engine.dispose()


@users_group.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--database", help="SQLAlchemy URL [default: sqlite:///./authdeck.db].")
@click.option("--config", type=click.Path(dir_okay=False), help="YAML file of settings.")
@click.option("--app", "app_id", default="public", show_default=True, help="App to import into.")
@click.option("--tenant", "tenant_id", default="public", show_default=True, help="Tenant to import into.")
@click.option("--batch-size", default=5000, show_default=True, type=click.IntRange(1, 100_000))
@click.pass_context
def users_import(
    ctx: click.Context,
    /,
    file: Any,
    database: str | None,
    config: str | None,
    app_id: str,
    tenant_id: str,
    batch_size: int,
) -> None:
    """Import users from FILE (JSON Lines; '-' for stdin).

    Each line: {"email": "...", "passwordHash": "$2a$..."} (bcrypt or Argon2), or {"email", "password"} to
    hash on import; optional "timeJoined" (ms) and "userId". Each batch is one transaction.
    """
    with _engine_for(ctx, database, config) as (engine, settings):
        _import(ctx, file, engine, settings, app_id, tenant_id, batch_size)


def _import(
    ctx: click.Context, file: Any, engine: Engine, settings: CoreSettings, app_id: str, tenant_id: str, batch_size: int
) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from authdeck.core import bulk
    from authdeck.core.crypto.passwords import PasswordHashing

    total = None
    if file.seekable():
        total = sum(1 for line in file if line.strip())
        file.seek(0)
    hashing = PasswordHashing(bcrypt_rounds=settings.bcrypt_log_rounds)
    columns = (TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task("import", total=total)
        try:
            report = bulk.import_users(
                engine,
                bulk.read_lines(file, hashing),
                app_id=app_id,
                tenant_id=tenant_id,
                batch_size=batch_size,
                progress=lambda n: bar.advance(task, n),
            )
        except bulk.ImportFileError as exc:
            ctx.fail(str(exc))
    rate = report.imported / report.seconds if report.seconds else 0
    click.echo(f"imported {report.imported} users in {report.seconds:.1f}s ({rate:,.0f}/s)")


@users_group.command("export")
@click.option("--database", help="SQLAlchemy URL [default: sqlite:///./authdeck.db].")
@click.option("--config", type=click.Path(dir_okay=False), help="YAML file of settings.")
@click.option("--app", "app_id", default="public", show_default=True, help="App to export.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="File [default: stdout].")
@click.pass_context
def users_export(ctx: click.Context, /, database: str | None, config: str | None, app_id: str, output: Any) -> None:
    """Export email-password users as JSON Lines that `authdeck users import` reads back."""
    import json

    from authdeck.core import bulk

    with _engine_for(ctx, database, config) as (engine, _settings_):
        try:
            for record in bulk.export_users(engine, app_id=app_id):
                output.write(json.dumps(record) + "\n")
        except bulk.ImportFileError as exc:
            ctx.fail(str(exc))


from authdeck._cli_dashboard_users import dashboard_users  # noqa: E402

main.add_command(dashboard_users)

from authdeck._demo import demo  # noqa: E402

main.add_command(demo)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
