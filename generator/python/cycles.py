"""Areas that would import each other in a circle, merged: the strongly connected
components of the import graph between areas (see :mod:`.areas`)."""

from __future__ import annotations

__all__ = ["merge_cycles"]


def merge_cycles(order: list[str], edges: dict[str, set[str]]) -> dict[str, str]:
    """area -> the area it is merged into: the strongly connected components of the
    import graph, each named after its first area in ``order``."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    merged: dict[str, str] = {}

    def visit(start: str) -> None:
        # Tarjan's algorithm, iteratively (the graph is small, but recursion is not needed).
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                first = min(component, key=order.index)
                for member in component:
                    merged[member] = first

    for area in order:
        if area not in index:
            visit(area)
    return merged
