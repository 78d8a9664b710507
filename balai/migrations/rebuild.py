"""Rebuilding a SQLite table, for a step that changes what ALTER TABLE cannot: a constraint
(UNIQUE over columns, CHECK, a foreign key's ON DELETE), a column's type or NOT NULL.

SQLite's way (its documentation, "Making Other Kinds Of Table Schema Changes"): make the new
table under another name, copy the rows, drop the old table, give the new one its name, make the
indexes again. balai.migrate runs every step on SQLite with foreign keys off, as that needs: with
them on, dropping the old table would delete (ON DELETE CASCADE) or refuse every row of every
table that points at it. The old table is never renamed first: SQLite would make the other
tables' foreign keys follow it to the old name."""


def rebuild_table(database, table, columns_sql):
    """Replace `table` with one made of `columns_sql` (what goes between the parentheses of its
    CREATE TABLE), keeping every row in the columns both have, and its indexes."""
    indexes = [sql for (sql,) in database.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        (table,)).fetchall()]
    new_table = f"{table}__rebuilt"
    database.execute_sql(f'CREATE TABLE "{new_table}" ({columns_sql})')
    new_columns = set(columns_of(database, new_table))
    kept = ", ".join(f'"{name}"' for name in columns_of(database, table) if name in new_columns)
    database.execute_sql(f'INSERT INTO "{new_table}" ({kept}) SELECT {kept} FROM "{table}"')
    database.execute_sql(f'DROP TABLE "{table}"')
    database.execute_sql(f'ALTER TABLE "{new_table}" RENAME TO "{table}"')
    for sql in indexes:
        database.execute_sql(sql)


def columns_of(database, table):
    return [column.name for column in database.get_columns(table)]
