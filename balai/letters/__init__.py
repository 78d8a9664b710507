"""Letters: letter types, requests and their workflow (workflow.py: one table of steps and
moves), syarat uploads, the register and numbering, issuing (render, sign, store), what each step
tells people, the officials' inbox, issued documents and their revocation, and the public
verification pages."""
