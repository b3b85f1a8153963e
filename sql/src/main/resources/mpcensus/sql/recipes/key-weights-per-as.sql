-- Key-weight histogram of each AS: hosts per Hamming weight of their key (candidates and suspect keys), per month, probed version and port.
SELECT `month`, asn, probed_version, port, key_weight, COUNT(*) AS hosts
FROM census_hosts
WHERE classification IN ('CANDIDATE', 'SUSPECT_KEY') AND key_weight IS NOT NULL
GROUP BY `month`, asn, probed_version, port, key_weight
