#!/usr/bin/env python3
"""Does libchdb run a statement as a configured engine user? One case per process (the engine keeps one global
context per process). Usage: identity_probe.py LIBCHDB WORKDIR CASE  (CASE: see CASES below). Prints each statement
and what the engine answered."""
import ctypes, os, sys

lib = ctypes.CDLL(sys.argv[1])
work = sys.argv[2]
case = sys.argv[3]
lib.chdb_set_signal_handlers_enabled(ctypes.c_bool(False))
lib.chdb_connect.restype = ctypes.c_void_p
lib.chdb_connect.argtypes = [ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)]
lib.chdb_query.restype = ctypes.c_void_p
lib.chdb_query.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
lib.chdb_query_cmdline.restype = ctypes.c_void_p
lib.chdb_query_cmdline.argtypes = [ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)]
for f in ("chdb_result_buffer", "chdb_result_error"):
    getattr(lib, f).restype = ctypes.c_void_p
    getattr(lib, f).argtypes = [ctypes.c_void_p]
lib.chdb_result_length.restype = ctypes.c_size_t
lib.chdb_result_length.argtypes = [ctypes.c_void_p]

USERS = """<clickhouse>
  <users>
    <default><password></password><profile>default</profile><quota>default</quota>
      <access_management>1</access_management></default>
    <alice><password>alice-pw</password><profile>default</profile><quota>default</quota>
      <grants><query>GRANT SELECT ON alice_db.*</query></grants></alice>
  </users>
  <profiles><default/></profiles>
  <quotas><default/></quotas>
</clickhouse>
"""
CONFIG = """<clickhouse>
  <user_directories>
    <users_xml><path>{users}</path></users_xml>
    <local_directory><path>{work}/access/</path></local_directory>
  </user_directories>
  {improvements}
</clickhouse>
"""
IMPROVEMENTS = ("<access_control_improvements><allow_impersonate_user>true</allow_impersonate_user>"
                "</access_control_improvements>")


def argv(items):
    arr = (ctypes.c_char_p * len(items))(*[i.encode() for i in items])
    return len(items), arr


def text(result):
    if not result:
        return "(no result)"
    err = lib.chdb_result_error(result)
    if err:
        return "ERROR " + ctypes.string_at(err).decode(errors="replace").strip().splitlines()[0][:300]
    n = lib.chdb_result_length(result)
    return ctypes.string_at(lib.chdb_result_buffer(result), n).decode(errors="replace").strip() if n else "(empty)"


def files(impersonate):
    users = os.path.join(work, "users.xml")
    config = os.path.join(work, "config.xml")
    open(users, "w").write(USERS)
    open(config, "w").write(CONFIG.format(users=users, work=work, improvements=IMPROVEMENTS if impersonate else ""))
    os.makedirs(os.path.join(work, "access"), exist_ok=True)
    return config


RESTRICTED = """<clickhouse>
  <users>
    <default><password></password><profile>default</profile><quota>default</quota>
      <grants><query>GRANT SELECT, INSERT, CREATE TABLE, CREATE DATABASE, DROP TABLE ON *.*</query></grants></default>
  </users>
  <profiles><default/><locked><readonly>1</readonly></locked></profiles>
  <quotas><default/></quotas>
</clickhouse>
"""

STATEMENTS = [
    "SELECT currentUser()",
    "SELECT name, storage FROM system.users ORDER BY name FORMAT TSV",
    "SELECT name, value FROM system.server_settings WHERE name LIKE '%impersonat%' FORMAT TSV",
    "CREATE DATABASE IF NOT EXISTS alice_db",
    "CREATE TABLE IF NOT EXISTS alice_db.t (x UInt8) ENGINE = Memory",
    "CREATE TABLE IF NOT EXISTS default.secret (x UInt8) ENGINE = Memory",
    "CREATE USER IF NOT EXISTS bob IDENTIFIED WITH no_password",
    "GRANT SELECT ON alice_db.* TO bob",
    "EXECUTE AS alice SELECT currentUser()",
    "EXECUTE AS alice SELECT count() FROM default.secret",
    "EXECUTE AS bob SELECT currentUser()",
    "EXECUTE AS bob SELECT count() FROM default.secret",
    "EXECUTE AS bob SELECT count() FROM file('/etc/hostname', 'LineAsString')",
    "SELECT count() FROM file('/etc/hostname', 'LineAsString')",
    "CREATE NAMED COLLECTION probe_nc AS host = 'x'",
    "SET profile = 'locked'",
    "CREATE TABLE IF NOT EXISTS default.after_profile (x UInt8) ENGINE = Memory",
    "SET readonly = 0",
]


RELOAD = [
    "SYSTEM RELOAD CONFIG",
    "SYSTEM RELOAD USERS",
    "SELECT name, value FROM system.server_settings WHERE name LIKE '%impersonat%' FORMAT TSV",
    "EXECUTE AS alice SELECT currentUser()",
]

DEFINER = [
    "CREATE TABLE IF NOT EXISTS default.secret (x UInt8) ENGINE = Memory",
    "CREATE DATABASE IF NOT EXISTS alice_db",
    "CREATE TABLE IF NOT EXISTS alice_db.t (x UInt8) ENGINE = Memory",
    "CREATE VIEW default.v_own DEFINER = alice SQL SECURITY DEFINER AS SELECT count() FROM alice_db.t",
    "SELECT * FROM default.v_own",
    "CREATE VIEW default.v_secret DEFINER = alice SQL SECURITY DEFINER AS SELECT count() FROM default.secret",
    "SELECT * FROM default.v_secret",
    "CREATE VIEW default.v_file DEFINER = alice SQL SECURITY DEFINER AS"
    " SELECT count() FROM file('/etc/hostname', 'LineAsString')",
    "SELECT * FROM default.v_file",
]


def connect_case(extra, impersonate, users_xml=None, statements=None):
    config = files(impersonate)
    if users_xml:
        open(os.path.join(work, "users.xml"), "w").write(users_xml)
    items = ["clickhouse", "--path=" + os.path.join(work, "data")]
    items += [a.replace("CONFIG", config) for a in extra]
    print("argv:", items)
    handle = lib.chdb_connect(*argv(items))
    if not handle:
        print("chdb_connect returned NULL")
        return
    conn = ctypes.c_void_p.from_address(handle).value
    for sql in statements or STATEMENTS:
        print(f"  {sql}\n    -> {text(lib.chdb_query(conn, sql.encode(), b'TSV'))}")


CASES = {
    "config": lambda: connect_case(["--config-file=CONFIG"], False),
    "config-impersonate": lambda: connect_case(["--config-file=CONFIG"], True),
    "config-user": lambda: connect_case(["--config-file=CONFIG", "--user=alice", "--password=alice-pw"], False),
    "argv-impersonate": lambda: connect_case(
        ["--config-file=CONFIG", "--access_control_improvements.allow_impersonate_user=1"], False),
    "argv-impersonate-true": lambda: connect_case(
        ["--config-file=CONFIG", "--access_control_improvements.allow_impersonate_user=true"], False),
    "restricted-default": lambda: connect_case(["--config-file=CONFIG"], False, RESTRICTED),
    "reload": lambda: connect_case(["--config-file=CONFIG"], True, None, RELOAD),
    "definer": lambda: connect_case(["--config-file=CONFIG"], False, None, DEFINER),
    "no-config": lambda: connect_case([], False),
    "user-only": lambda: connect_case(["--user=alice"], False),
}


def cmdline(extra):
    config = files(True)
    for user in (["--user=alice", "--password=alice-pw"], ["--user=alice", "--password=wrong"], []):
        items = ["clickhouse", "--path=" + os.path.join(work, "data"), "--config-file=" + config] + user + extra
        items += ["--query=SELECT currentUser(), (SELECT count() FROM system.users)", "--output-format=TSV"]
        print("chdb_query_cmdline argv:", items)
        print("    ->", text(lib.chdb_query_cmdline(*argv(items))))


CASES["cmdline"] = lambda: cmdline([])

CASES[case]()
