"""The schema as it was before the database kept its version (tables of every area)

A database that has Balai's tables but no `schema_version` table is at this version. A new
database is made from today's models at once, at the latest version, and runs no step."""
