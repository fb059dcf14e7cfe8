"""dev — the developers' tools behind ``brinkwatch eval``, ``bench`` and the generated docs: scoring against gold
sets, the benchmark, synthetic corpora. Only the CLI imports it; no runtime package does."""
