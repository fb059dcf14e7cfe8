"""ingest — sources to Articles: files, folders, stdin, URLs and feeds (``sources``, ``formats``), one clean text
per article (``normalize``) and copies found by hash and MinHash (``dedup``). May import core and lexicon."""
