"""The news area's pages: home, articles and their management, and the installable app."""
