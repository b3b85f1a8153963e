-- Top ASes by MPTCPv1 candidate hosts on port 443, per month and IP version (add WHERE `month` = '2026-11' ORDER BY candidates DESC LIMIT 20 for this month's top 20).
SELECT `month`, ip_version, asn, SUM(hosts) AS candidates
FROM census_counts
WHERE probed_version = 1 AND port = 443 AND classification = 'CANDIDATE'
GROUP BY `month`, ip_version, asn
