"""Job nomenclatures shared by the offers, the ROME APIs and La Bonne Boîte.

ROME codes and libellés, NAF codes, contract types and the other référentiel entries
follow the public nomenclatures (a subset of each). Appellation and compétence codes are
numbered by the simulator: they are stable and join across every API it serves, but they
are not the official numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Appellation:
    code: str
    libelle: str
    rome_code: str


@dataclass(frozen=True)
class Metier:
    """A ROME métier and its appellations."""

    code: str
    libelle: str
    appellations: tuple[Appellation, ...]

    @property
    def grand_domaine(self) -> str:
        return self.code[0]

    @property
    def domaine(self) -> str:
        return self.code[:3]


@dataclass(frozen=True)
class Competence:
    code: str
    libelle: str
    type: str
    grand_domaine: str | None


GRANDS_DOMAINES: dict[str, str] = {
    "A": "Agriculture et Pêche, Espaces naturels et Espaces verts, Soins aux animaux",
    "C": "Banque, Assurance, Immobilier",
    "D": "Commerce, Vente et Grande distribution",
    "E": "Communication, Média et Multimédia",
    "F": "Construction, Bâtiment et Travaux publics",
    "G": "Hôtellerie-Restauration, Tourisme, Loisirs et Animation",
    "H": "Industrie",
    "I": "Installation et Maintenance",
    "J": "Santé",
    "K": "Services à la personne et à la collectivité",
    "M": "Support à l'entreprise",
    "N": "Transport et Logistique",
}

DOMAINES: dict[str, str] = {
    "A12": "Espaces naturels et espaces verts",
    "A14": "Production agricole",
    "C12": "Banque",
    "C14": "Gestion administrative banque et assurances",
    "D11": "Commerce alimentaire et métiers de bouche",
    "D12": "Commerce non alimentaire et de prestations de confort",
    "D14": "Force de vente",
    "D15": "Grande distribution",
    "E11": "Edition et communication",
    "E12": "Images et sons",
    "F11": "Conception et études",
    "F16": "Second oeuvre",
    "F17": "Travaux et gros oeuvre",
    "G15": "Personnel d'hôtellerie",
    "G16": "Production culinaire",
    "G17": "Accueil en hôtellerie",
    "G18": "Service",
    "H12": "Conception, recherche, études et développement",
    "H29": "Mécanique, travail des métaux et outillage",
    "I12": "Entretien technique",
    "I13": "Equipements industriels et d'exploitation",
    "I16": "Véhicules, engins, aéronefs",
    "J15": "Soins paramédicaux",
    "K13": "Aide à la vie quotidienne",
    "K18": "Développement territorial et emploi",
    "K21": "Formation initiale et continue",
    "K22": "Nettoyage et propreté industriels",
    "K25": "Sécurité publique",
    "M12": "Comptabilité et gestion",
    "M14": "Organisation et études",
    "M15": "Ressources humaines",
    "M16": "Secrétariat et assistance",
    "M17": "Marketing et stratégie commerciale",
    "M18": "Systèmes d'information et de télécommunication",
    "N11": "Magasinage, manutention des charges et déménagement",
    "N41": "Personnel de la conduite du transport routier",
}

# code|libellé|appellations separated by ";"
_METIERS = """
A1203|Aménagement et entretien des espaces verts|Jardinier / Jardinière paysagiste;Ouvrier / Ouvrière paysagiste
A1414|Horticulture et maraîchage|Maraîcher / Maraîchère;Ouvrier / Ouvrière horticole
A1416|Polyculture, élevage|Agriculteur / Agricultrice;Ouvrier / Ouvrière agricole polyvalent(e)
C1206|Gestion de clientèle bancaire|Conseiller / Conseillère clientèle bancaire;Chargé / Chargée de clientèle particuliers
C1401|Gestion en banque et assurance|Gestionnaire back-office;Gestionnaire sinistres
D1101|Boucherie|Boucher / Bouchère;Commis boucher / bouchère
D1102|Boulangerie - viennoiserie|Boulanger / Boulangère;Ouvrier boulanger / Ouvrière boulangère
D1104|Pâtisserie, confiserie, chocolaterie et glacerie|Pâtissier / Pâtissière
D1106|Vente en alimentation|Vendeur / Vendeuse en alimentation générale;Vendeur / Vendeuse en boulangerie-pâtisserie
D1211|Vente en articles de sport et loisirs|Vendeur / Vendeuse en articles de sport
D1214|Vente en habillement et accessoires de la personne|Vendeur / Vendeuse en prêt-à-porter
D1401|Assistanat commercial|Assistant commercial / Assistante commerciale;Assistant / Assistante ADV
D1402|Relation commerciale grands comptes et entreprises|Ingénieur commercial / Ingénieure commerciale;Key account manager
D1403|Relation commerciale auprès de particuliers|Commercial / Commerciale auprès des particuliers;Conseiller commercial / Conseillère commerciale
D1502|Management/gestion de rayon produits alimentaires|Chef de rayon produits alimentaires
D1505|Personnel de caisse|Hôte / Hôtesse de caisse;Employé / Employée de caisse
D1507|Mise en rayon libre-service|Employé / Employée de libre-service;Employé / Employée de rayon
E1103|Communication|Chargé / Chargée de communication;Community manager
E1205|Réalisation de contenus multimédias|Web designer;Graphiste multimédia
F1106|Ingénierie et études du BTP|Ingénieur / Ingénieure études de prix;Dessinateur-projeteur / Dessinatrice-projeteuse BTP
F1602|Électricité bâtiment|Électricien / Électricienne du bâtiment;Électricien installateur / Électricienne installatrice
F1603|Installation d'équipements sanitaires et thermiques|Plombier chauffagiste / Plombière chauffagiste;Plombier / Plombière
F1701|Construction en béton|Coffreur bancheur / Coffreuse bancheuse
F1703|Maçonnerie|Maçon / Maçonne;Aide-maçon / Aide-maçonne
G1501|Personnel d'étage|Valet / Femme de chambre;Gouvernant / Gouvernante d'hôtel
G1602|Personnel de cuisine|Cuisinier / Cuisinière;Commis de cuisine;Chef de partie
G1603|Personnel polyvalent en restauration|Employé / Employée polyvalent(e) de restauration;Équipier / Équipière polyvalent(e)
G1703|Réception en hôtellerie|Réceptionniste en hôtellerie;Veilleur / Veilleuse de nuit en hôtellerie
G1803|Service en restauration|Serveur / Serveuse en restauration;Chef de rang
H1206|Management et ingénierie études, recherche et développement industriel|Ingénieur / Ingénieure recherche et développement en industrie
H2909|Montage-assemblage mécanique|Monteur / Monteuse en mécanique;Opérateur / Opératrice d'assemblage
H2913|Soudage manuel|Soudeur / Soudeuse;Soudeur / Soudeuse TIG
I1203|Maintenance des bâtiments et des locaux|Agent / Agente de maintenance des bâtiments;Technicien / Technicienne de maintenance bâtiment
I1304|Installation et maintenance d'équipements industriels et d'exploitation|Technicien / Technicienne de maintenance industrielle;Mécanicien / Mécanicienne de maintenance
I1604|Mécanique automobile et entretien de véhicules|Mécanicien / Mécanicienne automobile;Technicien / Technicienne automobile
J1501|Soins d'hygiène, de confort du patient|Aide-soignant / Aide-soignante;Agent / Agente des services hospitaliers
J1502|Coordination de services médicaux ou paramédicaux|Cadre de santé;Coordinateur / Coordinatrice de soins
J1506|Soins infirmiers généralistes|Infirmier / Infirmière;Infirmier / Infirmière de bloc opératoire
K1302|Assistance auprès d'adultes|Auxiliaire de vie;Assistant / Assistante de vie aux familles
K1303|Assistance auprès d'enfants|Assistant maternel / Assistante maternelle;Garde d'enfants à domicile
K1304|Services domestiques|Aide ménager / Aide ménagère;Employé / Employée de ménage à domicile
K1801|Conseil en emploi et insertion socioprofessionnelle|Conseiller / Conseillère en insertion professionnelle
K2107|Enseignement général du second degré|Professeur / Professeure de mathématiques
K2111|Formation professionnelle|Formateur / Formatrice;Formateur / Formatrice en informatique
K2204|Nettoyage de locaux|Agent / Agente de nettoyage;Agent / Agente de propreté
K2503|Sécurité et surveillance privées|Agent / Agente de sécurité;Agent / Agente de prévention et de sécurité
M1203|Comptabilité|Comptable;Assistant / Assistante comptable
M1403|Études et prospectives socio-économiques|Chargé / Chargée d'études socio-économiques;Data analyst
M1502|Développement des ressources humaines|Chargé / Chargée de recrutement;Chargé / Chargée de développement RH
M1602|Opérations administratives|Agent administratif / Agente administrative;Employé administratif / Employée administrative
M1604|Assistanat de direction|Assistant / Assistante de direction
M1607|Secrétariat|Secrétaire;Secrétaire médical / médicale
M1705|Marketing|Chef de produit marketing;Chargé / Chargée de marketing
M1802|Expertise et support en systèmes d'information|Technicien / Technicienne support informatique;Administrateur / Administratrice systèmes et réseaux
M1805|Études et développement informatique|Développeur / Développeuse informatique;Développeur / Développeuse web;Ingénieur / Ingénieure d'études informatique
M1806|Conseil et maîtrise d'ouvrage en systèmes d'information|Consultant / Consultante fonctionnel(le) informatique;Chef de projet MOA
M1810|Production et exploitation de systèmes d'information|Technicien / Technicienne d'exploitation informatique;Ingénieur / Ingénieure de production informatique
M1811|Data engineer|Data engineer;Ingénieur / Ingénieure big data
N1101|Conduite d'engins de déplacement des charges|Cariste;Conducteur / Conductrice de chariot élévateur
N1103|Magasinage et préparation de commandes|Préparateur / Préparatrice de commandes;Magasinier / Magasinière
N1105|Manutention manuelle de charges|Manutentionnaire;Déménageur / Déménageuse
N4101|Conduite de transport de marchandises sur longue distance|Conducteur / Conductrice poids lourd;Chauffeur routier / Chauffeuse routière SPL
N4102|Conduite de transport de particuliers|Conducteur / Conductrice de VTC;Chauffeur / Chauffeuse de taxi
N4105|Conduite et livraison par tournées sur courte distance|Chauffeur livreur / Chauffeuse livreuse;Livreur / Livreuse
"""  # noqa: E501

# NAF code|libellé|grand domaines of the métiers its companies hire for
_NAFS = """
01.13Z|Culture de légumes, de melons, de racines et de tubercules|A
81.30Z|Services d'aménagement paysager|A
64.19Z|Autres intermédiations monétaires|C
65.12Z|Autres assurances|C
10.71C|Boulangerie et boulangerie-pâtisserie|D
47.11D|Supermarchés|D
47.11F|Hypermarchés|D
47.71Z|Commerce de détail d'habillement en magasin spécialisé|D
46.90Z|Commerce de gros (commerce interentreprises) non spécialisé|D
73.11Z|Activités des agences de publicité|E
70.21Z|Conseil en relations publiques et communication|E
41.20A|Construction de maisons individuelles|F
43.21A|Travaux d'installation électrique dans tous locaux|F
43.22A|Travaux d'installation d'eau et de gaz en tous locaux|F
43.99C|Travaux de maçonnerie générale et gros œuvre de bâtiment|F
71.12B|Ingénierie, études techniques|F
55.10Z|Hôtels et hébergement similaire|G
56.10A|Restauration traditionnelle|G
56.10C|Restauration de type rapide|G
20.14Z|Fabrication d'autres produits chimiques organiques de base|H
25.62B|Mécanique industrielle|H
28.29B|Fabrication d'autres machines d'usage général|H
33.12Z|Réparation de machines et équipements mécaniques|I
45.20A|Entretien et réparation de véhicules automobiles légers|I
68.32A|Administration d'immeubles et autres biens immobiliers|I
86.10Z|Activités hospitalières|J
87.10A|Hébergement médicalisé pour personnes âgées|J
80.10Z|Activités de sécurité privée|K
81.21Z|Nettoyage courant des bâtiments|K
84.11Z|Administration publique générale|K
85.31Z|Enseignement secondaire général|K
85.59A|Formation continue d'adultes|K
88.10A|Aide à domicile|K
88.91A|Accueil de jeunes enfants|K
58.29C|Édition de logiciels applicatifs|M
62.01Z|Programmation informatique|M
62.02A|Conseil en systèmes et logiciels informatiques|M
69.20Z|Activités comptables|M
70.10Z|Activités des sièges sociaux|M
70.22Z|Conseil pour les affaires et autres conseils de gestion|M
72.20Z|Recherche-développement en sciences humaines et sociales|M
78.10Z|Activités des agences de placement de main-d'œuvre|M
49.32Z|Transports de voyageurs par taxis|N
49.41A|Transports routiers de fret interurbains|N
52.10B|Entreposage et stockage non frigorifique|N
53.20Z|Autres activités de poste et de courrier|N
78.20Z|Activités des agences de travail temporaire|ACDEFGHIJKMN
"""

SECTEURS_ACTIVITE: dict[str, str] = {
    "01": "Culture et production animale, chasse et services annexes",
    "10": "Industries alimentaires",
    "20": "Industrie chimique",
    "25": "Fabrication de produits métalliques, à l'exception des machines et des "
    "équipements",
    "28": "Fabrication de machines et équipements n.c.a.",
    "33": "Réparation et installation de machines et d'équipements",
    "41": "Construction de bâtiments",
    "43": "Travaux de construction spécialisés",
    "45": "Commerce et réparation d'automobiles et de motocycles",
    "46": "Commerce de gros, à l'exception des automobiles et des motocycles",
    "47": "Commerce de détail, à l'exception des automobiles et des motocycles",
    "49": "Transports terrestres et transport par conduites",
    "52": "Entreposage et services auxiliaires des transports",
    "53": "Activités de poste et de courrier",
    "55": "Hébergement",
    "56": "Restauration",
    "58": "Édition",
    "62": "Programmation, conseil et autres activités informatiques",
    "64": "Activités des services financiers, hors assurance et caisses de retraite",
    "65": "Assurance",
    "68": "Activités immobilières",
    "69": "Activités juridiques et comptables",
    "70": "Activités des sièges sociaux ; conseil de gestion",
    "71": "Activités d'architecture et d'ingénierie ; activités de contrôle et "
    "analyses techniques",
    "72": "Recherche-développement scientifique",
    "73": "Publicité et études de marché",
    "78": "Activités liées à l'emploi",
    "80": "Enquêtes et sécurité",
    "81": "Services relatifs aux bâtiments et aménagement paysager",
    "84": "Administration publique et défense ; sécurité sociale obligatoire",
    "85": "Enseignement",
    "86": "Activités pour la santé humaine",
    "87": "Hébergement médico-social et social",
    "88": "Action sociale sans hébergement",
}

TYPES_CONTRATS: dict[str, str] = {
    "CDI": "Contrat à durée indéterminée",
    "CDD": "Contrat à durée déterminée",
    "MIS": "Mission intérimaire",
    "SAI": "Contrat travail saisonnier",
    "CCE": "Profession commerciale",
    "FRA": "Franchise",
    "LIB": "Profession libérale",
    "REP": "Reprise d'entreprise",
    "TTI": "Contrat travail temporaire insertion",
    "DDI": "Contrat durée déterminée insertion",
    "DIN": "CDI Intérimaire",
}

NATURES_CONTRATS: dict[str, str] = {
    "E1": "Contrat travail",
    "E2": "Contrat apprentissage",
    "FS": "Cont. professionnalisation",
    "CC": "CDI de chantier ou d'opération",
    "CU": "Contrat d'usage",
    "NS": "Emploi non salarié",
}

NIVEAUX_FORMATIONS: dict[str, str] = {
    "AFS": "Aucune formation scolaire",
    "CP4": "Primaire à 4ème",
    "CFG": "4ème achevée",
    "NV5": "CAP, BEP et équivalents",
    "NV4": "Bac ou équivalent",
    "NV3": "Bac+2 ou équivalents",
    "NV2": "Bac+3, Bac+4 ou équivalents",
    "NV1": "Bac+5 et plus ou équivalents",
}

LANGUES: dict[str, str] = {
    "AN": "Anglais",
    "AL": "Allemand",
    "ES": "Espagnol",
    "IT": "Italien",
    "PO": "Portugais",
    "AR": "Arabe",
    "NE": "Néerlandais",
    "CH": "Chinois",
    "FR": "Français",
}

PERMIS: dict[str, str] = {
    "A": "A - Moto",
    "B": "B - Véhicule léger",
    "BE": "BE - Véhicule léger + remorque",
    "C": "C - Poids lourd",
    "CE": "CE - Poids lourd + remorque",
    "D": "D - Transport en commun",
}

THEMES: dict[str, str] = {
    "01": "Alternance",
    "02": "Métiers de l'industrie",
    "03": "Métiers du numérique",
    "04": "Métiers de la santé et du soin",
    "05": "Métiers du transport et de la logistique",
    "06": "Métiers de l'hôtellerie et de la restauration",
    "07": "Métiers du bâtiment et des travaux publics",
    "08": "Emplois saisonniers",
}

CONTINENTS: dict[str, str] = {
    "01": "Afrique",
    "02": "Amérique du Nord",
    "03": "Amérique du Sud",
    "04": "Asie",
    "05": "Europe",
    "06": "Océanie",
}

# A few entries of the countries référentiel; the full list is served when a directory
# of captured référentiels is configured.
PAYS: dict[str, str] = {
    "01": "France",
    "05": "Belgique (Frontalier)",
    "09": "Royaume-Uni",
    "11": "Grèce",
    "13": "Irlande",
    "23": "Suisse",
    "25": "Bulgarie",
}

QUALIFICATIONS: dict[str, str] = {
    "1": "Manoeuvre",
    "2": "Ouvrier spécialisé",
    "3": "Ouvrier qualifié (P1,P2)",
    "4": "Ouvrier qualifié (P3,P4,OHQ)",
    "5": "Employé non qualifié",
    "6": "Employé qualifié",
    "7": "Technicien",
    "8": "Agent de maîtrise",
    "9": "Cadre",
}

# (code, libellé) pairs: one code covers several zones.
DEPLACEMENTS: tuple[tuple[str, str], ...] = (
    ("1", "Jamais"),
    ("2", "Ponctuels Zone départementale"),
    ("2", "Ponctuels Zone régionale"),
    ("2", "Ponctuels Zone nationale"),
    ("3", "Fréquents Zone départementale"),
    ("3", "Fréquents Zone régionale"),
)

QUALITES_PROFESSIONNELLES: tuple[tuple[str, str], ...] = (
    (
        "Faire preuve d'autonomie",
        "Capacité à mener son activité sans supervision constante et à solliciter "
        "les bons interlocuteurs quand il le faut.",
    ),
    (
        "Faire preuve de rigueur et de précision",
        "Capacité à appliquer les règles et procédures avec exactitude et à "
        "transmettre des informations fiables.",
    ),
    (
        "Organiser son travail selon les priorités et les objectifs",
        "Capacité à planifier, hiérarchiser et anticiper ses actions en tenant "
        "compte des moyens et des délais.",
    ),
    (
        "Travailler en équipe",
        "Capacité à coopérer avec ses collègues, à partager l'information et à "
        "contribuer à un objectif commun.",
    ),
    (
        "Avoir le sens du service",
        "Capacité à comprendre les attentes des clients ou usagers et à y apporter "
        "une réponse adaptée.",
    ),
    (
        "Faire preuve de réactivité",
        "Capacité à agir rapidement et avec pertinence face à une situation imprévue.",
    ),
    (
        "Faire preuve de persévérance",
        "Capacité à maintenir son effort dans la durée jusqu'à l'atteinte de "
        "l'objectif.",
    ),
    (
        "Faire preuve de créativité, d'inventivité",
        "Capacité à proposer des idées ou des solutions nouvelles.",
    ),
    (
        "Gérer son stress",
        "Capacité à garder son calme et son efficacité dans les moments de forte "
        "activité.",
    ),
    (
        "Prendre des initiatives et être force de proposition",
        "Capacité à proposer des améliorations et à agir sans attendre qu'on le "
        "demande.",
    ),
    (
        "S'adapter aux changements",
        "Capacité à ajuster ses méthodes de travail à un contexte qui évolue.",
    ),
    (
        "Faire preuve de curiosité",
        "Capacité à s'informer, à apprendre et à chercher à comprendre son "
        "environnement.",
    ),
)

# Compétences per grand domaine, then the transversal ones (grand domaine "").
_COMPETENCES = """
A|MACRO-SAVOIR-FAIRE|Entretenir des espaces verts
A|MACRO-SAVOIR-FAIRE|Réaliser des travaux de plantation
A|SAVOIR|Techniques de taille des végétaux
A|SAVOIR|Utilisation de matériel agricole
C|MACRO-SAVOIR-FAIRE|Conseiller un client sur des produits bancaires
C|MACRO-SAVOIR-FAIRE|Instruire un dossier de sinistre
C|SAVOIR|Réglementation bancaire
C|SAVOIR|Produits d'assurance
D|MACRO-SAVOIR-FAIRE|Accueillir et conseiller un client
D|MACRO-SAVOIR-FAIRE|Mettre en rayon des produits
D|MACRO-SAVOIR-FAIRE|Encaisser un paiement
D|SAVOIR|Techniques de vente
D|SAVOIR|Règles d'hygiène et de sécurité alimentaire
E|MACRO-SAVOIR-FAIRE|Concevoir un plan de communication
E|MACRO-SAVOIR-FAIRE|Animer des réseaux sociaux
E|SAVOIR|Logiciels de PAO
F|MACRO-SAVOIR-FAIRE|Réaliser une installation électrique
F|MACRO-SAVOIR-FAIRE|Monter des murs en maçonnerie
F|MACRO-SAVOIR-FAIRE|Installer des équipements sanitaires
F|SAVOIR|Lecture de plans
F|SAVOIR|Normes électriques
G|MACRO-SAVOIR-FAIRE|Préparer des plats
G|MACRO-SAVOIR-FAIRE|Servir des clients en salle
G|MACRO-SAVOIR-FAIRE|Accueillir des clients à la réception
G|SAVOIR|Méthode HACCP
H|MACRO-SAVOIR-FAIRE|Assembler des pièces mécaniques
H|MACRO-SAVOIR-FAIRE|Souder des pièces métalliques
H|SAVOIR|Lecture de plans industriels
I|MACRO-SAVOIR-FAIRE|Diagnostiquer une panne
I|MACRO-SAVOIR-FAIRE|Entretenir un véhicule
I|SAVOIR|Électromécanique
J|MACRO-SAVOIR-FAIRE|Réaliser des soins d'hygiène et de confort
J|MACRO-SAVOIR-FAIRE|Surveiller l'état de santé d'un patient
J|SAVOIR|Protocoles de soins
K|MACRO-SAVOIR-FAIRE|Accompagner une personne dans les actes de la vie quotidienne
K|MACRO-SAVOIR-FAIRE|Nettoyer des locaux
K|MACRO-SAVOIR-FAIRE|Assurer la surveillance d'un site
K|MACRO-SAVOIR-FAIRE|Animer une séquence de formation
K|SAVOIR|Produits d'entretien
M|MACRO-SAVOIR-FAIRE|Analyser, exploiter, structurer des données
M|MACRO-SAVOIR-FAIRE|Concevoir et développer une application
M|MACRO-SAVOIR-FAIRE|Tenir la comptabilité d'une entreprise
M|MACRO-SAVOIR-FAIRE|Assurer le suivi administratif
M|SAVOIR|Python
M|SAVOIR|Langage SQL
M|SAVOIR|Système d'exploitation Linux
M|SAVOIR|Déploiement de services cloud (cloud computing)
M|SAVOIR|Logiciels comptables
N|MACRO-SAVOIR-FAIRE|Préparer des commandes
N|MACRO-SAVOIR-FAIRE|Conduire un poids lourd
N|MACRO-SAVOIR-FAIRE|Livrer des marchandises
N|SAVOIR|Gestion des stocks
N|SAVOIR|CACES R489
|MACRO-SAVOIR-ETRE-PROFESSIONNEL|Travailler en équipe
|MACRO-SAVOIR-ETRE-PROFESSIONNEL|Faire preuve d'autonomie
|MACRO-SAVOIR-FAIRE|Concevoir et gérer un projet
|MACRO-SAVOIR-FAIRE|Rendre compte de son activité
|MACRO-SAVOIR-FAIRE|Collaborer dans un groupe pour réaliser un projet
|MACRO-SAVOIR-FAIRE|Respecter les règles de sécurité
"""

# Free-text skills employers type in offers: competences without a code.
FREE_TEXT_COMPETENCES: tuple[str, ...] = (
    "Maîtrise des outils bureautiques",
    "Bonne présentation et sens du contact",
    "Expérience en environnement agile appréciée",
    "Connaissance du secteur souhaitée",
    "Capacité à travailler en horaires décalés",
)


def _rows(table: str) -> list[list[str]]:
    return [line.split("|") for line in table.strip().splitlines()]


@cache
def metiers() -> tuple[Metier, ...]:
    """Every ROME métier, ordered by code; appellation codes are numbered in order."""
    listed = []
    next_code = 100001
    for code, libelle, appellations in _rows(_METIERS):
        members = []
        for appellation in appellations.split(";"):
            members.append(Appellation(str(next_code), appellation, code))
            next_code += 1
        listed.append(Metier(code, libelle, tuple(members)))
    return tuple(listed)


@cache
def metiers_by_code() -> dict[str, Metier]:
    return {metier.code: metier for metier in metiers()}


@cache
def appellations() -> tuple[Appellation, ...]:
    return tuple(a for metier in metiers() for a in metier.appellations)


@cache
def nafs() -> tuple[tuple[str, str, str], ...]:
    """(code, libellé, grand domaines hiring) for every NAF code."""
    return tuple((code, libelle, domains) for code, libelle, domains in _rows(_NAFS))


@cache
def nafs_for_grand_domaine(letter: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        (code, libelle) for code, libelle, hiring in nafs() if letter in hiring
    )


@cache
def competences() -> tuple[Competence, ...]:
    """Every compétence, numbered from 300001 in listing order."""
    return tuple(
        Competence(str(300001 + index), libelle, kind, domain or None)
        for index, (domain, kind, libelle) in enumerate(_rows(_COMPETENCES))
    )


@cache
def competences_for_grand_domaine(letter: str) -> tuple[Competence, ...]:
    """The compétences of one grand domaine followed by the transversal ones."""
    specific = [c for c in competences() if c.grand_domaine == letter]
    transversal = [c for c in competences() if c.grand_domaine is None]
    return tuple(specific + transversal)
