"""The village and its people: the village profile, population records (penduduk), accounts,
login and its limits, NIK rules, and the operator's pages for residents and officials."""
