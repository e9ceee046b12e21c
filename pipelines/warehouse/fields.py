"""The offer JSON as the warehouse sees it: scalar fields, arrays, and every known path.

This module is the single description of an offer (``Offre``) of the offers API. The
`offres` table takes one typed column per scalar field listed here, named by
`snake_case` of its JSON path; the child tables take one row per item of the arrays
listed here; and any path not listed here is reported as schema drift.
The descriptions end up in the schema comments and in the data dictionary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "float", "int", "bool", "datetime"]

_LOWER_THEN_UPPER = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_ACRONYM_THEN_WORD = re.compile(r"(?<=[A-Z])(?=[A-Z][a-z])")


def snake_case(path: str) -> str:
    """The column name of a JSON path.

    ``lieuTravail.codePostal`` -> ``lieu_travail_code_postal``.

    Runs of capitals are one word (``accessibleTH`` -> ``accessible_th``, ``codeNAF`` ->
    ``code_naf``) and the dots of the path become underscores.
    """
    words = []
    for segment in path.split("."):
        segment = _ACRONYM_THEN_WORD.sub("_", _LOWER_THEN_UPPER.sub("_", segment))
        words.append(segment.lower())
    return "_".join(words)


@dataclass(frozen=True)
class Field:
    """One scalar of the offer JSON and the typed column that holds it."""

    path: str
    kind: Kind
    description: str

    @property
    def column(self) -> str:
        return snake_case(self.path)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.path.split("."))


# Every scalar field of an offer, in the order of the columns of `offres`.
SCALAR_FIELDS: tuple[Field, ...] = (
    Field(
        "id",
        "text",
        "Offer identifier: 7 characters, letters and digits for France Travail "
        "offers (184TRJB), digits only for partner offers.",
    ),
    Field("intitule", "text", "Job title as written by the employer."),
    Field("description", "text", "Full text of the offer (plain text, with newlines)."),
    Field("dateCreation", "datetime", "When the offer was created, in UTC."),
    Field("dateActualisation", "datetime", "When the offer was last updated, in UTC."),
    Field(
        "lieuTravail.libelle",
        "text",
        "Workplace label: '75 - PARIS 08', a département ('44 - Loire Atlantique'), "
        "a région ('Grand Est') or 'France'.",
    ),
    Field("lieuTravail.latitude", "float", "Workplace latitude (WGS 84)."),
    Field("lieuTravail.longitude", "float", "Workplace longitude (WGS 84)."),
    Field("lieuTravail.codePostal", "text", "Workplace postal code."),
    Field(
        "lieuTravail.commune",
        "text",
        "Workplace commune, INSEE code (joins referentiel_communes.code).",
    ),
    Field(
        "romeCode",
        "text",
        "ROME job code, e.g. M1811 (joins referentiel_metiers.code).",
    ),
    Field("romeLibelle", "text", "Label of the ROME job code."),
    Field(
        "appellationlibelle",
        "text",
        "Label of the ROME appellation (the API spells the key with a lowercase l).",
    ),
    Field("entreprise.nom", "text", "Employer name; absent for anonymous employers."),
    Field("entreprise.description", "text", "Employer description."),
    Field("entreprise.logo", "text", "URL of the employer's logo."),
    Field("entreprise.url", "text", "Employer website."),
    Field(
        "entreprise.entrepriseAdaptee",
        "bool",
        "The employer is an 'entreprise adaptée' (employs mostly disabled workers).",
    ),
    Field(
        "typeContrat",
        "text",
        "Contract type code: CDI, CDD, MIS, ... "
        "(joins referentiel_types_contrats.code).",
    ),
    Field(
        "typeContratLibelle",
        "text",
        "Contract type as displayed, free-form ('CDD - 12 Mois').",
    ),
    Field(
        "natureContrat",
        "text",
        "Contract nature as a label ('Contrat travail'), not a code.",
    ),
    Field(
        "experienceExige",
        "text",
        "Experience: D beginner accepted, S wished, E required.",
    ),
    Field("experienceLibelle", "text", "Experience as displayed ('5 An(s)')."),
    Field("experienceCommentaire", "text", "Free comment on the experience required."),
    Field(
        "salaire.libelle",
        "text",
        "Salary as displayed ('Mensuel de 2500 Euros à 2800 Euros sur 12 mois').",
    ),
    Field("salaire.commentaire", "text", "Free comment on the salary."),
    Field("salaire.complement1", "text", "First salary complement ('Chèque repas')."),
    Field("salaire.complement2", "text", "Second salary complement."),
    Field(
        "dureeTravailLibelle",
        "text",
        "Working hours as displayed ('35H Travail en journée').",
    ),
    Field(
        "dureeTravailLibelleConverti",
        "text",
        "Working time: 'Temps plein' or 'Temps partiel'.",
    ),
    Field("complementExercice", "text", "Complement on the working conditions."),
    Field("conditionExercice", "text", "Working conditions."),
    Field("alternance", "bool", "The offer is a work-study (alternance) contract."),
    Field(
        "contact.nom",
        "text",
        "Contact person's name. Personal data: stored only on request.",
    ),
    Field(
        "contact.coordonnees1",
        "text",
        "Contact postal line 1. Personal data: stored only on request.",
    ),
    Field(
        "contact.coordonnees2",
        "text",
        "Contact postal line 2. Personal data: stored only on request.",
    ),
    Field(
        "contact.coordonnees3",
        "text",
        "Contact postal line 3. Personal data: stored only on request.",
    ),
    Field(
        "contact.telephone",
        "text",
        "Contact phone number. Personal data: stored only on request.",
    ),
    Field(
        "contact.courriel",
        "text",
        "Contact e-mail (nowadays usually a sentence with the application link). "
        "Personal data: stored only on request.",
    ),
    Field("contact.commentaire", "text", "Comment on how to apply."),
    Field("contact.urlRecruteur", "text", "Recruiter's website."),
    Field("contact.urlPostulation", "text", "Where to apply."),
    Field("agence.telephone", "text", "Phone of the France Travail agency in charge."),
    Field("agence.courriel", "text", "E-mail of the France Travail agency in charge."),
    Field("nombrePostes", "int", "Number of positions offered."),
    Field("accessibleTH", "bool", "Open to workers with a recognised disability."),
    Field("deplacementCode", "text", "Travel frequency code."),
    Field(
        "deplacementLibelle", "text", "Travel frequency ('Ponctuels Zone régionale')."
    ),
    Field("qualificationCode", "text", "Qualification code, 1 to 9 (9 = cadre)."),
    Field("qualificationLibelle", "text", "Qualification label ('Cadre')."),
    Field(
        "codeNAF",
        "text",
        "Employer's NAF activity code, e.g. 62.02A (joins referentiel_nafs.code).",
    ),
    Field(
        "secteurActivite",
        "text",
        "NAF division, 2 digits (joins referentiel_secteurs_activites.code).",
    ),
    Field("secteurActiviteLibelle", "text", "Label of the NAF division."),
    Field("trancheEffectifEtab", "text", "Size band of the employer's establishment."),
    Field(
        "origineOffre.origine",
        "text",
        "Origin of the offer: '1' France Travail, '2' a partner site.",
    ),
    Field("origineOffre.urlOrigine", "text", "URL of the offer at its origin."),
    Field(
        "offresManqueCandidats",
        "bool",
        "The offer is in a trade short of candidates.",
    ),
    Field("entrepriseAdaptee", "bool", "Offer from an 'entreprise adaptée'."),
    Field(
        "employeurHandiEngage",
        "bool",
        "The employer is committed to hiring disabled workers.",
    ),
)

# Personal data of the contact person: stored, in columns and in the raw JSON, only
# when a load is asked to (the offers licence and the GDPR).
PERSONAL_CONTACT_KEYS: tuple[str, ...] = (
    "nom",
    "telephone",
    "courriel",
    "coordonnees1",
    "coordonnees2",
    "coordonnees3",
)


@dataclass(frozen=True)
class ChildTable:
    """An array of the offer, landed as one row per item in its own table."""

    table: str
    path: str
    fields: tuple[Field, ...]
    description: str

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.path.split("."))


CHILD_TABLES: tuple[ChildTable, ...] = (
    ChildTable(
        "offres_competences",
        "competences",
        (
            Field(
                "code", "text", "Skill code of the ROME; absent for free-text skills."
            ),
            Field("libelle", "text", "Skill label."),
            Field("exigence", "text", "E required, S wished."),
        ),
        "Skills asked by an offer, one row per item of `competences`.",
    ),
    ChildTable(
        "offres_formations",
        "formations",
        (
            Field("codeFormation", "text", "Training domain code."),
            Field("domaineLibelle", "text", "Training domain label."),
            Field(
                "niveauLibelle",
                "text",
                "Education level ('Bac+5 et plus ou équivalents').",
            ),
            Field("commentaire", "text", "Free comment on the training."),
            Field("exigence", "text", "E required, S wished."),
        ),
        "Education asked by an offer, one row per item of `formations`.",
    ),
    ChildTable(
        "offres_langues",
        "langues",
        (
            Field("libelle", "text", "Language ('Anglais')."),
            Field("exigence", "text", "E required, S wished."),
        ),
        "Languages asked by an offer, one row per item of `langues`.",
    ),
    ChildTable(
        "offres_permis",
        "permis",
        (
            Field("libelle", "text", "Driving licence ('B - Véhicule léger')."),
            Field("exigence", "text", "E required, S wished."),
        ),
        "Driving licences asked by an offer, one row per item of `permis`.",
    ),
    ChildTable(
        "offres_qualites_professionnelles",
        "qualitesProfessionnelles",
        (
            Field("libelle", "text", "Soft skill ('Faire preuve d'autonomie')."),
            Field("description", "text", "What the soft skill means."),
        ),
        "Soft skills asked by an offer, one row per item of "
        "`qualitesProfessionnelles`.",
    ),
    ChildTable(
        "offres_partenaires",
        "origineOffre.partenaires",
        (
            Field("nom", "text", "Partner site name."),
            Field("url", "text", "The offer on the partner site."),
            Field("logo", "text", "URL of the partner's logo."),
        ),
        "Partner sites carrying an offer, one row per item of "
        "`origineOffre.partenaires`.",
    ),
)

# Salary complements come from two shapes of the API: the older `complement1` and
# `complement2` strings and the newer `listeComplements` array of {code, libelle}.
SALARY_COMPLEMENTS_TABLE = "offres_salaire_complements"
SALARY_COMPLEMENT_FIELDS: tuple[Field, ...] = (
    Field(
        "source",
        "text",
        "Where the complement was read: listeComplements, complement1 or complement2.",
    ),
    Field("code", "text", "Complement code (listeComplements only)."),
    Field("libelle", "text", "Complement label ('Chèque repas', 'Primes')."),
)

# Arrays and objects known to the warehouse but kept in the raw JSON only.
_RAW_ONLY_PATHS: tuple[str, ...] = (
    "outilsBureautiques[]",
    "contexteTravail.horaires[]",
    "contexteTravail.conditionsExercice[]",
    "salaire.listeComplements[].code",
    "salaire.listeComplements[].libelle",
)


def _known_paths() -> frozenset[str]:
    paths = {field.path for field in SCALAR_FIELDS}
    for child in CHILD_TABLES:
        paths.update(f"{child.path}[].{field.path}" for field in child.fields)
    paths.update(_RAW_ONLY_PATHS)
    return frozenset(paths)


KNOWN_PATHS: frozenset[str] = _known_paths()
