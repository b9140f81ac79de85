"""The extension's database: one SQLAlchemy engine per URL, Core tables, Alembic migrations.

SQLite by default (one file in the Jupyter data dir); PostgreSQL for a team (``JumpStartLab.db_url =
"postgresql+psycopg://..."``), shared by every single-user server of a JupyterHub and by the audit service.
Other areas add their tables to :data:`metadata` and a migration under ``migrations/versions``.
"""

from __future__ import annotations

from .engine import Database, redact, scrub
from .tables import acceptances, metadata

__all__ = ["Database", "acceptances", "metadata", "redact", "scrub"]
