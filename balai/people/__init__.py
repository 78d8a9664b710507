"""The village and its people: the village profile, population records (penduduk), accounts,
login and its limits, NIK, password and contact (WhatsApp, e-mail) rules, and the operator's
pages for residents and officials."""
