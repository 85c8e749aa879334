"""docs/configuration.md names every setting the core accepts, so the docs cannot drift from the code."""

from __future__ import annotations

from pathlib import Path

from authdeck.core.config import AppSettings, CoreSettings

DOC = (Path(__file__).parent.parent / "docs" / "configuration.md").read_text()


def test_every_setting_is_documented_with_its_environment_variable() -> None:
    names = [n for n in CoreSettings.model_fields if n != "app"] + list(AppSettings.model_fields)
    missing = [n for n in names if f"`{n}`" not in DOC or f"`AUTHDECK_{n.upper()}`" not in DOC]
    assert missing == []
