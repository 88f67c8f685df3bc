"""The contract's coded values (absence codes, levels, leerwegen) and the usual Dutch words every profile reads."""

from __future__ import annotations

# "luxe" (luxe verzuim: leave outside the school holidays without permission) is unauthorised absence that the
# Leerplichtwet asks to report on its own; it comes last so the other codes keep their positions.
ATTENDANCE_CODES = ("present", "authorised", "sick", "unauthorised", "late", "removed", "luxe")
LEERWEGEN = ("bol", "bbl")
LEVELS = ("pro", "vmbo-b", "vmbo-k", "vmbo-gt", "havo", "vwo", "mbo-1", "mbo-2", "mbo-3", "mbo-4")

# Codes every profile understands: the contract's own and the usual Dutch words. Keys are normalised values.
BASE_ATTENDANCE_CODES: dict[str, str] = {
    **{c: c for c in ATTENDANCE_CODES},
    "authorized": "authorised",
    "unauthorized": "unauthorised",
    "aanwezig": "present",
    "presentie": "present",
    "geoorloofd": "authorised",
    "geoorloofd afwezig": "authorised",
    "verlof": "authorised",
    "medisch": "authorised",
    "huisarts": "authorised",
    "tandarts": "authorised",
    "orthodontist": "authorised",
    "ziek": "sick",
    "ziekte": "sick",
    "ziekmelding": "sick",
    "ziek gemeld": "sick",
    "ziek naar huis": "sick",
    "ongeoorloofd": "unauthorised",
    "ongeoorloofd afwezig": "unauthorised",
    "spijbelen": "unauthorised",
    "gespijbeld": "unauthorised",
    "spijbelt": "unauthorised",
    "te laat": "late",
    "telaat": "late",
    "laat": "late",
    "uitgestuurd": "removed",
    "verwijderd": "removed",
    "verwijderd uit de les": "removed",
    "eruit gestuurd": "removed",
    "uit de les gestuurd": "removed",
    # "verlof" stays authorised (leave that was granted); leave taken without it is luxe verzuim.
    "luxe verzuim": "luxe",
    "luxeverzuim": "luxe",
    "luxe": "luxe",
    "vakantie zonder toestemming": "luxe",
    "vakantie zonder verlof": "luxe",
    "vakantie buiten de schoolvakantie": "luxe",
    "vakantieverlof geweigerd": "luxe",
    "verlof geweigerd": "luxe",
    "extra vakantie": "luxe",
}
BASE_LEERWEG_CODES: dict[str, str] = {
    "bol": "bol",
    "bbl": "bbl",
    "beroepsopleidende leerweg": "bol",
    "beroepsbegeleidende leerweg": "bbl",
    "voltijd": "bol",
    "deeltijd": "bbl",
}
BASE_LEVEL_CODES: dict[str, str] = {
    **{c: c for c in LEVELS},
    "praktijkonderwijs": "pro",
    "vmbo b": "vmbo-b",
    "vmbo-bb": "vmbo-b",
    "vmbo bb": "vmbo-b",
    "bb": "vmbo-b",
    "basis": "vmbo-b",
    "basisberoepsgerichte leerweg": "vmbo-b",
    "vmbo k": "vmbo-k",
    "vmbo-kb": "vmbo-k",
    "vmbo kb": "vmbo-k",
    "kb": "vmbo-k",
    "kader": "vmbo-k",
    "kaderberoepsgerichte leerweg": "vmbo-k",
    "vmbo gt": "vmbo-gt",
    "vmbo-tl": "vmbo-gt",
    "vmbo tl": "vmbo-gt",
    "vmbo-gl": "vmbo-gt",
    "tl": "vmbo-gt",
    "gl": "vmbo-gt",
    "gt": "vmbo-gt",
    "mavo": "vmbo-gt",
    "theoretische leerweg": "vmbo-gt",
    "atheneum": "vwo",
    "gymnasium": "vwo",
    "mbo 1": "mbo-1",
    "entree": "mbo-1",
    "mbo 2": "mbo-2",
    "mbo 3": "mbo-3",
    "mbo 4": "mbo-4",
}
