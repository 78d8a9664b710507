"""The web plumbing every area shares: htmx helpers, role gates, error pages, form helpers
and paging, template filters, the public page cache, fingerprinted static files, deleting
stored files, and the bounded reading of PDFs that anyone may upload. It imports no area."""
