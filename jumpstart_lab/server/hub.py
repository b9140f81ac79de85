"""The single-user server of a JupyterHub: who the user is and which custom scopes they hold.

Under JupyterHub the server's identity provider asks the hub about each request's token or cookie; the
user model it gets back carries the token's ``scopes``, which include the custom scopes granted to the
user through roles (``c.JupyterHub.custom_scopes``; for browser sessions listed in
``c.Spawner.oauth_client_allowed_scopes``). Nothing here talks to the hub itself.
"""

from __future__ import annotations

import os
from typing import Any

CURATE_SCOPE = "custom:jumpstart-lab:curate"
AUDIT_SCOPE = "custom:jumpstart-lab:audit"


def under_jupyterhub(serverapp: Any) -> bool:
    """Whether this server is a JupyterHub single-user server (its identity provider is the hub's)."""
    provider = getattr(serverapp, "identity_provider", None)
    return hasattr(provider, "hub_auth") or bool(os.environ.get("JUPYTERHUB_API_TOKEN"))


def hub_scopes(user: Any) -> set[str]:
    """The scopes of the hub user behind ``user`` (a ``JupyterHubUser``); empty when unknown."""
    model = getattr(user, "hub_user", None) or {}
    return {str(s) for s in model.get("scopes", ())}


def has_scope(user: Any, scope: str) -> bool:
    """``scope`` held unfiltered (a filtered grant such as ``scope!user=x`` does not count)."""
    return scope in hub_scopes(user)
