"""Who must be reported, by age and startkwalificatie, and how their hours are counted.

- Under 16, or under 18 without a startkwalificatie: leerplicht and kwalificatieplicht, the 16-hour report to DUO
  is compulsory (Leerplichtwet 1969 art. 21a; Onderwijsinspectie, "Registreren en melden van ongeoorloofd verzuim").
- 18 to 22 without a startkwalificatie: RMC (18+) verzuim. DUO lists it among the reports a school must make
  ("Verzuim: hoe het werkt"); the issue that asked for it read it as regional practice. We take DUO's, the stricter
  reading: compulsory, at the threshold the region agreed (`rmc_hours`, default 16), marked as regional.
- 23 or older, or 16 or older with a startkwalificatie: no statutory report; the hours still show as a signal.
- An unknown age or startkwalificatie never weakens the rule: it counts as under 18 and without one.
"""

from __future__ import annotations

import numpy as np

LEERPLICHT = "leerplicht"
RMC = "rmc"
NONE = "none"

BASIS_LESUREN = "lesuren"  # VO: a registered lesson of 60 minutes or less counts as one hour
BASIS_KLOKUREN = "klokuren"  # MBO: clock hours of les- en praktijktijd
BASIS_EXPORT = "export"  # the export's own hours column, as the school's system counts them


def duties(age: np.ndarray, startkwalificatie: np.ndarray) -> np.ndarray:
    """Per student LEERPLICHT, RMC or NONE from the roster's age (NaN: not known) and startkwalificatie (1, 0 or
    NaN: not known)."""
    qualified = startkwalificatie == 1.0
    known = ~np.isnan(age)
    out = np.full(age.shape, LEERPLICHT, dtype=object)
    out[known & (age >= 16) & qualified] = NONE
    out[known & (age >= 18) & ~qualified] = RMC
    out[known & (age >= 23)] = NONE
    return out


def hours_bases(setting: str, hours_from_export: bool, levels: np.ndarray) -> np.ndarray:
    """Per student the basis of their statutory hours: the profile's setting, or under "auto" the export's hours
    column where it has one, else klokuren for MBO levels and lesuren for the rest."""
    if setting != "auto":
        return np.full(levels.shape, setting, dtype=object)
    if hours_from_export:
        return np.full(levels.shape, BASIS_EXPORT, dtype=object)
    mbo = np.array([isinstance(v, str) and v.startswith("mbo") for v in levels], dtype=bool)
    return np.where(mbo, BASIS_KLOKUREN, BASIS_LESUREN).astype(object)


def statutory_hours(hours: np.ndarray, basis: np.ndarray, lesson_hours: float) -> np.ndarray:
    """The hours a registration counts for the statutory rules, per row (basis given per row). Under lesuren a
    lesson of an hour or less counts as one hour and a longer one by its clock time, so a row of one 50-minute
    lesson (0.83 h) counts 1 and a row of one 90-minute lesson counts 1.5."""
    lesuren = hours / lesson_hours * max(1.0, lesson_hours)
    return np.where(basis == BASIS_LESUREN, lesuren, hours)
