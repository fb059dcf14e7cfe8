"""The claims ledger on real stores: accusers, deniers, sources, evidence and state."""

from __future__ import annotations

from analytics_data import write_multi, write_record
from brinkwatch.analyze import claims, incidents
from brinkwatch.store.writer import Store

ACCUSATION = [
    {
        "text": "Poland accused Russia of sending drones into its airspace on Wednesday.",
        "event_type": "ACCUSE",
        "actor": "POL",
        "recipient": "RUS",
        "date": "2025-09-11",
        "event_id": "acc-pol",
    },
    {
        "text": "Russian drones violated Polish airspace, Warsaw alleged.",
        "event_type": "ASSAULT",
        "actor": "RUS",
        "recipient": "POL",
        "date": "2025-09-10",
        "status": "alleged",
        "parent_event": "acc-pol",
    },
    {
        "text": "Moscow denied the accusations.",
        "event_type": "REJECT",
        "actor": "RUS",
        "recipient": "POL",
        "date": "2025-09-11",
    },
    {"text": "The Kremlin said Warsaw had never provided any evidence."},
]
SPECULATION = [
    {
        "text": "Western media speculated that drone incidents in Denmark may be linked to Russia.",
        "event_type": "ASSAULT",
        "actor": "RUS",
        "recipient": "DNK",
        "date": "2025-09-25",
        "status": "speculated",
        "attribution": [{"text": "Western media", "kind": "media", "country": "WST"}],
    },
]


def test_contested_then_confirmed(db_url: str) -> None:
    with Store(db_url) as store:
        write_multi(store, "claim1", ACCUSATION, published="2025-09-11", source="Wire A")
        write_multi(store, "spec1", SPECULATION, published="2025-09-26", source="Wire B")
        incidents.refresh(store)
        df = claims.claims(store)
        assert list(df.columns) == claims.COLUMNS and len(df) == 2
        c = df[df["recipient"] == "POL"].iloc[0]
        assert c["accusers"] == [{"text": "POL", "country": "POL"}]
        assert c["deniers"] == [{"text": "RUS", "country": "RUS"}]
        assert c["state"] == "contested" and c["evidence"] == "absent" and c["statuses"] == ["alleged"]
        assert c["first_said"] == "2025-09-11" and c["incident_id"] is not None
        s = df[df["recipient"] == "DNK"].iloc[0]
        assert s["sources"] == [{"text": "Western media", "kind": "media", "country": "WST"}]
        assert s["accusers"] == [{"text": "Western media", "country": "WST"}]
        assert s["state"] == "open" and s["evidence"] == "unstated" and s["deniers"] == []
        # a later report asserts the incursion happened: the claim is confirmed
        write_record(
            store,
            {
                "doc_id": "later",
                "published": "2025-09-14",
                "date": "2025-09-10",
                "event_type": "ASSAULT",
                "actor": "RUS",
                "recipient": "POL",
                "text": "Radar data showed Russian drones violated Polish airspace on 10 September.",
            },
        )
        incidents.refresh(store)
        c2 = claims.claims(store, dyad="RUS:POL").iloc[0]
        assert c2["state"] == "confirmed" and len(c2["event_ids"]) == 1


def test_retracted_and_denied_child(db_url: str) -> None:
    recs = [
        {
            "text": "Lithuania said a Russian helicopter crossed its border.",
            "event_type": "ACCUSE",
            "actor": "LTU",
            "recipient": "RUS",
            "date": "2025-10-01",
            "event_id": "acc-ltu",
        },
        {
            "text": "A Russian helicopter crossed the Lithuanian border, according to Vilnius.",
            "event_type": "COERCE",
            "actor": "RUS",
            "recipient": "LTU",
            "date": "2025-10-01",
            "status": "alleged",
            "parent_event": "acc-ltu",
        },
        {
            "text": "Moscow rejected the claim.",
            "event_type": "REJECT",
            "actor": "RUS",
            "recipient": "LTU",
            "date": "2025-10-01",
            "event_id": "rej-rus",
        },
        {
            "text": "Moscow rejected that a helicopter crossed the Lithuanian border.",
            "event_type": "COERCE",
            "actor": "RUS",
            "recipient": "LTU",
            "date": "2025-10-01",
            "status": "denied",
            "parent_event": "rej-rus",
        },
    ]
    with Store(db_url) as store:
        write_multi(store, "ltu", recs, published="2025-10-01")
        incidents.refresh(store)
        c = claims.claims(store).iloc[0]
        assert c["state"] == "contested" and c["deniers"] == [{"text": "RUS", "country": "RUS"}]
        assert c["accusers"] == [{"text": "LTU", "country": "LTU"}] and c["statuses"] == ["alleged", "denied"]
        write_record(
            store,
            {
                "doc_id": "retract",
                "published": "2025-10-03",
                "date": "2025-10-01",
                "event_type": "COERCE",
                "actor": "RUS",
                "recipient": "LTU",
                "status": "negated",
                "text": "No Russian helicopter crossed the Lithuanian border, Vilnius now says.",
            },
        )
        incidents.refresh(store)
        assert claims.claims(store).iloc[0]["state"] == "retracted"


def test_evidence_cues() -> None:
    assert claims.evidence_of(["Kyiv made the claim without evidence."]) == "absent"
    assert claims.evidence_of(["The army released photos of the wreckage."]) == "cited"
    assert claims.evidence_of(["The army said so."]) == "unstated"


def test_empty_store(db_url: str) -> None:
    with Store(db_url) as store:
        assert claims.claims(store).empty


def test_every_claim_names_who_says_so_and_only_denials_deny(db_url: str) -> None:
    recs = [
        {
            "text": "Russian jets may have violated Finnish airspace, an official said.",
            "event_type": "ASSAULT",
            "actor": "RUS",
            "recipient": "FIN",
            "date": "2025-09-11",
            "status": "speculated",
            "attribution": [{"text": "an official", "kind": "official"}],
        },
        {"text": "Finland held a cabinet meeting about the fishing quotas on Tuesday."},
        {"text": "Later, ministers discussed the budget for the coming year at length."},
        {"text": "Prices of heating oil rose again in the north of the country."},
        {"text": "Schools in Lapland reopened after a week of snow."},
        {
            "text": "Moscow rejected a Finnish proposal for a joint commission on fishing.",
            "event_type": "REJECT",
            "actor": "RUS",
            "recipient": "FIN",
            "date": "2025-09-11",
        },
    ]
    unsourced = [
        {
            "text": "Russian drones reportedly crossed into Latvia overnight.",
            "event_type": "ASSAULT",
            "actor": "RUS",
            "recipient": "LVA",
            "date": "2025-09-12",
            "status": "alleged",
        },
        {
            "text": "The Kremlin denied it.",
            "event_type": "REJECT",
            "actor": "RUS",
            "recipient": "LVA",
            "date": "2025-09-12",
        },
    ]
    with Store(db_url) as store:
        write_multi(store, "fin", recs, published="2025-09-11", source="Wire A")
        write_multi(store, "lva", unsourced, published="2025-09-12", source="Baltic Wire")
        incidents.refresh(store)
        df = claims.claims(store).set_index("recipient")
        fin, lva = df.loc["FIN"], df.loc["LVA"]
        assert fin["accusers"] == [{"text": "an official", "country": None}]
        assert fin["deniers"] == []  # a refusal of a proposal five sentences on is no denial of the claim
        assert lva["accusers"] == [{"text": "Baltic Wire", "country": None, "kind": "outlet"}]
        assert [d["country"] for d in lva["deniers"]] == ["RUS"] and lva["state"] == "contested"


def test_is_denial() -> None:
    assert claims.is_denial({"trigger": "denied", "sentence": "Moscow denied it."})
    assert claims.is_denial({"trigger": "rejected", "sentence": "Moscow rejected the accusations as lies."})
    assert not claims.is_denial({"trigger": "rejected", "sentence": "Tehran rejected the demand to halt enrichment."})
