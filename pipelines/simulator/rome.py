"""ROME 4.0: the métiers, compétences, fiches métiers and contextes de travail APIs.

Each is a separate API (own scope, own quota of about one request per second) answering
full lists in one response, without paging; the ``champs`` field selector is accepted
and ignored. The métiers are those of `nomenclature`, the ones offers carry in
``romeCode``, and the compétences of a métier include every compétence code its offers
carry, so both tables join to the offers.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pipelines.simulator import nomenclature
from pipelines.simulator.nomenclature import Metier
from pipelines.simulator.responses import ApiError, json_response

# Holland (RIASEC) profiles by grand domaine: (majeur, mineur).
_RIASEC = {
    "A": ("R", "S"), "C": ("C", "E"), "D": ("E", "S"), "E": ("A", "E"),
    "F": ("R", "C"), "G": ("R", "S"), "H": ("R", "I"), "I": ("R", "I"),
    "J": ("S", "I"), "K": ("S", "R"), "M": ("C", "I"), "N": ("R", "C"),
}  # fmt: skip

_ENJEUX = (
    ("100001", "Organisation et qualité du travail"),
    ("100002", "Relation client et communication"),
    ("100003", "Technique du métier"),
)
_CATEGORIES_SAVOIRS = (
    ("200001", "Domaines d'expertise"),
    ("200002", "Outils et normes"),
)

# code|libellé|catégorie
_CONTEXTES = """
400001|Travail en horaires décalés|HORAIRE_ET_DUREE_TRAVAIL
400002|Travail le week-end|HORAIRE_ET_DUREE_TRAVAIL
400003|Travail de nuit|HORAIRE_ET_DUREE_TRAVAIL
400004|Travail en équipe|CONDITIONS_TRAVAIL
400005|Port de charges|CONDITIONS_TRAVAIL
400006|Station debout prolongée|CONDITIONS_TRAVAIL
400007|Travail en extérieur|LIEU_ET_DEPLACEMENT
400008|Déplacements fréquents|LIEU_ET_DEPLACEMENT
400009|Contact avec le public|TYPE_BENEFICIAIRE
400010|Entreprise|TYPE_STRUCTURE_ACCUEIL
400011|Établissement de santé|TYPE_STRUCTURE_ACCUEIL
400012|Collectivité territoriale|TYPE_STRUCTURE_ACCUEIL
"""

# Contextes per grand domaine, by code suffix.
_CONTEXTES_BY_DOMAINE = {
    "A": (7, 5, 10), "C": (9, 10), "D": (9, 6, 2), "E": (10, 1), "F": (7, 5, 4),
    "G": (1, 2, 6), "H": (4, 1, 10), "I": (8, 4, 10), "J": (3, 11, 4), "K": (9, 12, 1),
    "M": (10, 4), "N": (1, 5, 8),
}  # fmt: skip


def _competence_item(competence: nomenclature.Competence) -> dict:
    return {
        "type": competence.type,
        "code": competence.code,
        "libelle": competence.libelle,
    }


@cache
def _contextes() -> tuple[dict, ...]:
    rows = [line.split("|") for line in _CONTEXTES.strip().splitlines()]
    return tuple({"code": c, "libelle": lib, "categorie": cat} for c, lib, cat in rows)


def _metier_reference(metier: Metier) -> dict:
    return {"code": metier.code, "libelle": metier.libelle}


def metier_detail(metier: Metier) -> dict:
    """A métier with its domain, appellations and compétences."""
    letter = metier.grand_domaine
    competences = [
        _competence_item(c) for c in nomenclature.competences_for_grand_domaine(letter)
    ]
    majeur, mineur = _RIASEC[letter]
    return {
        "obsolete": False,
        "code": metier.code,
        "libelle": metier.libelle,
        "definition": f"Exerce les activités du métier « {metier.libelle} » "
        "selon les règles de sécurité et les consignes de l'employeur.",
        "accesEmploi": "Ce métier est accessible avec un diplôme ou une expérience "
        "professionnelle dans le domaine.",
        "riasecMajeur": majeur,
        "riasecMineur": mineur,
        "domaineProfessionnel": {
            "code": metier.domaine,
            "libelle": nomenclature.DOMAINES[metier.domaine],
            "grandDomaine": {
                "code": letter,
                "libelle": nomenclature.GRANDS_DOMAINES[letter],
            },
        },
        "appellations": [_appellation_item(a) for a in metier.appellations],
        "competencesMobiliseesPrincipales": competences[:3],
        "competencesMobilisees": competences,
        "contextesTravail": [
            _contextes()[suffix - 1] for suffix in _CONTEXTES_BY_DOMAINE[letter]
        ],
    }


def _appellation_item(appellation: nomenclature.Appellation) -> dict:
    return {
        "code": appellation.code,
        "libelle": appellation.libelle,
        "libelleCourt": appellation.libelle.split(" / ")[0],
    }


def _fiche(metier: Metier) -> dict:
    competences = nomenclature.competences_for_grand_domaine(metier.grand_domaine)
    savoir_faire = [c for c in competences if c.type != "SAVOIR"]
    savoirs = [c for c in competences if c.type == "SAVOIR"]
    return {
        "code": metier.code,
        "metier": _metier_reference(metier),
        "groupesCompetencesMobilisees": [
            {
                "enjeu": {"code": code, "libelle": libelle},
                "competences": [_competence_item(c) for c in savoir_faire[index::3]],
            }
            for index, (code, libelle) in enumerate(_ENJEUX)
        ],
        "groupesSavoirs": [
            {
                "categorieSavoirs": {"code": code, "libelle": libelle},
                "savoirs": [_competence_item(c) for c in savoirs[index::2]],
            }
            for index, (code, libelle) in enumerate(_CATEGORIES_SAVOIRS)
        ],
    }


def _by_code(items: dict[str, dict], kind: str) -> Callable:
    def endpoint(request: Request) -> Response:
        code = request.path_params["code"]
        if code not in items:
            raise ApiError(
                404, f"Aucun élément « {kind} » ne correspond au code {code}."
            )
        return json_response(items[code])

    return endpoint


def _listing(items: list) -> Callable:
    def endpoint(request: Request) -> Response:
        return json_response(items)

    return endpoint


def metiers_routes() -> list[Route]:
    """``/partenaire/rome-metiers/v1/metiers/...``"""
    metiers = nomenclature.metiers()
    appellations = {
        a.code: {
            **_appellation_item(a),
            "metier": _metier_reference(nomenclature.metiers_by_code()[a.rome_code]),
        }
        for a in nomenclature.appellations()
    }
    domaines = [
        {
            "code": code,
            "libelle": libelle,
            "grandDomaine": {
                "code": code[0],
                "libelle": nomenclature.GRANDS_DOMAINES[code[0]],
            },
        }
        for code, libelle in nomenclature.DOMAINES.items()
    ]
    return [
        Route("/metiers/metier", _listing([_metier_reference(m) for m in metiers])),
        Route(
            "/metiers/metier/{code}",
            _by_code({m.code: metier_detail(m) for m in metiers}, "métier"),
        ),
        Route("/metiers/appellation", _listing(list(appellations.values()))),
        Route("/metiers/appellation/{code}", _by_code(appellations, "appellation")),
        Route("/metiers/domaine-professionnel", _listing(domaines)),
        Route(
            "/metiers/grand-domaine",
            _listing(
                [
                    {"code": c, "libelle": lib}
                    for c, lib in nomenclature.GRANDS_DOMAINES.items()
                ]
            ),
        ),
    ]


def competences_routes() -> list[Route]:
    """``/partenaire/rome-competences/v1/competences/...``"""
    competences = {c.code: _competence_item(c) for c in nomenclature.competences()}
    by_metier = {
        m.code: {
            **_metier_reference(m),
            "competencesMobilisees": metier_detail(m)["competencesMobilisees"],
        }
        for m in nomenclature.metiers()
    }
    return [
        Route("/competences/competence", _listing(list(competences.values()))),
        Route("/competences/competence/{code}", _by_code(competences, "compétence")),
        Route("/competences/metier/{code}", _by_code(by_metier, "métier")),
    ]


def fiches_metiers_routes() -> list[Route]:
    """``/partenaire/rome-fiches-metiers/v1/fiches-rome/...``"""
    fiches = {m.code: _fiche(m) for m in nomenclature.metiers()}
    summaries = [{"code": f["code"], "metier": f["metier"]} for f in fiches.values()]
    return [
        Route("/fiches-rome/fiche-metier", _listing(summaries)),
        Route("/fiches-rome/fiche-metier/{code}", _by_code(fiches, "fiche métier")),
    ]


def contextes_travail_routes() -> list[Route]:
    """``/partenaire/rome-contextes-travail/v1/situations-travail/...``"""
    contextes = {c["code"]: c for c in _contextes()}
    return [
        Route("/situations-travail/contexte-travail", _listing(list(_contextes()))),
        Route(
            "/situations-travail/contexte-travail/{code}",
            _by_code(contextes, "contexte de travail"),
        ),
    ]
