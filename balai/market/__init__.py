"""Lapak UMKM: residents' shops and products, orders between neighbours, and the operator's
moderation."""
