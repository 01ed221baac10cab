"""Zhaoshang (招商): the work platform of a local investment-promotion bureau."""
