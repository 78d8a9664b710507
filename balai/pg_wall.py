"""PostgreSQL's second wall between villages, under the one in every query (VillageModel): what
the tables' owner builds (balai.dbms.PostgresVillageDatabase.build_wall, at every create and
every migrate), its text in the schema snapshot, and how each transaction opens (`opening`:
balai.dbms begins every one so, and the factory tells it the village, `follow_villages`).

- Every table of the schema that has a `village_id` column, whatever area made it, gets row-level
  security, forced (the owner too is walled; only a superuser or a BYPASSRLS role passes), with
  two policies: `village`, every command, only rows of the village the transaction set in
  `balai.village` (dbms sets it, transaction-local, at each BEGIN; '' or unset: no rows, and no
  row may be written; REGENCY: the rows of no village, in the tables that may hold them); and `across`, SELECT only, every row, while the across role is the
  current role.
- The app connects as a role that does not own the tables (BALAI_OWNER_DATABASE_URL names the
  owner, who creates and upgrades them): it may read and write rows, and nothing else (no ALTER,
  no DROP, no turning the wall off). The owner grants it that here.
- The across role (ACROSS_ROLE, no login) is how the regency's figures and the sweeps read every
  village: the app's role is a member and takes it with SET LOCAL ROLE in a read-only
  transaction, inside across_villages() only.
- Tables without village_id (the villages themselves, schema_version, the change counter) are
  the installation's own: no wall.
"""
from contextlib import contextmanager

ACROSS_ROLE = "balai_across"
SETTING = "balai.village"
REGENCY = "0"  # the setting on the regency's own pages: no village has id 0
# Each setting is read in a scalar subquery: PostgreSQL reads it once per statement (an
# InitPlan), not once per row, and the planner no longer takes the policy for a filter that
# keeps a few rows (it did, and sorted a million step-time rows on disk for the regency's page).
VILLAGE_ROWS = f"(village_id = (SELECT NULLIF(current_setting('{SETTING}', true), '')::integer))"
# Tables that also hold the regency's rows (village_id NULL: its accounts, their sessions...).
VILLAGE_OR_REGENCY_ROWS = (f"({VILLAGE_ROWS[1:-1]} OR (village_id IS NULL "
                           f"AND (SELECT current_setting('{SETTING}', true) = '{REGENCY}')))")
# A policy for a role holds for its members too, and the app's role is one: every row only
# while the across role is the current one (SET LOCAL ROLE), not merely inherited.
ACROSS_ROWS = f"((SELECT CURRENT_USER = '{ACROSS_ROLE}'::name))"
# Marks the policies as written by these lines: a wall marked otherwise (older) is built again.
POLICY_MARK = "balai wall 2"
ACROSS = "across"  # what village_setting answers inside across_villages()


def village_setting():
    """The wall's setting for the code at hand (replaced by the factory: see
    balai.villages.wall): the village's id as text, '' for none, REGENCY, or ACROSS."""
    return ""


def setting_sql():
    """One statement that sets the wall for the transaction at hand, local to it: the village's
    id; across villages none, the across role as the current one, and read only."""
    setting = village_setting()
    if setting == ACROSS:
        return (f"SELECT set_config('{SETTING}', '', true), "
                f"set_config('role', '{ACROSS_ROLE}', true), "
                "set_config('transaction_read_only', 'on', true)")
    return f"SELECT set_config('{SETTING}', '{setting}', true)"


def opening(kind, lock=()):
    """The statements that begin a transaction (BEGIN`kind`): the wall's setting, then `lock`
    (none across villages: such a transaction writes nothing)."""
    setting = setting_sql()
    return [f"BEGIN{kind}", setting, *([] if "'role'" in setting else lock)]


def follow_villages(setting):
    """Every PostgreSQL transaction sets the wall to what `setting()` answers."""
    global village_setting
    village_setting = setting


class WallError(RuntimeError):
    """The wall cannot be built (a missing role the owner may not create); says what to run."""


def walled_tables(database):
    """The tables of the schema in use that hold village rows: those with a village_id column."""
    return list(village_columns(database))


def village_columns(database):
    """Each walled table and whether its village_id may be NULL (a regency's row)."""
    return dict(database.execute_sql(
        "SELECT c.relname, NOT a.attnotnull FROM pg_class c "
        "JOIN pg_attribute a ON a.attrelid = c.oid "
        "WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' "
        "AND a.attname = 'village_id' AND NOT a.attisdropped ORDER BY c.relname").fetchall())


def build_wall(database, app_role=None):
    """Row-level security on every walled table, and the grants of the app's role (None: the
    owner is the app's role too) and of the across role. Idempotent; run by the tables' owner
    inside its transaction. A table already walled as these lines write it is left alone (no
    lock taken on it); one walled by an older version (another POLICY_MARK) is walled again."""
    tables = village_columns(database)
    if tables:
        ensure_across_role(database, app_role)
    standing = {table: (secured, forced, policies) for table, secured, forced, policies in
                database.execute_sql(
                    "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
                    "ARRAY(SELECT polname || ': ' || COALESCE(obj_description(oid, "
                    "'pg_policy'), '') FROM pg_policy WHERE polrelid = c.oid "
                    "ORDER BY polname) FROM pg_class c "
                    "WHERE c.relnamespace = current_schema()::regnamespace").fetchall()}
    for table, regency in tables.items():
        if standing.get(table) == (True, True, [f"across: {POLICY_MARK}",
                                                f"village: {POLICY_MARK}"]):
            continue
        rows = VILLAGE_OR_REGENCY_ROWS if regency else VILLAGE_ROWS
        database.execute_sql(
            f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY; '
            f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY; '
            f'DROP POLICY IF EXISTS village ON "{table}"; '
            f'CREATE POLICY village ON "{table}" USING {rows} WITH CHECK {rows}; '
            f'DROP POLICY IF EXISTS across ON "{table}"; '
            f'CREATE POLICY across ON "{table}" FOR SELECT TO {ACROSS_ROLE} USING {ACROSS_ROWS}; '
            f"COMMENT ON POLICY village ON \"{table}\" IS '{POLICY_MARK}'; "
            f"COMMENT ON POLICY across ON \"{table}\" IS '{POLICY_MARK}'")
    grant(database, app_role, across=bool(tables) or role_exists(database, ACROSS_ROLE))


def grant(database, app_role, across):
    """The app's role may read and write the schema's rows and use its sequences, also of the
    tables a later migration makes; the across role may read them."""
    readers = [f'"{app_role}"'] if app_role else []
    if across:
        readers.append(ACROSS_ROLE)
    if not readers:
        return
    statements = [f"GRANT USAGE ON SCHEMA {{schema}} TO {', '.join(readers)}"]
    if app_role:
        statements += [
            f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {{schema}} TO "{app_role}"',
            f'GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {{schema}} TO "{app_role}"',
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {{schema}} GRANT SELECT, INSERT, UPDATE, DELETE "
            f'ON TABLES TO "{app_role}"',
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {{schema}} GRANT USAGE, SELECT, UPDATE "
            f'ON SEQUENCES TO "{app_role}"']
    if across:
        statements += [
            f"GRANT SELECT ON ALL TABLES IN SCHEMA {{schema}} TO {ACROSS_ROLE}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {{schema}} GRANT SELECT ON TABLES TO {ACROSS_ROLE}"]
    schema = database.execute_sql("SELECT quote_ident(current_schema())").fetchone()[0]
    database.execute_sql("; ".join(statement.format(schema=schema) for statement in statements))


def role_exists(database, role):
    return database.execute_sql("SELECT 1 FROM pg_roles WHERE rolname = %s",
                                (role,)).fetchone() is not None


def ensure_across_role(database, app_role):
    """The across role, made if missing, and the app's role (or the owner, when it is the app's
    role) a member of it. WallError, saying what to run, when the owner may do neither."""
    member = f'"{app_role}"' if app_role else "CURRENT_USER"
    for statement in (f"CREATE ROLE {ACROSS_ROLE} NOLOGIN", f"GRANT {ACROSS_ROLE} TO {member}"):
        database.execute_sql(f"DO $$ BEGIN {statement}; EXCEPTION WHEN duplicate_object "
                             "OR insufficient_privilege THEN NULL; END $$")
    allowed = database.execute_sql(
        "SELECT r.rolsuper OR pg_has_role(r.oid, a.oid, 'MEMBER') FROM pg_roles r, pg_roles a "
        "WHERE r.rolname = COALESCE(%s, CURRENT_USER) AND a.rolname = %s",
        (app_role, ACROSS_ROLE)).fetchone()
    if not (allowed and allowed[0]):
        raise WallError(
            f"Peran {ACROSS_ROLE} belum ada atau peran aplikasi belum anggotanya, dan pemilik "
            f"tabel tidak berhak mengaturnya. Jalankan sebagai superuser PostgreSQL: "
            f"CREATE ROLE {ACROSS_ROLE} NOLOGIN; GRANT {ACROSS_ROLE} TO "
            f"{app_role or '<peran aplikasi>'};")


@contextmanager
def lifted(database):
    """A migration step's rows as the owner sees them without the wall: NO FORCE on every walled
    table inside the step's transaction (no other session ever sees it so), forced again before
    it commits. A superuser passes the wall anyway."""
    tables = walled_tables(database)
    for table in tables:
        database.execute_sql(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY')
    yield
    for table in tables:
        database.execute_sql(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')


def snapshot_sql(database):
    """The wall as statements for the schema snapshot: each table's row security, then its
    policies, sorted by table and name."""
    statements = []
    for table, secured, forced in database.execute_sql(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
            "WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' "
            "AND (relrowsecurity OR relforcerowsecurity) ORDER BY relname").fetchall():
        statements += [f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY'] if secured else []
        statements += [f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY'] if forced else []
    for table, name, permissive, roles, command, using, check in database.execute_sql(
            "SELECT tablename, policyname, permissive, array_to_string(roles, ', '), cmd, qual, "
            "with_check FROM pg_policies WHERE schemaname = current_schema() "
            "ORDER BY tablename, policyname").fetchall():
        statements.append(f'CREATE POLICY "{name}" ON "{table}" AS {permissive} FOR {command} '
                          f"TO {roles}" + (f" USING ({using})" if using else "")
                          + (f" WITH CHECK ({check})" if check else ""))
    return statements
