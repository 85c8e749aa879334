"""The ``authdeck`` command: run the core, migrate its database, and operator tasks.

Each sub-command is a thin layer over a library function; errors print what to fix and exit non-zero.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import click

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
    keys = "with an API key" if settings.api_keys else "with no API key (loopback only)"
    click.echo(f"authdeck core on http://{settings.host}:{settings.port} {keys}, database {_safe_url(settings)}")
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=settings.log_level, access_log=False)


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


def _safe_url(settings: CoreSettings) -> str:
    from sqlalchemy.engine import make_url

    return make_url(settings.database).render_as_string(hide_password=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
