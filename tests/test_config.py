"""The ``JumpStartLab`` traits reach the domain services."""

from __future__ import annotations

import os

import pytest

from jumpstart_lab.services import resolve_mode


@pytest.fixture
def jumpstart_settings():
    return {
        "aws_connect_timeout": 2.5,
        "aws_read_timeout": 7.0,
        "aws_max_attempts": 3,
        "notebook_dir": "generated",
        "cache_ttl_seconds": 60.0,
        "execution_role_arn": "arn:aws:iam::123456789012:role/Custom",
    }


def test_traits_reach_the_services(jp_serverapp) -> None:
    services = jp_serverapp.web_app.settings["jumpstart_lab.services"]
    settings = services.aws.settings
    assert (settings.connect_timeout, settings.read_timeout, settings.max_attempts) == (2.5, 7.0, 3)
    assert services.config.notebook_dir == "generated"
    assert services.config.cache_ttl_seconds == 60.0
    assert services.config.execution_role_arn == "arn:aws:iam::123456789012:role/Custom"
    assert services.mode == "local"


async def test_notebooks_go_to_the_configured_dir(api, jp_root_dir) -> None:
    r = await api(
        "POST",
        "notebooks",
        body={"hub": "SageMakerPublicHub", "model_id": "huggingface-text2text-flan-t5-base", "action": "deploy"},
    )
    assert r.code == 201, r.body
    path = r.json()["path"]
    assert path.startswith("generated/")
    assert (jp_root_dir / path).is_file()


def test_env_numbers_are_checked_with_the_variable_named():
    """Knobs from the environment (JUMPSTART_LAB_AWS_*, JUMPSTART_LAB_LOCAL_*) share one parser."""
    from jumpstart_lab.env import env_number
    from jumpstart_lab.local.settings import Settings

    assert env_number("X_TIMEOUT", 5.0, 0.1, 300, {"X_TIMEOUT": " 7.5 "}) == 7.5
    assert env_number("X_TIMEOUT", 5.0, 0.1, 300, {"X_TIMEOUT": ""}) == 5.0
    with pytest.raises(ValueError, match=r"X_TIMEOUT='soon' is not a number"):
        env_number("X_TIMEOUT", 5.0, 0.1, 300, {"X_TIMEOUT": "soon"})
    with pytest.raises(ValueError, match=r"must be between 0.1 and 300"):
        env_number("X_TIMEOUT", 5.0, 0.1, 300, {"X_TIMEOUT": "301"})
    assert Settings.from_env({"JUMPSTART_LAB_LOCAL_LATENCY_MS": "100"}).latency_ms == 100
    with pytest.raises(ValueError, match="JUMPSTART_LAB_LOCAL_THROTTLE_RATE"):
        Settings.from_env({"JUMPSTART_LAB_LOCAL_THROTTLE_RATE": "2"})


@pytest.fixture
def no_aws_config(monkeypatch, tmp_path):
    """No credentials or region from the environment, files or instance metadata."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return tmp_path


def test_auto_mode_is_aws_only_with_credentials_and_a_region(no_aws_config, monkeypatch) -> None:
    assert resolve_mode("auto") == "local"  # nothing configured: the demo
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    assert resolve_mode("auto") == "local"  # credentials but no region
    assert resolve_mode("auto", region="eu-west-1") == "aws"
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-west-2")
    assert resolve_mode("auto") == "aws"
    assert resolve_mode("local") == "local" and resolve_mode("aws") == "aws"  # explicit modes are kept


def test_auto_mode_with_a_broken_profile_falls_back_to_the_demo(no_aws_config) -> None:
    assert resolve_mode("auto", profile="no-such-profile") == "local"


def test_eula_store_defaults_to_the_jupyter_data_dir(monkeypatch, tmp_path) -> None:
    from jumpstart_lab.server.app import JumpStartLab

    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "data"))
    assert JumpStartLab().eula_store_path == str(tmp_path / "data" / "jumpstart_lab" / "eula-acceptances.sqlite3")
