-- One row per offer whose salary text could be read: minimum, maximum and period as
-- declared, and the same amounts per month (a year is 12 months, a month of full-time
-- hourly work is 151.67 hours, the French legal 35-hour week; a 'cachet' has no monthly
-- equivalent).
--
-- Some employers type a yearly amount under 'Mensuel' ("Mensuel de 40000 Euros") or a
-- monthly one under 'Annuel'. The declared figures are kept as they are; the monthly
-- equivalents are given only when they are plausible, between 300 and 20,000 euros a
-- month, so that averages are not thrown off. `periode_plausible` says which rows those
-- are (0 for a 'cachet', which has no monthly equivalent to check).
WITH salaires AS (
    SELECT
        o.id,
        o.jour_creation,
        o.rome_code,
        o.type_contrat,
        o.lieu_travail_departement AS departement,
        o.salaire_libelle,
        o.salaire_min,
        o.salaire_max,
        o.salaire_periode,
        CASE o.salaire_periode
            WHEN 'mensuel' THEN o.salaire_min
            WHEN 'annuel' THEN o.salaire_min / 12.0
            WHEN 'horaire' THEN o.salaire_min * 151.67
        END AS mensuel_min,
        CASE o.salaire_periode
            WHEN 'mensuel' THEN o.salaire_max
            WHEN 'annuel' THEN o.salaire_max / 12.0
            WHEN 'horaire' THEN o.salaire_max * 151.67
        END AS mensuel_max,
        CASE WHEN o.closed_at IS NULL THEN 1 ELSE 0 END AS est_ouverte
    FROM offres AS o
    WHERE o.salaire_min IS NOT NULL
)
SELECT
    id,
    jour_creation,
    rome_code,
    type_contrat,
    departement,
    salaire_libelle,
    salaire_min,
    salaire_max,
    salaire_periode,
    CASE WHEN mensuel_min >= 300 AND mensuel_max <= 20000 THEN mensuel_min END
        AS salaire_mensuel_min,
    CASE WHEN mensuel_min >= 300 AND mensuel_max <= 20000 THEN mensuel_max END
        AS salaire_mensuel_max,
    CASE WHEN mensuel_min >= 300 AND mensuel_max <= 20000 THEN 1 ELSE 0 END
        AS periode_plausible,
    est_ouverte
FROM salaires
