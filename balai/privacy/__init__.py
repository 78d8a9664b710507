"""A resident's own data (UU PDP): their account page, and a copy of everything Balai holds about
them, gathered from every area. How long syarat scans are kept is the letters area's
(`letters/retention.py`)."""
