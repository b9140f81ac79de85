"""The Jupyter token and the AWS credentials never appear in responses, server logs, widget
state or generated notebooks (issue 7, security).

The server runs in ``aws`` mode with distinctive (fake) credentials in its environment and
the local service as its endpoint, so every AWS call is signed with them; the test then
walks the API as a user would (browse, EULA, notebooks, deployments, curation, errors) and
searches everything the user or an operator could see for the secrets.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import ipywidgets.widgets.widget as widget_module
import pytest
from service_support import add_fault, clear_faults, own_service
from widget_support import on_screen, settle

ACCESS_KEY = "AKIAJUMPSTARTLABTEST7"
SECRET_KEY = "jumpstartLabSecretKey/DoNotLeak+0123456789abc"
SESSION_TOKEN = "IQoJb3JpZ2luX2VjEJumpStartLabSessionTokenDoNotLeak"
GATED = ("CompanyHub", "meta-textgeneration-llama-2-7b-f")
OPEN = ("SageMakerPublicHub", "huggingface-text2text-flan-t5-base")


@pytest.fixture(scope="module")
def secret_service() -> Iterator[str]:
    yield from own_service(JUMPSTART_LAB_LOCAL_ENDPOINT_SECONDS="0")


@pytest.fixture
def aws_endpoint(secret_service, monkeypatch, tmp_path):
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.setenv("AWS_SESSION_TOKEN", SESSION_TOKEN)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-west-2")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    return secret_service


@pytest.fixture
def jumpstart_settings():
    role = "arn:aws:iam::123456789012:role/JumpStartLabSecrets"
    return {"mode": "aws", "region": "us-west-2", "execution_role_arn": role}


class Capture(logging.Handler):
    """Every log record any logger emits while installed (what an operator's log would hold)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # a broken record must not hide the others
            self.lines.append(repr(record.__dict__))


@pytest.fixture
def server_log(jp_serverapp) -> Iterator[Capture]:
    """Records from the moment the server is up (its startup banner prints the login URL by design)."""
    capture = Capture()
    capture.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    loggers = [logging.getLogger(), jp_serverapp.log, logging.getLogger("JumpStartLab"), logging.getLogger("tornado")]
    for logger in loggers:
        logger.addHandler(capture)
    yield capture
    for logger in loggers:
        logger.removeHandler(capture)


def secrets(token: str) -> list[str]:
    return [token, ACCESS_KEY, SECRET_KEY, SESSION_TOKEN, SECRET_KEY[:16], quote(SECRET_KEY, safe="")]


def leaks(text: str, token: str) -> list[str]:
    return [s[:8] + "…" for s in secrets(token) if s and s in text]


async def test_no_secret_in_responses_logs_or_notebooks(api, jp_serverapp, jp_root_dir: Path, server_log) -> None:
    token = jp_serverapp.identity_provider.token
    assert token, "the server must run with a token for this test to mean anything"
    seen: list[str] = []

    async def call(method: str, path: str, **kwargs) -> dict:
        r = await api(method, path, **kwargs)
        assert r.code < 500 or (r.code == 503 and "message" in r.json()), (method, path, r.code, r.body[:300])
        headers = "\n".join(f"{k}: {v}" for k, v in r.headers.get_all()) if hasattr(r.headers, "get_all") else ""
        seen.append(f"{method} {path} -> {r.code}\n{headers}\n{r.body.decode('utf-8', 'replace')}")
        try:
            return r.json()
        except ValueError:
            return {}

    status = await call("GET", "status")
    assert status["mode"] == "aws" and status["identity"]["account"], status  # the credentials were used
    await call("GET", "openapi.json")
    await call("GET", "hubs")
    await call("GET", f"hubs/{GATED[0]}/models", params={"q": "llama"})
    await call("GET", f"hubs/{GATED[0]}/models/{GATED[1]}")
    await call("GET", f"hubs/{OPEN[0]}/models/{OPEN[1]}")
    await call("GET", f"hubs/{GATED[0]}/models/{GATED[1]}/eula")
    assert (await call("POST", f"hubs/{GATED[0]}/models/{GATED[1]}/eula", body={"action": "deploy"}))["accepted"]
    await call("POST", f"hubs/{GATED[0]}/models/{GATED[1]}/eula", body={"action": "train"})
    await call("GET", "eula-acceptances")
    await call("GET", "eula-acceptances", params={"format": "csv"})
    paths = []
    for action in ("deploy", "train", "evaluate"):
        created = await call("POST", "notebooks", body={"hub": GATED[0], "model_id": GATED[1], "action": action})
        paths.append(created["path"])
    created = await call("POST", "notebooks", body={"hub": OPEN[0], "model_id": OPEN[1], "action": "deploy"})
    paths.append(created["path"])
    deployment = await call("POST", "deployments", body={"hub": OPEN[0], "model_id": OPEN[1]})
    name = deployment["endpoint_name"]
    await call("GET", "deployments")
    await call("GET", f"deployments/{name}")
    await call("POST", f"deployments/{name}/invoke", body={"payload": {"inputs": "hi"}})
    await call("DELETE", f"deployments/{name}")
    await call("GET", "curation")
    await call("GET", f"hubs/{GATED[0]}/references")
    # errors, too
    await call("GET", "hubs/NoSuchHub/models")
    await call("GET", f"hubs/{GATED[0]}/models/no-such-model")
    await call("POST", "notebooks", body={"hub": "../x", "model_id": GATED[1], "action": "deploy"})
    await call("POST", "notebooks", body="not json")
    await call("GET", "deployments/no-such-endpoint")

    responses = "\n".join(seen)
    assert not leaks(responses, token), leaks(responses, token)
    log_text = "\n".join(server_log.lines)
    assert len(server_log.lines) > 10, "the server log was not captured"
    assert not leaks(log_text, token), leaks(log_text, token)
    for path in paths:
        text = (jp_root_dir / path).read_text()
        assert not leaks(text, token), (path, leaks(text, token))
        assert "aws_secret_access_key" not in text.lower() and "AWS_SESSION_TOKEN" not in text, path
    # the accept log in the store holds no secret either
    store = Path(jp_serverapp.extension_manager.extension_apps["jumpstart_lab"].pop().eula_store_path)
    assert not leaks(store.read_bytes().decode("latin-1"), token)


async def test_aws_errors_do_not_echo_the_credentials(api, jp_serverapp, secret_service, server_log) -> None:
    """An AWS error whose message quotes the request signature is not passed through verbatim."""
    token = jp_serverapp.identity_provider.token
    rule = {
        "action": "ListHubContents",
        "code": "UnrecognizedClientException",
        "status": 400,
        "message": f"The security token included in the request is invalid: {ACCESS_KEY} Credential={ACCESS_KEY}/x",
        "count": -1,
    }
    add_fault(secret_service, rule)
    try:
        r = await api("GET", f"hubs/{GATED[0]}/models", params={"refresh": "true"})
    finally:
        clear_faults(secret_service)
    assert r.code == 503 and r.json()["code"] == "InvalidCredentials", r.body
    assert not leaks(r.body.decode(), token), r.body
    assert not leaks("\n".join(server_log.lines), token)


async def test_widget_state_holds_no_secret(jp_serverapp, make_browser) -> None:
    token = jp_serverapp.identity_provider.token
    browser = make_browser()
    await settle(browser)
    browser.load_model(*GATED)
    await settle(browser)
    assert on_screen(browser) == "model", browser.error.message
    browser.model_page.start_action("deploy")  # gated: the EULA dialog opens with the licence text
    await settle(browser)
    # every live widget (the panel's tree, dialogs, hidden views), not only the visible children
    states = {model_id: instance.get_state() for model_id, instance in list(widget_module._instances.items())}
    assert states, "no widget state to check"
    text = json.dumps(states, default=repr)
    assert "LICENSE" in text.upper(), "the flow did not reach the EULA dialog"
    assert not leaks(text, token), leaks(text, token)


@pytest.mark.parametrize(
    ("action", "method", "path", "body"),
    [
        ("ListHubContents", "GET", f"hubs/{GATED[0]}/models", None),
        ("CreateEndpointConfig", "POST", "deployments", {"hub": OPEN[0], "model_id": OPEN[1]}),
        ("GetObject", "GET", f"hubs/{GATED[0]}/models/{GATED[1]}/eula", None),
    ],
)
async def test_aws_messages_quoting_keys_are_redacted(api, jp_serverapp, secret_service, action, method, path, body):
    """Whatever AWS says in an error message, a key id or signature part in it is not passed on."""
    token = jp_serverapp.identity_provider.token
    rule = {
        "action": action,
        "code": "ValidationException",
        "status": 400,
        "message": f"Request by {ACCESS_KEY} rejected (Credential={ACCESS_KEY}/20261121/us-west-2, Signature=abc123)",
        "count": -1,
    }
    add_fault(secret_service, rule)
    try:
        r = await api(method, path, body=body, params={"refresh": "true"} if method == "GET" else None)
    finally:
        clear_faults(secret_service)
    assert 400 <= r.code < 600 and set(r.json()) >= {"code", "message"}, r.body
    assert "[redacted]" in r.body.decode(), r.body  # the message was passed on, redacted
    assert not leaks(r.body.decode(), token), r.body
