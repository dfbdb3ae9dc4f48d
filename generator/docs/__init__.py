"""Step 4 for documentation: the plan of the reference docs made from the IR (``plan``),
Markdown and HTML text helpers (``text``), and rendering (``render``)."""
