"""A stored document's sentences said in the reader's language: kept as their messages (riskscreen.phrases)."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from riskscreen.errors import msg
from riskscreen.phrases import Phrase, message, phrase, phrases_in, said, with_phrases


def test_a_phrase_gives_back_its_message_in_english_and_in_dutch() -> None:
    how = msg("by student: {share}% of students held out (stratified, grouped by student)", share=25)
    made = msg(
        "the transparent method ({features} features, {shape} shape, C={c}{penalty}) and the black box fitted on "
        "the same {train_rows} rows and measured on the same {test_rows} held-out rows ({how})",
        features="standard",
        shape=msg("additive"),
        c=0.01,
        penalty=msg(", penalty {penalty}", penalty=10.0),
        train_rows=196,
        test_rows=104,
        how=how,
    )
    kept = Phrase.model_validate(json.loads(json.dumps(phrase(made).model_dump(mode="json"))))
    assert kept.params["train_rows"] == 196 and kept.params["c"] == 0.01  # numbers stay numbers
    again = message(kept)
    assert (
        str(again)
        == str(made)
        == (
            "the transparent method (standard features, additive shape, C=0.01, penalty 10.0) and the black box fitted "
            "on the same 196 rows and measured on the same 104 held-out rows (by student: 25% of students held out "
            "(stratified, grouped by student))"
        )
    )
    assert (
        again.localised("nl")
        == made.localised("nl")
        == (
            "de transparante methode (kenmerkenset standard, vorm additief, C=0.01, straf 10.0) en de black box "
            "getraind op dezelfde 196 rijen en gemeten op dezelfde 104 apart gehouden rijen (per leerling: 25% van de "
            "leerlingen apart gehouden (vertrokken en gebleven leerlingen gelijk verdeeld, alle rijen van een leerling "
            "samen))"
        )
    )


def test_phrases_are_found_anywhere_in_a_document_and_only_for_texts_with_values() -> None:
    few = msg("only {positives} students left: every metric is very uncertain", positives=3)
    data = {
        "name": "m",
        "validation": {
            "method": msg("by student: {share}% of students held out (stratified, grouped by student)", share=25)
        },
        "metrics": {"warnings": [few, "a plain text"]},
        "limits": msg("no audit_* columns in the roster"),  # no values: its own key in the catalogue
    }
    assert sorted(phrases_in(data)) == [
        "by student: 25% of students held out (stratified, grouped by student)",
        "only 3 students left: every metric is very uncertain",
    ]
    assert with_phrases(data)["phrases"][str(few)] == Phrase(
        template="only {positives} students left: every metric is very uncertain", params={"positives": 3}
    )
    assert "phrases" not in with_phrases({"name": "m", "warnings": ["plain"]})  # nothing to keep: as it was


def test_said_uses_the_phrase_then_the_catalogue_then_the_text_as_written() -> None:
    few = msg("only {positives} students left: every metric is very uncertain", positives=3)
    kept = {str(few): phrase(few)}
    assert said(str(few), kept, "nl") == "maar 3 leerlingen vertrokken: elke maat is zeer onzeker"
    assert said(str(few), kept, "en") == "only 3 students left: every metric is very uncertain"
    # a card from before phrases were kept: a sentence with values stays as written, one without is still said
    assert said(str(few), {}, "nl") == "only 3 students left: every metric is very uncertain"
    assert said("no audit_* columns in the roster", {}, "nl") == "geen kolommen audit_* in het leerlingbestand"
    assert said("a sentence no catalogue has", {}, "nl") == "a sentence no catalogue has"


def test_the_bundled_card_says_how_it_was_validated_in_dutch_and_an_older_card_as_written(demo_model) -> None:  # type: ignore[no-untyped-def]
    from riskscreen.render.card import card_markdown
    from riskscreen.scoring.card import card_json, parse_card

    card = demo_model.card
    method = card.validation.method
    assert method.startswith("temporal and by student: 50% of students drawn at random for testing on as-of 2025-01-24")
    assert method in card.phrases  # the English text stays in the JSON; its message sits beside it
    assert parse_card(json.loads(card_json(card)), source="card.json") == card  # written as read
    dutch = card_markdown(card, "nl")
    assert (
        "\n- in de tijd en per leerling: 50% van de leerlingen willekeurig gekozen om te testen op de peildatums "
        in dutch
    )
    assert "2024-12-27 om op te trainen\n" in dutch and method not in dutch
    older = card.model_copy(update={"phrases": {}})  # as a card made before 4 December
    assert f"\n- {method}\n" in card_markdown(older, "nl")


def test_a_phrase_whose_values_do_not_match_its_template_is_refused() -> None:
    """A card edited by hand (its digest recomputed) cannot make the renderer fail on a value it lacks."""
    with pytest.raises(ValidationError, match="a phrase's values do not match its template"):
        Phrase(template="only {positives} students left: every metric is very uncertain", params={})
    with pytest.raises(ValidationError, match="a phrase's values do not match its template"):
        Phrase(template="linear", params={"extra": 1})
