-- mpcensus's SQL functions (the udfs jar on the class path); asn_of, country_of and as_name read their files from the job parameters mpcensus.asn-table, mpcensus.country-db and mpcensus.as-names.
CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS hamming_weight AS 'org.mpcensus.udf.sql.HammingWeightFunction';
CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS mp_capable AS 'org.mpcensus.udf.sql.MpCapableFunction';
CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS is_mirrored AS 'org.mpcensus.udf.sql.IsMirroredFunction';
CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS asn_of AS 'org.mpcensus.udf.sql.AsnOfFunction';
CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS country_of AS 'org.mpcensus.udf.sql.CountryOfFunction';
CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS as_name AS 'org.mpcensus.udf.sql.AsNameFunction';
