"""User metadata endpoints: shallow merge with null deletion, remove, bulk get, bad input, concurrency."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests._harness.core_process import CoreClient, CoreProcess

PATH = "/recipe/user/metadata"


def metadata_of(client: CoreClient, user_id: str) -> dict[str, Any]:
    body = client.ok("GET", PATH, params={"userId": user_id})
    assert set(body) == {"status", "metadata"}
    value: dict[str, Any] = body["metadata"]
    return value


def put(client: CoreClient, user_id: str, update: dict[str, Any]) -> dict[str, Any]:
    value: dict[str, Any] = client.ok("PUT", PATH, json={"userId": user_id, "metadataUpdate": update})["metadata"]
    return value


def assert_400(reply: httpx.Response, text: str) -> None:
    assert reply.status_code == 400, reply.text
    assert reply.text == text


def test_metadata_of_user_without_any_is_an_empty_object(app_client: CoreClient) -> None:
    assert metadata_of(app_client, "nobody") == {}


def test_put_merges_top_level_keys_and_null_deletes_a_key(app_client: CoreClient) -> None:
    first = put(app_client, "u1", {"theme": "dark", "plan": "free", "prefs": {"a": 1, "b": 2}})
    assert first == {"theme": "dark", "plan": "free", "prefs": {"a": 1, "b": 2}}

    merged = put(app_client, "u1", {"plan": None, "prefs": {"c": 3}, "nested": {"x": None}, "n": 0})

    # Nested objects are replaced wholesale, and nulls inside them are kept as values.
    expected = {"theme": "dark", "prefs": {"c": 3}, "nested": {"x": None}, "n": 0}
    assert merged == expected
    assert metadata_of(app_client, "u1") == expected


def test_put_with_empty_update_changes_nothing_and_returns_current(app_client: CoreClient) -> None:
    put(app_client, "u1", {"k": [1, "two", {"three": 3.5}], "flag": False})
    assert put(app_client, "u1", {}) == {"k": [1, "two", {"three": 3.5}], "flag": False}


def test_deleting_an_absent_key_is_harmless(app_client: CoreClient) -> None:
    assert put(app_client, "u1", {"gone": None}) == {}
    assert metadata_of(app_client, "u1") == {}


def test_metadata_keeps_unicode_as_is(app_client: CoreClient) -> None:
    put(app_client, "u1", {"name": "Zoë 😀", "日本": "語"})
    assert metadata_of(app_client, "u1") == {"name": "Zoë 😀", "日本": "語"}


def test_user_ids_are_taken_verbatim(app_client: CoreClient) -> None:
    put(app_client, " u1 ", {"a": 1})
    assert metadata_of(app_client, "u1") == {}
    assert metadata_of(app_client, " u1 ") == {"a": 1}


def test_remove_forgets_all_metadata_and_is_idempotent(app_client: CoreClient) -> None:
    put(app_client, "u1", {"a": 1})
    put(app_client, "u2", {"b": 2})

    assert app_client.ok("POST", PATH + "/remove", json={"userId": "u1"}) == {"status": "OK"}
    app_client.ok("POST", PATH + "/remove", json={"userId": "u1"})

    assert metadata_of(app_client, "u1") == {}
    assert metadata_of(app_client, "u2") == {"b": 2}
    assert put(app_client, "u1", {"c": 3}) == {"c": 3}


def test_metadata_of_one_app_is_invisible_to_another(core: CoreProcess, app_client: CoreClient) -> None:
    put(app_client, "u1", {"a": 1})
    with core.new_app() as other:
        assert metadata_of(other, "u1") == {}


def test_bulk_answers_in_request_order_with_null_for_users_without_metadata(app_client: CoreClient) -> None:
    put(app_client, "user-z", {"order": "first"})
    put(app_client, "user-a", {"order": "second"})

    body = app_client.ok("POST", PATH + "/bulk", json={"userIds": ["user-z", "missing", "user-a", "user-z"]})

    assert body["users"] == [
        {"userId": "user-z", "metadata": {"order": "first"}},
        {"userId": "missing", "metadata": None},
        {"userId": "user-a", "metadata": {"order": "second"}},
        {"userId": "user-z", "metadata": {"order": "first"}},
    ]


def test_bulk_with_no_user_ids_answers_no_users(app_client: CoreClient) -> None:
    assert app_client.ok("POST", PATH + "/bulk", json={"userIds": []}) == {"status": "OK", "users": []}


def test_bulk_accepts_500_user_ids_and_refuses_501(app_client: CoreClient) -> None:
    put(app_client, "user-499", {"last": True})
    ids = [f"user-{i}" for i in range(500)]

    users = app_client.ok("POST", PATH + "/bulk", json={"userIds": ids})["users"]
    assert [u["userId"] for u in users] == ids
    assert users[499]["metadata"] == {"last": True}

    reply = app_client.post(PATH + "/bulk", json={"userIds": [*ids, "one-more"]})
    assert_400(reply, "Field name 'userIds' can hold at most 500 user ids; split the request")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"userIds": "u1"}, "Field name 'userIds' is invalid in JSON input"),
        ({"userIds": ["u1", 2]}, "Field name 'userIds' is invalid in JSON input"),
        ({"userIds": None}, "Field name 'userIds' is invalid in JSON input"),
        ({"userIds": ["u1", "\u0000"]}, "Field name 'userIds' is invalid in JSON input"),
        ({}, "Field name 'userIds' is invalid in JSON input"),
    ],
)
def test_bulk_with_bad_user_ids_is_400(app_client: CoreClient, body: dict[str, Any], message: str) -> None:
    assert_400(app_client.post(PATH + "/bulk", json=body), message)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"userId": "u1", "metadataUpdate": ["a"]}, "Field name 'metadataUpdate' is invalid in JSON input"),
        ({"userId": "u1", "metadataUpdate": "a"}, "Field name 'metadataUpdate' is invalid in JSON input"),
        ({"userId": "u1", "metadataUpdate": None}, "Field name 'metadataUpdate' is invalid in JSON input"),
        ({"userId": "u1"}, "Field name 'metadataUpdate' is invalid in JSON input"),
        ({"userId": 1, "metadataUpdate": {"a": 2}}, "Field name 'userId' is invalid in JSON input"),
        ({"userId": None, "metadataUpdate": {"a": 2}}, "Field name 'userId' is invalid in JSON input"),
        ({"userId": "", "metadataUpdate": {"a": 2}}, "Field name 'userId' cannot be an empty String"),
        ({"metadataUpdate": {"a": 2}}, "Field name 'userId' is invalid in JSON input"),
        ({"userId": "u" * 129, "metadataUpdate": {"a": 2}}, "Field name 'userId' is too long: at most 128 characters"),
        ({"userId": "u\u0000", "metadataUpdate": {"a": 2}}, "Field name 'userId' is invalid in JSON input"),
    ],
)
def test_put_with_bad_input_is_400_and_changes_nothing(
    app_client: CoreClient, body: dict[str, Any], message: str
) -> None:
    put(app_client, "u1", {"a": 1})

    assert_400(app_client.put(PATH, json=body), message)

    assert metadata_of(app_client, "u1") == {"a": 1}
    assert app_client.ok("POST", PATH + "/bulk", json={"userIds": [""]})["users"] == [{"userId": "", "metadata": None}]


@pytest.mark.parametrize("raw", [b'{"\\ud800": 1}', b'{"a": ["\\udfff"]}', b'{"a": {"b": "x\\ud83d"}}'])
def test_put_with_unpaired_surrogates_in_metadata_is_400_and_changes_nothing(
    app_client: CoreClient, raw: bytes
) -> None:
    put(app_client, "u1", {"a": 1})
    body = b'{"userId": "u1", "metadataUpdate": ' + raw + b"}"

    reply = app_client.put(PATH, content=body, headers={"content-type": "application/json"})

    assert_400(reply, "Field name 'metadataUpdate' cannot contain unpaired UTF-16 surrogates")
    assert metadata_of(app_client, "u1") == {"a": 1}


def test_paired_surrogates_in_metadata_are_one_character(app_client: CoreClient) -> None:
    body = b'{"userId": "u1", "metadataUpdate": {"e": "\\ud83d\\ude00"}}'
    reply = app_client.put(PATH, content=body, headers={"content-type": "application/json"})
    assert reply.json()["metadata"] == {"e": "\U0001f600"}


def test_malformed_json_is_400_and_changes_nothing(app_client: CoreClient) -> None:
    put(app_client, "u1", {"a": 1})
    headers = {"content-type": "application/json"}

    assert_400(
        app_client.put(PATH, content=b'{"userId": "u1", "metadataUpdate": {"a": ', headers=headers),
        "Invalid Json Input",
    )
    assert_400(app_client.post(PATH + "/remove", content=b"{userId: u1}", headers=headers), "Invalid Json Input")

    assert metadata_of(app_client, "u1") == {"a": 1}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"userId": 7}, "Field name 'userId' is invalid in JSON input"),
        ({"userId": None}, "Field name 'userId' is invalid in JSON input"),
        ({"userId": ""}, "Field name 'userId' cannot be an empty String"),
        ({}, "Field name 'userId' is invalid in JSON input"),
    ],
)
def test_remove_with_bad_input_is_400_and_changes_nothing(
    app_client: CoreClient, body: dict[str, Any], message: str
) -> None:
    put(app_client, "u1", {"a": 1})
    assert_400(app_client.post(PATH + "/remove", json=body), message)
    assert metadata_of(app_client, "u1") == {"a": 1}


def test_get_without_user_id_is_400(app_client: CoreClient) -> None:
    assert_400(app_client.get(PATH), "Field name 'userId' is missing in GET request")
    assert_400(app_client.get(PATH, params={"userId": ""}), "Field name 'userId' cannot be an empty String")
    assert_400(app_client.get(PATH, params={"userId": "a\u0000"}), "Field name 'userId' is invalid in GET request")


def test_nul_characters_inside_metadata_are_kept(app_client: CoreClient) -> None:
    # Only user ids meet the database as text; metadata is stored as JSON, where NUL is escaped.
    assert put(app_client, "u1", {"k\u0000": "v\u0000"}) == {"k\u0000": "v\u0000"}
    assert metadata_of(app_client, "u1") == {"k\u0000": "v\u0000"}


def test_metadata_routes_refuse_a_non_public_tenant(app_client: CoreClient) -> None:
    app_client.ok("PUT", "/recipe/multitenancy/tenant/v2", json={"tenantId": "t1"})

    replies = [
        app_client.get("/t1" + PATH, params={"userId": "u1"}),
        app_client.put("/t1" + PATH, json={"userId": "u1", "metadataUpdate": {"a": 1}}),
        app_client.post("/t1" + PATH + "/remove", json={"userId": "u1"}),
        app_client.post("/t1" + PATH + "/bulk", json={"userIds": ["u1"]}),
    ]

    for reply in replies:
        assert reply.status_code == 403
        assert reply.text == "Only public tenantId can call this app specific API"
    assert metadata_of(app_client, "u1") == {}


def test_concurrent_updates_of_different_keys_all_survive(core: CoreProcess, app_client: CoreClient) -> None:
    # No row exists at first, so this also races the first inserts against each other.
    workers = 20
    barrier = threading.Barrier(workers)

    def update(i: int) -> None:
        with core.client(app_client.app_id) as client:
            barrier.wait()
            put(client, "shared", {f"key{i}": i})

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(update, range(workers)))

    assert metadata_of(app_client, "shared") == {f"key{i}": i for i in range(workers)}

    # And again with the row present: updates must queue on its lock, not overwrite each other.
    barrier.reset()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda i: update(i + workers), range(workers)))

    assert metadata_of(app_client, "shared") == {f"key{i}": i for i in range(2 * workers)}
