"""The web plumbing every area shares: htmx helpers, role gates, error pages, form helpers
and paging, template filters, the public page cache, fingerprinted static files and deleting
stored files. It imports no area."""
