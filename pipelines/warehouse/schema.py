"""The warehouse tables, with the meaning and the source of every column.

This metadata is the schema at the latest migration: the migrations create it, the
loaders write it, and the data dictionary is rendered from it. Each table and column
carries a ``comment`` (its meaning, also set on PostgreSQL) and, where it comes from
the API, ``info["source"]`` (the JSON path it is read from).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from pipelines.warehouse.column_types import JSON_DOCUMENT, UtcDateTime
from pipelines.warehouse.fields import (
    CHILD_TABLES,
    SALARY_COMPLEMENT_FIELDS,
    SALARY_COMPLEMENTS_TABLE,
    SCALAR_FIELDS,
    Field,
    Kind,
    snake_case,
)

metadata = sa.MetaData()

_COLUMN_TYPES: dict[Kind, sa.types.TypeEngine] = {
    "text": sa.Text(),
    "float": sa.Float(),
    "int": sa.Integer(),
    "bool": sa.Boolean(),
    "datetime": UtcDateTime(),
}


def _field_column(field: Field, *, source: str, **kwargs) -> sa.Column:
    return sa.Column(
        field.column,
        _COLUMN_TYPES[field.kind],
        comment=field.description,
        info={"source": source},
        **kwargs,
    )


def _offer_columns() -> list[sa.Column]:
    columns = []
    for field in SCALAR_FIELDS:
        if field.path == "id":
            columns.append(_field_column(field, source="id", primary_key=True))
        else:
            columns.append(_field_column(field, source=field.path))
    return columns


offres = sa.Table(
    "offres",
    metadata,
    *_offer_columns(),
    sa.Column(
        "jour_creation",
        sa.Date(),
        comment="Paris calendar day of date_creation: the partition of the offer.",
        info={"source": "dateCreation, converted to Europe/Paris"},
    ),
    sa.Column(
        "lieu_travail_departement",
        sa.Text(),
        comment="Workplace département code (joins referentiel_departements.code); "
        "empty when the workplace is a région or the whole country.",
        info={"source": "lieuTravail.libelle prefix, else lieuTravail.commune"},
    ),
    sa.Column(
        "salaire_min",
        sa.Float(),
        comment="Lowest salary in euros, per salaire_periode; equal to salaire_max "
        "when a single amount is given.",
        info={"source": "salaire.libelle, parsed"},
    ),
    sa.Column(
        "salaire_max",
        sa.Float(),
        comment="Highest salary in euros, per salaire_periode.",
        info={"source": "salaire.libelle, parsed"},
    ),
    sa.Column(
        "salaire_periode",
        sa.Text(),
        comment="Period of salaire_min and salaire_max as declared by the employer: "
        "horaire, mensuel, annuel or cachet.",
        info={"source": "salaire.libelle, parsed"},
    ),
    sa.Column(
        "raw",
        JSON_DOCUMENT,
        nullable=False,
        comment="The offer as the API served it (without personal contact fields "
        "unless a load stored them); fields added by the API land here.",
        info={"source": "the whole offer"},
    ),
    sa.Column(
        "version",
        sa.Integer(),
        nullable=False,
        comment="1 for the first version stored, plus one at each change; earlier "
        "versions are in offres_history.",
        info={"source": "warehouse"},
    ),
    sa.Column(
        "first_seen_at",
        UtcDateTime(),
        nullable=False,
        comment="When a load first stored the offer.",
        info={"source": "warehouse"},
    ),
    sa.Column(
        "last_seen_at",
        UtcDateTime(),
        nullable=False,
        comment="When a load or a sweep last saw the offer served by the API.",
        info={"source": "warehouse"},
    ),
    sa.Column(
        "closed_at",
        UtcDateTime(),
        comment="When the offer was found no longer served (withdrawn or filled); "
        "empty while it is open. Rows are never deleted.",
        info={"source": "warehouse"},
    ),
    sa.Index("ix_offres_jour_creation", "jour_creation"),
    comment="One row per job offer ever loaded, open or closed: the offers API's "
    "`Offre`, one typed column per scalar field.",
)

offres_history = sa.Table(
    "offres_history",
    metadata,
    sa.Column(
        "offre_id",
        sa.Text(),
        sa.ForeignKey("offres.id"),
        primary_key=True,
        comment="The offer (offres.id).",
        info={"source": "id"},
    ),
    sa.Column(
        "version",
        sa.Integer(),
        primary_key=True,
        comment="Number of this superseded version (offres.version at the time).",
        info={"source": "warehouse"},
    ),
    sa.Column(
        "valid_from",
        UtcDateTime(),
        nullable=False,
        comment="Start of this version: its dateActualisation (else when stored).",
        info={"source": "dateActualisation"},
    ),
    sa.Column(
        "valid_to",
        UtcDateTime(),
        nullable=False,
        comment="End of this version: the next version's dateActualisation (else when "
        "the change was seen).",
        info={"source": "dateActualisation of the next version"},
    ),
    sa.Column(
        "superseded_at",
        UtcDateTime(),
        nullable=False,
        comment="When the warehouse replaced this version.",
        info={"source": "warehouse"},
    ),
    sa.Column(
        "raw",
        JSON_DOCUMENT,
        nullable=False,
        comment="The offer as it was in this version.",
        info={"source": "the whole offer"},
    ),
    comment="Earlier versions of updated offers, one row per superseded version: "
    "what changed and when.",
)


def _child_table(
    name: str, items: str, fields: tuple[tuple[Field, str], ...], description: str
) -> sa.Table:
    """A table of one row per item of an offer's list; ``fields`` pairs each column
    with the JSON path it is read from."""
    # No foreign key to `offres`: child rows are written only by the final transaction
    # of a load, right after their offer, and a constraint would check every one of
    # them again (about a third of the landing time on PostgreSQL).
    return sa.Table(
        name,
        metadata,
        sa.Column(
            "offre_id",
            sa.Text(),
            primary_key=True,
            comment="The offer (offres.id).",
            info={"source": "id"},
        ),
        sa.Column(
            "rang",
            sa.Integer(),
            primary_key=True,
            comment="Position of the item in the offer's list, from 1.",
            info={"source": f"position in {items}"},
        ),
        *(_field_column(field, source=source) for field, source in fields),
        comment=description,
    )


child_tables: dict[str, sa.Table] = {
    child.table: _child_table(
        child.table,
        f"{child.path}[]",
        tuple((field, f"{child.path}[].{field.path}") for field in child.fields),
        child.description,
    )
    for child in CHILD_TABLES
}

_source, _code, _libelle = SALARY_COMPLEMENT_FIELDS
child_tables[SALARY_COMPLEMENTS_TABLE] = _child_table(
    SALARY_COMPLEMENTS_TABLE,
    "salaire.listeComplements[] then salaire.complement1, salaire.complement2",
    (
        (_source, "the key the complement was read from"),
        (_code, "salaire.listeComplements[].code"),
        (
            _libelle,
            "salaire.listeComplements[].libelle, salaire.complement1, "
            "salaire.complement2",
        ),
    ),
    "Salary complements of an offer (meal vouchers, bonuses), from "
    "`salaire.listeComplements` and `salaire.complement1`/`complement2`.",
)


@dataclass(frozen=True)
class Referentiel:
    """A référentiel of the offers API (``GET /referentiel/{name}``) and its table."""

    name: str
    description: str
    extras: tuple[tuple[str, str, str], ...] = ()  # (JSON path, column, meaning)

    @property
    def table_name(self) -> str:
        return f"referentiel_{snake_case(self.name)}"


REFERENTIELS: dict[str, Referentiel] = {
    ref.name: ref
    for ref in (
        Referentiel("appellations", "ROME appellations (job titles)."),
        Referentiel(
            "communes",
            "Communes, by INSEE code (joins offres.lieu_travail_commune).",
            (
                ("codePostal", "code_postal", "Postal code of the commune."),
                (
                    "codeDepartement",
                    "code_departement",
                    "Département of the commune (referentiel_departements.code).",
                ),
            ),
        ),
        Referentiel(
            "departements",
            "Départements (joins offres.lieu_travail_departement).",
            (
                (
                    "region.code",
                    "region_code",
                    "Région of the département (referentiel_regions.code).",
                ),
            ),
        ),
        Referentiel("regions", "Régions."),
        Referentiel("metiers", "ROME job codes (joins offres.rome_code)."),
        Referentiel("nafs", "NAF activity codes (joins offres.code_naf)."),
        Referentiel("typesContrats", "Contract types (joins offres.type_contrat)."),
        Referentiel("naturesContrats", "Contract natures."),
        Referentiel(
            "secteursActivites",
            "NAF divisions (joins offres.secteur_activite).",
        ),
        Referentiel("niveauxFormations", "Education levels."),
        Referentiel("permis", "Driving licences."),
        Referentiel("langues", "Languages."),
        Referentiel("domaines", "Professional domains (the search filter `domaine`)."),
        Referentiel("themes", "Themes (the search filter `theme`)."),
        Referentiel("pays", "Countries."),
        Referentiel("continents", "Continents."),
    )
}


def _referentiel_table(ref: Referentiel) -> sa.Table:
    source = f"GET /referentiel/{ref.name}"
    return sa.Table(
        ref.table_name,
        metadata,
        sa.Column(
            "code",
            sa.Text(),
            primary_key=True,
            comment="Code, as used in offers and search filters.",
            info={"source": f"{source}: code"},
        ),
        sa.Column(
            "libelle",
            sa.Text(),
            comment="Label.",
            info={"source": f"{source}: libelle"},
        ),
        *(
            sa.Column(
                column, sa.Text(), comment=meaning, info={"source": f"{source}: {path}"}
            )
            for path, column, meaning in ref.extras
        ),
        comment=f"Référentiel {ref.name} of the offers API: {ref.description} "
        "Replaced as a whole at each refresh.",
    )


referentiel_tables: dict[str, sa.Table] = {
    name: _referentiel_table(ref) for name, ref in REFERENTIELS.items()
}

warehouse_views = sa.Table(
    "warehouse_views",
    metadata,
    sa.Column(
        "name",
        sa.Text(),
        primary_key=True,
        comment="Name of an analyst view (the file sql/<name>.sql).",
        info={"source": "warehouse"},
    ),
    sa.Column(
        "sql_sha256",
        sa.Text(),
        nullable=False,
        comment="SHA-256 of the view's SQL when it was created.",
        info={"source": "warehouse"},
    ),
    sa.Column(
        "created_at",
        UtcDateTime(),
        nullable=False,
        comment="When the view was last created.",
        info={"source": "warehouse"},
    ),
    comment="Bookkeeping of the analyst views: an upgrade recreates a view only when "
    "its SQL changed, so it never waits for analysts' queries on unchanged views.",
)

# The tables of the other partner APIs (ROME 4.0, La Bonne Boîte, Marché du travail,
# agencies) and of the daily indicators are declared on this metadata in modules of
# their own; importing them here makes every user of `metadata` (migrations, comments,
# dictionary) see them. They must come last: those modules read `metadata` from here.
from pipelines.warehouse import indicateurs, partner_schema  # noqa: E402, F401
