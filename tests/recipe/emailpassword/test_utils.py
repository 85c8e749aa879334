"""Default validators (fdi.md §4.1) and configuration checks made when emailpassword.init() is called."""

from __future__ import annotations

from typing import Any

import pytest

from authdeck.exceptions import ConfigError
from authdeck.ingredients.emaildelivery.types import EmailDeliveryConfig
from authdeck.recipe import emailpassword
from authdeck.recipe.emailpassword import InputFormField, InputOverrideConfig, InputSignUpFeature
from authdeck.recipe.emailpassword.utils import (
    default_email_validator,
    default_password_validator,
    validate_and_normalise_user_input,
)

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.parametrize(
    "email",
    ["a@b.co", "A+tag@Sub.Example.COM", "a@x-y.com", "a@[1.2.3.4]", '"a b"@x.com', "ü@x.com", "first.last@ex.io"],
)
async def test_default_email_validator_accepts(email: str) -> None:
    assert await default_email_validator(email, "public") is None


@pytest.mark.parametrize(
    "email",
    ["a@localhost", "a@b.c", "a@ü.com", "a@b_c.com", "a..b@x.com", ".a@x.com", "a b@x.com", "", "@x.com", 5, None],
)
async def test_default_email_validator_rejects(email: Any) -> None:
    assert await default_email_validator(email, "public") == "Email is not valid"


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("abcd1234", None),
        ("a1" * 49 + "b", None),  # 99 code points
        ("abc1234", "Password must contain at least 8 characters, including a number"),
        ("ab12" * 25, "Password's length must be lesser than 100 characters"),
        ("1234567890", "Password must contain at least one alphabet"),
        ("ÄÖÜäöü12", "Password must contain at least one alphabet"),
        ("abcdefgh", "Password must contain at least one number"),
        ("äbc1😀😀😀😀", None),  # 8 code points: lengths count code points, not bytes
    ],
)
async def test_default_password_validator(password: str, expected: str | None) -> None:
    assert await default_password_validator(password, "public") == expected


def test_default_form_field_order_is_password_then_email() -> None:
    config = validate_and_normalise_user_input(None, None, None)
    assert [f.id for f in config.sign_up_feature.form_fields] == ["password", "email"]
    assert [f.id for f in config.sign_in_feature.form_fields] == ["password", "email"]
    reset = config.reset_password_using_token_feature
    assert [f.id for f in reset.form_fields_for_password_reset_form] == ["password"]
    assert [f.id for f in reset.form_fields_for_generate_token_form] == ["email"]


def test_configured_fields_keep_their_order_and_email_password_are_never_optional() -> None:
    feature = InputSignUpFeature(
        form_fields=[
            InputFormField("name"),
            InputFormField("email", optional=True),
            InputFormField("age", optional=True),
        ]
    )
    fields = validate_and_normalise_user_input(feature, None, None).sign_up_feature.form_fields
    assert [(f.id, f.optional) for f in fields] == [
        ("name", False),
        ("email", False),
        ("age", True),
        ("password", False),
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sign_up_feature": InputSignUpFeature(form_fields=[InputFormField("a"), InputFormField("a")])}, "twice"),
        ({"sign_up_feature": InputSignUpFeature(form_fields=[InputFormField("")])}, "non-empty string id"),
        ({"sign_up_feature": InputSignUpFeature(form_fields=["email"])}, "InputFormField"),  # type: ignore[list-item]
        ({"sign_up_feature": InputSignUpFeature(form_fields=[InputFormField("a", validate=3)])}, "validate must be"),  # type: ignore[arg-type]
        ({"sign_up_feature": {"form_fields": []}}, "InputSignUpFeature"),
        ({"override": {"apis": None}}, "InputOverrideConfig"),
        ({"email_delivery": object()}, "EmailDeliveryConfig"),
    ],
)
def test_bad_configuration_is_refused_when_init_is_called(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        emailpassword.init(**kwargs)


def test_email_delivery_service_must_implement_the_interface() -> None:
    with pytest.raises(ConfigError, match="EmailDeliveryInterface"):
        EmailDeliveryConfig(service=object())  # type: ignore[arg-type]


def test_override_config_accepts_none_for_both() -> None:
    assert emailpassword.init(override=InputOverrideConfig()) is not None
