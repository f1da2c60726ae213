-- Engines, database engines and dictionary sources in every argument form.
CREATE TABLE pg_orders (id Int32, customer String, amount Decimal(10, 2)) ENGINE = PostgreSQL('pg.prod:5432', 'shop', 'orders', 'bi', 'secret')
;;
CREATE TABLE pg_orders (id Int32) ENGINE = PostgreSQL('pg.prod:5432', 'shop', 'orders', 'bi', 'secret', 'public', 'ON CONFLICT DO NOTHING')
;;
CREATE TABLE pg_orders (id Int32) ENGINE = PostgreSQL(shop_pg, table = 'orders')
;;
CREATE TABLE IF NOT EXISTS my_orders (id Int32) ENGINE = MySQL('mysql.prod:3306', 'crm', 'orders', 'bi', 'secret')
;;
CREATE TABLE my_orders (id Int32) ENGINE = MySQL('mysql.prod:3306', 'crm', 'orders', 'bi', 'secret', 1)
;;
CREATE TABLE my_orders (id Int32) ENGINE = MySQL(crm_mysql, table = 'orders')
;;
CREATE TABLE mpg (id Int32) ENGINE = MaterializedPostgreSQL('pg.prod:5432', 'shop', 'orders', 'bi', 'secret') PRIMARY KEY id
;;
CREATE DATABASE shop_pg_db ENGINE = PostgreSQL('pg.prod:5432', 'shop', 'bi', 'secret')
;;
CREATE DATABASE shop_pg_db ENGINE = PostgreSQL('pg.prod:5432', 'shop', 'bi', 'secret', 'public', 1)
;;
CREATE DATABASE IF NOT EXISTS shop_pg_db ENGINE = PostgreSQL(shop_pg)
;;
CREATE DATABASE crm_db ENGINE = MySQL('mysql.prod:3306', 'crm', 'bi', 'secret')
;;
CREATE DATABASE mpg_db ENGINE = MaterializedPostgreSQL('pg.prod:5432', 'shop', 'bi', 'secret')
;;
CREATE TABLE queue (s String) ENGINE = Kafka('kafka1:9092,kafka2:9092', 'events', 'g1', 'JSONEachRow')
;;
CREATE TABLE queue (s String) ENGINE = Kafka SETTINGS kafka_broker_list = 'kafka1:9092,kafka2:9092', kafka_topic_list = 'events', kafka_group_name = 'g1', kafka_format = 'JSONEachRow'
;;
CREATE TABLE queue (s String) ENGINE = Kafka(events_kafka, kafka_topic_list = 'events')
;;
CREATE DICTIONARY d_orders (id UInt64, customer String) PRIMARY KEY id SOURCE(POSTGRESQL(port 5432 host 'pg.prod' user 'bi' password 'secret' db 'shop' table 'orders')) LAYOUT(HASHED()) LIFETIME(MIN 300 MAX 360)
;;
CREATE DICTIONARY d_orders (id UInt64, customer String) PRIMARY KEY id SOURCE(MYSQL(port 3306 host 'mysql.prod' user 'bi' password 'secret' db 'crm' table 'orders')) LAYOUT(FLAT()) LIFETIME(300)
;;
CREATE DICTIONARY d_orders (id UInt64) PRIMARY KEY id SOURCE(POSTGRESQL(NAME shop_pg TABLE 'orders')) LAYOUT(FLAT()) LIFETIME(300)
;;
CREATE TABLE s3_orders (id Int32) ENGINE = S3('https://bucket.s3.amazonaws.com/orders.parquet', 'AKIAEXAMPLE', 'SECRETKEY', 'Parquet')
;;
CREATE TABLE mongo_orders (id Int32) ENGINE = MongoDB('mongo.internal:27017', 'shop', 'orders', 'bi', 'secret')
;;
INSERT INTO TABLE FUNCTION postgresql('pg.prod:5432', 'shop', 'orders', 'bi', 'secret') (id, customer) VALUES (1, 'a')
;;
INSERT INTO FUNCTION mysql('mysql.prod:3306', 'crm', 'orders', 'bi', 'secret') SELECT * FROM analytics.orders
;;
CREATE TABLE pg_copy AS postgresql('pg.prod:5432', 'shop', 'orders', 'bi', 'secret')
;;
SELECT * FROM file('data.csv', CSV, 'a UInt8')
