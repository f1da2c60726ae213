package io.chgate.gateway.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * chgate's configuration, bound from YAML (snake_case keys). Every key has a default, so an empty file — or no file
 * at all — is a valid configuration. Documented key by key in the README's configuration section.
 */
public final class GatewayConfig {

    /**
     * Address the gateway listens on for plain HTTP, {@code host:port}; empty: none (then listen_tls serves alone,
     * as it does when a file configures listen_tls and no listen).
     */
    @JsonProperty("listen")
    public String listen = "127.0.0.1:8124";

    /** The HTTPS listener; off unless its address is given. */
    @JsonProperty("listen_tls")
    public ListenTls listenTls = new ListenTls();

    /** Client addresses allowed to connect (IPv4/IPv6 addresses and CIDR ranges); empty: every address. */
    @JsonProperty("allowed_networks")
    public List<String> allowedNetworks = new ArrayList<>();

    @JsonProperty("upstream")
    public Upstream upstream = new Upstream();

    /** The admin listener (health, readiness, integrations, Prometheus metrics), off the client port. */
    @JsonProperty("admin_listen")
    public String adminListen = "";

    /** One JSON line per request on the logger {@code chgate.access} (never the SQL). */
    @JsonProperty("access_log")
    public boolean accessLog = false;

    /**
     * Also log each query's text, every value in a credential position masked (a query chgate cannot read is left
     * out). Off by default: a query may hold secrets in places no rule knows.
     */
    @JsonProperty("access_log_sql")
    public boolean accessLogSql = false;

    /** When set, admin requests must carry {@code Authorization: Bearer <token>}; prefer CHGATE_ADMIN_TOKEN. */
    @JsonProperty("admin_token")
    public String adminToken = "";

    @JsonProperty("limits")
    public Limits limits = new Limits();

    /** Netty event-loop threads; 0 means one per core (measured: two per core, Netty's default, is slower). */
    @JsonProperty("threads")
    public int threads = 0;

    /**
     * How managed credentials reach ClickHouse: {@code named_collections} (ClickHouse 22.12+), or {@code inline} —
     * written into each forwarded query, for older servers; weaker: the password then reaches ClickHouse's query log.
     */
    @JsonProperty("managed_credentials")
    public String managedCredentials = "named_collections";

    @JsonProperty("vault")
    public Vault vault = new Vault();

    @JsonProperty("admin")
    public Admin admin = new Admin();

    /**
     * Gateway users. When any is configured, every request must authenticate as one of them, and runs in ClickHouse
     * as that user's ClickHouse user, whose credentials the client never sees. None: clients authenticate to
     * ClickHouse directly, through the gateway, as before.
     */
    @JsonProperty("users")
    public List<User> users = new ArrayList<>();

    /** External endpoints whose credentials live in ClickHouse named collections. */
    @JsonProperty("integrations")
    public List<Integration> integrations = new ArrayList<>();

    /**
     * What happens to a reference with inline connection arguments that matches no integration (or names a source
     * chgate does not manage, such as s3): {@code refuse} (the default: no password typed into SQL reaches
     * ClickHouse) or {@code allow} (forward it as written).
     */
    @JsonProperty("unmanaged_references")
    public String unmanagedReferences = "refuse";

    /** Response caches gateway users may be answered from ({@code users[].cache}); none by default. */
    @JsonProperty("caches")
    public List<Cache> caches = new ArrayList<>();

    /** A response cache (chproxy's names): complete answers to read-only statements, kept in memory. */
    public static final class Cache {
        @JsonProperty("name")
        public String name;

        /** Memory the answers may take, their bytes and bookkeeping; the least used go first past it. */
        @JsonProperty("max_size")
        public DataSize maxSize = DataSize.ofMebibytes(256);

        /** How long an answer is served as fresh ({@code expire} in a chproxy configuration). */
        @JsonProperty("ttl")
        @com.fasterxml.jackson.annotation.JsonAlias("expire")
        public Duration ttl = Duration.ofSeconds(60);

        /**
         * How long after {@code ttl} the old answer is still served while one request refreshes it; 0: none. (Not
         * chproxy's {@code grace_time}, which bounds how long a request waits for the same query on its way: here
         * that is the request's own time limit.)
         */
        @JsonProperty("grace")
        public Duration grace = Duration.ZERO;

        /** The largest answer kept; a larger one streams to its client uncached, never held whole. */
        @JsonProperty("max_payload_size")
        public DataSize maxPayloadSize = DataSize.ofMebibytes(10);

        @Override
        public String toString() {
            return "Cache[" + name + "]";
        }
    }

    /** A user of the gateway, and what it may do. */
    public static final class User {
        @JsonProperty("name")
        public String name;

        /** SHA-256 of the password, hex (as ClickHouse's own users.xml {@code password_sha256_hex}). */
        @JsonProperty("password_sha256_hex")
        public String passwordSha256Hex;

        /**
         * The subject of the client certificate this user logs in with, without a password (e.g.
         * {@code CN=bi-server,O=Example}); needs {@code listen_tls.client_ca_file}. Empty: none.
         */
        @JsonProperty("tls_subject")
        public String tlsSubject = "";

        /** The ClickHouse user this user's requests run as; ignored by the embedded engine, which has one user. */
        @JsonProperty("clickhouse")
        public ClickHouseLogin clickhouse = new ClickHouseLogin();

        /** Integrations (by name) whose collections this user's queries may use; {@code "*"} for all. */
        @JsonProperty("integrations")
        public List<String> integrations = new ArrayList<>();

        /**
         * Sources no integration is that this user may still read, by their names as table functions or engines
         * ({@code file}, {@code url}, {@code s3}, ...): refused for everyone else. None by default.
         */
        @JsonProperty("sources")
        public List<String> sources = new ArrayList<>();

        /** Addresses this user may log in from, beside the top-level allowed_networks; empty: any of those. */
        @JsonProperty("allowed_networks")
        public List<String> allowedNetworks = new ArrayList<>();

        /**
         * This user's statements running at once, over all its connections and sessions; more wait in a queue.
         * 0: no limit on a server; on the embedded engine a fair share, half its connections (at least one).
         */
        @JsonProperty("max_concurrent_queries")
        public int maxConcurrentQueries;

        /** Statements that may wait for a place; one more is answered with code 202 at once. */
        @JsonProperty("max_queue_size")
        public int maxQueueSize = 1024;

        /** Longest a statement waits for a place; then code 202. */
        @JsonProperty("max_queue_time")
        public Duration maxQueueTime = Duration.ofSeconds(30);

        /** Requests in a minute, over all its connections (chproxy's name); more get code 201 at once. 0: no limit. */
        @JsonProperty("requests_per_minute")
        public int requestsPerMinute;

        /**
         * Longest one of its statements may run upstream; then chgate cancels it there and answers code 159. 0: the
         * top-level {@code limits.max_execution_time}.
         */
        @JsonProperty("max_execution_time")
        public Duration maxExecutionTime = Duration.ZERO;

        /** The response cache (a {@code caches[].name}) this user's reads are answered from; empty: none. */
        @JsonProperty("cache")
        public String cache = "";

        @Override
        public String toString() {
            return "User[" + name + "]";
        }
    }

    /** A ClickHouse user and where its password is read from (never the config file itself). */
    public static final class ClickHouseLogin {
        @JsonProperty("user")
        public String user = "";

        /** File holding the password; empty: no password. */
        @JsonProperty("password_file")
        public String passwordFile = "";

        @Override
        public String toString() {
            return "ClickHouseLogin[" + user + "]";
        }
    }

    /** One external endpoint and the named collection that carries its credentials. */
    public static final class Integration {
        @JsonProperty("name")
        public String name;

        /** {@code postgresql}, {@code mysql} or {@code kafka}. */
        @JsonProperty("source")
        public String source;

        /** {@code host:port} as queries write it; for Kafka, the broker list. */
        @JsonProperty("address")
        public String address;

        /** The database on the endpoint (PostgreSQL, MySQL). */
        @JsonProperty("database")
        public String database;

        /** The ClickHouse named collection; defaults to the integration's name. */
        @JsonProperty("collection")
        public String collection;

        /** Where chgate fetches the credentials; absent: the collection is managed by someone else. */
        @JsonProperty("credentials")
        public Credentials credentials;

        /**
         * PostgreSQL: the integration databases chgate keeps, one per {database, schema} pair (at most 10). Kafka:
         * the name of its integration database.
         */
        @JsonProperty("managed_databases")
        public List<ManagedDatabase> managedDatabases = new ArrayList<>();

        /**
         * The earlier form of one managed database, kept working: a database of this name exposing {@code schema}
         * (default public) of the integration's {@code database}.
         */
        @JsonProperty("managed_database")
        public String managedDatabase;

        /** PostgreSQL schema the collection reads by default, and the legacy managed database's schema. */
        @JsonProperty("schema")
        public String schema;

        /**
         * PostgreSQL: the schemas a query may read through the collection; default the configured {@code schema},
         * else {@code public}. A reference naming any other schema ({@code pg_catalog}, ...) is refused.
         */
        @JsonProperty("schemas")
        public List<String> schemas;

        /**
         * Whether queries may give SQL the remote database runs as this integration's login (a dictionary's
         * {@code QUERY}, {@code WHERE}, {@code INVALIDATE_QUERY}, {@code UPDATE_FIELD}; {@code on_conflict},
         * {@code on_duplicate_clause}): users may then run SQL as the integration's login. Default false.
         */
        @JsonProperty("allow_remote_sql")
        public boolean allowRemoteSql;

        /** PostgreSQL: the schemas references may read. */
        public List<String> schemasInEffect() {
            if (schemas != null && !schemas.isEmpty()) {
                return schemas;
            }
            return List.of(schema != null ? schema : "public");
        }

        /** PostgreSQL: the schema the collection reads when a query names none (always set: see schemas). */
        public String schemaInEffect() {
            return schema != null ? schema : schemasInEffect().get(0);
        }

        /** Kafka: how chgate's tables reach the brokers; default PLAINTEXT, or SASL_PLAINTEXT with credentials. */
        @JsonProperty("security_protocol")
        public String securityProtocol;

        /** Kafka with SASL: PLAIN (default), SCRAM-SHA-256 or SCRAM-SHA-512. */
        @JsonProperty("sasl_mechanism")
        public String saslMechanism;

        /** Kafka: the tables of its integration database (at most 400). */
        @JsonProperty("tables")
        public List<KafkaTable> tables = new ArrayList<>();

        /** Kafka: the security protocol in effect. */
        public String securityProtocolInEffect() {
            return securityProtocol != null ? securityProtocol : credentials == null ? "PLAINTEXT" : "SASL_PLAINTEXT";
        }

        /** Kafka: the SASL mechanism in effect, or null without SASL. */
        public String saslMechanismInEffect() {
            return !securityProtocolInEffect().startsWith("SASL_") ? null : saslMechanism == null ? "PLAIN"
                    : saslMechanism;
        }

        /** Kafka: the integration database's name: {@code managed_database}, or the integration's name. */
        public String kafkaDatabase() {
            return managedDatabase != null ? managedDatabase : name;
        }

        /** Every integration database chgate keeps for this integration, of any kind. */
        public List<String> integrationDatabaseNames() {
            if ("kafka".equals(source)) {
                return modesInEffect().contains("managed_database") ? List.of(kafkaDatabase()) : List.of();
            }
            return databasesInEffect().stream().map(d -> d.name).toList();
        }

        /** The integration databases in effect, their names and defaults resolved (PostgreSQL). */
        public List<ManagedDatabase> databasesInEffect() {
            List<ManagedDatabase> databases = new ArrayList<>();
            if (!"postgresql".equals(source)) {
                return databases;
            }
            if (managedDatabase != null) {
                databases.add(ManagedDatabase.of(managedDatabase, database, schema == null ? "public" : schema));
            }
            for (ManagedDatabase configured : managedDatabases) {
                if (configured == null) {
                    continue;
                }
                String db = configured.database == null ? database : configured.database;
                String sc = configured.schema == null ? "public" : configured.schema;
                databases.add(ManagedDatabase.of(configured.name == null ? name + "_" + db + "_" + sc
                        : configured.name, db, sc));
            }
            return databases;
        }

        /** {@code external} (an endpoint someone else runs) or {@code in_cluster} (one run beside ClickHouse). */
        @JsonProperty("location")
        public String location = "external";

        /**
         * {@code managed_credentials} (queries reach it through its named collection) and/or {@code managed_database}
         * (chgate creates a database for it). Absent: managed credentials, plus a managed database when
         * {@code managed_database} names one — or the managed database alone when only that is configured.
         */
        @JsonProperty("modes")
        public List<String> modes;

        /** The modes in effect, as configured or derived. */
        public List<String> modesInEffect() {
            if (modes != null) {
                return modes;
            }
            List<String> derived = new ArrayList<>();
            if ("kafka".equals(source)) {
                derived.add("managed_database");   // its credentials are the tables' SASL login, not a mode
                return derived;
            }
            boolean database = managedDatabase != null || "postgresql".equals(source) && !managedDatabases.isEmpty();
            if (credentials != null || !database) {
                derived.add("managed_credentials");
            }
            if (database) {
                derived.add("managed_database");
            }
            return derived;
        }

        public String collectionName() {
            return collection == null || collection.isBlank() ? name : collection;
        }
    }

    /**
     * One PostgreSQL integration database: {@code ENGINE = PostgreSQL} over one schema of one database on the
     * integration's endpoint, named {@code <integration>_<database>_<schema>} unless {@code name} says otherwise.
     */
    public static final class ManagedDatabase {
        /** The database on the endpoint; default: the integration's {@code database}. */
        @JsonProperty("database")
        public String database;

        /** Default: public. */
        @JsonProperty("schema")
        public String schema;

        /** The ClickHouse database's name; default {@code <integration>_<database>_<schema>}. */
        @JsonProperty("name")
        public String name;

        static ManagedDatabase of(String name, String database, String schema) {
            ManagedDatabase m = new ManagedDatabase();
            m.name = name;
            m.database = database;
            m.schema = schema;
            return m;
        }
    }

    /**
     * One Kafka-engine table of a Kafka integration's database, as the managed service describes it; each option
     * maps to the engine setting of the same name with {@code kafka_} before it (0 or absent: the engine's default).
     */
    public static final class KafkaTable {
        @JsonProperty("name")
        public String name;

        @JsonProperty("columns")
        public List<Column> columns = new ArrayList<>();

        @JsonProperty("topics")
        public List<Topic> topics = new ArrayList<>();

        @JsonProperty("data_format")
        public String dataFormat = "JSONEachRow";

        @JsonProperty("group_name")
        public String groupName = "clickhouse";

        /** Not settable through SQL: librdkafka's default (latest) holds unless the server's config says otherwise. */
        @JsonProperty("auto_offset_reset")
        public String autoOffsetReset;

        @JsonProperty("num_consumers")
        public int numConsumers = 1;

        @JsonProperty("max_block_size")
        public long maxBlockSize;

        @JsonProperty("poll_max_batch_size")
        public long pollMaxBatchSize;

        @JsonProperty("poll_max_timeout_ms")
        public long pollMaxTimeoutMs;

        @JsonProperty("skip_broken_messages")
        public long skipBrokenMessages;

        @JsonProperty("max_rows_per_message")
        public long maxRowsPerMessage = 1;

        @JsonProperty("thread_per_consumer")
        public boolean threadPerConsumer;

        /** default, stream or dead_letter_queue. */
        @JsonProperty("handle_error_mode")
        public String handleErrorMode = "default";

        /** The engine settings this table is created with. */
        public java.util.Map<String, String> engineSettings() {
            java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();
            settings.put("kafka_topic_list", String.join(",", topics.stream().map(t -> t.name).toList()));
            settings.put("kafka_format", dataFormat);
            settings.put("kafka_group_name", groupName);
            settings.put("kafka_num_consumers", Integer.toString(numConsumers));
            settings.put("kafka_max_rows_per_message", Long.toString(maxRowsPerMessage));
            settings.put("kafka_handle_error_mode", handleErrorMode);
            settings.put("kafka_skip_broken_messages", Long.toString(skipBrokenMessages));
            settings.put("kafka_thread_per_consumer", threadPerConsumer ? "1" : "0");
            if (maxBlockSize > 0) {
                settings.put("kafka_max_block_size", Long.toString(maxBlockSize));
            }
            if (pollMaxBatchSize > 0) {
                settings.put("kafka_poll_max_batch_size", Long.toString(pollMaxBatchSize));
            }
            if (pollMaxTimeoutMs > 0) {
                settings.put("kafka_poll_timeout_ms", Long.toString(pollMaxTimeoutMs));
            }
            return settings;
        }
    }

    public static final class Column {
        @JsonProperty("name")
        public String name;

        @JsonProperty("type")
        public String type;
    }

    /** A topic, written {@code orders} or, as the managed service writes it, {@code {name: orders}}. */
    public static final class Topic {
        @JsonProperty("name")
        public String name;

        public Topic() {
        }

        @com.fasterxml.jackson.annotation.JsonCreator(mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.DELEGATING)
        public Topic(String name) {
            this.name = name;
        }
    }

    public static final class Upstream {
        /**
         * The ClickHouse HTTP interface to forward to, {@code http://host:port}, or {@code embedded} for the
         * ClickHouse 26 engine inside the gateway's own process.
         */
        @JsonProperty("url")
        public String url = "http://127.0.0.1:8123";

        @JsonProperty("embedded")
        public Embedded embedded = new Embedded();

        /**
         * Several ClickHouse HTTP endpoints (replicas, or shards' replicas) in place of {@code url}: each request goes
         * to one healthy node, a request with a {@code session_id} always to the same one.
         */
        @JsonProperty("nodes")
        public List<String> nodes = new ArrayList<>();

        /** How {@code https://} upstreams' certificates are checked. */
        @JsonProperty("tls")
        public UpstreamTls tls = new UpstreamTls();

        /**
         * A file holding the key of {@code chgate engine} nodes ({@code --key-file} there): sent on every request
         * forwarded to the nodes, which serve nothing without it. Empty: none is sent.
         */
        @JsonProperty("engine_key_file")
        public String engineKeyFile = "";

        /** How a request without a session picks its node: {@code least_loaded} or {@code round_robin}. */
        @JsonProperty("balance")
        public String balance = "least_loaded";

        /** How often each node is asked {@code /ping} (with several nodes); a node also goes down when unreachable. */
        @JsonProperty("health_check_interval")
        public Duration healthCheckInterval = Duration.ofSeconds(2);

        /** Every ClickHouse HTTP endpoint chgate forwards to: {@code nodes}, or {@code url} alone. */
        public List<String> nodeUrls() {
            return nodes.isEmpty() ? List.of(url) : nodes;
        }

        @JsonProperty("connect_timeout")
        public Duration connectTimeout = Duration.ofSeconds(5);

        /** Longest silence from ClickHouse while a response is awaited or streaming. */
        @JsonProperty("idle_timeout")
        public Duration idleTimeout = Duration.ofMinutes(5);

        /** Longest a whole request may take, from its first byte to the end of its response; 0 = no limit. */
        @JsonProperty("request_timeout")
        public Duration requestTimeout = Duration.ofHours(1);

        /**
         * Idle keep-alive connections kept per event-loop thread. As many as requests were in flight: fewer means
         * a reconnect storm at the next burst, which ClickHouse's accept backlog (64 on 18.16) answers with
         * connect timeouts (measured at 1,024 client connections: 496 timed-out requests with 64, none with 1,024).
         * They close after pool_idle_timeout anyway.
         */
        @JsonProperty("pool_max_idle")
        public int poolMaxIdle = 1024;

        /**
         * How long an idle pooled connection is kept. Shorter than ClickHouse's own {@code keep_alive_timeout}
         * (3 s by default) so the gateway never reuses a connection the server is about to close.
         */
        @JsonProperty("pool_idle_timeout")
        public Duration poolIdleTimeout = Duration.ofMillis(2500);
    }

    /** Exactly one of its sections names the secret's kind. */
    public static final class Credentials {
        @JsonProperty("kv")
        public Kv kv;

        @JsonProperty("database_role")
        public Role databaseRole;

        @JsonProperty("static_role")
        public Role staticRole;
    }

    public static final class Kv {
        @JsonProperty("mount")
        public String mount = "secret";

        @JsonProperty("path")
        public String path;

        /** 0 follows the latest version. */
        @JsonProperty("version")
        public int version = 0;

        /** The secret's key holding the user name; empty: username or user. */
        @JsonProperty("user_key")
        public String userKey = "";

        /** The secret's key holding the password; empty: password. */
        @JsonProperty("password_key")
        public String passwordKey = "";
    }

    public static final class Role {
        @JsonProperty("mount")
        public String mount = "database";

        @JsonProperty("role")
        public String role;
    }

    /** The Vault (or OpenBao) server holding integration credentials. */
    public static final class Vault {
        @JsonProperty("address")
        public String address = "http://127.0.0.1:8200";

        @JsonProperty("namespace")
        public String namespace = "";

        /** PEM file of the CA that signed Vault's certificate (https addresses); empty: the JDK's trust store. */
        @JsonProperty("ca_file")
        public String caFile = "";

        /** Accept any certificate: for tests only, and chgate says so loudly in its log. */
        @JsonProperty("tls_skip_verify")
        public boolean tlsSkipVerify = false;

        /** {@code token}, {@code approle} or {@code kubernetes}. */
        @JsonProperty("auth")
        public String auth = "token";

        /** The token (auth: token); prefer token_file or the environment variable CHGATE_VAULT_TOKEN. */
        @JsonProperty("token")
        public String token = "";

        @JsonProperty("token_file")
        public String tokenFile = "";

        /** Mount of the AppRole or Kubernetes auth method. */
        @JsonProperty("auth_mount")
        public String authMount = "";

        @JsonProperty("role_id")
        public String roleId = "";

        @JsonProperty("secret_id_file")
        public String secretIdFile = "";

        /** Kubernetes auth role and service-account token file. */
        @JsonProperty("role")
        public String role = "";

        @JsonProperty("jwt_file")
        public String jwtFile = "/var/run/secrets/kubernetes.io/serviceaccount/token";

        /** How often KV secrets (which have no lease) are read again. */
        @JsonProperty("kv_refresh")
        public Duration kvRefresh = Duration.ofMinutes(5);

        /** Revoke dynamic credentials' leases when chgate stops cleanly. */
        @JsonProperty("revoke_on_shutdown")
        public boolean revokeOnShutdown = true;

        @Override
        public String toString() {
            return "Vault[" + address + ", auth=" + auth + "]";
        }
    }

    /** chgate's own ClickHouse user, for the named-collection DDL (HTTP upstreams; the embedded engine needs none). */
    public static final class Admin {
        @JsonProperty("user")
        public String user = "default";

        @JsonProperty("password_file")
        public String passwordFile = "";

        @Override
        public String toString() {
            return "Admin[" + user + "]";
        }
    }

    /** The in-process engine, used when {@code upstream.url} is {@code embedded}. */
    public static final class Embedded {
        /** The engine's data directory (tables, named collections); one per process. */
        @JsonProperty("data_dir")
        public String dataDir = System.getProperty("user.home") + "/.chgate/embedded-data";

        /** libchdb.so; empty means: $CHDB_LIB, the local stack's, or the default install path. */
        @JsonProperty("library")
        public String library = "";

        /** Engine connections, i.e. statements that run at once. */
        /**
         * The engine's memory ceiling, all statements together ({@code max_server_memory_usage}); 0: 40% of the
         * machine's memory or of the process's cgroup limit, whichever is less. The engine runs inside chgate.
         */
        @JsonProperty("max_memory")
        public DataSize maxMemory = new DataSize(0);

        @JsonProperty("connections")
        public int connections = 4;

        /** Longest a statement waits for a free engine connection; past it, ClickHouse's code 202. */
        @JsonProperty("queue_timeout")
        public Duration queueTimeout = Duration.ofSeconds(30);

        /** Largest INSERT body the engine accepts (it reads a statement whole). */
        @JsonProperty("max_request_body")
        public DataSize maxRequestBody = DataSize.ofMebibytes(256);

        public boolean selected(Upstream upstream) {
            return "embedded".equals(upstream.url);
        }
    }

    public static final class Limits {
        /** Most bytes of SQL text the gateway buffers to inspect one query (ClickHouse's own default is 256 KiB). */
        @JsonProperty("max_query_size")
        public DataSize maxQuerySize = DataSize.ofKibibytes(256);

        /** Largest request header block a client may send. */
        @JsonProperty("max_request_header_size")
        public DataSize maxRequestHeaderSize = DataSize.ofKibibytes(64);

        /**
         * Largest response header block accepted from ClickHouse; {@code send_progress_in_http_headers=1} can send
         * many kilobytes of {@code X-ClickHouse-Progress} headers.
         */
        @JsonProperty("max_response_header_size")
        public DataSize maxResponseHeaderSize = DataSize.ofMebibytes(4);

        /**
         * Longest a client connection may go without a complete request head: idle between requests, or sending one
         * slowly. Past it the connection is closed, so half-sent requests cannot hold connections open.
         */
        @JsonProperty("request_header_timeout")
        public Duration requestHeaderTimeout = Duration.ofSeconds(30);

        /** Client connections open at once; one more is closed as soon as it is accepted. */
        @JsonProperty("max_connections")
        public int maxConnections = 4096;

        /**
         * Failed logins as one user name from one client address in a minute; past that those logins fail unchecked
         * until a minute passes without one. Other user names from the same address are not affected.
         */
        @JsonProperty("auth_failures_per_minute")
        public int authFailuresPerMinute = 10;

        /** Failed logins from one client address, all user names together (password spraying); then the address. */
        @JsonProperty("auth_failures_per_minute_per_address")
        public int authFailuresPerMinutePerAddress = 100;

        /**
         * Failed logins as one user name, all addresses together (guessing from many addresses); then that user's
         * logins fail from every address it has not logged in from in the last day.
         */
        @JsonProperty("auth_failures_per_minute_per_user")
        public int authFailuresPerMinutePerUser = 100;

        /** Longest a gateway user's statement may run upstream unless the user sets its own; 0: no limit. */
        @JsonProperty("max_execution_time")
        public Duration maxExecutionTime = Duration.ZERO;
    }
}
