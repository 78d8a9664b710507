"""Everything that differs between the database engines: SQLite (one machine, the default) and
PostgreSQL (a database server shared by several web nodes). No other module writes SQL that only
one engine understands; each engine's class below offers the same few methods.

- A write transaction is serialised against every other writer. Code everywhere reads, decides
  and writes in one `db.atomic()` (the next letter number, a login limit, a stock count) and
  relies on no other writer slipping in between. SQLite begins every transaction IMMEDIATE: it
  takes the one write lock at BEGIN. PostgreSQL's READ COMMITTED would let two such transactions
  read the same last number and both write; so every outermost transaction takes one
  transaction-level advisory lock right after BEGIN, released at COMMIT or ROLLBACK: one writer at
  a time, exactly as on SQLite. A village writes a few rows a minute, so this costs little. A
  writing statement outside a transaction takes the same lock, from a BEFORE STATEMENT trigger on
  every table (before it locks any row): whoever holds a row lock holds the write lock, so
  writers cannot deadlock each other, as on SQLite. Waiting for it ends after LOCK_WAIT_MS (a
  lock_timeout error), as SQLite's busy_timeout does. The lock is the installation's, not a
  village's: every writing statement also bumps the one change counter (below), so writers of
  two villages would queue at its row anyway; a lock per village goes with a counter per village.
- The wall between villages (balai.pg_wall): every transaction begins by setting, local to it,
  the village it works for, which row-level security reads; a statement outside db.atomic()
  gets a transaction of its own, sent with that setting in one pipeline.
- Full-text news search: an FTS5 virtual table on SQLite; on PostgreSQL a plain table with a GIN
  index on the weighted tsvector of its columns ('simple' configuration: the text is Indonesian,
  no stemming). Both take the same words, each a prefix, all required; user input never reaches
  the query syntax.
- The change stamp (what the page cache and the village profile cache compare): SQLite's file
  size and mtime move whenever any process commits; on PostgreSQL, one row's counter, bumped by
  that same trigger inside the writing transaction, so every node sees the new stamp exactly when
  it sees the new data (a sequence would move before the commit, and a page rendered from the
  old data would be kept under the new stamp).
- The month of a stored (naive UTC) moment on the village's clock, "YYYY-MM", for the figures'
  GROUP BY: SQLite's strftime with a minutes modifier, PostgreSQL's to_char of the moment plus
  an interval. Indonesia's zones keep one offset all year, so an offset is enough.
"""
import getpass
import os
import re
import threading
import weakref
from contextlib import contextmanager, nullcontext
from urllib.parse import urlsplit

from peewee import SQL, Expression, SqliteDatabase, __exception_wrapper__, fn
from playhouse.pool import PooledPostgresqlDatabase

from balai import pg_wall

LOCK_WAIT_MS = 10_000
WRITE_LOCK = 0x42616C6169  # the advisory lock's key ("Balai"); advisory locks are per database
CHANGES_TABLE = "balai_change"
SEARCH_CONFIG = "simple"
TRANSACTION_IDLE = 0  # psycopg's pq.TransactionStatus.IDLE

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
    "busy_timeout": LOCK_WAIT_MS,
    "cache_size": -8000,
}


class SqliteVillageDatabase(SqliteDatabase):
    """SQLite, every transaction (db.atomic(); nested ones are savepoints) begun IMMEDIATE.

    It takes the write lock first, waiting up to busy_timeout for it. A deferred one that reads
    and then writes fails at once under WAL ("database is locked") when another connection
    committed in between, and busy_timeout does not help."""
    engine = "sqlite"
    shared = False  # one machine: its files are the database

    def __init__(self, path):
        super().__init__(path, pragmas=SQLITE_PRAGMAS, check_same_thread=False,
                         lock_type="IMMEDIATE")

    def describe(self):
        return self.database

    def change_stamp(self):
        """Moves whenever any process commits (a file's size or mtime changes).

        An empty write-ahead log counts as none: SQLite makes and deletes it as connections come
        and go, without any change to the data."""
        stamp = [self.database]
        for suffix in ("", "-wal"):
            try:
                stat = os.stat(self.database + suffix)
                stamp.append((stat.st_mtime_ns, stat.st_size) if stat.st_size else None)
            except FileNotFoundError:
                stamp.append(None)
        return tuple(stamp)

    def after_create_tables(self, models):
        """Nothing: the file itself is the change stamp."""

    def owner(self):
        """One file, one owner: the app's own database creates and upgrades the tables."""
        return self

    def build_wall(self):
        """Nothing: the wall between villages is PostgreSQL's (balai.pg_wall)."""

    def wall_lifted(self):
        return nullcontext()

    def wall_moved(self):
        """Nothing: the wall between villages is PostgreSQL's (balai.pg_wall)."""

    def create_search_table(self, index):
        """The FTS5 table (rowid: the row it indexes) over the index model's text columns."""
        columns = ", ".join(f'"{field.column_name}"' for field in search_fields(index))
        self.execute_sql(f'CREATE VIRTUAL TABLE IF NOT EXISTS "{index._meta.table_name}" '
                         f'USING fts5 ({columns}, tokenize="unicode61 remove_diacritics 2")')

    def text_search(self, index, words, weights):
        """(condition, ordering) for rows of `index` that have every word, each as a prefix;
        a column's matches count `weights[i]` times."""
        table = SQL(f'"{index._meta.table_name}"')
        query = " ".join(f'"{word}"*' for word in words)
        return Expression(table, "MATCH", query), fn.bm25(table, *weights)

    def month_of(self, column, offset):
        """"YYYY-MM" of a stored moment shifted by `offset` (a timedelta: the village's clock)."""
        minutes = round(offset.total_seconds() / 60)
        return fn.strftime(SQL("'%Y-%m'"), column, SQL(f"'{minutes:+d} minutes'"))


class PostgresVillageDatabase(PooledPostgresqlDatabase):
    """PostgreSQL through a pool of psycopg 3 connections; see the module's doc for the write
    lock, the search index and the change stamp."""
    engine = "postgresql"
    shared = True  # every web node sees the same data

    def __init__(self, url, pool_size=10, owner_url=None, app_role=None):
        """`owner_url`: the tables' owner, who creates and upgrades them (owner()); None: this
        URL's role owns them. `app_role`: on the owner's database, the role the app connects
        as, which build_wall grants what it needs."""
        from psycopg.conninfo import conninfo_to_dict  # only here: SQLite needs no psycopg
        given = conninfo_to_dict(url).get("options", "")  # the URL's own server options stay
        super().__init__(url, max_connections=pool_size, stale_timeout=300, timeout=30,
                         prefer_psycopg3=True,
                         options=f"{given} -c lock_timeout={LOCK_WAIT_MS}".strip())
        self.owner_url, self.app_role, self._owner = owner_url, app_role, None
        _pools.add(self)

    def forget_connections(self):
        """In a forked child (the worker's processes): the pool's connections and locks are the
        parent's. Dropped without closing, which would end the parent's sessions too."""
        self._lock = threading.Lock()
        self._pool_lock = threading.RLock()
        self._pool_available = threading.Condition(self._pool_lock)
        self._connections, self._in_use = [], {}
        self._state.reset()

    def begin(self, isolation_level=None):
        """Every outermost transaction is a write transaction: it waits for the village's one
        write lock (held until COMMIT or ROLLBACK), as SQLite's BEGIN IMMEDIATE does. Under READ
        COMMITTED (the default; not REPEATABLE READ, whose snapshot would predate the wait) each
        later statement sees what the writers before it committed. It first sets the village
        the wall lets it see (balai.pg_wall); inside across_villages() it reads every village
        as the across role and writes nothing. One round trip."""
        level = isolation_level or self._isolation_level
        kind = f" ISOLATION LEVEL {self._adapter.isolation_level_str(level)}" if level else ""
        statements = self._opening(lambda: pg_wall.opening(
            kind, [f"SELECT pg_advisory_xact_lock({WRITE_LOCK})"]))
        with __exception_wrapper__:
            self.cursor().execute("; ".join(statements))

    def execute_sql(self, sql, params=None):
        """Outside db.atomic() (peewee runs PostgreSQL in autocommit, where a transaction-local
        setting would be gone before the statement), each statement runs in a transaction of
        its own that begins with the wall's setting and commits at once, as in autocommit; so no
        connection idles in a transaction, holding locks, between statements or requests. The
        two go in one pipeline: one round trip, one implicit transaction until its Sync. A
        script (several statements, no parameters) cannot: BEGIN and COMMIT go around it."""
        if self.in_transaction() or getattr(self._state, "opening", False):
            return super().execute_sql(sql, params)
        connection = self.connection()
        with __exception_wrapper__:
            try:
                if params or ";" not in sql.strip().rstrip(";"):
                    setting = self._opening(pg_wall.setting_sql)
                    with connection.pipeline():
                        connection.execute(setting)
                        cursor = super().execute_sql(sql, params)
                    return cursor
                connection.execute("; ".join(self._opening(lambda: pg_wall.opening(""))))
                cursor = super().execute_sql(sql, params)
                connection.execute("COMMIT")
                return cursor
            except Exception:
                if connection.info.transaction_status != TRANSACTION_IDLE:
                    connection.execute("ROLLBACK")
                raise

    def _opening(self, statements):
        """statements(), whose village may be read from the database: by plain statements."""
        self._state.opening = True
        try:
            return statements()
        finally:
            self._state.opening = False

    def owner(self):
        """The database as the tables' owner sees it (for creating and upgrading them), or this
        one when its role owns them."""
        if not self.owner_url or self.owner_url == self.database:
            return self
        if self._owner is None:
            from psycopg.conninfo import conninfo_to_dict
            self._owner = PostgresVillageDatabase(
                self.owner_url, 2, app_role=conninfo_to_dict(self.database).get("user")
                or os.environ.get("PGUSER") or getpass.getuser())
        return self._owner

    def build_wall(self):
        """Row-level security on every village table, and the app's grants (balai.pg_wall)."""
        pg_wall.build_wall(self, self.app_role)

    def wall_lifted(self):
        """Inside a migration step's transaction: the owner sees every village's rows."""
        return pg_wall.lifted(self)

    def wall_moved(self):
        """A village chosen (or left) inside a transaction: the wall follows it for the rest of
        the transaction. Across villages is taken only at a transaction's start (read only)."""
        if self.in_transaction() and pg_wall.village_setting() != pg_wall.ACROSS:
            with __exception_wrapper__:
                self.cursor().execute(pg_wall.setting_sql())

    def get_tables(self, schema=None):
        """The tables of the schema in use: the first of the search_path (which the URL may
        set), where peewee would look in public."""
        return super().get_tables(
            schema or self.execute_sql("SELECT current_schema()").fetchone()[0])
    @contextmanager
    def session_lock(self, key, exclusive=False):
        """An advisory lock every node sees, held until the block ends, on a connection of its
        own (outside the pool and any transaction; closing it lets go, also when the process
        dies). It waits as long as it takes: a backup holds one for minutes."""
        import psycopg
        with psycopg.connect(self.database, autocommit=True, **self.connect_params) as connection:
            connection.execute("SET lock_timeout = 0")
            kind = "" if exclusive else "_shared"
            connection.execute(f"SELECT pg_advisory_lock{kind}(%s)", (key,))
            yield

    def copy_rows(self, model, fields, rows):
        """Add many rows at once with COPY (tens of times faster than INSERTs for the bulk
        village); run it inside db.atomic(), which takes the write lock first. The model's
        defaults fill the other fields, as insert_many does. COPY cannot write past row-level
        security, so the rows go to a temporary table first and from it through the wall."""
        given = {field.name for field in fields}  # (a field's == builds a query expression)
        defaulted = [field for field in model._meta.sorted_fields if field.name not in given
                     and not field.primary_key and field.default is not None]
        columns = ", ".join(f'"{field.column_name}"' for field in [*fields, *defaulted])
        table, staged = model._meta.table_name, f"copied_{model._meta.table_name}"
        self.execute_sql(f'CREATE TEMPORARY TABLE "{staged}" AS SELECT {columns} FROM "{table}" '
                         "WITH NO DATA")
        with self.cursor().copy(f'COPY "{staged}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                values = [*row, *(f.default() if callable(f.default) else f.default
                                  for f in defaulted)]
                copy.write_row([field.db_value(value)
                                for field, value in zip([*fields, *defaulted], values)])
        self.execute_sql(f'INSERT INTO "{table}" ({columns}) SELECT {columns} FROM "{staged}"; '
                         f'DROP TABLE "{staged}"')

    def describe(self):
        """The URL without its password (for messages and logs)."""
        return re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", self.database)

    def change_stamp(self):
        return (self.database, self.execute_sql(f"SELECT counter FROM {CHANGES_TABLE}").fetchone())

    def after_create_tables(self, models):
        """The change counter, and on every table a trigger that takes the write lock and bumps
        the counter before each writing statement (see the module's doc); then the wall between
        villages (balai.pg_wall)."""
        self.execute_sql(f"CREATE TABLE IF NOT EXISTS {CHANGES_TABLE} "
                         "(only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row), "
                         "counter BIGINT NOT NULL DEFAULT 0)")
        self.execute_sql(f"INSERT INTO {CHANGES_TABLE} DEFAULT VALUES ON CONFLICT DO NOTHING")
        self.execute_sql(f"CREATE OR REPLACE FUNCTION {CHANGES_TABLE}_bump() RETURNS trigger "
                         "LANGUAGE plpgsql AS $$ BEGIN "
                         f"PERFORM pg_advisory_xact_lock({WRITE_LOCK}); "
                         f"UPDATE {CHANGES_TABLE} SET counter = counter + 1; RETURN NULL; END $$")
        for model in models:
            self.execute_sql(f"CREATE OR REPLACE TRIGGER {CHANGES_TABLE} BEFORE INSERT OR UPDATE "
                             f'OR DELETE OR TRUNCATE ON "{model._meta.table_name}" '
                             f"FOR EACH STATEMENT EXECUTE FUNCTION {CHANGES_TABLE}_bump()")
        self.build_wall()

    def create_search_table(self, index):
        """A plain table, and a GIN index on the same weighted vector that text_search reads."""
        table = index._meta.table_name
        columns = ", ".join(f'"{field.column_name}" TEXT NOT NULL' for field in
                            search_fields(index))
        self.execute_sql(f'CREATE TABLE IF NOT EXISTS "{table}" '
                         f'("rowid" INTEGER PRIMARY KEY, {columns})')
        vector = " || ".join(
            f"setweight(to_tsvector('{SEARCH_CONFIG}', \"{field.column_name}\"), '{label}')"
            for field, label in zip(search_fields(index), "ABCD"))
        self.execute_sql(f'CREATE INDEX IF NOT EXISTS "{table}_search" ON "{table}" '
                         f"USING GIN (({vector}))")

    def text_search(self, index, words, weights):
        vector = None
        for field, label in zip(search_fields(index), "ABCD"):
            part = fn.setweight(fn.to_tsvector(SQL(f"'{SEARCH_CONFIG}'"), field), SQL(f"'{label}'"))
            vector = part if vector is None else vector.concat(part)
        query = fn.to_tsquery(SQL(f"'{SEARCH_CONFIG}'"), " & ".join(f"'{w}':*" for w in words))
        # ts_rank's weights are listed D, C, B, A; the heaviest column weighs 1.
        by_label = [weight / max(weights) for weight in weights] + [0.0] * (4 - len(weights))
        rank = fn.ts_rank(SQL("'{%s}'" % ",".join(map(str, reversed(by_label)))), vector, query)
        return Expression(vector, "@@", query), rank.desc()

    def month_of(self, column, offset):
        # Literals, not parameters: the same expression in SELECT and GROUP BY must be the same
        # text for PostgreSQL to see that the select list is grouped.
        minutes = round(offset.total_seconds() / 60)
        return fn.to_char(column + SQL(f"INTERVAL '{minutes:d} minutes'"), SQL("'YYYY-MM'"))


def postgres_schema_sql(database):
    """The schema of the PostgreSQL database's current schema (the first of its search_path) as
    text, one statement a line, that makes it again: a snapshot (balai.migrate). Built from the
    catalog, so it is the same for the same schema on any server: tables sorted by name, each
    with its columns in order and its own constraints (a column whose sequence it owns written
    as serial); then foreign keys, indexes, functions and triggers, each sorted by name, and the
    wall between villages (balai.pg_wall: row security, policies). No
    schema name: it makes the same tables in whichever schema runs it."""
    schema = database.execute_sql("SELECT current_schema()").fetchone()[0]
    unqualified = re.compile(rf'(?<![\w"])"?{re.escape(schema)}"?\.')

    def rows(sql):
        return database.execute_sql(sql, (schema,)).fetchall()
    columns = {}
    for table, column, kind, not_null, default, sequence in rows(
            "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
            "pg_get_expr(d.adbin, d.adrelid), pg_get_serial_sequence("
            "quote_ident(n.nspname) || '.' || quote_ident(c.relname), a.attname) "
            "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            "WHERE n.nspname = %s AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped "
            "ORDER BY c.relname, a.attnum"):
        sequence = sequence and unqualified.sub("", sequence)
        if sequence and default == f"nextval('{sequence}'::regclass)" and not_null:
            kind, not_null, default = {"bigint": "bigserial"}.get(kind, "serial"), False, None
        columns.setdefault(table, []).append(
            f'"{column}" {kind}' + (" NOT NULL" if not_null else "")
            + (f" DEFAULT {default}" if default is not None else ""))
    foreign_keys = []
    for table, name, kind, definition in rows(
            "SELECT c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid) "
            "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s "
            "ORDER BY c.relname, k.conname"):
        statement = f'CONSTRAINT "{name}" {unqualified.sub("", definition)}'
        if kind == "f":  # after every table, which it may point at
            foreign_keys.append(f'ALTER TABLE "{table}" ADD {statement}')
        else:
            columns[table].append(statement)
    return "".join(f"{' '.join(sql.split())};\n" for sql in [
        *(f'CREATE TABLE "{table}" ({", ".join(parts)})' for table, parts in columns.items()),
        *foreign_keys,
        *(unqualified.sub("", sql) for (sql,) in rows(
            "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE "
            "k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype <> 'f') "
            "ORDER BY c.relname")),
        *(unqualified.sub("", sql) for (sql,) in rows(
            "SELECT pg_get_functiondef(p.oid) FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = %s "
            "ORDER BY p.proname")),
        *(unqualified.sub("", sql) for (sql,) in rows(
            "SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND NOT t.tgisinternal ORDER BY c.relname, t.tgname")),
        *pg_wall.snapshot_sql(database)])


_pools = weakref.WeakSet()
os.register_at_fork(after_in_child=lambda: [pool.forget_connections() for pool in list(_pools)])


def search_fields(index):
    return [field for field in index._meta.sorted_fields if not field.primary_key]


def open_database(url, pool_size=10, owner_url=None):
    """The database a DATABASE_URL names: sqlite:///relative/path, sqlite:////absolute/path,
    or postgresql://user:password@host:port/name (any libpq parameters in its query); on
    PostgreSQL `owner_url` names the tables' owner (BALAI_OWNER_DATABASE_URL), if not the same."""
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        return SqliteVillageDatabase(re.sub(r"^sqlite:///", "", url))
    if scheme in ("postgresql", "postgres"):
        return PostgresVillageDatabase(
            re.sub(r"^postgres://", "postgresql://", url), pool_size,
            owner_url and re.sub(r"^postgres://", "postgresql://", owner_url))
    raise ValueError(f"DATABASE_URL tidak dikenal: {scheme or url!r} "
                     "(pakai sqlite:///... atau postgresql://...)")
