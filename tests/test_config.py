"""The ``JumpStartLab`` traits reach the domain services."""

from __future__ import annotations

import pytest


@pytest.fixture
def jp_server_config(jp_server_config):
    config = dict(jp_server_config)
    config["JumpStartLab"] = {
        **config["JumpStartLab"],
        "aws_connect_timeout": 2.5,
        "aws_read_timeout": 7.0,
        "aws_max_attempts": 3,
        "notebook_dir": "generated",
        "cache_ttl_seconds": 60.0,
        "execution_role_arn": "arn:aws:iam::123456789012:role/Custom",
    }
    return config


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
