"""Founding a village in the installation (balai.founding.village) and its command,
`add-village`. An area of its own, above the areas whose part of a new village it makes (letter
types, the signing CA): balai.villages sits below them all."""
