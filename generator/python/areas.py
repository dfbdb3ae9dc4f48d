"""Split the package into one module per protocol area, so that using one type loads
the code of its area (and of the areas it refers to), never the whole schema.

An *area* is a group of the project's documentation groups (``[[tool.rtschema.docs.groups]]``,
the same patterns, the same first-match rule), or one area holding every type when the
project names none. Code belongs to the area of the named type whose schema location
holds it: a validator function to the type around its location, a class or builder to the
type around its node, an alias or a ``parse`` entry to its own type. What no named type
holds (the document's root) forms an area of its own.

Areas import each other's code by name, so they must not import in a circle: areas that
would are merged into one (strongly connected components of the import graph, checked on
the validators and the models together). Every import is computed from the plan: calls
between validator functions are recorded when they are written (``Function.calls``);
what the models' code mentions is read from the plan's expressions, never from the
rendered text.
"""

from __future__ import annotations

import fnmatch
import functools
import keyword
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ..schema.index import Location
from ..validation.compile import Entry, Module, Validators
from ..validation.emit import Function, Table
from ..validation.share import STRING, share_identical
from .aliases import Alias
from .cycles import merge_cycles
from .order import dunder_all, natural, sort_members
from .plan import Builder, ClassPlan, Parser, PythonPlan, TypeEntry

__all__ = ["Area", "ModelsArea", "Split", "ValidatorsArea", "split_package"]

#: The area of what no named type holds (the document's root schema).
ROOT_TITLE = "The document's root schema"


@dataclass
class Area:
    """One module of validators and one of models (``_validators/<name>.py``,
    ``_models/<name>.py``)."""

    name: str
    title: str
    #: The documentation groups merged into this area (more than one only when their
    #: code refers to each other in a circle).
    titles: list[str] = field(default_factory=list)


@dataclass
class ValidatorsArea:
    """What ``_validators/<area>.py`` lays out."""

    area: Area
    #: area module -> the functions it gives this one
    imports: dict[str, list[str]]
    consts: list[tuple[str, str, str]]
    functions: list[Function]
    tables: list[Table]
    #: the entry points of the types of this area (key ``None``: the document's root)
    entries: list[Entry]
    formats: bool
    regex: bool
    #: does code run ``Any`` (``set[Any]()``), so ``typing`` is imported?
    any: bool = False

    @property
    def empty(self) -> bool:
        return not (self.functions or self.entries)


@dataclass
class ModelsArea:
    """What ``_models/<area>.py`` lays out."""

    area: Area
    #: model area module -> the names it gives this one at run time
    imports: dict[str, list[str]]
    #: validator area module -> the functions this one calls
    validators: dict[str, list[str]]
    #: model area module -> names only annotations mention (imported for type checkers)
    annotations: dict[str, list[str]]
    #: the same for the TypedDicts (``_typeddicts/<area>.py``), whose annotations and
    #: aliases are all strings: other areas' names are imported for type checkers only
    typeddicts: dict[str, list[str]]
    classes: list[ClassPlan]
    aliases: list[Alias]
    builders: list[Builder]
    parsers: list[Parser]
    #: the validators' constants the checked builders use, defined here too
    consts: list[tuple[str, str, str]]
    types: list[TypeEntry]
    #: the root's builder when the root lives here, else ``None``
    root_build: str | None
    #: the names of ``typing`` imported for type checkers only (the models' module), and
    #: those the TypedDicts' module imports
    checking: list[str] = field(default_factory=list)
    typeddict_typing: list[str] = field(default_factory=list)
    #: the names this module exports, in the order of ``__all__`` and in that of an import
    exports: list[str] = field(default_factory=list)
    public: list[str] = field(default_factory=list)
    #: the names of ``typing`` that code runs (an alias's value), imported at run time;
    #: the others are imported for type checkers only
    typing: list[str] = field(default_factory=list)
    #: do the checked builders use ``re`` or the format checks?
    regex: bool = False
    formats: bool = False

    @property
    def empty(self) -> bool:
        return not (self.classes or self.aliases or self.builders or self.types or self.root_build)


@dataclass
class Split:
    areas: list[Area]
    validators: list[ValidatorsArea]
    models: list[ModelsArea]
    #: type key -> the area whose validators module has its entry points
    type_area: dict[str, str]
    #: the area of the root's entry points
    root_area: str
    #: the keys (``None``: the root) of the types whose fast check can recurse as deep
    #: as the payload (see ``Entry.deep``), in the order of the entries
    deep: list[str | None]
    #: public model name (class or alias) -> its area
    model_area: dict[str, str]

    @property
    def models_by_name(self) -> list[ModelsArea]:
        """The models' areas in the order their modules are imported."""
        return sorted(self.models, key=lambda area: natural(area.area.name))


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _names(texts: Iterable[str | None]) -> set[str]:
    """The identifiers in Python expressions, string literals left out (one pass over
    them all: a literal never spans lines, so joining them by newlines keeps each apart)."""
    text = "\n".join([t for t in texts if t])
    if "'" in text or '"' in text:
        text = STRING.sub("''", text)
    return set(_IDENTIFIER.findall(text))


def _by_module(imports: dict[str, list[str]]) -> dict[str, list[str]]:
    """Imports from sibling modules, in the order of the modules' names, each module's
    names in import order."""
    return {
        module: sort_members(names)
        for module, names in sorted(imports.items(), key=lambda item: natural(item[0]))
    }


def module_name(title: str, taken: set[str]) -> str:
    """A module name for an area title: lower-case words joined by ``_``."""
    name = re.sub(r"[^0-9a-z]+", "_", title.lower()).strip("_") or "types"
    if name[0].isdigit():
        name = "area_" + name
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        name += "_"
    while name in taken:
        name += "_"
    taken.add(name)
    return name


def _matches(name: str, patterns: Iterable[str]) -> bool:
    patterns = list(patterns)
    if any(p.startswith("!") and fnmatch.fnmatchcase(name, p[1:]) for p in patterns):
        return False
    return any(not p.startswith("!") and fnmatch.fnmatchcase(name, p) for p in patterns)


class _Owners:
    """Which named type's schema location holds a location."""

    def __init__(self, named: dict[str, Location]) -> None:
        self._by_place: dict[tuple[int, str], str] = {}
        for key, location in named.items():
            self._by_place.setdefault((id(location.document), location.pointer), key)

    def key(self, location: Location | None) -> str | None:
        if location is None:
            return None
        document, pointer = id(location.document), location.pointer
        while True:
            key = self._by_place.get((document, pointer))
            if key is not None or not pointer:
                return key
            pointer = pointer.rsplit("/", 1)[0]


def split_package(
    plan: PythonPlan,
    validators: Validators,
    module: Module,
    groups: list[tuple[str, list[str]]],
) -> Split:
    """Assign the package's code to areas and work out what each area imports."""
    return _Splitter(plan, validators, module, groups).split()


def _class_runtime(c: ClassPlan) -> list[str | None]:
    """The expressions a class runs (its annotations are only read by type checkers)."""
    texts: list[str | None] = [c.entry.fast, c.entry.errors, c.build_fn, c.extra_dump]
    return texts + [f.dump for f in c.fields] + [f.const_default for f in c.fields]


def _class_annotations(c: ClassPlan) -> list[str | None]:
    return [c.extra_annotation, *(f.annotation for f in c.fields)]


def _parser_runtime(x: Parser) -> list[str | None]:
    texts: list[str | None] = [x.extra_refuse, x.extra_build]
    if x.cls is not None:
        texts += [x.cls.name, x.cls.keys_const]
    for f in x.fields:
        texts += [f.refuse, f.parse, f.build]
    return texts + [fn for _, fn in x.cases] + [x.check, x.build]


def _builder_runtime(b: Builder) -> list[str | None]:
    texts: list[str | None] = [b.extra_build, b.item_build, b.guard]
    if b.cls is not None:
        texts.append(b.cls.name)
        texts += [f.build for f in b.cls.fields]
    for family in b.families:
        for pick in family.picks + [p for _, picks in family.tag_cases for p in picks]:
            texts += [pick.test, pick.build]
    for pick in b.fallback:
        texts += [pick.test, pick.build]
    return texts


class _Splitter:
    def __init__(
        self,
        plan: PythonPlan,
        validators: Validators,
        module: Module,
        groups: list[tuple[str, list[str]]],
    ) -> None:
        self.plan = plan
        self.module = module
        self.groups = groups
        self.owners = _Owners({key: node.location for key, node in validators.named.items()})
        taken: set[str] = set()
        self.fallback = "Other types" if groups else "Types"
        titles = [title for title, _ in groups]
        self.names = {title: module_name(title, taken) for title in [*titles, self.fallback]}
        self.root_title = ROOT_TITLE if groups else self.fallback
        self.names.setdefault(self.root_title, module_name("document", taken))
        # The root goes with the named type at its location (a root union is a type of
        # its own), else into an area of its own.
        self.root_key = self.owners.key(validators.root_node.location)
        self.function_locations: dict[str, Location] = {}
        for node in validators.nodes.values():
            for form in "vje":
                self.function_locations[f"_{form}_{node.name}"] = node.location
        #: area names merged away -> the area they are in (identity until merged)
        self.merged = {name: name for name in self.names.values()}
        self._group_of: dict[str, str] = {}
        #: model_names() for the areas as merged when it was worked out
        self._model_names_for: dict[str, str] = {}
        self._model_names_kept: tuple[dict[str, set[str]], dict[str, set[str]]] = ({}, {})

    # ------------------------------------------------------------------ ownership

    def area_of_key(self, key: str | None) -> str:
        if key is None:
            if self.root_key is None:
                return self.merged[self.names[self.root_title]]
            key = self.root_key
        group = self._group_of.get(key)
        if group is None:
            title = next((t for t, patterns in self.groups if _matches(key, patterns)), None)
            group = self._group_of[key] = self.names[title or self.fallback]
        return self.merged[group]

    def area_of(self, location: Location | None) -> str:
        return self.area_of_key(self.owners.key(location))

    def function_areas(self) -> dict[str, str]:
        """validator function -> area: its location's, a scoped entry point's wrapper
        its type's, anything else the root's."""
        return {name: self.merged[area] for name, area in self._function_areas.items()}

    def model_areas(self) -> dict[str, str]:
        """class, alias, builder and key set -> area."""
        return {name: self.merged[area] for name, area in self._model_areas.items()}

    # The same, worked out once (the areas as they were then: merged maps them on).

    @functools.cached_property
    def _function_areas(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for fn in self.module.functions:
            location = self.function_locations.get(fn.owner or fn.name)
            if location is not None:
                out[fn.name] = self.area_of(location)
        for entry in [self.module.root, *self.module.entries]:
            for name in (entry.fast, entry.errors):
                out.setdefault(name, self.area_of_key(entry.key))
        for fn in self.module.functions:
            out.setdefault(fn.name, self.area_of_key(None))
        return out

    @functools.cached_property
    def _model_areas(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for c in self.plan.classes:
            out[c.name] = out[c.keys_const] = self.area_of(c.obj.location)
        for b in self.plan.builders:
            out[f"_build_{b.fn}"] = self.area_of(b.node.location)
        for a in self.plan.aliases:
            out[a.name] = self.area_of_key(a.key)
        for x in self.plan.parsers:
            out[x.fn] = out[x.cls.name] if x.cls else out[x.fn.replace("_parse_", "_build_", 1)]
        return out

    def model_names(self) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        """Per area, the names its models' code runs, and those only annotations read
        (worked out once the areas are merged, then kept)."""
        if self._model_names_for != self.merged:
            self._model_names_kept = self._model_names()
            self._model_names_for = dict(self.merged)
        return self._model_names_kept

    def _model_names(self) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        runtime: dict[str, set[str]] = {}
        typing: dict[str, set[str]] = {}
        for c in self.plan.classes:
            area = self.area_of(c.obj.location)
            runtime.setdefault(area, set()).update(_names(_class_runtime(c)))
            typing.setdefault(area, set()).update(_names(_class_annotations(c)))
        for b in self.plan.builders:
            runtime.setdefault(self.area_of(b.node.location), set()).update(
                _names(_builder_runtime(b))
            )
        for a in self.plan.aliases:
            into = typing if a.quoted else runtime
            into.setdefault(self.area_of_key(a.key), set()).update(_names([a.value]))
        areas = self.model_areas()
        for x in self.plan.parsers:
            runtime.setdefault(areas[x.fn], set()).update(_names(_parser_runtime(x)))
        for t in self.plan.types:
            runtime.setdefault(self.area_of_key(t.key), set()).update(_names([t.build]))
        runtime.setdefault(self.area_of_key(None), set()).update(_names([self.plan.root_build]))
        return runtime, typing

    # ------------------------------------------------------------------ the split

    def merge_cycles(self) -> None:
        """Merge the areas whose code would import each other in a circle. One graph for
        both sides: an edge A -> B when A's validators or models use B's code (models
        using validators never close a circle, so this can only merge more than needed,
        never leave a circle)."""
        functions = self.function_areas()
        defined = {**functions, **self.model_areas()}
        edges: dict[str, set[str]] = {}
        for fn in self.module.functions:
            for called in fn.calls:
                there = functions.get(called)
                if there is not None and there != functions[fn.name]:
                    edges.setdefault(functions[fn.name], set()).add(there)
        runtime, _ = self.model_names()
        for here, mentioned in runtime.items():
            for name in mentioned:
                there = defined.get(name)
                if there is not None and there != here:
                    edges.setdefault(here, set()).add(there)
        self.merged = merge_cycles(list(dict.fromkeys(self.names.values())), edges)

    def share(self) -> None:
        """Write identical validator functions once per area (``validation.share``):
        twins in two areas stay apart, so sharing adds no import between areas."""
        functions, tables = share_identical(
            self.module.functions, self.module.tables, self._function_areas.__getitem__
        )
        self.module = replace(self.module, functions=functions, tables=tables)

    def split(self) -> Split:
        self.share()
        self.merge_cycles()
        titles_of: dict[str, list[str]] = {}
        for title, name in self.names.items():
            titles_of.setdefault(self.merged[name], []).append(title)
        areas = [Area(name, titles[0], titles) for name, titles in titles_of.items()]
        functions = self.function_areas()
        models = self.model_areas()
        pairs = [
            (self.validators_area(area, functions), self.models_area(area, functions, models))
            for area in areas
        ]
        pairs = [(v, m) for v, m in pairs if not (v.empty and m.empty)]
        return Split(
            areas=[v.area for v, _ in pairs],
            validators=[v for v, _ in pairs],
            models=[m for _, m in pairs],
            type_area={e.key: self.area_of_key(e.key) for e in self.module.entries if e.key},
            root_area=self.area_of_key(None),
            deep=[e.key for e in [self.module.root, *self.module.entries] if e.deep],
            model_area={
                name: models[name]
                for name in [c.name for c in self.plan.classes]
                + [a.name for a in self.plan.aliases]
            },
        )

    def validators_area(self, area: Area, functions: dict[str, str]) -> ValidatorsArea:
        module = self.module
        own = [fn for fn in module.functions if functions[fn.name] == area.name]
        mentioned = _names(line for fn in own for line in fn.body)
        tables = [t for t in module.tables if t.name in mentioned]
        entries = [
            e for e in [module.root, *module.entries] if self.area_of_key(e.key) == area.name
        ]
        called = {c for fn in own for c in fn.calls} | {c for t in tables for c in t.calls}
        called |= {name for e in entries for name in (e.fast, e.errors)}
        imports: dict[str, list[str]] = {}
        for name in called:
            there = functions.get(name)
            if there is not None and there != area.name:
                imports.setdefault(there, []).append(name)
        consts = [c for c in module.consts if c[0] in mentioned]
        return ValidatorsArea(
            area=area,
            imports=_by_module(imports),
            consts=consts,
            functions=own,
            tables=tables,
            entries=entries,
            formats="_format" in mentioned,
            regex="re" in mentioned or any(value.startswith("re.") for _, _, value in consts),
            any="Any" in mentioned,
        )

    def models_area(
        self, area: Area, functions: dict[str, str], models: dict[str, str]
    ) -> ModelsArea:
        plan = self.plan
        runtime_by_area, typing_by_area = self.model_names()
        runtime = runtime_by_area.get(area.name, set())
        annotations = typing_by_area.get(area.name, set()) - runtime
        imports: dict[str, list[str]] = {}
        validators: dict[str, list[str]] = {}
        for name in runtime:
            if models.get(name, area.name) != area.name:
                imports.setdefault(models[name], []).append(name)
            elif name in functions and name not in models:
                validators.setdefault(functions[name], []).append(name)
        for_types: dict[str, list[str]] = {}
        for name in annotations:
            if models.get(name, area.name) != area.name:
                for_types.setdefault(models[name], []).append(name)
        aliases = [a for a in plan.aliases if models[a.name] == area.name]
        classes = [c for c in plan.classes if models[c.name] == area.name]
        consts = [c for c in self.module.consts if c[0] in runtime]
        public = {c.name for c in plan.classes} | {a.name for a in plan.aliases}
        strings = _names(
            [a.value for a in aliases] + [t for c in classes for t in _class_annotations(c)]
        )
        typeddicts: dict[str, list[str]] = {}
        for name in strings & public:
            if models[name] != area.name:
                typeddicts.setdefault(models[name], []).append(name)
        typing = sort_members(_names(a.value for a in aliases if not a.quoted) & {"Any", "Literal"})
        mentioned = runtime | typing_by_area.get(area.name, set())
        checking = {"Any"} | ({"Literal"} & mentioned) | ({"TypeAlias"} if aliases else set())
        return ModelsArea(
            area=area,
            imports=_by_module(imports),
            validators=_by_module(validators),
            annotations=_by_module(for_types),
            typeddicts=_by_module(typeddicts),
            classes=classes,
            aliases=aliases,
            builders=[b for b in plan.builders if models[f"_build_{b.fn}"] == area.name],
            parsers=[x for x in plan.parsers if models[x.fn] == area.name],
            consts=consts,
            regex="re" in runtime or any(value.startswith("re.") for _, _, value in consts),
            formats="_format" in runtime,
            types=[t for t in plan.types if self.area_of_key(t.key) == area.name],
            root_build=plan.root_build if self.area_of_key(None) == area.name else None,
            typing=typing,
            checking=sort_members(checking - set(typing)),
            typeddict_typing=sort_members(
                {"TYPE_CHECKING", "Any", "Literal"}
                | ({"TypeAlias"} if aliases else set())
                | ({"TypedDict"} if classes else set())
            ),
            exports=sorted([c.name for c in classes] + [a.name for a in aliases], key=dunder_all),
            public=sort_members([c.name for c in classes] + [a.name for a in aliases]),
        )
