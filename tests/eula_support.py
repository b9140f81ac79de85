"""Gated and open models of the demo catalog, the EULA path, users named by a request header, and an authorizer
that denies curation."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from jupyter_server.auth.authorizer import Authorizer
from jupyter_server.auth.identity import IdentityProvider, User

GATED = ("CompanyHub", "meta-textgeneration-llama-2-7b-f")
GATED_PUBLIC = ("SageMakerPublicHub", "meta-textgeneration-llama-2-13b-f")
OPEN = ("SageMakerPublicHub", "huggingface-llm-mistral-7b-instruct")


def eula_path(hub: str, model: str) -> str:
    return f"hubs/{quote(hub, safe='')}/models/{model}/eula"


class HeaderIdentity(IdentityProvider):
    """The shared token authenticates; the ``X-Test-User`` header names the user (as a hub would)."""

    def get_user(self, handler):
        if self.get_token(handler) != self.token:
            return None
        name = handler.request.headers.get("X-Test-User")
        handler._token_authenticated = True  # as jupyter-server marks token requests (no XSRF check)
        return User(username=name) if name else None


def as_user(api: Any, name: str):
    """``api`` as the user ``name``."""

    async def call(method: str, path: str, **kwargs):
        return await api(method, path, headers={"X-Test-User": name}, **kwargs)

    return call


class DenyCuration(Authorizer):
    """Everything but the curation resource (a deployment that grants browsing only)."""

    def is_authorized(self, handler, user, action, resource) -> bool:
        return resource != "jumpstart_lab.curation"
