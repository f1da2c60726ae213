-- DBeaver / DataGrip / JDBC metadata queries: no external sources, must pass byte for byte.
SELECT name FROM system.databases ORDER BY name
;;
SELECT database, name, engine, is_temporary FROM system.tables WHERE database = 'analytics' ORDER BY name
;;
SELECT database, table, name, type, default_kind, default_expression, comment, is_in_primary_key FROM system.columns WHERE database = 'analytics' AND table = 'orders' ORDER BY position
;;
SELECT name, value, changed, description FROM system.settings WHERE name LIKE 'max%'
;;
SELECT version()
;;
SELECT timezone()
;;
SELECT currentUser(), currentDatabase()
;;
SELECT name, is_aggregate, case_insensitive, alias_to FROM system.functions ORDER BY name
;;
SELECT * FROM system.table_functions
;;
SELECT name, type, engine FROM system.dictionaries
;;
SHOW DATABASES
;;
SHOW TABLES FROM analytics LIKE 'ord%'
;;
SHOW CREATE TABLE analytics.orders
;;
DESCRIBE TABLE analytics.orders
;;
EXISTS TABLE analytics.orders
;;
SELECT 1
;;
SELECT query_id, query, elapsed FROM system.processes WHERE user = currentUser()
;;
SELECT partition, name, rows, bytes_on_disk FROM system.parts WHERE active AND database = 'analytics' AND table = 'orders'
;;
SELECT name, engine_full FROM system.tables WHERE engine IN ('PostgreSQL', 'MySQL', 'Kafka')
;;
SELECT 'postgresql(' AS looks_like_a_call, `mysql` FROM analytics.orders AS mysql WHERE s3 = 1
;;
KILL QUERY WHERE query_id = 'abc' ASYNC
;;
SET max_threads = 4
;;
USE analytics
;;
OPTIMIZE TABLE analytics.orders FINAL
;;
ALTER TABLE analytics.orders ADD COLUMN IF NOT EXISTS note String DEFAULT ''
;;
SELECT * FROM numbers(10)
;;
SELECT * FROM system.one
;;
SELECT * FROM generateRandom('a UInt8, b String') LIMIT 5
;;
SELECT * FROM values('x UInt8', 1, 2, 3)
