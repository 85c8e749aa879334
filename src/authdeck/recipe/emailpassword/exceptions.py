"""Errors of the emailpassword recipe: FieldError is answered as 200 ``{"status": "FIELD_ERROR", ...}``."""

from __future__ import annotations

from typing import NoReturn

from authdeck.exceptions import AuthdeckError
from authdeck.recipe.emailpassword.types import ErrorFormField


class SuperTokensEmailPasswordError(AuthdeckError):
    """Root of the errors this recipe answers itself."""


class FieldError(SuperTokensEmailPasswordError):
    """One or more form fields are invalid; each entry says which field and why."""

    def __init__(self, msg: str, form_fields: list[ErrorFormField]) -> None:
        super().__init__(msg)
        self.form_fields = form_fields

    def get_json_form_fields(self) -> list[dict[str, str]]:
        return [{"id": f.id, "error": f.error} for f in self.form_fields]


def raise_form_field_exception(msg: str, form_fields: list[ErrorFormField]) -> NoReturn:
    raise FieldError(msg, form_fields)
