"""The JSON document of one offer, built from its compact record.

Shapes and rates follow captured API responses: France Travail offers (origine "1")
carry contact, agence, qualification and NAF; partner offers (origine "2") carry none of
them and name their partner site. Optional fields are absent at about the rates seen in
a real 150-offer page. Contacts hold fake personal details (names, phone numbers in the
ranges reserved for fiction, ``.example`` e-mail addresses) so privacy filtering has
work to do, and salary libellés come in the inconsistent forms the API really uses.

Every value is drawn from a generator seeded with the corpus seed and the offer id, so
an offer's document never depends on which other offers were built before it.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

from pipelines.simulator import agencies, geography, nomenclature
from pipelines.simulator.names import COMPANY_WORDS, FIRST_NAMES, SURNAMES
from pipelines.simulator.records import (
    PLACE_COMMUNE,
    PLACE_DEPARTEMENT,
    PLACE_REGION,
    CompactOffer,
    Revision,
)

APPLY_URL = "https://candidat.francetravail.fr/offres/recherche/detail/{id}"
APPLY_TEXT = "Pour postuler, utiliser le lien suivant : " + APPLY_URL
PARTNER_LOGO = "https://www.francetravail.fr/logos/img/partenaires/{slug}80.png"

PARTNERS = ("HANDICAP_JOB", "METEOJOB", "DIRECTEMPLOI", "HELLOWORK", "JOBIJOBA")

_SALARY_EXTRAS = (
    "Primes", "Mutuelle", "Chèque repas", "Participation/action", "Pc portable",
    "Restauration", "CE", "Autre", "Véhicule", "Intéressement", "13ème mois",
)  # fmt: skip
_SALARY_COMMENTS = (
    "A partir de {k} k€ annuel brut", "{k}K€ - {k2}K€ par an",
    "Salaire selon profil et expérience", "selon profil", "SELON LE PROFIL",
    "Selon convention collective", "Selon expérience",
)  # fmt: skip
_WORK_PATTERNS = (
    "Travail en journée", "Horaires normaux", "Travail en équipe",
    "Travail le samedi", "Travail en horaires décalés",
)  # fmt: skip
_FORMATION_DOMAINS = (
    ("31054", "informatique"), ("31026", "data science"), ("32663", "comptabilité"),
    ("42056", "cuisine"), ("43436", "soins infirmiers"), ("22454", "électricité"),
    ("31795", "logistique"), ("34566", "commerce"), ("44054", "action sociale"),
)  # fmt: skip
_CONTEXT_HOURS = ("Horaires normaux", "Travail en journée", "Travail le week-end")
_CONTEXT_CONDITIONS = ("Travail en équipe", "Port de charges", "Station debout")


def _iso_ms(epoch_ms: int) -> str:
    """``2024-11-27T14:45:20.137Z``: the API's timestamp form, milliseconds and a Z."""
    instant = datetime.fromtimestamp(epoch_ms // 1000, UTC)
    return instant.strftime("%Y-%m-%dT%H:%M:%S") + f".{epoch_ms % 1000:03d}Z"


def _slug(text: str) -> str:
    return "".join(c for c in geography.plain_upper(text).lower() if c.isalnum())


def _company_name(rng: random.Random, letter: str, interim: bool) -> str:
    surname = rng.choice(SURNAMES)
    if interim:
        return rng.choice((f"INTERIM {surname}", f"{surname} TRAVAIL TEMPORAIRE"))
    word = rng.choice(COMPANY_WORDS[letter])
    return rng.choice(
        (
            f"{word} {surname}",
            f"{surname} {word}",
            f"{surname} ET FILS",
            f"GROUPE {surname}",
        )
    )


def masculine_form(appellation: str) -> str:
    """``Agent / Agente de nettoyage`` -> ``Agent de nettoyage``.

    The feminine half repeats as many words as the masculine half has; what follows
    them is the shared complement.
    """
    if " / " not in appellation:
        return appellation
    masculine, feminine = appellation.split(" / ", 1)
    complement = feminine.split()[len(masculine.split()) :]
    return " ".join([masculine, *complement])


def _title(rng: random.Random, appellation: str) -> str:
    masculine = masculine_form(appellation)
    return rng.choice((appellation, f"{masculine} (H/F)", f"{masculine} H/F"))


def _place(record: CompactOffer, rng: random.Random) -> dict:
    commune = geography.communes()[record.commune]
    departement = geography.departements_by_code()[commune.departement]
    if record.place == PLACE_COMMUNE:
        name = commune.work_label if rng.random() < 0.8 else commune.name
        return {
            "libelle": f"{commune.departement} - {name}",
            "latitude": commune.latitude,
            "longitude": commune.longitude,
            "codePostal": commune.code_postal,
            "commune": commune.code,
        }
    if record.place == PLACE_DEPARTEMENT:
        if departement.code == "75":
            return {"libelle": "75 - Paris (Dept.)"}
        return {
            "libelle": f"{departement.code} - {departement.libelle.replace('-', ' ')}"
        }
    if record.place == PLACE_REGION:
        return {"libelle": geography.regions_by_code()[departement.region_code].libelle}
    return {"libelle": "France"}


def _experience(record: CompactOffer, rng: random.Random) -> tuple[str, str]:
    """(experienceExige, experienceLibelle) consistent with the offer's bucket."""
    bucket = record.experience
    if bucket == "0":
        return "D", "Débutant accepté"
    if bucket == "1":
        exige, amount = rng.choice("ES"), f"{rng.randint(1, 11)} Mois"
    elif bucket == "2":
        exige, amount = rng.choice("ES"), f"{rng.randint(1, 2)} An(s)"
    elif bucket == "3":
        exige, amount = "E", f"{rng.randint(3, 4)} An(s)"
    else:
        exige, amount = "E", f"{rng.randint(5, 10)} An(s)"
    if record.partner:
        return exige, f"Expérience exigée de {amount}"
    return exige, amount


def _salary(rng: random.Random, cadre: bool, partner: bool) -> dict:
    """A salary object in one of the forms the API really serves."""
    if partner:
        if rng.random() < 0.9:
            return {}
        return {
            "libelle": f"Annuel de {rng.randrange(24, 60) * 1000}.0 Euros sur 12.0 mois"
        }

    roll = rng.random()
    monthly = rng.randrange(1800, 5500 if cadre else 2800, 50)
    yearly = monthly * 12 if not cadre else rng.randrange(38, 75) * 1000
    salary: dict = {}
    if roll < 0.62:
        forms = (
            f"Mensuel de {monthly} Euros à {monthly + 300} Euros sur 12 mois",
            f"Mensuel de {monthly}.0 Euros sur 12.0 mois",
            f"Mensuel de {monthly:.2f} Euros sur 13 mois",
            f"Annuel de {yearly}.0 Euros à {yearly + 5000}.0 Euros sur 12.0 mois",
            f"Annuel de {yearly:.2f} Euros sur 12 mois",
            f"Horaire de {rng.randrange(1188, 1800) / 100:.2f} Euros sur 151.67 heures",
            # A yearly amount filed as monthly: it happens in real offers.
            f"Mensuel de {yearly}.0 Euros à {yearly + 10000}.0 Euros sur 12.0 mois",
        )
        salary["libelle"] = rng.choice(forms)
        if rng.random() < 0.15:
            salary["commentaire"] = rng.choice(_SALARY_COMMENTS[2:])
    elif roll < 0.82:
        kilo = yearly // 1000
        comment = rng.choice(_SALARY_COMMENTS)
        salary["commentaire"] = comment.format(k=kilo, k2=kilo + 10)
        salary["complement1"] = "Autre"
        return salary
    elif roll < 0.88:
        salary["complement1"] = rng.choice(_SALARY_EXTRAS)
        return salary
    else:
        return {}

    extras = rng.sample(_SALARY_EXTRAS, rng.choice((0, 1, 1, 2)))
    for position, extra in enumerate(extras, start=1):
        salary[f"complement{position}"] = extra
    if rng.random() < 0.05:
        salary["listeComplements"] = [
            {"code": str(_SALARY_EXTRAS.index(extra) + 1), "libelle": extra}
            for extra in extras
        ]
    return salary


def _contact(
    rng: random.Random, record: CompactOffer, company: str | None
) -> tuple[dict, dict]:
    """(contact, agence) of a France Travail offer."""
    apply_text = APPLY_TEXT.format(id=record.id)
    civility, first_name = rng.choice(FIRST_NAMES)
    last_name = rng.choice(SURNAMES)
    person = f"{civility} {first_name} {last_name}"
    roll = rng.random()

    if roll < 0.35 and company:
        contact = {"nom": f"{company} - {person}", "coordonnees1": apply_text}
        contact["courriel"] = apply_text
        return contact, {}
    if roll < 0.5:
        agency = agencies.agency_for_commune(geography.communes()[record.commune].code)
        contact = {
            "nom": agency.libelle,
            "coordonnees1": agency.street,
            "coordonnees2": agency.town_line,
            "coordonnees3": apply_text,
        }
        return contact, {"courriel": apply_text}
    if roll < 0.65:
        url = f"https://recrutement.{_slug(company or 'emploi')}.example/candidature"
        contact = {"coordonnees1": url, "urlPostulation": url}
        if company and rng.random() < 0.5:
            contact = {"nom": f"{company} - {person}", **contact}
        return contact, {}
    if roll < 0.8:
        domain = _slug(company or "recrutement") or "recrutement"
        phone = rng.choice(("01 99 00", "06 39 98")) + f" {rng.randrange(100):02d}"
        commune = geography.communes()[record.commune]
        contact = {
            "nom": f"{company or 'Recruteur'} - {person}",
            "coordonnees1": f"{rng.randrange(1, 120)} RUE {rng.choice(SURNAMES)}",
            "coordonnees2": f"{commune.code_postal} {commune.work_label}",
            "telephone": phone + f" {rng.randrange(100):02d}",
            "courriel": f"{_slug(first_name)}.{_slug(last_name)}@{domain}.example",
        }
        if rng.random() < 0.3:
            contact["commentaire"] = (
                "Merci de joindre un CV et une lettre de motivation"
            )
        return contact, ({"telephone": "39 49"} if rng.random() < 0.1 else {})
    return {}, {}


def build_offer(
    record: CompactOffer, seed: int, revision: Revision | None = None
) -> dict:
    """The document the API serves for one offer."""
    rng = random.Random(f"{seed}:offer:{record.id}")
    metier = nomenclature.metiers()[record.rome]
    appellation = rng.choice(metier.appellations)
    letter = metier.grand_domaine
    interim = record.type_contrat in ("MIS", "DIN", "TTI")
    company = _company_name(rng, letter, interim) if rng.random() < 0.75 else None
    place = _place(record, rng)
    city = place["libelle"].split(" - ", 1)[-1]
    exige, experience_libelle = _experience(record, rng)
    competences = nomenclature.competences_for_grand_domaine(letter)
    chosen = rng.sample(competences, min(len(competences), rng.randint(1, 6)))

    updated_ms = record.created_ms
    if revision is not None:
        updated_ms = revision.actualised_ms
    elif not record.partner:
        roll = rng.random()
        if roll < 0.35:
            updated_ms += rng.randrange(100, 1000)
        elif roll < 0.75:
            updated_ms += rng.randrange(60_000, 3 * 86_400_000)

    job = masculine_form(appellation.libelle).lower()
    description = [
        f"{company or 'Notre client'} recherche un(e) {job} à {city}.",
        "",
        "Vos missions :",
        *(f"- {competence.libelle}" for competence in chosen[:3]),
        "",
        "Votre profil :",
        f"{experience_libelle}. Vous êtes rigoureux(se) et aimez travailler en équipe.",
    ]
    offer: dict = {
        "id": record.id,
        "intitule": _title(rng, appellation.libelle),
        "description": "\n".join(description),
        "dateCreation": _iso_ms(record.created_ms),
        "dateActualisation": _iso_ms(updated_ms),
        "lieuTravail": place,
        "romeCode": metier.code,
        "romeLibelle": metier.libelle,
        "appellationlibelle": appellation.libelle,
        "entreprise": _entreprise(rng, company),
        "typeContrat": record.type_contrat,
        "typeContratLibelle": _contract_label(rng, record),
        "natureContrat": nomenclature.NATURES_CONTRATS[record.nature],
        "experienceExige": exige,
        "experienceLibelle": experience_libelle,
    }
    if record.partner:
        _add_partner_fields(offer, rng, record, letter)
    else:
        _add_france_travail_fields(offer, rng, record, letter, chosen, company)

    if revision is not None:
        # An update changes a field analysts see, not only the timestamp.
        offer["nombrePostes"] = offer.get("nombrePostes", 1) + revision.count
    return offer


def _entreprise(rng: random.Random, company: str | None) -> dict:
    entreprise: dict = {}
    if company:
        entreprise["nom"] = company
        if rng.random() < 0.1:
            entreprise["description"] = (
                f"{company} est une entreprise locale en croissance qui recrute "
                "régulièrement de nouveaux collaborateurs."
            )
        if rng.random() < 0.05:
            entreprise["url"] = f"https://www.{_slug(company)}.example"
    entreprise["entrepriseAdaptee"] = rng.random() < 0.02
    return entreprise


def _contract_label(rng: random.Random, record: CompactOffer) -> str:
    code = record.type_contrat
    if record.partner:
        return nomenclature.TYPES_CONTRATS[code]
    if code == "CDD":
        return f"CDD - {rng.choice((3, 6, 12, 18, 24))} Mois"
    if code == "MIS":
        return f"Intérim - {rng.choice((1, 3, 6, 18))} Mois"
    if code == "SAI":
        return f"Saisonnier - {rng.choice((2, 3, 4))} Mois"
    if code == "CDI":
        return "CDI"
    return nomenclature.TYPES_CONTRATS[code]


def _add_partner_fields(
    offer: dict, rng: random.Random, record: CompactOffer, letter: str
) -> None:
    offer["salaire"] = _salary(rng, cadre=False, partner=True)
    offer["alternance"] = record.nature in ("E2", "FS")
    offer["nombrePostes"] = 1
    offer["accessibleTH"] = rng.random() < 0.3
    if rng.random() < 0.14:
        code, libelle = rng.choice(nomenclature.nafs_for_grand_domaine(letter))
        offer["codeNAF"] = code
        offer["secteurActivite"] = code[:2]
        offer["secteurActiviteLibelle"] = libelle
    partner = rng.choice(PARTNERS)
    offer["origineOffre"] = {
        "origine": "2",
        "urlOrigine": APPLY_URL.format(id=record.id),
        "partenaires": [
            {
                "nom": partner,
                "url": f"https://www.{_slug(partner)}.example/offre/{record.id}",
                "logo": PARTNER_LOGO.format(slug=_slug(partner)),
            }
        ],
    }


def _add_france_travail_fields(
    offer: dict,
    rng: random.Random,
    record: CompactOffer,
    letter: str,
    chosen: list,
    company: str | None,
) -> None:
    cadre = record.qualification == "9"
    if rng.random() < 0.06:
        offer["experienceCommentaire"] = "Expérience sur un poste similaire"
    if rng.random() < 0.24:
        offer["formations"] = _formations(rng)
    if rng.random() < 0.2:
        offer["langues"] = [
            {"libelle": langue, "exigence": rng.choice("ES")}
            for langue in rng.sample(
                list(nomenclature.LANGUES.values()), rng.randint(1, 2)
            )
        ]
    if rng.random() < (0.6 if letter == "N" else 0.03):
        permis = rng.choice(("B", "C", "CE") if letter == "N" else ("B",))
        offer["permis"] = [
            {"libelle": nomenclature.PERMIS[permis], "exigence": rng.choice("ES")}
        ]
    if rng.random() < 0.47:
        offer["competences"] = _competences(rng, chosen)
    offer["salaire"] = _salary(rng, cadre=cadre, partner=False)

    hours = rng.choice((35, 35, 35, 39, 24, 28, 37, 38))
    minutes = rng.choice(("", "", "", "30", "10"))
    offer["dureeTravailLibelle"] = f"{hours}H{minutes}\n{rng.choice(_WORK_PATTERNS)}"
    offer["dureeTravailLibelleConverti"] = (
        "Temps plein" if hours >= 35 else "Temps partiel"
    )
    if rng.random() < 0.02:
        offer["complementExercice"] = rng.choice(("TT possible", "Travail le week-end"))
    offer["alternance"] = record.nature in ("E2", "FS")

    contact, agence = _contact(rng, record, company)
    offer["contact"] = contact
    offer["agence"] = agence
    offer["nombrePostes"] = 1 if rng.random() < 0.85 else rng.randint(2, 5)
    offer["accessibleTH"] = rng.random() < 0.1
    if rng.random() < 0.36:
        code, libelle = rng.choice(nomenclature.DEPLACEMENTS)
        offer["deplacementCode"] = code
        offer["deplacementLibelle"] = libelle

    qualification = "9" if cadre else str(rng.randint(1, 8))
    offer["qualificationCode"] = qualification
    offer["qualificationLibelle"] = nomenclature.QUALIFICATIONS[qualification]
    interim = record.type_contrat in ("MIS", "DIN", "TTI")
    if interim and rng.random() < 0.8:
        code, libelle = "78.20Z", "Activités des agences de travail temporaire"
    else:
        code, libelle = rng.choice(nomenclature.nafs_for_grand_domaine(letter))
    offer["codeNAF"] = code
    offer["secteurActivite"] = code[:2]
    offer["secteurActiviteLibelle"] = libelle
    if rng.random() < 0.45:
        qualities = rng.sample(
            nomenclature.QUALITES_PROFESSIONNELLES, rng.randint(1, 3)
        )
        offer["qualitesProfessionnelles"] = [
            {"libelle": libelle, "description": text} for libelle, text in qualities
        ]
    offer["origineOffre"] = {
        "origine": "1",
        "urlOrigine": APPLY_URL.format(id=record.id),
    }
    if rng.random() < 0.98:
        offer["offresManqueCandidats"] = rng.random() < 0.1
    if rng.random() < 0.1:
        offer["contexteTravail"] = {
            "horaires": [rng.choice(_CONTEXT_HOURS)],
            "conditionsExercice": [rng.choice(_CONTEXT_CONDITIONS)],
        }


def _formations(rng: random.Random) -> list[dict]:
    formations = []
    for _ in range(rng.choice((1, 1, 1, 2))):
        formation: dict = {}
        if rng.random() < 0.5:
            code, domain = rng.choice(_FORMATION_DOMAINS)
            formation["codeFormation"] = code
            formation["domaineLibelle"] = domain
        level = rng.choice(list(nomenclature.NIVEAUX_FORMATIONS.values())[3:])
        formation["niveauLibelle"] = level
        if rng.random() < 0.2:
            formation["commentaire"] = "ou expérience équivalente"
        formation["exigence"] = rng.choice("ES")
        formations.append(formation)
    return formations


def _competences(rng: random.Random, chosen: list) -> list[dict]:
    items = [
        {"code": competence.code, "libelle": competence.libelle, "exigence": "S"}
        for competence in chosen
    ]
    for item in items:
        item["exigence"] = rng.choice("SSE")
    if rng.random() < 0.15:
        # Employers may add free-text skills, which the API serves without a code.
        free_text = rng.choice(nomenclature.FREE_TEXT_COMPETENCES)
        items.append({"libelle": free_text, "exigence": rng.choice("SE")})
    return items
