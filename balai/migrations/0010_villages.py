"""Many villages in one installation: every village table gets `village_id`, its uniques per village

Each table that holds a village's data gets a last column `village_id` (a foreign key to
`village`; null allowed only where the regency office's own accounts keep rows), filled with the
installation's one village, and each of its unique and composite indexes is made again led by
`village_id` (a NIK, a username, a register's (year, number)... are unique within a village).
A table with no such index gets an index on `village_id` alone. `village` gets `host` (unique;
null while it answers on every host) and `sender_name`. On SQLite the tables are rebuilt (ALTER
TABLE cannot add a NOT NULL column without a default); no row is lost."""
import re

from balai.migrations.rebuild import columns_of

NULLABLE = {"contactpoint", "loginfailure", "loginsession", "notification", "recoverycode",
            "secondfactor", "user"}  # tables that hold rows of the regency office's accounts

# table -> (unique indexes made per village, composite indexes led by village_id); the column
# lists as they are at this version. A unique foreign key keeps a plain index of its own.
TABLES = {
    "accesslogentry": ([], [("person_id", "at"), ("viewer_id", "kind", "object_id", "at")]),
    "attachment": ([("request_id", "requirement_key"), ("stored_name",)], []),
    "contactpoint": ([("user_id", "channel")], []),
    "dayoff": ([("date",)], []),
    "keptdocument": ([("person_id", "kind"), ("stored_name",)], []),
    "letterevent": ([], []),
    "letterpreview": ([("request_id",)], []),
    "letterrequest": ([("form_key",), ("number",), ("verify_token",)], [("status", "submitted_at")]),
    "lettertype": ([("slug",)], []),
    "loginfailure": ([], []),
    "loginsession": ([("token_hash",)], []),
    "news": ([("form_key",), ("image_key",), ("slug",)], [("status", "pinned", "publish_at")]),
    "notification": ([("key",)], [("recipient_id", "channel", "read_at")]),
    "order": ([("form_key",)], []),
    "orderitem": ([("order_id", "product_id")], []),
    "partialupload": ([("upload_id",)], []),
    "person": ([("nik",)], []),
    "populationimport": ([], []),
    "product": ([], [("status", "active", "created_at")]),
    "productphoto": ([("key",)], []),
    "recoverycode": ([("code_hash",)], []),
    "registerentry": ([("year", "seq")], []),
    "secondfactor": ([("user_id",)], []),
    "shop": ([("owner_id",)], []),
    "signercertificate": ([("fingerprint",)], []),
    "stagedrow": ([], [("batch_id", "outcome", "line")]),
    "stepreminder": ([("request_id", "since_event", "level")], []),
    "user": ([("person_id",), ("username",)], []),
    "verifyhit": ([], []),
}
UNIQUE_FOREIGN_KEYS = {("letterpreview", "request_id"), ("secondfactor", "user_id"),
                       ("shop", "owner_id"), ("user", "person_id")}


def upgrade(migrator):
    database = migrator.database
    sqlite = database.engine == "sqlite"
    village = the_village(database)
    add_village_columns(database, sqlite)
    for table, (uniques, composites) in TABLES.items():
        if sqlite:
            rebuild_with_village(database, table, village)
        else:
            null = "" if table in NULLABLE else " NOT NULL"
            database.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "village_id" integer{null} '
                                 f'DEFAULT {village} REFERENCES "village" ("id")')
            database.execute_sql(f'ALTER TABLE "{table}" ALTER COLUMN "village_id" DROP DEFAULT')
        for columns in uniques:
            database.execute_sql(f'DROP INDEX "{index_name(table, columns)}"')
            if len(columns) == 1 and (table, columns[0]) in UNIQUE_FOREIGN_KEYS:
                create_index(database, table, columns, unique=False)
            create_index(database, table, ("village_id",) + columns, unique=True)
        for columns in composites:
            database.execute_sql(f'DROP INDEX "{index_name(table, columns)}"')
            create_index(database, table, ("village_id",) + columns, unique=False)
        if not uniques and not composites:
            create_index(database, table, ("village_id",), unique=False)


def the_village(database):
    """The id of the installation's village, made (with the profile's defaults) if it has none."""
    row = database.execute_sql('SELECT MIN("id") FROM "village"').fetchone()
    if row[0] is not None:
        return row[0]
    database.execute_sql(
        'INSERT INTO "village" ("name", "kecamatan", "kabupaten", "provinsi", "kode_desa", '
        '"address", "phone", "email", "kades_name", "paper", "timezone", "public_url", '
        '"number_format") VALUES (\'Desa\', \'\', \'\', \'\', \'\', \'\', \'\', \'\', \'\', '
        '\'A4\', \'Asia/Jakarta\', \'http://127.0.0.1:5000\', '
        '\'{kode}/{nomor:03}/{kode_desa}/{bulan_romawi}/{tahun}\')')
    return database.execute_sql('SELECT MIN("id") FROM "village"').fetchone()[0]


def add_village_columns(database, sqlite):
    if sqlite:
        rebuild(database, "village", '"host" VARCHAR(255), "sender_name" VARCHAR(255) NOT NULL',
                "", {"host": "NULL", "sender_name": "''"})
    else:
        database.execute_sql('ALTER TABLE "village" ADD COLUMN "host" character varying(255)')
        database.execute_sql('ALTER TABLE "village" ADD COLUMN "sender_name" '
                             "character varying(255) NOT NULL DEFAULT ''")
        database.execute_sql('ALTER TABLE "village" ALTER COLUMN "sender_name" DROP DEFAULT')
    create_index(database, "village", ("host",), unique=True)


def rebuild_with_village(database, table, village):
    null = "" if table in NULLABLE else " NOT NULL"
    rebuild(database, table, f'"village_id" INTEGER{null}',
            ', FOREIGN KEY ("village_id") REFERENCES "village" ("id")', {"village_id": village})


def rebuild(database, table, new_columns, new_constraints, values):
    """SQLite: `table` made again with `new_columns` after its own columns (and
    `new_constraints` after its own), the new columns of every row set to `values` (SQL)."""
    sql, = database.execute_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                (table,)).fetchone()
    indexes = [index for (index,) in database.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        (table,)).fetchall()]
    body = sql[sql.index("(") + 1:sql.rindex(")")]
    split = re.search(r",\s*FOREIGN KEY", body)
    columns, constraints = (body[:split.start()], body[split.start():]) if split else (body, "")
    old = columns_of(database, table)
    new_table = f"{table}__rebuilt"
    database.execute_sql(f'CREATE TABLE "{new_table}" ({columns}, {new_columns}'
                         f'{constraints}{new_constraints})')
    names = ", ".join(f'"{name}"' for name in old + list(values))
    selected = ", ".join([f'"{name}"' for name in old] + [str(value) for value in values.values()])
    database.execute_sql(f'INSERT INTO "{new_table}" ({names}) SELECT {selected} FROM "{table}"')
    database.execute_sql(f'DROP TABLE "{table}"')
    database.execute_sql(f'ALTER TABLE "{new_table}" RENAME TO "{table}"')
    for index in indexes:
        database.execute_sql(index)


def index_name(table, columns):
    return f"{table}_{'_'.join(columns)}"


def create_index(database, table, columns, unique):
    quoted = ", ".join(f'"{column}"' for column in columns)
    database.execute_sql(f'CREATE {"UNIQUE " if unique else ""}INDEX "{index_name(table, columns)}" '
                         f'ON "{table}" ({quoted})')
