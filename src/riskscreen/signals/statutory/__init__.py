"""The statutory signals as DUO keeps them: 16 uur in 4 weken with its vervolgmeldingen, LRV, luxe verzuim, RMC 18+,
overig verzuim and M@ZL; each report with its begin, end, hours, basis, deadline and state. docs/features.md names
the published source of every rule."""
