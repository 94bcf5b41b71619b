"""The identifier guard's finder: what it must find and what it must leave alone.

Personal identity numbers are Skatteverket's published test numbers only (from its
test-number list: 18900101-9802, 18901221-9367, 18920229-9815, 20170101-2393 and the
samordningsnummer 19140168-2396, 19150072-2390); wrong check digits are computed from
them. Mobile numbers are from PTS's range for fiction (070-174 06 05 to 070-174 06 99);
other phones, e-mail addresses (example.org/.se), streets and places are invented.
"""

from __future__ import annotations

import pytest

from coprod_tui.core.privacy import (
    KINDS,
    LABELS,
    Identifier,
    describe,
    find_identifiers,
    kind_label,
    luhn_ok,
    mask,
    redact,
)

# Published test numbers (12 digits, with the dash where the 10-digit form has it).
TEST_NUMBERS = ["18900101-9802", "18901221-9367", "18920229-9815", "20170101-2393"]
TEST_COORDINATION = ["19140168-2396", "19150072-2390"]


def wrong_check_digit(number: str) -> str:
    """``number`` with its last digit changed so the Luhn check fails."""
    last = int(number[-1])
    return number[:-1] + str((last + 1) % 10)


def found(text: str) -> list[tuple[str, str, str]]:
    """(kind, text, certainty) of every hit in ``text``."""
    return [(hit.kind, hit.text, hit.certainty) for hit in find_identifiers(text)]


def test_the_test_numbers_pass_their_check_digit() -> None:
    for number in TEST_NUMBERS + TEST_COORDINATION:
        digits = number.replace("-", "")[2:]
        assert luhn_ok(digits), number
        assert not luhn_ok(wrong_check_digit(digits)), number


# --- must find ------------------------------------------------------------------------

MUST_FIND = [
    # personnummer, every written form
    ("Patientens personnummer är 20170101-2393.", "personnummer", "20170101-2393", "sure"),
    ("pnr 201701012393 i journalen", "personnummer", "201701012393", "sure"),
    ("Pnr: 170101-2393, ring tillbaka.", "personnummer", "170101-2393", "sure"),
    ("Pnr 1701012393", "personnummer", "1701012393", "sure"),
    ("född 900101+9802 (över hundra år)", "personnummer", "900101+9802", "sure"),
    ("Nummer 18901221-9367 stod på remissen.", "personnummer", "18901221-9367", "sure"),
    ("Skottdagen 18920229-9815 finns.", "personnummer", "18920229-9815", "sure"),
    ("Med tankstreck 20170101–2393 från Word.", "personnummer", "20170101–2393", "sure"),
    ("med mellanslag 20170101 2393", "personnummer", "20170101 2393", "sure"),
    ("med mellanslag 170101 2393", "personnummer", "170101 2393", "sure"),
    ("mellanslag och fel kontrollsiffra 170101 2394", "personnummer", None, None),
    # samordningsnummer (day + 60; month 00 when the month is unknown)
    ("Samordningsnummer 19140168-2396.", "samordningsnummer", "19140168-2396", "sure"),
    ("Okänd månad: 19150072-2390.", "samordningsnummer", "19150072-2390", "sure"),
    ("kort form 140168-2396", "samordningsnummer", "140168-2396", "sure"),
    # a wrong check digit still identifies a person
    ("Felskrivet: 20170101-2394.", "personnummer", "20170101-2394", "possible"),
    ("felskrivet 170101-2390", "personnummer", "170101-2390", "possible"),
    ("samordn. 19140168-2397", "samordningsnummer", "19140168-2397", "possible"),
    # reservnummer
    ("Reservnummer 19800101-TF01 i Skåne.", "reservnummer", "19800101-TF01", "sure"),
    ("Reservnr 800101-K123.", "reservnummer", "800101-K123", "sure"),
    ("Utan streck 19800101TF01.", "reservnummer", "19800101TF01", "sure"),
    ("NRID 22800101-AB12 (känt datum).", "reservnummer", "22800101-AB12", "sure"),
    ("NRID 23030101BC34 utan streck", "reservnummer", "23030101BC34", "sure"),
    ("NRID med förbjuden bokstav 22800101-IO12", "reservnummer", None, None),
    ("NRID okänt datum 00552041-XY11.", "reservnummer", "00552041-XY11", "sure"),
    ("Stockholm: 99201612-3450", "reservnummer", "99201612-3450", None),
    # phone numbers
    ("Ring 070-174 06 05 efter lunch.", "phone", "070-174 06 05", "sure"),
    ("mobil 0701740605", "phone", "0701740605", "sure"),
    ("mobil 070-1740699.", "phone", "070-1740699", "sure"),
    ("Växeln 08-123 456 78.", "phone", "08-123 456 78", "sure"),
    ("Göteborg 031-12 34 56", "phone", "031-12 34 56", "sure"),
    ("Mottagningen 0485-123 45.", "phone", "0485-123 45", "sure"),
    ("Dottern +46 70 174 06 05 bor i Oslo.", "phone", "+46 70 174 06 05", "sure"),
    ("Utland: +46 (0)8 123 456 78", "phone", "+46 (0)8 123 456 78", "sure"),
    ("skrev +46701740605 i sms", "phone", "+46701740605", "sure"),
    ("0046 8 123 456 78", "phone", "0046 8 123 456 78", "sure"),
    ("tel:0701740605", "phone", "0701740605", "sure"),
    ("Norskt nummer +47 22 33 44 55", "phone", "+47 22 33 44 55", "possible"),
    ("ring 070-174 06 05 20 gånger", "phone", "070-174 06 05", "sure"),
    ("ring efter kl 14 070-174 06 05", "phone", "070-174 06 05", "sure"),
    ("nr 12 0046 70 174 06 05", "phone", "0046 70 174 06 05", "sure"),
    # e-mail
    ("Mejla anna.svensson@example.org i morgon.", "email", "anna.svensson@example.org", "sure"),
    (
        "<bo-erik+vård@vårdcentral.example.se>",
        "email",
        "bo-erik+vård@vårdcentral.example.se",
        "sure",
    ),
    ("E-post: Kim_Lind@example.se.", "email", "Kim_Lind@example.se", "sure"),
    # postcodes with a place
    ("Adress: 123 45 Ort", "postcode", "123 45 Ort", "sure"),
    ("bor i 12345 Småstad nu", "postcode", "12345 Småstad", "sure"),
    ("SE-831 40 Östersund", "postcode", "SE-831 40 Östersund", "sure"),
    ("Post till 451 90 Övre Ort.", "postcode", "451 90 Övre Ort", "sure"),
    # street addresses
    ("Hon bor på Storgatan 12 sedan i våras.", "address", "Storgatan 12", "sure"),
    ("Vasavägen 3 B, andra våningen", "address", "Vasavägen 3 B", "sure"),
    ("flyttade till Kungsgatan 12A", "address", "Kungsgatan 12A", "sure"),
    ("Stora Nygatan 5 i gamla stan", "address", "Stora Nygatan 5", "sure"),
    ("Sankt Eriksgatan 117", "address", "Sankt Eriksgatan 117", "sure"),
    ("Drottning Kristinas väg 12", "address", "Drottning Kristinas väg 12", "sure"),
    ("vid Sergels torg 1", "address", "Sergels torg 1", "sure"),
    ("Lingonstigen 4, Björkbacken 7", "address", "Lingonstigen 4", "sure"),
    ("Kyrkogränd 2", "address", "Kyrkogränd 2", "sure"),
    ("Stortorget 3", "address", "Stortorget 3", "sure"),
    ("Parkallén 9", "address", "Parkallén 9", "sure"),
    ("Hamnplan 1", "address", "Hamnplan 1", "sure"),
    ("Ekleden 14", "address", "Ekleden 14", "sure"),
    ("Tallbacken 2-4", "address", "Tallbacken 2-4", "sure"),
    ("han bor på storgatan 12", "address", "storgatan 12", "possible"),
]


@pytest.mark.parametrize(("text", "kind", "hit", "certainty"), MUST_FIND)
def test_must_find(text: str, kind: str, hit: str | None, certainty: str | None) -> None:
    hits = [h for h in find_identifiers(text) if h.kind == kind]
    if hit is None:
        assert hits == []
        return
    assert [h.text for h in hits][:1] == [hit], found(text)
    if certainty is not None:
        assert hits[0].certainty == certainty
    first = hits[0]
    assert text[first.start : first.end] == first.text


def test_a_mistyped_number_of_every_test_number_is_possible() -> None:
    for number in TEST_NUMBERS:
        wrong = wrong_check_digit(number)
        assert found(f"nr {wrong} här") == [("personnummer", wrong, "possible")]
        assert found(f"nr {number} här") == [("personnummer", number, "sure")]


def test_the_second_street_in_a_list_is_found_too() -> None:
    hits = found("Lingonstigen 4, Björkbacken 7")
    assert [h[1] for h in hits] == ["Lingonstigen 4", "Björkbacken 7"]


# --- must not flag --------------------------------------------------------------------

MUST_NOT_FLAG = [
    # impossible dates
    "Numret 18930229-9815 finns inte (1893 var inget skottår).",
    "19000229-1234 och 000230-1234",
    "Löpnummer 123456-7890 i ärendet.",
    "Ordernummer 201713012393",
    "Fakturanr 20171232-2393",
    "Samordning med fel dag: 19140192-2396",
    "Framtida datum 20911231-2390",
    # durations, counts, dosages, times, years
    "Samtalet tog 12 minuter och hon sov 7 timmar.",
    "Alvedon 500 mg 2x10 mg, Metformin 850 mg x 2.",
    "Ta 0,5 mg vid behov, max 4 gånger per dygn.",
    "Kl 08:30 kom hon, kl 14.15 gick hon.",
    "Hon var sjukskriven 2019–2021 och 2023.",
    "Räkna 05 10 15 20 25 30 under övningen.",
    "Vikt 72 kg, längd 168 cm, blodtryck 135/85.",
    "Puls 72, saturation 97 %, temp 37,8 grader.",
    "Datum 2024-01-15 och 20240115 i loggen.",
    "HbA1c 48 mmol/mol, kreatinin 85.",
    "Besök 3 av 10, vecka 12, dag 4.",
    "Remissen 2023-11-02 kl. 10:40.",
    "Telefontid 08.00-09.00, ring 1177.",
    "Öppet kl. 0800-1700, räkna 0 1 2 3 4 5 6 7 8 9.",
    "Sms-kod 0800 1234 och 08 00 12",
    "Den 08 12 2023 kom hon tillbaka.",
    "CRP 12, Hb 134, eGFR 58, LDL 3,2 mmol/l, BMI 31,2, PEF 350 l/min.",
    "Besök 12/3 och 12 mars 2024, v.12; Dnr 2023-1234, Remiss-ID 2024-000123.",
    "ICD E11.9 och I10, ATC C09AA02; Warfarin 2,5 mg 1+1+0; Insulin 24 E + 8 E.",
    "Avd 23, sal 4, rum 12B; vecka 32+4; BT 140/90 mmHg 2 ggr; Vasaloppet 90 km.",
    "Hissen till plan 4, Vårdplan 2 veckor, Stigen 3 km, Backen 2 gånger.",
    "Hon väntade 120 30 Patienten blev arg.",
    "ISBN 978-91-1-301234-5",
    "Version 1.2.3 och build 20240115123456",
    # words that look like streets but are not addresses
    "Han gick längs vägen 3 gånger.",
    "Kungsvägen 3 km bort ligger affären.",
    "Höftleden 2 gånger opererad.",
    "Vårdplanen 2023 följdes upp.",
    "Storgatan är lång.",
    "Det tog 12 minuter att gå till torget.",
    "Stortorget 10 minuter bort.",
    # e-mail look-alikes
    "Skriv @hon i chatten, eller user@localhost.",
    # ordinary numbers
    "Patient 3, 12 patienter, 2 500 kronor, 1 000 steg.",
    "Mottagningen har 8 läkare och 14 sjuksköterskor.",
]


@pytest.mark.parametrize("text", MUST_NOT_FLAG)
def test_must_not_flag(text: str) -> None:
    assert found(text) == []


def test_clinical_prose_with_many_look_alikes_is_clean() -> None:
    prose = (
        "Karin, 67 år, kom kl 09:15 till vårdcentralen i Ort. Hon tar Enalapril 10 mg "
        "1x1 och Alvedon 500 mg 2x4 vid behov. Blodtryck 150/95, puls 88. Hon har gått "
        "ner 4 kg på 3 månader och sover 5-6 timmar per natt. Vi pratade i 25 minuter. "
        "Uppföljning om 2 veckor, vecka 47, 2025-11-20. Hon har ringt 1177 tre gånger "
        "och väntat 45 min i telefonkön. Remissnummer 2025-0042."
    )
    assert found(prose) == []


# --- order, overlaps, redaction -------------------------------------------------------


def test_hits_are_in_text_order_and_never_overlap() -> None:
    text = (
        "Ring 070-174 06 05 eller mejla kim@example.se; pnr 20170101-2393, "
        "Storgatan 12, 123 45 Ort."
    )
    hits = find_identifiers(text)
    assert [h.kind for h in hits] == ["phone", "email", "personnummer", "address", "postcode"]
    for before, after in zip(hits, hits[1:], strict=False):
        assert before.end <= after.start


def test_a_bare_mobile_number_is_a_phone_not_a_possible_personnummer() -> None:
    # 0701740605 reads as a samordningsnummer (2007-01-14, day + 60) with a wrong check digit too.
    assert found("sms till 0701740605") == [("phone", "0701740605", "sure")]


def test_a_personnummer_that_passes_its_check_beats_a_phone_reading() -> None:
    assert found("1701012393") == [("personnummer", "1701012393", "sure")]


def test_an_email_wins_over_the_digits_inside_it() -> None:
    assert found("0701740605@example.se") == [("email", "0701740605@example.se", "sure")]


def test_redact_replaces_each_hit_with_its_label() -> None:
    text = "Pnr 20170101-2393, tel 070-174 06 05, kim@example.se, Storgatan 12, 123 45 Ort."
    assert redact(text) == ("Pnr [personnummer], tel [phone], [e-mail], [address], [postcode].")


def test_redact_with_given_hits_only_replaces_those() -> None:
    text = "Pnr 20170101-2393 och tel 070-174 06 05."
    hits = find_identifiers(text)
    assert redact(text, hits[1:]) == "Pnr 20170101-2393 och tel [phone]."


def test_redact_leaves_a_stale_hit_alone() -> None:
    text = "Pnr 20170101-2393."
    stale = Identifier("personnummer", 0, 13, "20170101-2393", "sure")
    assert redact(text, [stale]) == text


def test_redact_of_clean_text_is_the_text() -> None:
    assert redact("Inget att se här, 12 minuter.") == "Inget att se här, 12 minuter."
    assert redact("") == ""


def test_every_kind_has_a_label_and_a_readable_name() -> None:
    for kind in KINDS:
        assert LABELS[kind].startswith("[") and LABELS[kind].endswith("]")
        assert kind_label(kind)
    assert kind_label("phone") == "phone number"
    assert kind_label("email") == "e-mail address"


def test_mask_never_shows_the_whole_identifier() -> None:
    assert mask("20170101-2393") == "2017…"
    assert mask("070-174 06 05") == "070-…"
    for text in ["a", "ab", "1234", "kim@example.se"]:
        masked = mask(text)
        assert masked.endswith("…") and len(masked) - 1 < len(text) or len(text) == 1
    hit = find_identifiers("nr 20170101-2394")[0]
    assert describe(hit) == "possible personnummer '2017…'"
    sure = find_identifiers("nr 20170101-2393")[0]
    assert describe(sure) == "personnummer '2017…'"
    assert "2393" not in describe(sure)


def test_long_runs_of_numbers_cost_time_in_proportion() -> None:
    """A pasted table of numbers is checked in well under a second, not minutes.

    Trying every prefix of a run of groups made 20,000 groups take half a minute.
    """
    import time

    for text in ["0 " * 20000, "1234567890 " * 10000, "123 45 " * 20000, "a." * 10000 + "@b"]:
        started = time.perf_counter()
        assert find_identifiers(text) == []
        assert time.perf_counter() - started < 5.0
