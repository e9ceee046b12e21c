"""Made-up names for employers and contacts.

Common French surnames and first names, and the activity words company names are built
from (per ROME grand domaine).
"""

SURNAMES = (
    "MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS",
    "MOREAU", "LAURENT", "SIMON", "MICHEL", "LEFEBVRE", "LEROY", "ROUX", "DAVID",
    "BERTRAND", "MOREL", "FOURNIER", "GIRARD", "BONNET", "DUPONT", "LAMBERT",
    "FONTAINE", "ROUSSEAU", "VINCENT", "MULLER", "FAURE", "ANDRE", "MERCIER", "BLANC",
    "GUERIN", "BOYER", "GARNIER", "CHEVALIER", "LEGRAND", "GAUTHIER", "PERRIN",
    "ROBIN", "CLEMENT", "MORIN", "NICOLAS", "HENRY", "MATHIEU", "MASSON",
)  # fmt: skip
FIRST_NAMES = (
    ("M.", "Jean"), ("M.", "Pierre"), ("M.", "Nicolas"), ("M.", "Thomas"),
    ("M.", "Julien"), ("M.", "Karim"), ("M.", "Antoine"), ("M.", "Mehdi"),
    ("Mme", "Marie"), ("Mme", "Nathalie"), ("Mme", "Sophie"), ("Mme", "Camille"),
    ("Mme", "Julie"), ("Mme", "Fatima"), ("Mme", "Claire"), ("Mme", "Laura"),
)  # fmt: skip
COMPANY_WORDS = {
    "A": ("PAYSAGES", "JARDINS", "EARL", "SCEA"),
    "C": ("BANQUE", "ASSURANCES", "PATRIMOINE"),
    "D": ("DISTRIBUTION", "BOULANGERIE", "MARKET", "BOUTIQUE"),
    "E": ("COMMUNICATION", "MEDIA", "STUDIO"),
    "F": ("BATIMENT", "CONSTRUCTION", "ELEC", "RENOVATION"),
    "G": ("RESTAURATION", "HOTEL", "BRASSERIE"),
    "H": ("INDUSTRIE", "MECANIQUE", "METALLURGIE"),
    "I": ("MAINTENANCE", "GARAGE", "TECHNIQUES"),
    "J": ("CLINIQUE", "EHPAD", "SANTE"),
    "K": ("SERVICES", "PROPRETE", "SECURITE", "FORMATION"),
    "M": ("CONSEIL", "INFORMATIQUE", "DATA", "SOLUTIONS"),
    "N": ("TRANSPORTS", "LOGISTIQUE", "EXPRESS"),
}
