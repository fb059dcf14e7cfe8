"""pipeline — ingest end to end: sources → normalize → dedup → parse → extract → store → incidents, on the local
process pool or Dask (``engines``). May import ingest, coder, store, analyze, lexicon and core."""
