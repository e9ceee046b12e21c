"""Tables for the référentiels of the offers API: code, label, documented extras.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_EXTRAS = {
    "referentiel_communes": ("code_postal", "code_departement"),
    "referentiel_departements": ("region_code",),
}
_TABLES = (
    "referentiel_appellations",
    "referentiel_communes",
    "referentiel_departements",
    "referentiel_regions",
    "referentiel_metiers",
    "referentiel_nafs",
    "referentiel_types_contrats",
    "referentiel_natures_contrats",
    "referentiel_secteurs_activites",
    "referentiel_niveaux_formations",
    "referentiel_permis",
    "referentiel_langues",
    "referentiel_domaines",
    "referentiel_themes",
    "referentiel_pays",
    "referentiel_continents",
)


def upgrade() -> None:
    for name in _TABLES:
        op.create_table(
            name,
            sa.Column("code", sa.Text(), primary_key=True),
            sa.Column("libelle", sa.Text()),
            *(sa.Column(column, sa.Text()) for column in _EXTRAS.get(name, ())),
        )
