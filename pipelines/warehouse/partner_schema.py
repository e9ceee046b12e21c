"""The tables of the partner APIs besides the offers: ROME 4.0, La Bonne Boîte, Marché
du travail and the agencies.

They live on the same metadata as the offers' tables (`schema.metadata`), so the
migrations, the PostgreSQL comments and the data dictionary cover them alike. Each
table says in its comment how it joins to the offers; each column carries its meaning
(``comment``) and the API field it is read from (``info["source"]``).
"""

from __future__ import annotations

import sqlalchemy as sa

from pipelines.warehouse.column_types import JSON_DOCUMENT, UtcDateTime
from pipelines.warehouse.schema import metadata

ROME_METIER = "GET rome-metiers /metiers/metier/{code}"
ROME_APPELLATION = "GET rome-metiers /metiers/appellation"
ROME_COMPETENCE = "GET rome-competences /competences/competence"
ROME_FICHE = "GET rome-fiches-metiers /fiches-rome/fiche-metier/{code}"
ROME_CONTEXTE = "GET rome-contextes-travail /situations-travail/contexte-travail"
LABONNEBOITE = "GET labonneboite /recherche: items[]"
MARCHE_TRAVAIL = "POST stats-offres-demandes-emploi /indicateur/{indicateur}"
AGENCES = "GET referentielagences /agences"


def _column(
    name: str,
    type_: sa.types.TypeEngine,
    comment: str,
    source: str,
    **kwargs,
) -> sa.Column:
    return sa.Column(name, type_, comment=comment, info={"source": source}, **kwargs)


def _text(name: str, comment: str, source: str, **kwargs) -> sa.Column:
    return _column(name, sa.Text(), comment, source, **kwargs)


def _raw(comment: str, source: str) -> sa.Column:
    return _column("raw", JSON_DOCUMENT, comment, source, nullable=False)


def _loaded_at(comment: str) -> sa.Column:
    return _column("loaded_at", UtcDateTime(), comment, "warehouse", nullable=False)


# ROME 4.0 ------------------------------------------------------------------------

rome_metiers = sa.Table(
    "rome_metiers",
    metadata,
    _text(
        "code",
        "ROME code of the métier, e.g. M1811 (joins offres.rome_code).",
        f"{ROME_METIER}: code",
        primary_key=True,
    ),
    _text("libelle", "Name of the métier.", f"{ROME_METIER}: libelle"),
    _text("definition", "What the job consists of.", f"{ROME_METIER}: definition"),
    _text(
        "acces_emploi",
        "How one gets into the job: diplomas, experience.",
        f"{ROME_METIER}: accesEmploi",
    ),
    _text(
        "riasec_majeur",
        "Main Holland (RIASEC) interest of the job: R, I, A, S, E or C.",
        f"{ROME_METIER}: riasecMajeur",
    ),
    _text(
        "riasec_mineur",
        "Secondary Holland (RIASEC) interest of the job.",
        f"{ROME_METIER}: riasecMineur",
    ),
    _text("code_isco", "ISCO code of the job, when given.", f"{ROME_METIER}: codeIsco"),
    _column(
        "obsolete",
        sa.Boolean(),
        "True when the métier is withdrawn from the nomenclature.",
        f"{ROME_METIER}: obsolete",
    ),
    _text(
        "domaine_professionnel_code",
        "Professional domain: the first three characters of the code (M18).",
        f"{ROME_METIER}: domaineProfessionnel.code",
    ),
    _text(
        "domaine_professionnel_libelle",
        "Name of the professional domain.",
        f"{ROME_METIER}: domaineProfessionnel.libelle",
    ),
    _text(
        "grand_domaine_code",
        "Broad domain: the first letter of the code (M).",
        f"{ROME_METIER}: domaineProfessionnel.grandDomaine.code",
    ),
    _text(
        "grand_domaine_libelle",
        "Name of the broad domain.",
        f"{ROME_METIER}: domaineProfessionnel.grandDomaine.libelle",
    ),
    _raw(
        "The métier as the API served it (mobilités, themes, main compétences...); "
        "the list item alone when its detail could not be read.",
        f"{ROME_METIER}, else GET rome-metiers /metiers/metier",
    ),
    comment="ROME 4.0 métiers, one row per ROME code (joins offres.rome_code). "
    "Replaced as a whole at each refresh.",
)

rome_metiers_contextes_travail = sa.Table(
    "rome_metiers_contextes_travail",
    metadata,
    _text(
        "metier_code",
        "The métier (rome_metiers.code, offres.rome_code).",
        f"{ROME_METIER}: code",
        primary_key=True,
    ),
    _column(
        "rang",
        sa.Integer(),
        "Position of the context in the métier's list, from 1.",
        f"{ROME_METIER}: position in contextesTravail[]",
        primary_key=True,
    ),
    _text(
        "contexte_code",
        "The working context (rome_contextes_travail.code).",
        f"{ROME_METIER}: contextesTravail[].code",
    ),
    _text(
        "libelle", "Name of the context.", f"{ROME_METIER}: contextesTravail[].libelle"
    ),
    _text(
        "categorie",
        "Category of the context (HORAIRE_ET_DUREE_TRAVAIL, CONDITIONS_TRAVAIL...).",
        f"{ROME_METIER}: contextesTravail[].categorie",
    ),
    comment="The working contexts of each ROME métier: one row per (métier, context). "
    "Replaced with rome_metiers.",
)

rome_appellations = sa.Table(
    "rome_appellations",
    metadata,
    _text(
        "code",
        "Appellation (job title) code.",
        f"{ROME_APPELLATION}: code",
        primary_key=True,
    ),
    _text("libelle", "The job title.", f"{ROME_APPELLATION}: libelle"),
    _text("libelle_court", "Short job title.", f"{ROME_APPELLATION}: libelleCourt"),
    _text(
        "metier_code",
        "The métier the title belongs to (rome_metiers.code, offres.rome_code).",
        f"{ROME_APPELLATION}: metier.code",
    ),
    comment="ROME 4.0 appellations: the job titles of each métier. Replaced as a "
    "whole at each refresh.",
)

rome_competences = sa.Table(
    "rome_competences",
    metadata,
    _text(
        "code",
        "Compétence code (joins offres_competences.code).",
        f"{ROME_COMPETENCE}: code",
        primary_key=True,
    ),
    _text(
        "type",
        "Kind: MACRO-SAVOIR-FAIRE, MACRO-SAVOIR-ETRE-PROFESSIONNEL or SAVOIR.",
        f"{ROME_COMPETENCE}: type",
    ),
    _text("libelle", "The compétence.", f"{ROME_COMPETENCE}: libelle"),
    _text(
        "code_ogr",
        "OGR code of the compétence, when the API gives one.",
        f"{ROME_COMPETENCE}: codeOgr",
    ),
    comment="ROME 4.0 compétences: know-how, soft skills and knowledge (joins "
    "offres_competences.code). Replaced as a whole at each refresh.",
)

rome_fiches_metiers = sa.Table(
    "rome_fiches_metiers",
    metadata,
    _text(
        "code",
        "Code of the fiche: the ROME code it describes (offres.rome_code).",
        f"{ROME_FICHE}: code",
        primary_key=True,
    ),
    _text(
        "metier_code",
        "The métier described (rome_metiers.code).",
        f"{ROME_FICHE}: metier.code",
    ),
    _text("metier_libelle", "Name of the métier.", f"{ROME_FICHE}: metier.libelle"),
    _raw(
        "The fiche as the API served it; the list item alone when its detail "
        "could not be read.",
        f"{ROME_FICHE}, else GET rome-fiches-metiers /fiches-rome/fiche-metier",
    ),
    comment="ROME 4.0 fiches métiers, one per ROME code (joins offres.rome_code). "
    "Replaced as a whole at each refresh.",
)

rome_fiches_metiers_competences = sa.Table(
    "rome_fiches_metiers_competences",
    metadata,
    _text(
        "fiche_code",
        "The fiche (rome_fiches_metiers.code), i.e. the ROME code (offres.rome_code).",
        f"{ROME_FICHE}: code",
        primary_key=True,
    ),
    _column(
        "rang",
        sa.Integer(),
        "Position in the fiche: know-how groups first, then knowledge groups.",
        f"{ROME_FICHE}: position in the groups",
        primary_key=True,
    ),
    _text(
        "groupe",
        "competences for a know-how group (by enjeu), savoirs for a knowledge "
        "group (by category).",
        f"{ROME_FICHE}: groupesCompetencesMobilisees[] or groupesSavoirs[]",
    ),
    _text(
        "groupe_code",
        "Code of the enjeu or of the knowledge category.",
        f"{ROME_FICHE}: groupesCompetencesMobilisees[].enjeu.code, "
        "groupesSavoirs[].categorieSavoirs.code",
    ),
    _text(
        "groupe_libelle",
        "Name of the enjeu or of the knowledge category.",
        f"{ROME_FICHE}: groupesCompetencesMobilisees[].enjeu.libelle, "
        "groupesSavoirs[].categorieSavoirs.libelle",
    ),
    _text(
        "competence_code",
        "The compétence (rome_competences.code, offres_competences.code).",
        f"{ROME_FICHE}: groupesCompetencesMobilisees[].competences[].code, "
        "groupesSavoirs[].savoirs[].code",
    ),
    _text(
        "competence_type",
        "Kind of the compétence (MACRO-SAVOIR-FAIRE, SAVOIR...).",
        f"{ROME_FICHE}: ...competences[].type, ...savoirs[].type",
    ),
    _text(
        "competence_libelle",
        "The compétence.",
        f"{ROME_FICHE}: ...competences[].libelle, ...savoirs[].libelle",
    ),
    sa.Index("ix_rome_fiches_metiers_competences_code", "competence_code"),
    comment="The compétences each fiche métier lists, by group: one row per (fiche, "
    "compétence). Joins a ROME code (offres.rome_code) to the compétences offers ask "
    "for (offres_competences.code). Replaced with rome_fiches_metiers.",
)

rome_contextes_travail = sa.Table(
    "rome_contextes_travail",
    metadata,
    _text(
        "code",
        "Working context code.",
        f"{ROME_CONTEXTE}: code",
        primary_key=True,
    ),
    _text("libelle", "The working context.", f"{ROME_CONTEXTE}: libelle"),
    _text(
        "categorie",
        "Category (HORAIRE_ET_DUREE_TRAVAIL, CONDITIONS_TRAVAIL, "
        "LIEU_ET_DEPLACEMENT...).",
        f"{ROME_CONTEXTE}: categorie",
    ),
    comment="ROME 4.0 working contexts (hours, conditions, places); "
    "rome_metiers_contextes_travail says which métiers they apply to. Replaced as a "
    "whole at each refresh.",
)

# La Bonne Boîte ------------------------------------------------------------------

labonneboite_entreprises = sa.Table(
    "labonneboite_entreprises",
    metadata,
    _text(
        "departement",
        "The département searched: the partition of the load (joins "
        "offres.lieu_travail_departement).",
        "the department_number of the search",
        primary_key=True,
    ),
    _text(
        "siret",
        "SIRET of the establishment.",
        f"{LABONNEBOITE}.siret",
        primary_key=True,
    ),
    _text(
        "rome",
        "ROME code the establishment is likely to hire for (offres.rome_code).",
        f"{LABONNEBOITE}.rome",
        primary_key=True,
    ),
    _text("company_name", "Company name.", f"{LABONNEBOITE}.company_name"),
    _text("office_name", "Establishment name.", f"{LABONNEBOITE}.office_name"),
    _text(
        "naf",
        "NAF code, without the dot (6202A).",
        f"{LABONNEBOITE}.naf",
    ),
    _text("naf_label", "Label of the NAF code.", f"{LABONNEBOITE}.naf_label"),
    _column(
        "headcount_min",
        sa.Integer(),
        "Lower bound of the headcount bracket.",
        f"{LABONNEBOITE}.headcount_min",
    ),
    _column(
        "headcount_max",
        sa.Integer(),
        "Upper bound of the headcount bracket.",
        f"{LABONNEBOITE}.headcount_max",
    ),
    _column(
        "location_lat",
        sa.Float(),
        "Latitude of the establishment.",
        f"{LABONNEBOITE}.location.lat",
    ),
    _column(
        "location_lon",
        sa.Float(),
        "Longitude of the establishment.",
        f"{LABONNEBOITE}.location.lon",
    ),
    _text("city", "Commune name.", f"{LABONNEBOITE}.city"),
    _text(
        "citycode",
        "INSEE code of the commune (referentiel_communes.code).",
        f"{LABONNEBOITE}.citycode",
    ),
    _text("postcode", "Postal code.", f"{LABONNEBOITE}.postcode"),
    _text("department", "Name of the département.", f"{LABONNEBOITE}.department"),
    _text("region", "Name of the région.", f"{LABONNEBOITE}.region"),
    _column(
        "hiring_potential",
        sa.Float(),
        "Hiring potential score: the higher, the likelier to hire soon.",
        f"{LABONNEBOITE}.hiring_potential",
    ),
    _column(
        "is_high_potential",
        sa.Boolean(),
        "True for the establishments La Bonne Boîte marks as high potential.",
        f"{LABONNEBOITE}.is_high_potential",
    ),
    _text(
        "email",
        "yes or no, as the API serves it (whether it has an e-mail contact); an "
        "address, if one is served, is stored only by loads asked to store contacts.",
        f"{LABONNEBOITE}.email",
    ),
    _raw(
        "The item as the API served it, without contact details unless the load "
        "stored them.",
        f"{LABONNEBOITE}",
    ),
    _loaded_at("When the département's partition was loaded."),
    sa.Index("ix_labonneboite_entreprises_rome", "rome"),
    comment="Establishments La Bonne Boîte expects to hire, per département and ROME "
    "code: the ROME codes of the département's open offers. One row per "
    "(département, SIRET, ROME code); each département's rows are replaced together.",
)

# Marché du travail ---------------------------------------------------------------

_PERIODE = f"{MARCHE_TRAVAIL}: listeValeursParPeriode[]"

# (column, field of a period's value, meaning): with the indicator, a value's key.
_PERIOD_KEY_FIELDS: tuple[tuple[str, str, str], ...] = (
    (
        "code_type_territoire",
        "codeTypeTerritoire",
        "Kind of territory: NAT, REG, DEP...",
    ),
    (
        "code_territoire",
        "codeTerritoire",
        "Territory code; for DEP, joins offres.lieu_travail_departement.",
    ),
    (
        "code_type_activite",
        "codeTypeActivite",
        "Kind of activity: CUMUL (every job) or ROME.",
    ),
    (
        "code_activite",
        "codeActivite",
        "Activity code: CUMUL, or a ROME code (offres.rome_code).",
    ),
    ("code_type_periode", "codeTypePeriode", "Kind of period: TRIMESTRE or ANNEE."),
    (
        "code_periode",
        "codePeriode",
        "The period: 2025T3 for a quarter, 2025 for a year.",
    ),
)
INDICATOR_KEY: tuple[str, ...] = (
    "indicateur",
    *(column for column, _, _ in _PERIOD_KEY_FIELDS),
)


def _indicator_key() -> list[sa.Column]:
    """The columns that identify a value: indicator, territory, activity, period."""
    return [
        _text(
            "indicateur",
            "The indicator: stat-offres (offers), stat-demandeurs (job seekers).",
            MARCHE_TRAVAIL,
            primary_key=True,
        ),
        *(
            _text(column, meaning, f"{_PERIODE}.{path}", primary_key=True)
            for column, path, meaning in _PERIOD_KEY_FIELDS
        ),
    ]


marche_travail_indicateurs = sa.Table(
    "marche_travail_indicateurs",
    metadata,
    *_indicator_key(),
    _text("lib_territoire", "Name of the territory.", f"{_PERIODE}.libTerritoire"),
    _text("lib_activite", "Name of the activity.", f"{_PERIODE}.libActivite"),
    _text(
        "code_nomenclature",
        "Nomenclature of the figures, as asked.",
        f"{_PERIODE}.codeNomenclature",
    ),
    _text("lib_periode", "Name of the period.", f"{_PERIODE}.libPeriode"),
    _column(
        "valeur_principale_nombre",
        sa.Float(),
        "The indicator's value: offers registered, or job seekers, in the period.",
        f"{_PERIODE}.valeurPrincipaleNombre",
    ),
    _loaded_at("When this value was last read from the API."),
    comment="Labour-market indicators per territory, activity and period: one row "
    "per value. A refresh replaces the periods it read and keeps older ones.",
)

_CARACT = f"{_PERIODE}.listeValeurParCaract[]"

marche_travail_caracteristiques = sa.Table(
    "marche_travail_caracteristiques",
    metadata,
    *_indicator_key(),
    _text(
        "code_type_caract",
        "Kind of breakdown: TYPE_CONTRAT for offers, CATCAND for job seekers...",
        f"{_CARACT}.codeTypeCaract",
        primary_key=True,
    ),
    _text(
        "code_caract",
        "Value of the breakdown (CDI, A...).",
        f"{_CARACT}.codeCaract",
        primary_key=True,
    ),
    _text("lib_caract", "Name of the breakdown value.", f"{_CARACT}.libCaract"),
    _column("nombre", sa.Float(), "Value for this breakdown.", f"{_CARACT}.nombre"),
    _column(
        "pourcentage",
        sa.Float(),
        "Share of the indicator's value, in percent.",
        f"{_CARACT}.pourcentage",
    ),
    _loaded_at("When this value was last read from the API."),
    comment="Breakdown of each labour-market indicator (by contract type, job-seeker "
    "category...): one row per value of marche_travail_indicateurs and breakdown.",
)

# Agencies ------------------------------------------------------------------------

agences = sa.Table(
    "agences",
    metadata,
    _text("code", "Agency code (OCC0043).", f"{AGENCES}: code", primary_key=True),
    _text("code_safir", "SAFIR code of the agency.", f"{AGENCES}: codeSafir"),
    _text("libelle", "Short name.", f"{AGENCES}: libelle"),
    _text("libelle_etendu", "Full name.", f"{AGENCES}: libelleEtendu"),
    _text("type", "Kind of site (APE: agency).", f"{AGENCES}: type"),
    _text("type_accueil", "Kind of reception.", f"{AGENCES}: typeAccueil"),
    _text(
        "code_region_insee",
        "INSEE code of the région (referentiel_regions.code).",
        f"{AGENCES}: codeRegionINSEE",
    ),
    _column(
        "dispositif_adeda",
        sa.Boolean(),
        "Whether the agency takes part in the ADEDA scheme.",
        f"{AGENCES}: dispositifADEDA",
    ),
    _text("siret", "SIRET of the agency.", f"{AGENCES}: siret"),
    _text(
        "adresse_principale_ligne4",
        "Street line of the address.",
        f"{AGENCES}: adressePrincipale.ligne4",
    ),
    _text(
        "adresse_principale_ligne5",
        "Locality line of the address, when given.",
        f"{AGENCES}: adressePrincipale.ligne5",
    ),
    _text(
        "adresse_principale_ligne6",
        "Postal code and town.",
        f"{AGENCES}: adressePrincipale.ligne6",
    ),
    _column(
        "adresse_principale_gps_lat",
        sa.Float(),
        "Latitude.",
        f"{AGENCES}: adressePrincipale.gpsLat",
    ),
    _column(
        "adresse_principale_gps_lon",
        sa.Float(),
        "Longitude.",
        f"{AGENCES}: adressePrincipale.gpsLon",
    ),
    _text(
        "adresse_principale_commune_implantation",
        "INSEE code of the commune the agency is in (referentiel_communes.code).",
        f"{AGENCES}: adressePrincipale.communeImplantation",
    ),
    _text(
        "adresse_principale_bureau_distributeur",
        "Postal code.",
        f"{AGENCES}: adressePrincipale.bureauDistributeur",
    ),
    _text(
        "departement",
        "Département of the agency (joins offres.lieu_travail_departement).",
        f"{AGENCES}: adressePrincipale.communeImplantation, first 2 characters (3 "
        "overseas)",
    ),
    _text(
        "contact_telephone_public",
        "Public phone number; stored only by loads asked to store contacts.",
        f"{AGENCES}: contact.telephonePublic",
    ),
    _text(
        "contact_email",
        "E-mail address; stored only by loads asked to store contacts.",
        f"{AGENCES}: contact.email",
    ),
    _raw(
        "The agency as the API served it (opening hours included), without its "
        "contact details unless the load stored them.",
        AGENCES,
    ),
    comment="France Travail agencies, one row per agency. Replaced as a whole at "
    "each refresh.",
)

agences_zones_competence = sa.Table(
    "agences_zones_competence",
    metadata,
    _text(
        "agence_code",
        "The agency (agences.code).",
        f"{AGENCES}: code",
        primary_key=True,
    ),
    _text(
        "commune",
        "INSEE code of a commune the agency serves (offres.lieu_travail_commune).",
        f"{AGENCES}?zonecompetence=true: zoneCompetence[].communeInsee",
        primary_key=True,
    ),
    sa.Index("ix_agences_zones_competence_commune", "commune"),
    comment="The communes each agency serves: one row per (agency, commune). Joins an "
    "offer's commune to its agency. Replaced with agences.",
)

PARTNER_TABLES: tuple[sa.Table, ...] = (
    rome_metiers,
    rome_metiers_contextes_travail,
    rome_appellations,
    rome_competences,
    rome_fiches_metiers,
    rome_fiches_metiers_competences,
    rome_contextes_travail,
    labonneboite_entreprises,
    marche_travail_indicateurs,
    marche_travail_caracteristiques,
    agences,
    agences_zones_competence,
)
