"""Daily indicators of new offers: counts per Paris day, département, ROME code and
contract type, kept in a real table that BI tools read without aggregating `offres`.

    refresh_indicateurs(engine, day)     # recompute one day from `offres`

A day's rows are replaced as a whole, in one short write transaction, from what
`offres` holds for that day: recomputing a day gives the same counts, and readers see
the old rows or the new, never a mix. The table holds codes only; their labels are one
join away in the référentiels (or in the view `offres_nouvelles_par_jour`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import sqlalchemy as sa

from pipelines.warehouse.column_types import UtcDateTime
from pipelines.warehouse.engine import write_transaction
from pipelines.warehouse.schema import metadata, offres

# Offers published by a partner site rather than by France Travail itself.
PARTNER_ORIGIN = "2"

offres_indicateurs_jour = sa.Table(
    "offres_indicateurs_jour",
    metadata,
    sa.Column(
        "jour_creation",
        sa.Date(),
        nullable=False,
        comment="Paris calendar day the offers were created (offres.jour_creation).",
        info={"source": "offres.jour_creation"},
    ),
    sa.Column(
        "departement",
        sa.Text(),
        comment="Workplace département code (joins referentiel_departements.code); "
        "empty for offers located in a région or the whole country.",
        info={"source": "offres.lieu_travail_departement"},
    ),
    sa.Column(
        "rome_code",
        sa.Text(),
        comment="ROME job code (joins referentiel_metiers.code).",
        info={"source": "offres.rome_code"},
    ),
    sa.Column(
        "type_contrat",
        sa.Text(),
        comment="Contract type code (joins referentiel_types_contrats.code).",
        info={"source": "offres.type_contrat"},
    ),
    sa.Column(
        "nb_offres",
        sa.Integer(),
        nullable=False,
        comment="Offers created that day with this département, ROME code and "
        "contract type, open or closed since.",
        info={"source": "warehouse"},
    ),
    sa.Column(
        "nb_offres_partenaires",
        sa.Integer(),
        nullable=False,
        comment="Of nb_offres, those published by a partner site "
        "(offres.origine_offre_origine = '2').",
        info={"source": "warehouse"},
    ),
    sa.Column(
        "nb_offres_avec_salaire",
        sa.Integer(),
        nullable=False,
        comment="Of nb_offres, those whose salary could be read (salaire_min set).",
        info={"source": "warehouse"},
    ),
    sa.Column(
        "computed_at",
        UtcDateTime(),
        nullable=False,
        comment="When the day's rows were last recomputed from offres.",
        info={"source": "warehouse"},
    ),
    sa.Index("ix_offres_indicateurs_jour_jour_creation", "jour_creation"),
    comment="New offers per Paris creation day, département, ROME code and contract "
    "type: one row per combination seen that day. Recomputed for a day each time that "
    "day's offers are (re)loaded; sum nb_offres over the columns you do not need.",
)

# What one row counts: the columns of `offres` grouped by, and the table's own.
_GROUP_BY = (
    offres.c.lieu_travail_departement,
    offres.c.rome_code,
    offres.c.type_contrat,
)
_ROW_CODES = (
    offres_indicateurs_jour.c.departement,
    offres_indicateurs_jour.c.rome_code,
    offres_indicateurs_jour.c.type_contrat,
)


@dataclass(frozen=True)
class DayIndicateurs:
    """What recomputing one day wrote.

    ``rows`` counts the combinations (rows of the table) for the day, ``offres`` the
    offers they add up to, ``departements`` the départements with at least one offer;
    ``top`` holds the largest rows, as dicts of the table's columns.
    """

    day: date
    rows: int
    offres: int
    departements: int
    top: list[dict] = field(default_factory=list)


def refresh_indicateurs(
    engine: sa.Engine, day: date, *, now: datetime | None = None, top: int = 5
) -> DayIndicateurs:
    """Replace the indicators of one Paris day with counts from `offres`.

    Args:
        engine: from `create_engine`, with the schema at the latest migration.
        day: the Paris creation day to recompute.
        now: the time recorded in ``computed_at``; default the current time.
        top: how many of the largest rows to return for a preview.

    Returns:
        What the day now holds.
    """
    computed_at = now or datetime.now(UTC)
    table = offres_indicateurs_jour
    counts = (
        sa.select(
            offres.c.jour_creation,
            *_GROUP_BY,
            sa.func.count(),
            sa.func.count(
                sa.case((offres.c.origine_offre_origine == PARTNER_ORIGIN, 1))
            ),
            sa.func.count(offres.c.salaire_min),
            sa.literal(computed_at, UtcDateTime()),
        )
        .where(offres.c.jour_creation == day)
        .group_by(offres.c.jour_creation, *_GROUP_BY)
    )

    with engine.connect() as connection, write_transaction(connection):
        connection.execute(sa.delete(table).where(table.c.jour_creation == day))
        connection.execute(
            sa.insert(table).from_select(
                [
                    table.c.jour_creation,
                    table.c.departement,
                    table.c.rome_code,
                    table.c.type_contrat,
                    table.c.nb_offres,
                    table.c.nb_offres_partenaires,
                    table.c.nb_offres_avec_salaire,
                    table.c.computed_at,
                ],
                counts,
            )
        )
        summary = connection.execute(
            sa.select(
                sa.func.count(),
                sa.func.coalesce(sa.func.sum(table.c.nb_offres), 0),
                sa.func.count(sa.distinct(table.c.departement)),
            ).where(table.c.jour_creation == day)
        ).one()
        largest = connection.execute(
            sa.select(table)
            .where(table.c.jour_creation == day)
            # Empty codes sort first on both databases (their NULL orders differ).
            .order_by(
                table.c.nb_offres.desc(),
                *(sa.func.coalesce(column, "") for column in _ROW_CODES),
            )
            .limit(top)
        )
        top_rows = [dict(row._mapping) for row in largest]

    rows, total, departements = summary
    return DayIndicateurs(
        day=day,
        rows=int(rows),
        offres=int(total),
        departements=int(departements),
        top=top_rows,
    )
