"""lexicon — the only reader of ``brinkwatch/data``: actor dictionaries, countries and places, event triggers,
status cues, sources, date patterns, groups, the PLOVER scores and crosswalk, each validated once at load.
May import core."""
