"""The data dictionary, rendered from the schema so that it cannot drift from it.

python -m pipelines.warehouse.dictionary            # rewrite docs/data-dictionary.md
python -m pipelines.warehouse.dictionary --check    # exit 1 if the file is stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import sqlalchemy as sa

from pipelines.warehouse.schema import metadata
from pipelines.warehouse.views import load_views

DICTIONARY_PATH = Path(__file__).resolve().parents[2] / "docs" / "data-dictionary.md"

_HEADER = """\
# Data dictionary

Generated from the warehouse schema (`pipelines/warehouse/schema.py`) and the view files
(`sql/`) by `python -m pipelines.warehouse.dictionary`: edit those, not this file. On
PostgreSQL the same descriptions are set as table and column comments.

"Source" is the field of the France Travail offers API a column is read from: a JSON
path of the offer (`lieuTravail.codePostal`), or `warehouse` for what the pipeline
records itself. Timestamps are UTC; days (`jour_creation`) are Paris calendar days.
"""


_TYPE_NAMES = {
    "UtcDateTime": "timestamp (UTC)",
    "JSON": "JSON (jsonb on PostgreSQL)",
    "Text": "text",
    "Integer": "integer",
    "Float": "float",
    "Boolean": "boolean",
    "Date": "date",
}


# Queries analysts start from; the tests run each of them on both databases.
EXAMPLE_QUERIES: tuple[tuple[str, str], ...] = (
    (
        "New offers of one day per région",
        "SELECT region_libelle, SUM(nb_offres) AS nb_offres\n"
        "FROM offres_nouvelles_par_jour\n"
        "WHERE jour_creation = '2026-03-02'\n"
        "GROUP BY region_libelle\n"
        "ORDER BY nb_offres DESC, region_libelle",
    ),
    (
        "Average monthly salary of open offers per ROME code",
        "SELECT rome_code, COUNT(*) AS nb_offres,\n"
        "       AVG(salaire_mensuel_min) AS salaire_mensuel_min_moyen\n"
        "FROM offres_salaires\n"
        "WHERE est_ouverte = 1 AND salaire_periode IN ('mensuel', 'annuel')\n"
        "GROUP BY rome_code\n"
        "ORDER BY rome_code",
    ),
    (
        "How long closed offers stayed open, per contract type",
        "SELECT type_contrat, COUNT(*) AS nb_offres,\n"
        "       AVG(jours_ouverte) AS jours_moyens\n"
        "FROM offres_durees_ouverture\n"
        "WHERE est_ouverte = 0\n"
        "GROUP BY type_contrat\n"
        "ORDER BY type_contrat",
    ),
    (
        "Skills most asked by open offers",
        "SELECT c.libelle, COUNT(*) AS nb_offres\n"
        "FROM offres_competences AS c\n"
        "JOIN offres AS o ON o.id = c.offre_id\n"
        "WHERE o.closed_at IS NULL\n"
        "GROUP BY c.libelle\n"
        "ORDER BY nb_offres DESC, c.libelle\n"
        "LIMIT 10",
    ),
    (
        "Every version of one offer: what changed and when",
        "SELECT h.version, h.valid_from, h.valid_to, h.raw\n"
        "FROM offres_history AS h\n"
        "WHERE h.offre_id = '184TRJB'\n"
        "ORDER BY h.version",
    ),
)


def _type_name(column: sa.Column) -> str:
    name = type(column.type).__name__
    return _TYPE_NAMES.get(name, name.lower())


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table_section(table: sa.Table) -> list[str]:
    lines = [f"### `{table.name}`", "", table.comment or "", ""]
    lines += ["| column | type | meaning | source |", "|---|---|---|---|"]
    for column in table.columns:
        key = " (key)" if column.primary_key else ""
        source = column.info.get("source", "")
        lines.append(
            f"| `{column.name}`{key} | {_type_name(column)} | "
            f"{_cell(column.comment or '')} | {_cell(source)} |"
        )
    lines.append("")
    return lines


_GROUPS = ("Offers", "Référentiels", "Bookkeeping")


def _group(table: sa.Table) -> str:
    if table.name.startswith("referentiel_"):
        return "Référentiels"
    if table.name.startswith("warehouse_"):
        return "Bookkeeping"
    return "Offers"


def render() -> str:
    """The whole dictionary as Markdown."""
    lines = [_HEADER]
    tables = sorted(
        metadata.tables.values(),
        key=lambda t: (_GROUPS.index(_group(t)), t.name != "offres", t.name),
    )
    group = None
    for table in tables:
        if _group(table) != group:
            group = _group(table)
            lines += [f"## {group}", ""]
        lines += _table_section(table)

    lines += ["## Views (`sql/`)", ""]
    for view in load_views():
        lines += [f"### `{view.name}`", "", view.description, ""]

    lines += [
        "## Example queries",
        "",
        "They run as written on SQLite and PostgreSQL.",
        "",
    ]
    for title, sql in EXAMPLE_QUERIES:
        lines += [f"{title}:", "", "```sql", sql, "```", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="fail if the file is not up to date"
    )
    parser.add_argument("--output", type=Path, default=DICTIONARY_PATH)
    args = parser.parse_args(argv)

    text = render()
    if args.check:
        current = (
            args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        )
        if current != text:
            print(
                f"{args.output} is stale: run python -m pipelines.warehouse.dictionary"
            )
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
