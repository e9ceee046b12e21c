-- New offers per Paris creation day, by département, région, ROME job code and contract
-- type: one row per combination seen, with its number of offers (open or closed since).
-- Sum nb_offres over the columns you do not need (e.g. per day and région only).
SELECT
    o.jour_creation,
    o.lieu_travail_departement AS departement,
    d.libelle AS departement_libelle,
    COALESCE(d.region_code, rl.code) AS region,
    COALESCE(r.libelle, rl.libelle) AS region_libelle,
    o.rome_code,
    m.libelle AS rome_libelle,
    o.type_contrat,
    tc.libelle AS type_contrat_libelle,
    COUNT(*) AS nb_offres
FROM offres AS o
LEFT JOIN referentiel_departements AS d ON d.code = o.lieu_travail_departement
LEFT JOIN referentiel_regions AS r ON r.code = d.region_code
LEFT JOIN referentiel_regions AS rl
    ON o.lieu_travail_departement IS NULL AND rl.libelle = o.lieu_travail_libelle
LEFT JOIN referentiel_metiers AS m ON m.code = o.rome_code
LEFT JOIN referentiel_types_contrats AS tc ON tc.code = o.type_contrat
GROUP BY
    o.jour_creation,
    o.lieu_travail_departement,
    d.libelle,
    COALESCE(d.region_code, rl.code),
    COALESCE(r.libelle, rl.libelle),
    o.rome_code,
    m.libelle,
    o.type_contrat,
    tc.libelle
