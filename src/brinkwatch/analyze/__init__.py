"""analyze — what the record shows: incidents (reports merged), claims ledger, dyad series, escalation and
alerts, spirals, cohesion, hot stories, exports. May import store, lexicon and core."""
