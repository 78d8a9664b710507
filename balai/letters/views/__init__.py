"""The letters area's pages: a resident's requests and the counter, the officials' inbox,
issued documents, letter types, and verification."""
