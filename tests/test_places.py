"""Places (issue 3, item 8): the offline gazetteer is valid, and locate() finds the event's place."""

from __future__ import annotations

import csv
import io
import re
import time
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brinkwatch.coder.places import locate
from brinkwatch.core.records import Location
from brinkwatch.lexicon.gazetteer import KINDS, _key, gazetteer

# the 193 UN member states (ISO 3166-1 alpha-3)
_UN_TEXT = """
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA BRN BGR BFA BDI
CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG COD CRI CIV HRV CUB CYP CZE DNK DJI DMA DOM ECU EGY SLV GNQ ERI EST
SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB GUY HTI HND HUN ISL IND IDN IRN IRQ IRL ISR ITA JAM
JPN JOR KAZ KEN KIR PRK KOR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX
FSM MDA MCO MNG MNE MAR MOZ MMR NAM NRU NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT
QAT ROU RUS RWA KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE
SYR TJK TZA THA TLS TGO TON TTO TUN TUR TKM TUV UGA UKR ARE GBR USA URY UZB VUT VEN VNM YEM ZMB ZWE
"""
UN_MEMBERS = frozenset(_UN_TEXT.split())


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("brinkwatch").joinpath(f"data/gazetteer/{name}").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _countries() -> list[dict[str, str]]:
    """The one countries table (shared with the actor lexicon)."""
    text = resources.files("brinkwatch").joinpath("data/actors/countries.csv").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


# -- the gazetteer data ------------------------------------------------------------------------------


def test_every_un_member_is_present() -> None:
    assert len(UN_MEMBERS) == 193
    codes = {r["code"] for r in _countries()}
    assert codes >= UN_MEMBERS, sorted(UN_MEMBERS - codes)


def test_country_rows_are_valid() -> None:
    rows = _countries()
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes))
    for r in rows:
        assert re.fullmatch(r"[A-Z]{3}", r["code"]), r
        assert -90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180, r
        assert r["name"].strip() == r["name"] and r["name"]


def test_place_rows_are_valid_and_capitals_are_in_their_country() -> None:
    countries = {r["code"]: r for r in _countries()}
    places = _rows("places.csv")
    by_name: dict[str, tuple[str, str, str, str]] = {}
    for r in places:
        assert r["kind"] in KINDS and r["kind"] != "country", r
        assert r["country"] == "" or r["country"] in countries, r
        lat, lon = float(r["lat"]), float(r["lon"])
        assert -90 <= lat <= 90 and -180 <= lon <= 180, r
        key = (r["country"], r["kind"], r["lat"], r["lon"])
        assert by_name.setdefault(r["name"], key) == key, f"{r['name']} listed twice with different data"
    for iso3, c in countries.items():
        if c["capital_city"]:
            assert c["capital_city"] in by_name, f"capital of {iso3} missing: {c['capital_city']}"
            assert by_name[c["capital_city"]][0] == iso3, c["capital_city"]
    for must in (
        "Kharkiv",
        "Donetsk",
        "Crimea",
        "Gaza",
        "Rafah",
        "Golan Heights",
        "Kaliningrad",
        "Baltic Sea",
        "Black Sea",
        "Suwalki Gap",
        "Narva",
        "Aleppo",
        "Idlib",
        "Taipei",
        "South China Sea",
        "Donbas",
        "Tigray",
        "Khartoum",
        "Darfur",
        "Sahel",
        "Kashmir",
        "Nagorno-Karabakh",
        "West Bank",
    ):
        assert must in by_name, must


def test_names_and_aliases_never_conflict() -> None:
    """A name or alias used twice must denote the same place (or a country and its own capital/region)."""
    seen: dict[str, tuple[str, str]] = {}
    entries = [(r["name"], r["variants"].split("|"), r["code"], "country") for r in _countries()]
    entries += [(r["name"], r["aliases"].split("|"), r["country"], r["kind"]) for r in _rows("places.csv")]
    for name, aliases, country, kind in entries:
        for n in [name, *filter(None, aliases)]:
            prev = seen.setdefault(n.lower(), (country, kind))
            assert prev[0] == country, f"{n!r} is both {prev} and {(country, kind)}"


def test_one_places_table_for_the_gazetteer_and_the_actor_lexicon() -> None:
    """data/gazetteer/places.csv is the only places table: its ``actor`` column says which places' names stand
    for an actor (the actor lexicon reads those rows); there is no second table under data/actors."""
    from brinkwatch.lexicon.actors import lexicon
    from brinkwatch.lexicon.gazetteer import places

    assert not resources.files("brinkwatch").joinpath("data/actors/places.csv").is_file()
    assert _rows("places.csv")[0].keys() == {"name", "country", "kind", "lat", "lon", "aliases", "actor"}
    lex, gaz = lexicon(), gazetteer()
    named = [p for p in places() if p.actor is not None]
    assert len(named) >= 100
    for p in named:
        assert p.kind in ("city", "region") and lex.known_code(p.actor), p
        entry = lex.by_lower[p.name.lower()]
        assert (entry.name, entry.kind) == (p.name, p.kind) or entry.kind not in ("city", "region"), p
        assert gaz.names[_key(p.name)].name == p.name  # the same row is a gazetteer place
    golan = next(p for p in places() if p.name == "Golan Heights")
    assert (golan.country, golan.actor) == ("SYR", "ISR")  # lies in Syria (recognised), stands for Israel
    assert lex.by_lower["gaza city"].name == "Gaza City" and gaz.names[("gaza", "city")].kind == "city"


def test_sample_coordinates_are_where_they_should_be() -> None:
    gaz = gazetteer()
    kyiv = gaz.names[("kyiv",)]
    assert kyiv.country == "UKR" and abs(kyiv.lat - 50.45) < 0.2 and abs(kyiv.lon - 30.52) < 0.2
    assert gaz.names[("kiev",)] is kyiv
    tallinn = gaz.names[("tallinn",)]
    assert abs(tallinn.lat - 59.44) < 0.2 and abs(tallinn.lon - 24.75) < 0.2
    wash = gaz.names[("washington",)]
    assert wash.country == "USA" and wash.lon < -70
    assert gaz.countries["AUS"].lat < 0 and gaz.countries["BRA"].lon < 0 and gaz.countries["JPN"].lon > 120
    assert gaz.demonym(["Estonian"]) == "EST" and gaz.demonym(["EU"]) == "EU"


# -- locate ------------------------------------------------------------------------------------------


def _locate(nlp: Any, text: str, trigger: str) -> Location | None:
    doc = nlp(text)
    tok = next(t for t in doc if t.text == trigger)
    return locate(tok.sent, tok)


def test_city_under_preposition(nlp: Any) -> None:
    loc = _locate(nlp, "Ukrainian forces fought in Kharkiv, Ukraine.", "fought")
    assert loc is not None and (loc.name, loc.country, loc.kind) == ("Kharkiv", "UKR", "city")
    assert loc.lat is not None and abs(loc.lat - 50.0) < 0.2


def test_most_specific_place_wins(nlp: Any) -> None:
    loc = _locate(nlp, "Three Russian jets entered Estonian airspace near Narva.", "entered")
    assert loc is not None and (loc.name, loc.country, loc.kind) == ("Narva", "EST", "city")


def test_demonym_airspace_and_border(nlp: Any) -> None:
    loc = _locate(nlp, "Moscow denied that its jets entered Estonian airspace.", "entered")
    assert loc is not None and (loc.text, loc.country, loc.kind) == ("Estonian airspace", "EST", "region")
    assert loc.lat is not None  # an area: the country's centroid
    loc = _locate(nlp, "Troops massed along the Belarusian border.", "massed")
    assert loc is not None and (loc.country, loc.kind, loc.lat, loc.lon) == ("BLR", "region", None, None)


def test_eu_airspace_has_no_country(nlp: Any) -> None:
    loc = _locate(nlp, "Russia has repeatedly violated EU airspace.", "violated")
    assert loc is not None and loc.country is None and loc.name == "European Union airspace"


def test_sea_and_city_objects(nlp: Any) -> None:
    loc = _locate(nlp, "Chinese and Philippine ships clashed in the South China Sea.", "clashed")
    assert loc is not None and (loc.name, loc.kind) == ("South China Sea", "sea")
    loc = _locate(nlp, "Russian drones struck Kharkiv overnight.", "struck")
    assert loc is not None and loc.name == "Kharkiv"
    loc = _locate(nlp, "Israel launched airstrikes on Rafah.", "launched")
    assert loc is not None and loc.name == "Rafah" and loc.country == "PSE"


def test_actors_are_not_places(nlp: Any) -> None:
    assert _locate(nlp, "The EU imposed sanctions on Russia.", "imposed") is None
    assert _locate(nlp, "Russia accused NATO of provocations.", "accused") is None
    assert _locate(nlp, "Moscow warned Washington.", "warned") is None
    assert _locate(nlp, "Moscow denied that its jets entered Estonian airspace.", "denied") is None


def test_sources_are_not_places(nlp: Any) -> None:
    text = "According to the New York Times, Russian drones struck Kharkiv."
    loc = _locate(nlp, text, "struck")
    assert loc is not None and loc.name == "Kharkiv"
    assert _locate(nlp, "According to the Washington Post, talks stalled.", "stalled") is None


def test_noun_trigger_takes_its_verbs_place(nlp: Any) -> None:
    loc = _locate(nlp, "The EU held a summit in Brussels last week.", "summit")
    assert loc is not None and (loc.name, loc.country) == ("Brussels", "BEL")


@pytest.fixture(scope="module")
def seed_doc(nlp: Any, seed_path: Path) -> Any:
    return nlp(seed_path.read_text("utf-8"))


def _seed(doc: Any, word: str, after: str = "") -> Location | None:
    offset = doc.text.index(after) if after else 0
    tok = next(t for t in doc if t.idx >= offset and t.text == word)
    return locate(tok.sent, tok)


def test_seed_places(seed_doc: Any) -> None:
    border = _seed(seed_doc, "enhance")
    assert border is not None and (border.country, border.kind, border.lat) == ("RUS", "region", None)
    eu = _seed(seed_doc, "violated")
    assert eu is not None and eu.country is None and "European Union" in (eu.name or "")
    exercises = _seed(seed_doc, "exercises", "considering military")
    assert exercises is not None and exercises.country == "RUS"
    assert _seed(seed_doc, "accused", "Russia has repeatedly") is None  # "along its borders": whose is unknown
    assert _seed(seed_doc, "held") is None
    assert _seed(seed_doc, "pushing") is None  # "pushing Europe to the edge": Europe is not a place here


def test_seed_is_fast(seed_doc: Any) -> None:
    start = time.perf_counter()
    for tok in seed_doc:
        loc = locate(tok.sent, tok)
        assert loc is None or loc.text
    assert time.perf_counter() - start < 2.0


@pytest.mark.parametrize(
    "text",
    ["", "in in in in", "IN KHARKIV IN KYIV IN GAZA", "| Kyiv | 12 | Gaza | 14 |" * 40, "near the " * 600],
)
def test_junk_never_crashes(nlp: Any, text: str) -> None:
    doc = nlp(text)
    start = time.perf_counter()
    for sent in doc.sents:
        for tok in list(sent)[:: max(1, len(sent) // 20)]:
            loc = locate(sent, tok)
            assert loc is None or isinstance(loc, Location)
    assert time.perf_counter() - start < 3.0


_WORDS = [
    "in",
    "near",
    "on",
    "the",
    "Russian",
    "border",
    "Kharkiv",
    "Gaza",
    "EU",
    "airspace",
    "struck",
    "said",
    ",",
    ".",
]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.one_of(st.sampled_from(_WORDS), st.text(min_size=1, max_size=8)), max_size=40))
def test_locate_never_crashes_on_word_salad(nlp: Any, words: list[str]) -> None:
    doc = nlp(" ".join(words))
    for tok in doc:
        loc = locate(tok.sent, tok)
        assert loc is None or (isinstance(loc, Location) and (loc.country is None or len(loc.country) == 3))


def test_a_city_followed_by_its_state_lies_in_that_state(nlp: Any) -> None:
    """ "Paris, Texas" is no French capital; "Birmingham, Ala." no English city — for the place and the party."""
    loc = _locate(nlp, "Police arrested two protesters in Paris, Texas, on Monday.", "arrested")
    assert loc is not None and (loc.country, loc.text, loc.lat) == ("USA", "Paris, Texas", None)
    loc = _locate(nlp, "A bomb exploded in Birmingham, Ala., on Friday.", "exploded")
    assert loc is not None and loc.country == "USA" and loc.text.startswith("Birmingham")
    kharkiv = _locate(nlp, "Ukrainian forces fought in Kharkiv, Ukraine.", "fought")
    assert kharkiv is not None and kharkiv.country == "UKR" and kharkiv.lat is not None  # same country: kept
    gaz = gazetteer()
    assert gaz.container([",", "Ga.", ","]) == ("USA", 2) and gaz.container([",", "Georgia"]) is None
    assert gaz.container([",", "Lebanon", "and", "Syria"]) is None  # a list of countries, not a container
    assert gaz.container([",", "W.", "Va."]) == ("USA", 3) and gaz.container(["and", "Texas"]) is None


def test_the_state_after_a_city_places_its_party(nlp: Any) -> None:
    from brinkwatch.coder.actors import ActorCoder

    doc = nlp("Police in Paris, Texas, arrested a man, and rioters in Tbilisi, Georgia, clashed with police.")
    codes = {doc[m.start : m.end].text: m.code for m in ActorCoder(doc, "2000-01-01").mentions}
    assert codes["Paris"] == "USA" and codes["Tbilisi"] == "GEO"


def test_the_state_after_a_place_reads_no_markup_and_a_bounded_window(nlp: Any) -> None:
    """Hostile text: markup or a flood of commas after a place name is no state, and nothing past four tokens
    is read; a real state still is."""
    loc = _locate(nlp, "Riots broke out in Paris, <script>alert('Texas')</script> on Monday.", "broke")
    assert loc is not None and loc.country == "FRA" and "<" not in loc.text
    flood = "Troops fought in Paris" + " ," * 5000 + " Texas."
    loc = _locate(nlp, flood, "fought")  # the parser may split the flood off: then no place at all
    assert loc is None or (loc.country == "FRA" and len(loc.text) < 40), loc
    gaz = gazetteer()
    assert gaz.container([","] * 10_000) is None and gaz.container([]) is None
    assert gaz.container([",", "Texas", ",", "<b>"]) == ("USA", 2)
