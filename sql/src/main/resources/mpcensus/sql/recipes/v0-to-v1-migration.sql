-- Migration from one month to the next, per port, among hosts that were candidates in both months: added v1, dropped v0, switched (v0 only, then v1 only), unchanged.
SELECT
    `month`,
    port,
    SUM(CASE WHEN category = 'added_v1' THEN hosts ELSE 0 END) AS added_v1,
    SUM(CASE WHEN category = 'dropped_v0' THEN hosts ELSE 0 END) AS dropped_v0,
    SUM(CASE WHEN category = 'switched_v0_to_v1' THEN hosts ELSE 0 END) AS switched,
    SUM(CASE WHEN category = 'unchanged' THEN hosts ELSE 0 END) AS unchanged
FROM census_overlap
WHERE measure = 'MIGRATION'
GROUP BY `month`, port
