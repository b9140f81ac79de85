"""Alembic environment: runs on the connection :func:`jumpstart_lab.db.migrate.upgrade` passes in."""

from __future__ import annotations

from alembic import context

from jumpstart_lab.db.migrate import VERSION_TABLE
from jumpstart_lab.db.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("jumpstart_lab migrations run through jumpstart_lab.db.migrate.upgrade(engine)")

context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
