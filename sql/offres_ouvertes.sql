-- One row per open offer (not found closed by a sweep), with the labels of its codes
-- joined from the référentiels: contract type, ROME job, commune, département, région,
-- NAF division. A label falls back to the offer's own text when the code is missing from
-- its référentiel. The région comes from the département, or from the workplace label
-- when the offer names a whole région ('Grand Est').
SELECT
    o.id,
    o.intitule,
    o.date_creation,
    o.date_actualisation,
    o.jour_creation,
    o.type_contrat,
    COALESCE(tc.libelle, o.type_contrat_libelle) AS type_contrat_libelle,
    o.rome_code,
    COALESCE(m.libelle, o.rome_libelle) AS rome_libelle,
    o.lieu_travail_libelle,
    o.lieu_travail_commune AS commune,
    c.libelle AS commune_libelle,
    o.lieu_travail_departement AS departement,
    d.libelle AS departement_libelle,
    COALESCE(d.region_code, rl.code) AS region,
    COALESCE(r.libelle, rl.libelle) AS region_libelle,
    o.secteur_activite,
    COALESCE(s.libelle, o.secteur_activite_libelle) AS secteur_activite_libelle,
    o.entreprise_nom,
    o.salaire_min,
    o.salaire_max,
    o.salaire_periode,
    o.origine_offre_origine,
    o.first_seen_at,
    o.last_seen_at
FROM offres AS o
LEFT JOIN referentiel_types_contrats AS tc ON tc.code = o.type_contrat
LEFT JOIN referentiel_metiers AS m ON m.code = o.rome_code
LEFT JOIN referentiel_communes AS c ON c.code = o.lieu_travail_commune
LEFT JOIN referentiel_departements AS d ON d.code = o.lieu_travail_departement
LEFT JOIN referentiel_regions AS r ON r.code = d.region_code
LEFT JOIN referentiel_regions AS rl
    ON o.lieu_travail_departement IS NULL AND rl.libelle = o.lieu_travail_libelle
LEFT JOIN referentiel_secteurs_activites AS s ON s.code = o.secteur_activite
WHERE o.closed_at IS NULL
