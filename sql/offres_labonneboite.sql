-- One row per département and ROME code of the open offers: how many open offers there
-- are, and how many establishments La Bonne Boîte expects to hire for that job in that
-- département, how many of them it rates high potential, and the best hiring
-- potential. labonneboite_loaded_at is when the département's establishments were
-- last loaded; it is empty when the département has none (not loaded yet, or nothing
-- found), and nb_entreprises is then 0.
WITH ouvertes AS (
    SELECT
        lieu_travail_departement AS departement,
        rome_code,
        MAX(rome_libelle) AS rome_libelle,
        COUNT(*) AS nb_offres
    FROM offres
    WHERE closed_at IS NULL
        AND lieu_travail_departement IS NOT NULL
        AND rome_code IS NOT NULL
    GROUP BY lieu_travail_departement, rome_code
),
entreprises AS (
    SELECT
        departement,
        rome,
        COUNT(*) AS nb_entreprises,
        SUM(CASE WHEN is_high_potential THEN 1 ELSE 0 END) AS nb_fort_potentiel,
        MAX(hiring_potential) AS potentiel_max
    FROM labonneboite_entreprises
    GROUP BY departement, rome
),
chargements AS (
    SELECT departement, MAX(loaded_at) AS loaded_at
    FROM labonneboite_entreprises
    GROUP BY departement
)
SELECT
    o.departement,
    o.rome_code,
    COALESCE(m.libelle, o.rome_libelle) AS metier_libelle,
    o.nb_offres,
    COALESCE(e.nb_entreprises, 0) AS nb_entreprises,
    COALESCE(e.nb_fort_potentiel, 0) AS nb_fort_potentiel,
    e.potentiel_max,
    l.loaded_at AS labonneboite_loaded_at
FROM ouvertes AS o
LEFT JOIN entreprises AS e ON e.departement = o.departement AND e.rome = o.rome_code
LEFT JOIN chargements AS l ON l.departement = o.departement
LEFT JOIN rome_metiers AS m ON m.code = o.rome_code
