"""Letters: letter types, requests and their workflow (one TRANSITIONS table), syarat uploads,
the register and numbering, issuing (render, sign, store), what each step tells people, the
officials' inbox, issued documents and their revocation, and the public verification pages."""
