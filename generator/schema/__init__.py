"""Step 2 of the pipeline: every schema location, its base URI, and what its references point to."""
