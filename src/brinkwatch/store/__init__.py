"""store — the record on disk: connection (``db``), tables (``schema``), frozen ``migrations``, the writer and the
one read model of events and incidents (``reads``). May import core and lexicon."""
