SELECT month, port, category, COUNT(*) AS targets,
       AVG(CASE WHEN answered_runs > 0 THEN 1.0 ELSE 0.0 END) AS answered_share,
       AVG(CASE WHEN mptcp_runs > 0 THEN 1.0 ELSE 0.0 END) AS mptcp_share,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY connect_delta_ms) AS connect_delta_median,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY tls_delta_ms) AS tls_delta_median,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY first_byte_delta_ms) AS first_byte_delta_median,
       percentile_cont(0.25) WITHIN GROUP (ORDER BY total_delta_ms) AS total_delta_q1,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY total_delta_ms) AS total_delta_median,
       percentile_cont(0.75) WITHIN GROUP (ORDER BY total_delta_ms) AS total_delta_q3
FROM census_http_deltas
WHERE {months}
GROUP BY month, port, category
ORDER BY month, port, category
