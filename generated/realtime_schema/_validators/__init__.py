"""The validators of ``realtime_schema``, one module per area of the schema."""
