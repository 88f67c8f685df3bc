"""The privacy guard's first look: column names that point at a direct identifier, in Dutch or English."""

from __future__ import annotations

import re

from riskscreen.errors import msg
from riskscreen.i18n import identifier_in
from riskscreen.identifiers import fold_text
from riskscreen.ingest.sniff import normalise_header

# Normalised column names (see io.normalise_header) that are direct identifiers on their own.
IDENTIFIER_NAMES = {
    "naam": "a name",
    "name": "a name",
    "voornaam": "a first name",
    "voornamen": "a first name",
    "achternaam": "a surname",
    "roepnaam": "a first name",
    "tussenvoegsel": "part of a name",
    "voorletters": "initials",
    "initialen": "initials",
    "firstname": "a first name",
    "lastname": "a surname",
    "surname": "a surname",
    "fullname": "a name",
    "volledigenaam": "a name",
    "leerlingnaam": "a name",
    "studentname": "a name",
    "naamleerling": "a name",
    "achternaamleerling": "a surname",
    "adres": "an address",
    "address": "an address",
    "straat": "an address",
    "straatnaam": "an address",
    "street": "an address",
    "huisnummer": "an address",
    "postcode": "a postcode",
    "zipcode": "a postcode",
    "postalcode": "a postcode",
    "woonplaats": "a home town",
    "email": "an e-mail address",
    "emailadres": "an e-mail address",
    "mail": "an e-mail address",
    "mailadres": "an e-mail address",
    "telefoon": "a phone number",
    "telefoonnummer": "a phone number",
    "tel": "a phone number",
    "telnr": "a phone number",
    "mobiel": "a phone number",
    "mobielnummer": "a phone number",
    "phone": "a phone number",
    "phonenumber": "a phone number",
    "mobile": "a phone number",
    "gsm": "a phone number",
    "bsn": "a BSN",
    "burgerservicenummer": "a BSN",
    "sofinummer": "a BSN",
    "sofinr": "a BSN",
    "socialsecuritynumber": "a BSN",
    "geboortedatum": "a date of birth",
    "dateofbirth": "a date of birth",
    "birthdate": "a date of birth",
    "dob": "a date of birth",
    "gebdatum": "a date of birth",
    "geboortedag": "a date of birth",
    "geboorteplaats": "a place of birth",
    "geboren": "a date of birth",
    "geborenop": "a date of birth",
    "gebdat": "a date of birth",
    "verjaardag": "a date of birth",
    "birthday": "a date of birth",
    "born": "a date of birth",
    "bornon": "a date of birth",
    "geboortemaand": "a date of birth",
    "pgn": "a BSN (persoonsgebonden nummer)",
    "onderwijsnummer": "a BSN-like education number",
}


# Short words that are identifiers only as a word of their own ("Tel. ouders"), never inside another word.
SHORT_IDENTIFIER_WORDS = {
    "tel": "a phone number",
    "telnr": "a phone number",
    "mob": "a phone number",
    "gsm": "a phone number",
    "bsn": "a BSN",
    "dob": "a date of birth",
    "geb": "a date of birth",
    "mail": "an e-mail address",
    "email": "an e-mail address",
}


# Parts that make a longer name an identifier ("e-mail ouder", "mobiel nummer"), unless it is a known safe name.
IDENTIFIER_PARTS = (
    "email",
    "telefoon",
    "mobiel",
    "geboortedatum",
    "burgerservicenummer",
    "voornaam",
    "achternaam",
    "roepnaam",
    "postcode",
    "phone",
    "birth",
    "bsn",
    "adres",
    "address",
    "geboren",
    "verjaardag",
    "gebdat",
)


SAFE_NAME_ENDINGS = (
    "vaknaam",
    "klasnaam",
    "groepsnaam",
    "schoolnaam",
    "profielnaam",
    "lesnaam",
    "cursusnaam",
    "vakname",
    "subjectname",
    "classname",
    "groupname",
    "coursename",
    "schoolname",
    "sheetname",
    "filename",
    "bestandsnaam",
    "opleidingsnaam",
)


def column_name_reason(name: str) -> str | None:
    """Why a column name looks like a direct identifier, or None (read after folding look-alike letters)."""
    key = normalise_header(name)
    if key in IDENTIFIER_NAMES:
        return msg("the column name suggests {what}", what=msg(IDENTIFIER_NAMES[key]))
    # each word on its own too: "Tel. ouders", "E-mail ouder 2", "BSN (leerling)"
    words = re.findall(r"[a-z]+", fold_text(name).lower())
    for word in words:
        if word in IDENTIFIER_NAMES or word in SHORT_IDENTIFIER_WORDS:
            return msg(
                "the column name suggests {what}", what=msg(IDENTIFIER_NAMES.get(word) or SHORT_IDENTIFIER_WORDS[word])
            )
    if key.endswith(SAFE_NAME_ENDINGS):
        return None
    for part in IDENTIFIER_PARTS:
        if part in key:
            return msg("the column name suggests {what}", what=msg(IDENTIFIER_NAMES.get(part, "a direct identifier")))
    if key.endswith(("naam", "name")) and len(key) > 4:
        return msg("the column name suggests {what}", what=msg("a name"))
    found = identifier_in(fold_text(name))  # a column per person ("Jan Jansen") or a number as its name
    if found:
        return msg("the column name holds {found}", found=found)
    return None
