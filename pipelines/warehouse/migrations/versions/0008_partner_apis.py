"""Tables of the other partner APIs: ROME 4.0, La Bonne Boîte, Marché du travail and
the agencies.

New tables only: nothing already stored changes.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _text(*names: str, primary_key: bool = False) -> list[sa.Column]:
    return [sa.Column(name, sa.Text(), primary_key=primary_key) for name in names]


def _raw() -> sa.Column:
    return sa.Column(
        "raw", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
    )


def _loaded_at() -> sa.Column:
    return sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False)


_INDICATOR_KEY = (
    "indicateur",
    "code_type_territoire",
    "code_territoire",
    "code_type_activite",
    "code_activite",
    "code_type_periode",
    "code_periode",
)


def upgrade() -> None:
    _rome()
    _labonneboite()
    _marche_travail()
    _agences()


def _rome() -> None:
    op.create_table(
        "rome_metiers",
        *_text("code", primary_key=True),
        *_text(
            "libelle",
            "definition",
            "acces_emploi",
            "riasec_majeur",
            "riasec_mineur",
            "code_isco",
        ),
        sa.Column("obsolete", sa.Boolean()),
        *_text(
            "domaine_professionnel_code",
            "domaine_professionnel_libelle",
            "grand_domaine_code",
            "grand_domaine_libelle",
        ),
        _raw(),
    )
    op.create_table(
        "rome_metiers_contextes_travail",
        *_text("metier_code", primary_key=True),
        sa.Column("rang", sa.Integer(), primary_key=True),
        *_text("contexte_code", "libelle", "categorie"),
    )
    op.create_table(
        "rome_appellations",
        *_text("code", primary_key=True),
        *_text("libelle", "libelle_court", "metier_code"),
    )
    op.create_table(
        "rome_competences",
        *_text("code", primary_key=True),
        *_text("type", "libelle", "code_ogr"),
    )
    op.create_table(
        "rome_fiches_metiers",
        *_text("code", primary_key=True),
        *_text("metier_code", "metier_libelle"),
        _raw(),
    )
    op.create_table(
        "rome_fiches_metiers_competences",
        *_text("fiche_code", primary_key=True),
        sa.Column("rang", sa.Integer(), primary_key=True),
        *_text(
            "groupe",
            "groupe_code",
            "groupe_libelle",
            "competence_code",
            "competence_type",
            "competence_libelle",
        ),
    )
    op.create_index(
        "ix_rome_fiches_metiers_competences_code",
        "rome_fiches_metiers_competences",
        ["competence_code"],
    )
    op.create_table(
        "rome_contextes_travail",
        *_text("code", primary_key=True),
        *_text("libelle", "categorie"),
    )


def _labonneboite() -> None:
    op.create_table(
        "labonneboite_entreprises",
        *_text("departement", "siret", "rome", primary_key=True),
        *_text("company_name", "office_name", "naf", "naf_label"),
        sa.Column("headcount_min", sa.Integer()),
        sa.Column("headcount_max", sa.Integer()),
        sa.Column("location_lat", sa.Float()),
        sa.Column("location_lon", sa.Float()),
        *_text("city", "citycode", "postcode", "department", "region"),
        sa.Column("hiring_potential", sa.Float()),
        sa.Column("is_high_potential", sa.Boolean()),
        *_text("email"),
        _raw(),
        _loaded_at(),
    )
    op.create_index(
        "ix_labonneboite_entreprises_rome", "labonneboite_entreprises", ["rome"]
    )


def _marche_travail() -> None:
    op.create_table(
        "marche_travail_indicateurs",
        *_text(*_INDICATOR_KEY, primary_key=True),
        *_text("lib_territoire", "lib_activite", "code_nomenclature", "lib_periode"),
        sa.Column("valeur_principale_nombre", sa.Float()),
        _loaded_at(),
    )
    op.create_table(
        "marche_travail_caracteristiques",
        *_text(*_INDICATOR_KEY, "code_type_caract", "code_caract", primary_key=True),
        *_text("lib_caract"),
        sa.Column("nombre", sa.Float()),
        sa.Column("pourcentage", sa.Float()),
        _loaded_at(),
    )


def _agences() -> None:
    op.create_table(
        "agences",
        *_text("code", primary_key=True),
        *_text(
            "code_safir",
            "libelle",
            "libelle_etendu",
            "type",
            "type_accueil",
            "code_region_insee",
        ),
        sa.Column("dispositif_adeda", sa.Boolean()),
        *_text(
            "siret",
            "adresse_principale_ligne4",
            "adresse_principale_ligne5",
            "adresse_principale_ligne6",
        ),
        sa.Column("adresse_principale_gps_lat", sa.Float()),
        sa.Column("adresse_principale_gps_lon", sa.Float()),
        *_text(
            "adresse_principale_commune_implantation",
            "adresse_principale_bureau_distributeur",
            "departement",
            "contact_telephone_public",
            "contact_email",
        ),
        _raw(),
    )
    op.create_table(
        "agences_zones_competence",
        *_text("agence_code", "commune", primary_key=True),
    )
    op.create_index(
        "ix_agences_zones_competence_commune", "agences_zones_competence", ["commune"]
    )
