"""riskscreen: transparent early-school-leaving risk screening for Dutch schools and youth work."""

__version__ = "0.1.0"
