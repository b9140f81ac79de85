"""Identity for benchmarks/teams.py: the server's token authenticates, ``X-Bench-User`` names the user
(as a hub's identity provider would), so 25 clients of one server are 25 users."""

from __future__ import annotations

from jupyter_server.auth.identity import IdentityProvider, User


class HeaderUser(IdentityProvider):
    def get_user(self, handler):
        if self.get_token(handler) != self.token:
            return None
        name = handler.request.headers.get("X-Bench-User")
        handler._token_authenticated = True  # a token request: no XSRF check, as jupyter-server does
        return User(username=name) if name else None
