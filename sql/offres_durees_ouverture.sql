-- How long offers stay open: one row per offer, with the days from its creation to its
-- closing (closed offers) or to the last time it was seen served (open offers, so far).
-- Durations are counted in days, to the second.
SELECT
    o.id,
    o.jour_creation,
    o.rome_code,
    o.type_contrat,
    o.lieu_travail_departement AS departement,
    o.date_creation,
    o.first_seen_at,
    o.last_seen_at,
    o.closed_at,
    CASE WHEN o.closed_at IS NULL THEN 1 ELSE 0 END AS est_ouverte,
    ROUND(
        (julianday(COALESCE(o.closed_at, o.last_seen_at)) - julianday(o.date_creation))
        * 86400
    ) / 86400.0 AS jours_ouverte
FROM offres AS o
WHERE o.date_creation IS NOT NULL
