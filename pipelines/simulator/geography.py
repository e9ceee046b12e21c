"""French régions, départements and communes: the places offers are located in.

These are public facts (INSEE codes, postal codes, approximate town-centre coordinates):
every région and département, each préfecture, the arrondissements of Paris, Lyon and
Marseille, and other large towns, a little over two hundred communes in all. The offers
référentiels and every generated offer, company and agency draw their places from here,
so a code in an offer always joins to its label.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Region:
    code: str
    libelle: str


@dataclass(frozen=True)
class Departement:
    code: str
    libelle: str
    region_code: str


@dataclass(frozen=True)
class Commune:
    """A commune (or a municipal arrondissement, which has its own INSEE code)."""

    code: str
    name: str
    code_postal: str
    latitude: float
    longitude: float
    work_label: str

    @property
    def departement(self) -> str:
        """The département code: 2 characters, 3 overseas (``971``...)."""
        return self.code[:3] if self.code.startswith("97") else self.code[:2]


REGIONS: tuple[Region, ...] = (
    Region("01", "Guadeloupe"),
    Region("02", "Martinique"),
    Region("03", "Guyane"),
    Region("04", "La Réunion"),
    Region("06", "Mayotte"),
    Region("11", "Île-de-France"),
    Region("24", "Centre-Val de Loire"),
    Region("27", "Bourgogne-Franche-Comté"),
    Region("28", "Normandie"),
    Region("32", "Hauts-de-France"),
    Region("44", "Grand Est"),
    Region("52", "Pays de la Loire"),
    Region("53", "Bretagne"),
    Region("75", "Nouvelle-Aquitaine"),
    Region("76", "Occitanie"),
    Region("84", "Auvergne-Rhône-Alpes"),
    Region("93", "Provence-Alpes-Côte d'Azur"),
    Region("94", "Corse"),
)

# code|name|region
_DEPARTEMENTS = """
01|Ain|84
02|Aisne|32
03|Allier|84
04|Alpes-de-Haute-Provence|93
05|Hautes-Alpes|93
06|Alpes-Maritimes|93
07|Ardèche|84
08|Ardennes|44
09|Ariège|76
10|Aube|44
11|Aude|76
12|Aveyron|76
13|Bouches-du-Rhône|93
14|Calvados|28
15|Cantal|84
16|Charente|75
17|Charente-Maritime|75
18|Cher|24
19|Corrèze|75
2A|Corse-du-Sud|94
2B|Haute-Corse|94
21|Côte-d'Or|27
22|Côtes-d'Armor|53
23|Creuse|75
24|Dordogne|75
25|Doubs|27
26|Drôme|84
27|Eure|28
28|Eure-et-Loir|24
29|Finistère|53
30|Gard|76
31|Haute-Garonne|76
32|Gers|76
33|Gironde|75
34|Hérault|76
35|Ille-et-Vilaine|53
36|Indre|24
37|Indre-et-Loire|24
38|Isère|84
39|Jura|27
40|Landes|75
41|Loir-et-Cher|24
42|Loire|84
43|Haute-Loire|84
44|Loire-Atlantique|52
45|Loiret|24
46|Lot|76
47|Lot-et-Garonne|75
48|Lozère|76
49|Maine-et-Loire|52
50|Manche|28
51|Marne|44
52|Haute-Marne|44
53|Mayenne|52
54|Meurthe-et-Moselle|44
55|Meuse|44
56|Morbihan|53
57|Moselle|44
58|Nièvre|27
59|Nord|32
60|Oise|32
61|Orne|28
62|Pas-de-Calais|32
63|Puy-de-Dôme|84
64|Pyrénées-Atlantiques|75
65|Hautes-Pyrénées|76
66|Pyrénées-Orientales|76
67|Bas-Rhin|44
68|Haut-Rhin|44
69|Rhône|84
70|Haute-Saône|27
71|Saône-et-Loire|27
72|Sarthe|52
73|Savoie|84
74|Haute-Savoie|84
75|Paris|11
76|Seine-Maritime|28
77|Seine-et-Marne|11
78|Yvelines|11
79|Deux-Sèvres|75
80|Somme|32
81|Tarn|76
82|Tarn-et-Garonne|76
83|Var|93
84|Vaucluse|93
85|Vendée|52
86|Vienne|75
87|Haute-Vienne|75
88|Vosges|44
89|Yonne|27
90|Territoire de Belfort|27
91|Essonne|11
92|Hauts-de-Seine|11
93|Seine-Saint-Denis|11
94|Val-de-Marne|11
95|Val-d'Oise|11
971|Guadeloupe|01
972|Martinique|02
973|Guyane|03
974|La Réunion|04
976|Mayotte|06
"""

# INSEE code|name|postal code|latitude|longitude
_COMMUNES = """
01053|Bourg-en-Bresse|01000|46.2052|5.2255
02408|Laon|02000|49.5641|3.6199
03190|Moulins|03000|46.5646|3.3326
04070|Digne-les-Bains|04000|44.0925|6.2356
05061|Gap|05000|44.5594|6.0786
06088|Nice|06000|43.7102|7.2620
06029|Cannes|06400|43.5528|7.0174
06004|Antibes|06600|43.5808|7.1251
06069|Grasse|06130|43.6589|6.9226
06010|Le Bar-sur-Loup|06620|43.6974|6.9873
07186|Privas|07000|44.7353|4.5992
08105|Charleville-Mézières|08000|49.7621|4.7263
09122|Foix|09000|42.9653|1.6072
10387|Troyes|10000|48.2973|4.0744
11069|Carcassonne|11000|43.2130|2.3491
11262|Narbonne|11100|43.1843|3.0039
12202|Rodez|12000|44.3506|2.5750
13001|Aix-en-Provence|13090|43.5297|5.4474
13004|Arles|13200|43.6766|4.6278
14118|Caen|14000|49.1829|-0.3707
14366|Lisieux|14100|49.1460|0.2262
15014|Aurillac|15000|44.9264|2.4406
16015|Angoulême|16000|45.6484|0.1562
16102|Cognac|16100|45.6958|-0.3287
17300|La Rochelle|17000|46.1603|-1.1511
18033|Bourges|18000|47.0810|2.3988
18279|Vierzon|18100|47.2218|2.0689
19272|Tulle|19000|45.2672|1.7702
19031|Brive-la-Gaillarde|19100|45.1589|1.5331
2A004|Ajaccio|20000|41.9192|8.7386
2B033|Bastia|20200|42.6973|9.4509
21231|Dijon|21000|47.3220|5.0415
21054|Beaune|21200|47.0250|4.8398
22278|Saint-Brieuc|22000|48.5141|-2.7603
23096|Guéret|23000|46.1710|1.8715
24322|Périgueux|24000|45.1842|0.7211
24037|Bergerac|24100|44.8534|0.4834
25056|Besançon|25000|47.2378|6.0241
25388|Montbéliard|25200|47.5097|6.7986
26362|Valence|26000|44.9334|4.8924
26198|Montélimar|26200|44.5581|4.7508
27229|Évreux|27000|49.0270|1.1508
28085|Chartres|28000|48.4439|1.4890
29232|Quimper|29000|47.9960|-4.1024
29019|Brest|29200|48.3904|-4.4861
30189|Nîmes|30000|43.8367|4.3601
30007|Alès|30100|44.1250|4.0818
31555|Toulouse|31000|43.6047|1.4442
31069|Blagnac|31700|43.6370|1.3900
31149|Colomiers|31770|43.6117|1.3353
32013|Auch|32000|43.6465|0.5855
33063|Bordeaux|33000|44.8378|-0.5792
33281|Mérignac|33700|44.8386|-0.6436
33318|Pessac|33600|44.8067|-0.6311
33522|Talence|33400|44.8085|-0.5895
34172|Montpellier|34000|43.6108|3.8767
34032|Béziers|34500|43.3442|3.2158
34301|Sète|34200|43.4028|3.6966
35238|Rennes|35000|48.1173|-1.6778
35288|Saint-Malo|35400|48.6493|-2.0257
36044|Châteauroux|36000|46.8103|1.6913
37261|Tours|37000|47.3941|0.6848
38185|Grenoble|38000|45.1885|5.7245
39300|Lons-le-Saunier|39000|46.6747|5.5547
40192|Mont-de-Marsan|40000|43.8902|-0.4999
40088|Dax|40100|43.7102|-1.0536
41018|Blois|41000|47.5861|1.3359
42218|Saint-Étienne|42000|45.4397|4.3872
42187|Roanne|42300|46.0342|4.0683
43157|Le Puy-en-Velay|43000|45.0434|3.8858
44109|Nantes|44000|47.2184|-1.5536
44184|Saint-Nazaire|44600|47.2735|-2.2138
44143|Rezé|44400|47.1806|-1.5499
45234|Orléans|45000|47.9030|1.9093
45208|Montargis|45200|47.9975|2.7330
46042|Cahors|46000|44.4475|1.4419
47001|Agen|47000|44.2033|0.6163
48095|Mende|48000|44.5181|3.5006
49007|Angers|49000|47.4784|-0.5632
49099|Cholet|49300|47.0600|-0.8788
49328|Saumur|49400|47.2600|-0.0769
50502|Saint-Lô|50000|49.1157|-1.0906
50129|Cherbourg-en-Cotentin|50100|49.6337|-1.6222
51108|Châlons-en-Champagne|51000|48.9566|4.3631
51454|Reims|51100|49.2583|4.0317
51230|Épernay|51200|49.0400|3.9600
52121|Chaumont|52000|48.1113|5.1392
53130|Laval|53000|48.0707|-0.7734
54395|Nancy|54000|48.6921|6.1844
55029|Bar-le-Duc|55000|48.7727|5.1600
56260|Vannes|56000|47.6582|-2.7608
56121|Lorient|56100|47.7483|-3.3700
57463|Metz|57000|49.1193|6.1757
57672|Thionville|57100|49.3579|6.1683
58194|Nevers|58000|46.9909|3.1590
59350|Lille|59000|50.6292|3.0573
59512|Roubaix|59100|50.6942|3.1746
59599|Tourcoing|59200|50.7208|3.1578
59183|Dunkerque|59140|51.0343|2.3768
59009|Villeneuve-d'Ascq|59650|50.6233|3.1450
59178|Douai|59500|50.3703|3.0794
59606|Valenciennes|59300|50.3570|3.5234
60057|Beauvais|60000|49.4295|2.0807
61001|Alençon|61000|48.4329|0.0913
62041|Arras|62000|50.2910|2.7775
62193|Calais|62100|50.9513|1.8587
62160|Boulogne-sur-Mer|62200|50.7264|1.6147
62498|Lens|62300|50.4322|2.8333
62119|Béthune|62400|50.5303|2.6408
63113|Clermont-Ferrand|63000|45.7772|3.0870
64445|Pau|64000|43.2951|-0.3708
64102|Bayonne|64100|43.4929|-1.4748
64024|Anglet|64600|43.4850|-1.5195
65440|Tarbes|65000|43.2328|0.0781
65286|Lourdes|65100|43.0947|-0.0458
66136|Perpignan|66000|42.6887|2.8948
67482|Strasbourg|67000|48.5734|7.7521
68066|Colmar|68000|48.0794|7.3585
68224|Mulhouse|68100|47.7508|7.3359
69266|Villeurbanne|69100|45.7719|4.8902
69259|Vénissieux|69200|45.6975|4.8867
70550|Vesoul|70000|47.6198|6.1544
71270|Mâcon|71000|46.3069|4.8287
71076|Chalon-sur-Saône|71100|46.7806|4.8539
72181|Le Mans|72000|48.0061|0.1996
73065|Chambéry|73000|45.5646|5.9178
73008|Aix-les-Bains|73100|45.6887|5.9152
74010|Annecy|74000|45.8992|6.1294
74012|Annemasse|74100|46.1934|6.2342
76540|Rouen|76000|49.4432|1.0999
76351|Le Havre|76600|49.4944|0.1079
76217|Dieppe|76200|49.9230|1.0781
77288|Melun|77000|48.5421|2.6554
77284|Meaux|77100|48.9601|2.8788
77306|Montereau-sur-le-Jard|77950|48.5947|2.6816
78646|Versailles|78000|48.8049|2.1204
78551|Saint-Germain-en-Laye|78100|48.8989|2.0938
78586|Sartrouville|78500|48.9372|2.1644
78423|Montigny-le-Bretonneux|78180|48.7711|2.0333
79191|Niort|79000|46.3237|-0.4588
80021|Amiens|80000|49.8941|2.2958
81004|Albi|81000|43.9289|2.1464
81065|Castres|81100|43.6060|2.2400
82121|Montauban|82000|44.0176|1.3550
83137|Toulon|83000|43.1242|5.9280
83069|Hyères|83400|43.1204|6.1286
83061|Fréjus|83600|43.4330|6.7370
84007|Avignon|84000|43.9493|4.8055
84087|Orange|84100|44.1381|4.8075
85191|La Roche-sur-Yon|85000|46.6705|-1.4260
85194|Les Sables-d'Olonne|85100|46.4969|-1.7831
86194|Poitiers|86000|46.5802|0.3404
86066|Châtellerault|86100|46.8178|0.5461
87085|Limoges|87000|45.8336|1.2611
88160|Épinal|88000|48.1724|6.4496
89024|Auxerre|89000|47.7982|3.5673
90010|Belfort|90000|47.6397|6.8638
91228|Évry-Courcouronnes|91000|48.6290|2.4410
91377|Massy|91300|48.7309|2.2713
91477|Palaiseau|91120|48.7165|2.2325
91174|Corbeil-Essonnes|91100|48.6139|2.4820
92050|Nanterre|92000|48.8924|2.2071
92012|Boulogne-Billancourt|92100|48.8397|2.2399
92025|Colombes|92700|48.9226|2.2522
92004|Asnières-sur-Seine|92600|48.9145|2.2874
92026|Courbevoie|92400|48.8973|2.2522
92032|Fontenay-aux-Roses|92260|48.7895|2.2880
92044|Levallois-Perret|92300|48.8942|2.2868
92062|Puteaux|92800|48.8842|2.2372
93008|Bobigny|93000|48.9077|2.4395
93066|Saint-Denis|93200|48.9362|2.3574
93048|Montreuil|93100|48.8638|2.4485
93005|Aulnay-sous-Bois|93600|48.9386|2.4973
93001|Aubervilliers|93300|48.9146|2.3821
94028|Créteil|94000|48.7904|2.4556
94076|Villejuif|94800|48.7935|2.3610
94081|Vitry-sur-Seine|94400|48.7875|2.3928
94068|Saint-Maur-des-Fossés|94100|48.7939|2.4936
94041|Ivry-sur-Seine|94200|48.8157|2.3849
95127|Cergy|95000|49.0364|2.0761
95018|Argenteuil|95100|48.9472|2.2467
95585|Sarcelles|95200|48.9973|2.3798
97105|Basse-Terre|97100|15.9985|-61.7255
97209|Fort-de-France|97200|14.6161|-61.0588
97302|Cayenne|97300|4.9224|-52.3135
97411|Saint-Denis|97400|-20.8823|55.4504
97611|Mamoudzou|97600|-12.7806|45.2279
"""

# Municipal arrondissements: INSEE code, latitude, longitude; numbered from 1.
_PARIS = (
    (48.8625, 2.3364), (48.8683, 2.3428), (48.8630, 2.3600), (48.8543, 2.3576),
    (48.8445, 2.3497), (48.8491, 2.3328), (48.8562, 2.3122), (48.8727, 2.3125),
    (48.8770, 2.3375), (48.8762, 2.3607), (48.8591, 2.3799), (48.8350, 2.4213),
    (48.8283, 2.3623), (48.8292, 2.3265), (48.8401, 2.2931), (48.8604, 2.2620),
    (48.8873, 2.3068), (48.8925, 2.3482), (48.8871, 2.3848), (48.8634, 2.4011),
)  # fmt: skip
_LYON = (
    (45.7676, 4.8344), (45.7485, 4.8270), (45.7596, 4.8498), (45.7785, 4.8274),
    (45.7594, 4.8160), (45.7730, 4.8522), (45.7453, 4.8420), (45.7345, 4.8695),
    (45.7744, 4.8059),
)  # fmt: skip
_MARSEILLE = (
    (43.2999, 5.3841), (43.3127, 5.3634), (43.3121, 5.3803), (43.3065, 5.4006),
    (43.2926, 5.3985), (43.2870, 5.3806), (43.2826, 5.3632), (43.2413, 5.3745),
    (43.2366, 5.4425), (43.2752, 5.4268), (43.2886, 5.4839), (43.3081, 5.4408),
    (43.3497, 5.4330), (43.3448, 5.3930), (43.3593, 5.3635), (43.3636, 5.3134),
)  # fmt: skip


def plain_upper(name: str) -> str:
    """``Fontenay-aux-Roses`` -> ``FONTENAY AUX ROSES``: the style of offer places."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return ascii_only.replace("-", " ").replace("'", " ").upper()


def _arrondissements(
    city: str, insee_base: int, postal_base: int, centres: tuple
) -> list[Commune]:
    """Arrondissement n has INSEE code ``insee_base + n`` and postal code
    ``postal_base + n`` (Paris 8e: 75108 and 75008)."""
    communes = []
    for number, (latitude, longitude) in enumerate(centres, start=1):
        ordinal = "1er" if number == 1 else f"{number}e"
        communes.append(
            Commune(
                code=str(insee_base + number),
                name=f"{city} {ordinal} Arrondissement",
                code_postal=str(postal_base + number),
                latitude=latitude,
                longitude=longitude,
                work_label=f"{city.upper()} {number:02d}",
            )
        )
    return communes


def _parse_rows(table: str) -> list[list[str]]:
    return [line.split("|") for line in table.strip().splitlines()]


@cache
def departements() -> tuple[Departement, ...]:
    return tuple(Departement(*row) for row in _parse_rows(_DEPARTEMENTS))


@cache
def communes() -> tuple[Commune, ...]:
    """Every commune, ordered by INSEE code."""
    listed = [
        Commune(code, name, postal, float(lat), float(lon), plain_upper(name))
        for code, name, postal, lat, lon in _parse_rows(_COMMUNES)
    ]
    listed += _arrondissements("Paris", 75100, 75000, _PARIS)
    listed += _arrondissements("Lyon", 69380, 69000, _LYON)
    listed += _arrondissements("Marseille", 13200, 13000, _MARSEILLE)
    return tuple(sorted(listed, key=lambda commune: commune.code))


@cache
def regions_by_code() -> dict[str, Region]:
    return {region.code: region for region in REGIONS}


@cache
def departements_by_code() -> dict[str, Departement]:
    return {departement.code: departement for departement in departements()}


@cache
def communes_by_code() -> dict[str, Commune]:
    return {commune.code: commune for commune in communes()}


@cache
def communes_by_departement() -> dict[str, tuple[Commune, ...]]:
    grouped: dict[str, list[Commune]] = {}
    for commune in communes():
        grouped.setdefault(commune.departement, []).append(commune)
    return {code: tuple(members) for code, members in grouped.items()}


def region_of_departement(code: str) -> Region:
    return regions_by_code()[departements_by_code()[code].region_code]
