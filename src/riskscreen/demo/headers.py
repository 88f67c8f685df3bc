"""How each export system the sample generator writes names its files, columns and absence codes."""

from __future__ import annotations

# Canonical code -> how each profile writes it.
CODE_WORDS = {
    "eduarte": {
        "sick": "Ziek",
        "authorised": "Geoorloofd",
        "unauthorised": "Ongeoorloofd",
        "late": "Te laat",
        "removed": "Verwijderd uit de les",
        "present": "Aanwezig",
        "luxe": "Luxe verzuim",
    },
    "canonical": {
        "sick": "sick",
        "authorised": "authorised",
        "unauthorised": "unauthorised",
        "late": "late",
        "removed": "removed",
        "present": "present",
    },
    "magister": {
        "sick": "Ziek",
        "authorised": "Geoorloofd",
        "unauthorised": "Ongeoorloofd",
        "late": "Te laat",
        "removed": "Uitgestuurd",
        "present": "Aanwezig",
    },
}
HEADERS = {
    "eduarte": {
        "attendance": {"student_id": "Deelnemernummer", "date": "Datum", "period": "Uur", "code": "Absentiereden"},
        "grades": {
            "student_id": "Deelnemernummer",
            "subject": "Onderwijsproduct",
            "date": "Datum",
            "grade": "Resultaat",
            "weight": "Weging",
        },
        "students": {
            "student_id": "Deelnemernummer",
            "level": "Niveau",
            "year": "Leerjaar",
            "age": "Leeftijd",
            "mentor": "SLB'er",
            "class": "Groep",
            "leerweg": "Leerweg",
            "startkwalificatie": "Startkwalificatie",
            "programme": "Opleiding",
            "crebo": "Crebo",
            "cohort": "Cohort",
            "audit_gender": "audit_gender",
        },
        "outcomes": {"student_id": "Deelnemernummer", "as_of": "Peildatum", "left_without_qualification": "VSV"},
    },
    "canonical": {
        "attendance": {
            "student_id": "student_id",
            "date": "date",
            "period": "period",
            "hours": "hours",
            "code": "code",
        },
        "grades": {
            "student_id": "student_id",
            "subject": "subject",
            "date": "date",
            "grade": "grade",
            "weight": "weight",
        },
        "students": {
            "student_id": "student_id",
            "level": "level",
            "year": "year",
            "age": "age",
            "repeated_years": "repeated_years",
            "moved_down": "moved_down",
            "mentor": "mentor",
            "class": "class",
            "audit_gender": "audit_gender",
        },
        "outcomes": {
            "student_id": "student_id",
            "as_of": "as_of",
            "left_without_qualification": "left_without_qualification",
        },
    },
    "magister": {
        "attendance": {"student_id": "Stamnummer", "date": "Datum", "period": "Lesuur", "code": "Absentiesoort"},
        "grades": {
            "student_id": "Stamnummer",
            "subject": "Vak",
            "date": "Datum",
            "grade": "Cijfer",
            "weight": "Weging",
        },
        "students": {
            "student_id": "Stamnummer",
            "level": "Niveau",
            "year": "Leerjaar",
            "age": "Leeftijd",
            "repeated_years": "Doublures",
            "moved_down": "Afstroom",
            "mentor": "Mentor",
            "class": "Klas",
            "audit_gender": "audit_gender",
        },
        "outcomes": {
            "student_id": "Stamnummer",
            "as_of": "Peildatum",
            "left_without_qualification": "VSV",
            "left_on": "Uitschrijfdatum",
        },
    },
}
FILE_NAMES = {
    "eduarte": {
        "attendance": "absenties.csv",
        "grades": "resultaten.csv",
        "students": "deelnemers.csv",
        "outcomes": "uitstroom.csv",
    },
    "canonical": {
        "attendance": "attendance.csv",
        "grades": "grades.csv",
        "students": "students.csv",
        "outcomes": "outcomes.csv",
    },
    "magister": {
        "attendance": "absenties.csv",
        "grades": "cijfers.csv",
        "students": "leerlingen.csv",
        "outcomes": "uitstroom.csv",
    },
}
