"""Callback verification from Python: the receiver accepts a correctly signed callback once and
rejects tampering, wrong keys, stale timestamps and replays with the core's codes."""

import base64
import hashlib
import hmac
import json

import pytest

import kyc

SECRET = "fixture-only-secret-key-0123456789abcdef"
NOW = 1_795_856_400  # 2026-11-28T09:00:00Z


def notification():
    return {
        "schema_version": 1,
        "idempotency_key": "ntf_1",
        "kind": "status",
        "scenario_id": "passport-selfie",
        "session_id": "s1",
        "seq": 3,
        "at": "2026-11-28T09:00:00Z",
        "status": "approved",
        "reason_code": "decision.all_steps_passed",
        "is_final": True,
    }


def webhook_key(secret: str) -> bytes:
    """The scenario secret's webhook subkey: HKDF-SHA256 (salt "kyc-core", one 32-byte block)."""
    prk = hmac.new(b"kyc-core", secret.encode(), hashlib.sha256).digest()
    return hmac.new(prk, b"kyc webhook hmac-sha256 v1\x01", hashlib.sha256).digest()


def signed(body: bytes, msg_id="msg_1", ts=NOW, secret=SECRET, raw_secret=False):
    # Standard Webhooks: HMAC-SHA256 over "id.timestamp.body", base64, "v1," prefix, keyed with
    # the webhook subkey (never the scenario secret itself).
    key = secret.encode() if raw_secret else webhook_key(secret)
    tag = hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(ts),
        "webhook-signature": "v1," + base64.b64encode(tag).decode(),
    }


def test_a_signed_callback_verifies_once():
    body = json.dumps(notification()).encode()
    receiver = kyc.CallbackReceiver(SECRET)
    got = receiver.verify(signed(body), body, now=NOW + 10)
    assert got["status"] == "approved" and got["session_id"] == "s1"
    with pytest.raises(kyc.KycError) as info:
        receiver.verify(signed(body), body, now=NOW + 11)
    assert info.value.code == "callback.replayed"


@pytest.mark.parametrize(
    "mutate, code",
    [
        (lambda h, b: (h, b.replace(b"approved", b"declined")), "callback.signature_mismatch"),
        (lambda h, b: (signed(b, secret="another-secret-key-0123456789abcdefgh"), b), "callback.signature_mismatch"),
        (lambda h, b: (signed(b, ts=NOW - 301), b), "callback.timestamp_out_of_tolerance"),
        (lambda h, b: ({k: v for k, v in h.items() if k != "webhook-signature"}, b), "callback.missing_header"),
    ],
)
def test_tampering_is_rejected_with_codes(mutate, code):
    body = json.dumps(notification()).encode()
    headers, body = mutate(signed(body), body)
    with pytest.raises(kyc.KycError) as info:
        kyc.CallbackReceiver(SECRET).verify(headers, body, now=NOW)
    assert info.value.code == code


def test_a_callback_signed_with_the_raw_secret_is_refused():
    body = json.dumps(notification()).encode()
    receiver = kyc.CallbackReceiver(SECRET)
    with pytest.raises(kyc.KycError) as info:
        receiver.verify(signed(body, raw_secret=True), body, now=NOW + 10)
    assert info.value.code == "callback.signature_mismatch"


NEW_SECRET = "fixture-only-new-secret-fedcba9876543210"


def test_a_rotation_receiver_verifies_with_a_list_of_secrets():
    body = json.dumps(notification()).encode()
    # Signed with the new secret and the retiring one, as a scenario in rotation sends.
    both = signed(body, msg_id="msg_2", secret=NEW_SECRET)
    both["webhook-signature"] += " " + signed(body, msg_id="msg_2", secret=SECRET)["webhook-signature"]
    assert kyc.CallbackReceiver(SECRET).verify(both, body, now=NOW)["session_id"] == "s1"
    assert kyc.CallbackReceiver([NEW_SECRET, SECRET]).verify(both, body, now=NOW)["seq"] == 3
    # Signed with the new secret only: a receiver on the old one refuses, one with the list accepts.
    only_new = signed(body, msg_id="msg_3", secret=NEW_SECRET)
    with pytest.raises(kyc.KycError) as info:
        kyc.CallbackReceiver(SECRET).verify(only_new, body, now=NOW)
    assert info.value.code == "callback.signature_mismatch"
    assert kyc.CallbackReceiver([SECRET, NEW_SECRET]).verify(only_new, body, now=NOW)["seq"] == 3


def test_receiver_options_are_checked():
    body = json.dumps(notification()).encode()
    strict = kyc.CallbackReceiver(SECRET, tolerance_seconds=5)
    with pytest.raises(kyc.KycError) as info:
        strict.verify(signed(body), body, now=NOW + 10)
    assert info.value.code == "callback.timestamp_out_of_tolerance"
    assert kyc.CallbackReceiver(SECRET, tolerance_seconds=30).verify(signed(body), body, now=NOW + 10)
    for bad in ([], [SECRET] * 5):
        with pytest.raises(kyc.KycError) as info:
            kyc.CallbackReceiver(bad)
        assert info.value.code == "callback.secrets"
    with pytest.raises(kyc.KycError) as info:
        kyc.CallbackReceiver(SECRET, tolerance_seconds=0)
    assert info.value.code == "callback.bad_tolerance"
    with pytest.raises(TypeError):
        kyc.CallbackReceiver(42)
