-- One row per skill an open offer asks for, with the offer's ROME métier and domain
-- (rome_metiers), the skill's ROME kind (rome_competences), and whether the fiche
-- métier of the offer's ROME code lists that skill: est_dans_fiche = 1 for a skill of
-- the job as ROME describes it, 0 for one the employer adds. Free-text skills (no
-- code) have no ROME kind and are never in the fiche.
SELECT
    o.id AS offre_id,
    o.jour_creation,
    o.lieu_travail_departement AS departement,
    o.rome_code,
    COALESCE(m.libelle, o.rome_libelle) AS metier_libelle,
    m.domaine_professionnel_code,
    m.domaine_professionnel_libelle,
    m.grand_domaine_code,
    m.grand_domaine_libelle,
    c.rang,
    c.code AS competence_code,
    COALESCE(rc.libelle, c.libelle) AS competence_libelle,
    rc.type AS competence_type,
    c.exigence,
    CASE
        WHEN EXISTS (
            SELECT 1
            FROM rome_fiches_metiers_competences AS f
            WHERE f.fiche_code = o.rome_code AND f.competence_code = c.code
        ) THEN 1
        ELSE 0
    END AS est_dans_fiche
FROM offres AS o
JOIN offres_competences AS c ON c.offre_id = o.id
LEFT JOIN rome_metiers AS m ON m.code = o.rome_code
LEFT JOIN rome_competences AS rc ON rc.code = c.code
WHERE o.closed_at IS NULL
