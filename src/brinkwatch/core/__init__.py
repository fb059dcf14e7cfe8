"""core — the typed records every stage passes on, settings, the shared vocabularies (statuses, PLOVER type
names) and the project's exceptions. Imports nothing else of brinkwatch."""
