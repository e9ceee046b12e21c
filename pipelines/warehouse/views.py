"""Analyst views: one ``sql/<view>.sql`` file per view, one SQL for both databases.

Each file holds the view's ``SELECT`` only, after a header of ``--`` comment lines that
say what one row of the view is (the data dictionary shows them). `create_views` runs
at every `upgrade`: it creates the views that are missing, recreates those whose file
changed (tracked by a hash in `warehouse_views`) and drops those whose file is gone.
Unchanged views are left alone, so an upgrade never waits for an analyst's long query.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from pipelines.warehouse.engine import execute_verbatim
from pipelines.warehouse.schema import warehouse_views

# The repository's sql/ folder, next to the pipelines package.
SQL_DIR = Path(__file__).resolve().parents[2] / "sql"


@dataclass(frozen=True)
class View:
    """One analyst view: its name, what a row is, and its SELECT."""

    name: str
    description: str
    select: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.select.encode("utf-8")).hexdigest()


def read_view(path: Path) -> View:
    """Read a view file: leading ``--`` lines describe it, the rest is the SELECT."""
    description: list[str] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    while lines and lines[0].startswith("--"):
        line = lines.pop(0).removeprefix("--").strip()
        if line:
            description.append(line)
    select = "\n".join(lines).strip().rstrip(";")
    return View(name=path.stem, description=" ".join(description), select=select)


def load_views(directory: Path = SQL_DIR) -> list[View]:
    """Every view of ``directory``, in name order.

    Raises:
        FileNotFoundError: the folder is missing (the views ship with the repository,
            not inside the installed package).
    """
    if not directory.is_dir():
        raise FileNotFoundError(f"the analyst views folder {directory} does not exist")
    return [read_view(path) for path in sorted(directory.glob("*.sql"))]


def create_views(connection: sa.Connection, directory: Path = SQL_DIR) -> list[str]:
    """Bring the views in line with their files, inside the caller's transaction.

    Returns:
        The names of the views created or recreated.
    """
    views = {view.name: view for view in load_views(directory)}
    recorded = dict(
        connection.execute(
            sa.select(warehouse_views.c.name, warehouse_views.c.sql_sha256)
        ).all()
    )
    existing = set(sa.inspect(connection).get_view_names())

    for name in sorted(set(recorded) - set(views)):
        execute_verbatim(connection, f"DROP VIEW IF EXISTS {name}")
        connection.execute(
            sa.delete(warehouse_views).where(warehouse_views.c.name == name)
        )

    created = []
    for view in views.values():
        if recorded.get(view.name) == view.sha256 and view.name in existing:
            continue
        execute_verbatim(connection, f"DROP VIEW IF EXISTS {view.name}")
        execute_verbatim(connection, f"CREATE VIEW {view.name} AS\n{view.select}")
        connection.execute(
            sa.delete(warehouse_views).where(warehouse_views.c.name == view.name)
        )
        connection.execute(
            sa.insert(warehouse_views).values(
                name=view.name, sql_sha256=view.sha256, created_at=datetime.now(UTC)
            )
        )
        created.append(view.name)
    return created
