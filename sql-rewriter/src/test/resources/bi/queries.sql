-- BI-tool query shapes; {src} is replaced by each form in sources.txt. One statement per block, blocks separated by a line ";;".
-- Metabase: native + MBQL-generated
SELECT `source`.`status` AS `status`, count(*) AS `count` FROM (SELECT `o`.`id` AS `id`, `o`.`status` AS `status` FROM {src} AS `o`) AS `source` GROUP BY `source`.`status` ORDER BY `source`.`status` ASC
;;
-- Metabase:: userID: 3 queryType: MBQL queryHash: 8a61f0
SELECT toStartOfMonth(`o`.`created_at`) AS `created_at`, sum(`o`.`amount`) AS `sum` FROM {src} AS `o` WHERE (`o`.`created_at` >= toDateTime('2026-01-01 00:00:00')) AND (`o`.`created_at` < toDateTime('2026-07-01 00:00:00')) GROUP BY `created_at` ORDER BY `created_at` ASC
;;
SELECT `o`.`customer` AS `customer`, avg(`o`.`amount`) AS `avg` FROM {src} AS `o` WHERE `o`.`customer` IS NOT NULL GROUP BY `o`.`customer` ORDER BY `avg` DESC, `o`.`customer` ASC LIMIT 10
;;
SELECT count(DISTINCT `o`.`customer`) AS `count` FROM {src} AS `o`
;;
SELECT * FROM {src} LIMIT 2000
;;
-- Superset: virtual datasets and time grains
SELECT toStartOfDay(toDateTime(created_at)) AS __timestamp, sum(amount) AS "SUM(amount)" FROM (SELECT * FROM {src}) AS virtual_table WHERE created_at >= toDateTime('2026-10-01 00:00:00') AND created_at < toDateTime('2026-11-01 00:00:00') GROUP BY toStartOfDay(toDateTime(created_at)) ORDER BY "SUM(amount)" DESC LIMIT 10000
;;
SELECT status AS status, count(*) AS count FROM {src} GROUP BY status ORDER BY count DESC LIMIT 100
;;
SELECT customer AS customer, max(amount) AS "MAX(amount)" FROM {src} WHERE status IN ('paid', 'shipped') GROUP BY customer LIMIT 50000
;;
SELECT DISTINCT status AS status FROM {src} LIMIT 1000
;;
-- Grafana: macros expanded, time series
SELECT toStartOfInterval(created_at, INTERVAL 60 second) as time, count() FROM {src} WHERE created_at >= toDateTime(1761955200) AND created_at <= toDateTime(1764547199) GROUP BY time ORDER BY time
;;
SELECT toStartOfInterval(created_at, INTERVAL 1 hour) AS t, status, count() AS c FROM {src} WHERE created_at BETWEEN toDateTime(1761955200) AND toDateTime(1764547199) GROUP BY t, status ORDER BY t WITH FILL STEP 3600
;;
SELECT quantile(0.95)(amount) AS p95, quantile(0.5)(amount) AS p50 FROM {src} WHERE created_at >= toDateTime(1761955200) AND created_at <= toDateTime(1764547199)
;;
SELECT countIf(status = 'failed') / count() AS failure_rate FROM {src} FORMAT JSON
;;
-- Tableau: fully qualified aliases, custom SQL wrapping
SELECT `Custom SQL Query`.`customer` AS `customer`, SUM(`Custom SQL Query`.`amount`) AS `sum:amount:ok` FROM (SELECT customer, amount FROM {src}) `Custom SQL Query` GROUP BY `Custom SQL Query`.`customer`
;;
SELECT 1 AS `number_of_records`, `orders`.`amount` AS `amount`, `orders`.`customer` AS `customer` FROM {src} `orders` LIMIT 1
;;
SELECT CAST(`orders`.`created_at` AS DATE) AS `tdy:created_at:ok`, SUM(`orders`.`amount`) AS `sum:amount:ok` FROM {src} `orders` GROUP BY `tdy:created_at:ok`
;;
-- Looker / Redash / Power BI style
WITH base AS (SELECT customer, amount, created_at FROM {src} WHERE amount > 0) SELECT customer, sum(amount) AS revenue, count() AS orders, revenue / orders AS aov FROM base GROUP BY customer HAVING orders > 1 ORDER BY revenue DESC
;;
WITH monthly AS (SELECT toYYYYMM(created_at) AS m, sum(amount) AS s FROM {src} GROUP BY m) SELECT m, s, s - lagInFrame(s) OVER (ORDER BY m) AS delta FROM monthly ORDER BY m
;;
SELECT customer, amount, row_number() OVER (PARTITION BY customer ORDER BY amount DESC) AS rn FROM {src} QUALIFY rn <= 3
;;
SELECT c.segment, sum(o.amount) FROM analytics.customers AS c LEFT JOIN {src} AS o ON o.customer = c.name GROUP BY c.segment
;;
SELECT c.segment, sum(o.amount) FROM analytics.customers AS c GLOBAL ANY INNER JOIN {src} AS o USING (customer) GROUP BY c.segment
;;
SELECT * FROM analytics.customers, {src} AS o WHERE o.customer = analytics.customers.name
;;
SELECT name FROM analytics.customers WHERE name IN (SELECT customer FROM {src} WHERE amount > 100)
;;
SELECT name FROM analytics.customers WHERE name GLOBAL NOT IN (SELECT customer FROM {src})
;;
SELECT customer FROM {src} UNION ALL SELECT name FROM analytics.customers
;;
SELECT customer FROM {src} INTERSECT SELECT name FROM analytics.customers
;;
SELECT customer FROM analytics.customers_archive EXCEPT SELECT customer FROM {src}
;;
SELECT (SELECT max(amount) FROM {src}) AS top, (SELECT count() FROM analytics.customers) AS n
;;
SELECT arrayJoin(groupArray(customer)) AS c, count() FROM {src} ARRAY JOIN [1, 2] AS x GROUP BY c
;;
SELECT customer, sum(amount) FROM {src} GROUP BY customer WITH ROLLUP SETTINGS max_threads = 2, group_by_overflow_mode = 'any'
;;
SELECT multiIf(amount < 10, 'small', amount < 100, 'medium', 'large') AS bucket, count() FROM {src} GROUP BY bucket ORDER BY bucket
;;
SELECT customer, amount FROM {src} ORDER BY amount DESC LIMIT 3 BY customer
;;
SELECT * FROM {src} WHERE customer ILIKE '%ali%' AND NOT empty(customer) ORDER BY id DESC LIMIT 20 OFFSET 40
;;
SELECT toDate(created_at) AS d, uniq(customer) FROM {src} PREWHERE amount > 0 WHERE d >= today() - 30 GROUP BY d
;;
SELECT {id:UInt64} AS requested, * FROM {src} WHERE id = {id:UInt64}
;;
SELECT /* dashboard: revenue */ sum(amount) -- total
FROM {src}
WHERE created_at > now() - INTERVAL 7 DAY;
;;
EXPLAIN SELECT count() FROM {src}
;;
INSERT INTO analytics.orders_copy SELECT * FROM {src}
;;
CREATE TABLE analytics.orders_snapshot ENGINE = MergeTree ORDER BY id AS SELECT * FROM {src}
;;
CREATE VIEW analytics.v_orders AS SELECT customer, amount FROM {src} WHERE amount > 0
;;
CREATE MATERIALIZED VIEW analytics.mv_orders TO analytics.orders_agg AS SELECT customer, sum(amount) AS s FROM {src} GROUP BY customer
