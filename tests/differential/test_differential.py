"""Differential test: one FastAPI app built on authdeck and on supertokens_python 0.31.4, both against the same
authdeck core (on SQLite and on PostgreSQL), must answer every request of the corpus alike.

Compared per step: status, JSON body (and its key order), Set-Cookie names and attributes, and the
content-type, front-token (decoded), st-access-token (decoded), st-refresh-token, anti-csrf and
access-control-expose-headers headers, with ids, tokens and times replaced by placeholders (normalise.py).

Everything that may differ is listed here, in one place, and in docs/compatibility.md ("Backend SDK (FDI)",
checked by a test): DELIBERATE (steps marked ``deliberate`` in the corpus: what each package answers and why),
NORMALISED (what the normaliser hides, and why) and KNOWN_SDK_BUGS (reported bugs, strict xfail).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.differential.corpus import MODE_INDEPENDENT, SCENARIOS
from tests.differential.launch import RunningApp
from tests.differential.normalise import Normaliser
from tests.differential.replay import Frontend, Step

COMPATIBILITY_DOC = Path(__file__).parents[2] / "docs" / "compatibility.md"


class Like:
    """An expected value given by a test instead of literally (equality runs the test)."""

    def __init__(self, what: str, test: Callable[[Any], bool]) -> None:
        self.what, self.test = what, test

    def __eq__(self, other: object) -> bool:
        return self.test(other)

    def __hash__(self) -> int:
        return hash(self.what)

    def __repr__(self) -> str:
        return f"<{self.what}>"


A_NEW_FRONT_TOKEN = Like("one front-token of a live session", lambda v: len(v) == 1 and "uid" in v[0]["value"])
FIELDS_NOT_OPTIONAL = {
    "status": "FIELD_ERROR",
    "formFields": [
        {"id": "password", "error": "Field is not optional"},
        {"id": "email", "error": "Field is not optional"},
    ],
}

Expected = dict[str, Any]  # field -> normalised value: "status", "body", "body.<key>", "headers.<name>"


@dataclass(frozen=True)
class Deliberate:
    reason: str
    authdeck: Expected
    upstream: dict[str, Expected]  # per step label
    doc: str  # how its row in docs/compatibility.md starts


DELIBERATE: dict[str, Deliberate] = {
    "malformed-json": Deliberate(
        reason=(
            "supertokens_python's FastAPI wrapper reads a body that is not JSON as {} and then answers as if no "
            "fields were sent ('Field is not optional', or a missing token); authdeck says what is wrong"
        ),
        authdeck={"status": 400, "body": {"message": "The request body is not valid JSON"}},
        upstream={
            "POST /auth/signup": {"status": 200, "body": FIELDS_NOT_OPTIONAL},
            "POST /auth/signin": {"status": 200, "body": FIELDS_NOT_OPTIONAL},
            "POST /auth/user/password/reset": {"status": 200, "body.status": "FIELD_ERROR"},
            "POST /auth/user/email/verify": {
                "status": 400,
                "body": {"message": "Please provide the email verification token"},
            },
        },
        doc="| A request body that is not JSON is read as `{}`",
    ),
    "non-object-body": Deliberate(
        reason=(
            "supertokens_python crashes (500) on a JSON body that is not an object (it calls body.get); authdeck "
            "never answers 500 to bad input and reads it as an object without fields"
        ),
        authdeck={"status": 200, "body": FIELDS_NOT_OPTIONAL},
        upstream={
            "POST /auth/signup": {"status": 500, "body": "Internal Server Error"},
            "POST /auth/signin": {"status": 500, "body": "Internal Server Error"},
        },
        doc="| A JSON body that is not an object",
    ),
    "oversized-body": Deliberate(
        reason=(
            "supertokens_python reads a body of any size and validates it as a form; authdeck refuses bodies over "
            "1 MiB before parsing them, as its core does, so memory per request stays bounded"
        ),
        authdeck={"status": 400, "body": {"message": "The request body is larger than 1 MiB; send a smaller body"}},
        upstream={"POST /auth/signup": {"status": 200, "body.status": "FIELD_ERROR"}},
        doc="| A request body over 1 MiB",
    ),
    "refresh-with-both-methods": Deliberate(
        reason=(
            "a refresh that finds a refresh token in the other transfer method too must clear that method; "
            "supertokens_python sets the new tokens first and then clears, so its `front-token: remove` "
            "overwrites the new front-token and the frontend drops the session it just got; authdeck clears first"
        ),
        authdeck={
            "headers.front-token": A_NEW_FRONT_TOKEN,
            "headers.access-control-expose-headers": ["front-token,front-token,st-access-token,st-refresh-token"],
        },
        upstream={
            "POST /auth/session/refresh": {
                "headers.front-token": ["remove"],
                "headers.access-control-expose-headers": ["front-token,st-access-token,st-refresh-token,front-token"],
            }
        },
        doc="| A refresh that finds refresh tokens in both transfer methods",
    ),
}


@dataclass(frozen=True)
class Normalised:
    reason: str
    doc: str


# Differences the normaliser (normalise.py) removes before comparing, because no client can tell them apart.
NORMALISED: dict[str, Normalised] = {
    "cookie-rewrites": Normalised(
        reason=(
            "upstream writes Set-Cookie: sAccessToken again for each token update within one request, authdeck "
            "once; a browser keeps only the last line for a name, path and domain, so only that one is compared"
        ),
        doc="| A route that changes the access token several times",
    ),
}

# Scenarios that still differ because of an authdeck SDK bug (reported, not deliberate). strict: once fixed,
# the test fails until the entry is removed.
KNOWN_SDK_BUGS: dict[str, str] = {}


def field(exchange: dict[str, Any], name: str) -> Any:
    root, _, sub = name.partition(".")
    if root == "headers":
        return exchange["headers"].get(sub)
    value = exchange[root]
    return (value.get(sub) if isinstance(value, dict) else None) if sub else value


def without(exchange: dict[str, Any], names: set[str]) -> dict[str, Any]:
    """The exchange without the deliberately different fields (a different body brings its own content-type)."""
    roots = {n.partition(".")[0] if n.startswith("body") else n for n in names}
    if "body" in roots:
        roots |= {"bodyKeyOrder", "headers.content-type"}
    kept = {k: v for k, v in exchange.items() if k not in roots}
    kept["headers"] = {k: v for k, v in exchange["headers"].items() if f"headers.{k}" not in roots}
    return kept


def replay(app: RunningApp, scenario: str, mode: str) -> tuple[list[Step], list[dict[str, Any]]]:
    email = f"{scenario.replace('_', '-')}.{mode}@example.com"
    front = Frontend(app.url, mode, {"email": email})
    try:
        exchanges = front.run(SCENARIOS[scenario])
    finally:
        front.close()
    normaliser = Normaliser(app.url)
    return [e.step for e in exchanges], [normaliser.exchange(e) for e in exchanges]


def cases() -> list[Any]:
    out = []
    for name in SCENARIOS:
        marks = [pytest.mark.xfail(strict=True, reason=KNOWN_SDK_BUGS[name])] if name in KNOWN_SDK_BUGS else []
        for mode in ("cookie",) if name in MODE_INDEPENDENT else ("cookie", "header"):
            out.append(pytest.param(name, mode, marks=marks, id=f"{name}-{mode}"))
    return out


@pytest.mark.parametrize(("scenario", "mode"), cases())
def test_authdeck_answers_like_supertokens_python(apps: dict[str, RunningApp], scenario: str, mode: str) -> None:
    steps, ours = replay(apps["authdeck"], scenario, mode)
    _, theirs = replay(apps["supertokens_python"], scenario, mode)
    mismatched = []
    for index, (step, a, b) in enumerate(zip(steps, ours, theirs, strict=True)):
        if step.deliberate is not None:
            entry = DELIBERATE[step.deliberate]
            for package, exchange, expected in (("authdeck", a, entry.authdeck), ("upstream", b, entry.upstream)):
                if package == "upstream":
                    expected = expected[step.label()]
                seen = {name: field(exchange, name) for name in expected}
                assert seen == expected, f"step {index} ({step.label()}): {package} no longer differs as listed"
            names = set(entry.authdeck) | set(entry.upstream[step.label()])
            a, b = without(a, names), without(b, names)
        if a != b:
            mismatched.append((index, step.label(), a, b))
    if mismatched:
        report = "\n".join(f"step {i} ({label}):\n{diff(a, b)}" for i, label, a, b in mismatched)
        pytest.fail(f"authdeck (-) and supertokens_python (+) differ in {len(mismatched)} step(s):\n{report}")


def diff(ours: dict[str, Any], theirs: dict[str, Any]) -> str:
    lines = [json.dumps(x, indent=1, default=str).splitlines() for x in (ours, theirs)]
    return "\n".join(difflib.unified_diff(*lines, "authdeck", "supertokens_python", lineterm="", n=2))


def test_every_listed_difference_is_used_and_documented() -> None:
    used = {s.deliberate for steps in SCENARIOS.values() for s in steps if isinstance(s, Step) and s.deliberate}
    assert used == set(DELIBERATE)
    assert set(KNOWN_SDK_BUGS) <= set(SCENARIOS)
    doc = COMPATIBILITY_DOC.read_text()
    assert "## Backend SDK (FDI)" in doc
    entries: dict[str, Deliberate | Normalised] = {**DELIBERATE, **NORMALISED}
    for name, entry in entries.items():
        assert entry.doc in doc, f"{name}: docs/compatibility.md has no row starting {entry.doc!r}"


def test_neither_app_tried_to_reach_the_internet(apps: dict[str, RunningApp]) -> None:
    for package, app in apps.items():
        assert httpx.get(app.url + "/test/outbound").json() == [], package
