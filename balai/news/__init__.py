"""Berita: village news (Markdown, categories, search, feed), the home page, and what a phone
keeps for offline reading (manifest, icons, service worker)."""
