"""The people area's pages: login and registration, the operator's population records and
accounts."""
