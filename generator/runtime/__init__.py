"""Standard-library-only modules that the generator uses and also ships inside generated packages."""
