"""Schema evolution: the canonical schema built from upstream and our layer (``layer``,
``principles``, ``raw``), kept in sync with newer upstream documents (``sync``), compared
release to release (``diff``) and summarised for the docs (``changelog``)."""
