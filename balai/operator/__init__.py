"""The operator's desk: the overview across areas, the village profile, and the register of
outgoing letters."""
