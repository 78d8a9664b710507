"""The web plumbing every area shares: htmx helpers, role gates, error pages, form helpers
and paging, template filters, the public page cache and fingerprinted static files. It imports no
area."""
