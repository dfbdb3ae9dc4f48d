"""rtschema: the canonical Realtime session schema and the generator built around it.

The pipeline, one module per step:

``load``    read a schema (JSON or YAML; JSON Schema or OpenAPI) and check it
``build``   turn it into the typed intermediate representation of ``ir``
``naming``  give every type and field a stable Python name
``render``  lay the IR out through the Jinja templates in ``templates/``
``write``   put the rendered files on disk atomically, or compare them (``check``)
"""

__version__ = "0.1.0"
