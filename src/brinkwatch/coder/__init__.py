"""coder — a parsed article to PLOVER events: parse, triggers, arguments and actors, status (modality),
attribution, dates and places; ``extract`` runs them. May import core and lexicon."""
