"""Step 3b of the pipeline: validators planned per schema location, keyword by keyword.

``plan`` holds the plan as data (one :class:`~plan.Node` per location, one check per
keyword); ``planner`` builds it from the index with one table of keyword planners per
dialect; ``analysis`` works out what each node needs (annotations for ``unevaluated*``,
the dynamic scope, inlining); ``python`` writes the Python code of every check, its
fast form and its error form together.
"""
