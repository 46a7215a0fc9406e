"""Alembic environment: runs on the connection `ledger.db.migrate` hands it."""

from alembic import context

import ledger.access  # noqa: F401  (its tables belong to the metadata)
import ledger.scenarios  # noqa: F401  (the scenario table belongs to the metadata)
from ledger.models import SQLModel

target_metadata = SQLModel.metadata
connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
