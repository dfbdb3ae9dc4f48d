"""Step 3a of the pipeline: the typed IR (``ir``) that dataclasses, TypedDicts and docs
are made from: built from the index (``build``, ``merge``), settled by named passes
(``passes``), queried (``query``) and named (``naming``)."""
