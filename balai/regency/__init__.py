"""The regency's pages: the villages of the installation and their figures side by side, read
from the daily counts (balai.tally) across villages, never from a letter, a name or a NIK; and
the forms that add a village (balai.founding) and its operator's account."""
