"""The offres table: one typed column per scalar field of an offer, and the raw JSON.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "offres",
        sa.Column("id", sa.Text(), primary_key=True),
        sa.Column("intitule", sa.Text()),
        sa.Column("description", sa.Text()),
        sa.Column("date_creation", sa.DateTime(timezone=True)),
        sa.Column("date_actualisation", sa.DateTime(timezone=True)),
        sa.Column("lieu_travail_libelle", sa.Text()),
        sa.Column("lieu_travail_latitude", sa.Float()),
        sa.Column("lieu_travail_longitude", sa.Float()),
        sa.Column("lieu_travail_code_postal", sa.Text()),
        sa.Column("lieu_travail_commune", sa.Text()),
        sa.Column("rome_code", sa.Text()),
        sa.Column("rome_libelle", sa.Text()),
        sa.Column("appellationlibelle", sa.Text()),
        sa.Column("entreprise_nom", sa.Text()),
        sa.Column("entreprise_description", sa.Text()),
        sa.Column("entreprise_logo", sa.Text()),
        sa.Column("entreprise_url", sa.Text()),
        sa.Column("entreprise_entreprise_adaptee", sa.Boolean()),
        sa.Column("type_contrat", sa.Text()),
        sa.Column("type_contrat_libelle", sa.Text()),
        sa.Column("nature_contrat", sa.Text()),
        sa.Column("experience_exige", sa.Text()),
        sa.Column("experience_libelle", sa.Text()),
        sa.Column("experience_commentaire", sa.Text()),
        sa.Column("salaire_libelle", sa.Text()),
        sa.Column("salaire_commentaire", sa.Text()),
        sa.Column("salaire_complement1", sa.Text()),
        sa.Column("salaire_complement2", sa.Text()),
        sa.Column("duree_travail_libelle", sa.Text()),
        sa.Column("duree_travail_libelle_converti", sa.Text()),
        sa.Column("complement_exercice", sa.Text()),
        sa.Column("condition_exercice", sa.Text()),
        sa.Column("alternance", sa.Boolean()),
        sa.Column("contact_nom", sa.Text()),
        sa.Column("contact_coordonnees1", sa.Text()),
        sa.Column("contact_coordonnees2", sa.Text()),
        sa.Column("contact_coordonnees3", sa.Text()),
        sa.Column("contact_telephone", sa.Text()),
        sa.Column("contact_courriel", sa.Text()),
        sa.Column("contact_commentaire", sa.Text()),
        sa.Column("contact_url_recruteur", sa.Text()),
        sa.Column("contact_url_postulation", sa.Text()),
        sa.Column("agence_telephone", sa.Text()),
        sa.Column("agence_courriel", sa.Text()),
        sa.Column("nombre_postes", sa.Integer()),
        sa.Column("accessible_th", sa.Boolean()),
        sa.Column("deplacement_code", sa.Text()),
        sa.Column("deplacement_libelle", sa.Text()),
        sa.Column("qualification_code", sa.Text()),
        sa.Column("qualification_libelle", sa.Text()),
        sa.Column("code_naf", sa.Text()),
        sa.Column("secteur_activite", sa.Text()),
        sa.Column("secteur_activite_libelle", sa.Text()),
        sa.Column("tranche_effectif_etab", sa.Text()),
        sa.Column("origine_offre_origine", sa.Text()),
        sa.Column("origine_offre_url_origine", sa.Text()),
        sa.Column("offres_manque_candidats", sa.Boolean()),
        sa.Column("entreprise_adaptee", sa.Boolean()),
        sa.Column("employeur_handi_engage", sa.Boolean()),
        sa.Column("jour_creation", sa.Date()),
        sa.Column(
            "raw",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=False,
        ),
    )
    op.create_index("ix_offres_jour_creation", "offres", ["jour_creation"])
