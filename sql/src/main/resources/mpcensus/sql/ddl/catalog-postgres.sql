-- The census tables in PostgreSQL, through a JDBC catalog: USE CATALOG census; then query them by name.
CREATE CATALOG census WITH (
    'type' = 'jdbc',
    'base-url' = '${jdbc_base_url}',
    'default-database' = '${database}',
    'username' = '${user}',
    'password' = '${password}'
);
