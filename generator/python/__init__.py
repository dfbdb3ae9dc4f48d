"""Step 4 of the pipeline for Python: plans for the dataclasses, TypedDicts and the
package, and the rendering of schema text as safe Python source."""
