SELECT port, asn, hosts FROM (
    SELECT port, asn, SUM(hosts) AS hosts,
           ROW_NUMBER() OVER (PARTITION BY port ORDER BY SUM(hosts) DESC, asn) AS place
    FROM census_counts
    WHERE classification = 'CANDIDATE' AND probed_version = 0 AND asn <> 0
      AND month = (SELECT MAX(month) FROM census_counts WHERE {months})
    GROUP BY port, asn
) ranked
WHERE place <= 10
ORDER BY port, hosts DESC, asn
