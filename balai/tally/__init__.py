"""Counts kept as things happen, for figures that must not scan the rows they count: per
village and day the letters filed, returned, rejected and issued; per village, month and step a
histogram of the time the step took; per village and month who was active, and how many. The letters area
feeds them (balai.letters.counting), the regency's figures read them (balai.regency)."""
