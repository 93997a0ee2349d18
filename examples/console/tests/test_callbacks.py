"""Callbacks from the console, delivered to a local receiver that verifies each with the Python
binding's CallbackReceiver (signature, timestamp, replay; the encrypted body decrypted). The
receiver fails its first two requests; the console retries on the engine's schedule and the
third attempt is accepted; every attempt is recorded and shown on the Callbacks page.

Run with KYC_CONSOLE_BIN naming the built kyc-console (scripts/test.sh does), in the environment
where `maturin develop` installed the `kyc` module.
"""

import http.cookiejar
import http.server
import json
import os
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import kyc
import pytest

ROOT = Path(__file__).resolve().parents[3]
SECRET = "console-callback-test-secret-0123456789abcdef"
PASSWORD = "callback-test-password-1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Receiver(http.server.BaseHTTPRequestHandler):
    receiver = kyc.CallbackReceiver(SECRET, require_encryption=True)
    requests = 0
    accepted = []
    refused = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        type(self).requests += 1
        if type(self).requests <= 2:
            self.send_response(500)
            self.end_headers()
            return
        try:
            got = self.receiver.verify(dict(self.headers.items()), body, now=int(time.time()))
        except kyc.KycError as e:
            type(self).refused.append(e.code)
            self.send_response(400)
            self.end_headers()
            return
        type(self).accepted.append(got)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def console():
    binary = os.environ.get("KYC_CONSOLE_BIN")
    assert binary and Path(binary).exists(), "KYC_CONSOLE_BIN must name the built kyc-console"
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, KYC_CONSOLE_ADMIN_PASSWORD=PASSWORD)
        proc = subprocess.Popen(
            [binary, "--database", f"{tmp}/db.sqlite", "--listen", f"127.0.0.1:{port}", "--no-models", "--callback-delay", "1"],
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        try:
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def test_a_callback_that_fails_twice_is_retried_and_verified(console):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    receiver_url = f"http://127.0.0.1:{server.server_address[1]}/kyc/callback"

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)

    def call(path, data=None, headers=None):
        req = urllib.request.Request(console + path, data=data, headers=headers or {})
        try:
            with opener.open(req) as r:
                return r.status, r.headers, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read().decode()

    def csrf_of(html):
        return html.split('name="csrf" value="')[1].split('"')[0]

    _, _, page = call("/login")
    status, _, _ = call("/login", urllib.parse.urlencode({"csrf": csrf_of(page), "username": "admin", "password": PASSWORD}).encode())
    assert status == 303
    _, _, page = call("/links")
    csrf = csrf_of(page)

    scenario = json.loads((ROOT / "fixtures/scenarios/passport_selfie.json").read_text())
    scenario.update(id="callback-test", blacklist_id=None, customer_face_list_id=None)
    scenario = {k: v for k, v in scenario.items() if v is not None and k != "secret_key"}
    scenario["callback"] = {"url": receiver_url, "encrypt": True, "final_only": True}
    status, _, body = call(
        "/api/scenarios",
        json.dumps({"mode": "create", "scenario": scenario, "secret_key": SECRET}).encode(),
        {"content-type": "application/json", "x-csrf-token": csrf},
    )
    assert status == 200, body

    boundary = uuid.uuid4().hex
    form = f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name="scenario"\r\n\r\ncallback-test\r\n--{boundary}--\r\n'
    status, headers, _ = call("/sessions/new", form.encode(), {"content-type": f"multipart/form-data; boundary={boundary}"})
    assert status == 303
    session_id = headers["location"].rsplit("/", 1)[1]
    status, _, _ = call(
        f"/sessions/{session_id}/decision",
        urllib.parse.urlencode({"csrf": csrf, "decision": "declined", "reason": "callback test"}).encode(),
    )
    assert status == 303

    deadline = time.time() + 60
    while not Receiver.accepted and time.time() < deadline:
        time.sleep(0.2)
    server.shutdown()
    assert Receiver.refused == []
    assert Receiver.requests == 3, Receiver.requests
    [note] = Receiver.accepted
    assert note["session_id"] == session_id and note["status"] == "declined" and note["is_final"]

    # Every attempt is recorded: two refusals, then delivered.
    for _ in range(50):
        _, _, page = call("/callbacks")
        if 'data-state="delivered"' in page:
            break
        time.sleep(0.2)
    row = page.split(f'data-webhook="{note["idempotency_key"]}"')[1].split("</tr>")[0]
    assert 'data-state="delivered"' in page
    assert row.count('data-outcome="retry"') == 2 and row.count('data-outcome="delivered"') == 1, row
    assert "HTTP 500" in row and "HTTP 204" in row
