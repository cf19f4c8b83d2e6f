"""Disclosure profiles: one YAML file per province style (adding a province = adding a file).

A profile holds everything that differs between provinces: the parts and
their order, the explanation sections and their titles, the standard tables
(ids, numbers, titles, notes), the chart positions, every sentence pattern of
the narrative keyed by a stable key, what each slot of each pattern means for
the audit (``meanings``, profiles/meanings.py: the audit names no key and walks
these declarations), the glossary and the contact wording.

Pattern keys name the *topic*, numbered as the national explanations are
(DOMAIN §4: ``s1`` 收入支出决算总体情况 … ``s14`` 预算绩效), whatever number
the province prints: Shanghai's section 七 (“三公”经费) uses ``s8.*`` keys.
Shared clauses use ``cmp.*`` (comparisons), ``empty.*`` (本部门无…),
``cover.*``, ``p1.*`` (part one), ``contact.*``.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from juesuan import patterns, runcache
from juesuan.profiles.meanings import FigureSpec, Meaning, ReadingSpec, Variant


def safe_load(text: str):  # noqa: ANN201 - what the YAML holds
    """``text`` parsed as YAML with the safe loader, libyaml's when installed (yaml.YAMLError when it
    is not YAML).  PyYAML is imported here, not with this module: a parsed profile usually comes
    from the run cache (juesuan.runcache)."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
"""libyaml's safe loader where installed (ten times faster), the pure-Python one otherwise."""

__all__ = ["Profile", "baseline_profile", "list_profiles", "load_profile"]

PartKind = Literal["overview", "explanations", "glossary", "contact", "tables"]


class _Model(BaseModel):
    # validators built at the first validation, not at import: a shipped profile usually comes
    # validated from the run cache (load_profile) and then never needs them
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Section(_Model):
    """A section of a part: a topic (builder) with its printed number and title."""

    topic: str = Field(description="builder key: p1.functions …, s1 … s14, or '' for a group")
    number: str = Field("", description="printed number: 一 … 十四 (or （一）… for a subsection)")
    title: str = Field(description="title pattern (slots: year, dept, last_year)")
    subsections: list[Section] = Field(default_factory=list)
    keywords: list[str] = Field(
        default_factory=list,
        description="the audit finds the section by topic: a heading that contains one of these "
        "(“a+b”: both a and b) is this section, whatever its number and place; the longest match wins",
    )
    exclude: list[str] = Field(
        default_factory=list,
        description="a heading that contains one of these is not this section (财政拨款 is not s1)")


class Part(_Model):
    kind: PartKind
    title: str = Field(description="title pattern, e.g. 第二部分 部门决算情况说明")
    keywords: list[str] = Field(
        default_factory=list,
        description="audit (sections_by: topic): a 第…部分 title containing one of these is this part")
    sections: list[Section] = Field(default_factory=list)


class TableSpec(_Model):
    id: str = Field(description="t01 …")
    number: str = Field(description="as printed in the list of tables: 一 …")
    code: str = Field("", description="table code, e.g. 公开01表")
    title: str
    aliases: list[str] = Field(default_factory=list, description="other titles the same table is printed with")
    note: str = ""
    empty_note: str = Field("", description="statement when the table has no data (pattern: dept, year)")


class GlossaryTerm(_Model):
    term: str
    definition: str


class Chart(_Model):
    id: str = Field(description="chart id: income, expenditure, three_public")
    title: str
    after: str = Field(description="topic of the section the chart follows")


class CoverLine(_Model):
    key: str = Field(description="pattern key")
    style: Literal["title", "subtitle", "meta", "center"] = "meta"


class LabelledField(_Model):
    field: str = Field(description="model field (or derived name: appropriation)")
    label: str


class Options(_Model):
    layout: Literal["neimenggu", "shanghai"] = Field(
        "neimenggu", description="which sentence sequence the narrative builders follow"
    )
    amount_grouping: bool = Field(True, description="print 4,499.46 (True) or 4499.46")
    omit_zero_items: bool = Field(False, description="leave out income/spending items of 0 (不涉及的不列)")
    rate_when_no_budget: bool = Field(
        False, description="print a completion rate for a 项 with a zero budget (the seed omits it)"
    )
    flat_when_zero: bool = Field(False, description="use the *_flat patterns (持平) when a change is 0")
    empty_fund_share: str = Field("100", description="self-evaluation coverage printed when there is nothing to cover")
    sections_by: Literal["order", "topic"] = Field(
        "order", description="audit: find sections in the profile's order by title (order), or "
        "each by its keywords wherever it is printed (topic)")
    completeness: Literal["strict", "mention"] = Field(
        "strict", description="audit: every section and table of the profile is required (strict), or "
        "only that each topic is mentioned somewhere (mention, for the national baseline)")


class Profile(_Model):
    name: str
    extends: str | None = Field(None, description="the profile this one refines (national): "
                                "its keys are taken unless this file gives them")
    baseline: bool = Field(False, description="the national baseline: used when no style matches")
    build: bool = Field(False, description="the profile writes a whole disclosure (every sentence the "
                        "builders need); false: it is for the audit only")
    match_threshold: float = Field(0.7, description="audit: the share of this profile's section and "
                                   "table titles a document must print for the profile to be used")
    province: str
    year: int = Field(description="the first year the profile's wording applies to")
    description: str = ""
    options: Options = Field(default_factory=Options)
    document_title: str = Field(description="pattern: dept, year")
    cover: list[CoverLine] = Field(default_factory=list)
    parts: list[Part]
    tables: list[TableSpec] = Field(default_factory=list)
    charts: list[Chart] = Field(default_factory=list)
    income_items: list[LabelledField] = Field(default_factory=list)
    spending_items: list[LabelledField] = Field(default_factory=list)
    patterns: dict[str, str]
    reading: ReadingSpec = Field(default_factory=ReadingSpec, description="audit: which sentences "
                                 "are looked for where (shared clauses, fixed sentences, free-text topics)")
    variants: dict[str, list[Variant]] = Field(
        default_factory=dict, description="audit: read-only wordings real documents print for a pattern "
        "key (read as that key, never written)")
    meanings: dict[str, dict[str, Meaning]] = Field(
        default_factory=dict, description="audit: pattern key → slot → what the slot means "
        "(profiles/meanings.py); the checks walk these declarations")
    figures: dict[str, FigureSpec] = Field(
        default_factory=dict, description="audit: the figure ids the meanings name, with their names "
        "and the table cells that print them")
    labels: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="audit: maps for {slot|map} placeholders of figure ids "
        "(a printed label → a model field)")
    glossary: list[GlossaryTerm] = Field(default_factory=list)

    @model_validator(mode="after")
    def _patterns_parse(self) -> Profile:
        for key, pat in self.patterns.items():
            try:
                patterns.slots(pat)
            except patterns.PatternError as exc:
                raise ValueError(f"pattern {key}: {exc}") from None
        for key, variants in self.variants.items():
            for v in variants:
                try:
                    patterns.slots(v.pattern)
                except patterns.PatternError as exc:
                    raise ValueError(f"variant {key}~{v.why}: {exc}") from None
        return self

    def has_role(self, key: str, role: str) -> bool:
        """Whether a slot of ``key`` (or the sentence) is declared with ``role``."""
        return any(m.role == role for m in self.meanings.get(key, {}).values())

    def meaning(self, key: str, slot: str) -> Meaning | None:
        """What ``slot`` of a sentence read with ``key`` means (None: nothing declared)."""
        return self.meanings.get(key, {}).get(slot)

    def pattern(self, key: str) -> str:
        try:
            return self.patterns[key]
        except KeyError:
            raise KeyError(f"profile {self.name} has no pattern {key!r}") from None

    def has(self, key: str) -> bool:
        return key in self.patterns

    def part(self, kind: str) -> Part | None:
        return next((p for p in self.parts if p.kind == kind), None)

    def sections(self) -> list[Section]:
        """Every section and subsection, depth first."""
        out: list[Section] = []

        def walk(items: list[Section]) -> None:
            for s in items:
                out.append(s)
                walk(s.subsections)

        for p in self.parts:
            walk(p.sections)
        return out


def _files():  # noqa: ANN202 - importlib Traversable
    return resources.files(__name__)


def list_profiles(buildable: bool | None = None) -> list[str]:
    """Names of the profiles shipped with the package (files starting with _ are other data);
    ``buildable=True``: only those that can write a disclosure (``build: true``)."""
    names = sorted(f.name.removesuffix(".yaml") for f in _files().iterdir()
                   if f.name.endswith(".yaml") and not f.name.startswith("_"))
    if buildable is None:
        return names
    return [n for n in names if load_profile(n).build == buildable]


def _merge(base: dict, over: dict) -> dict:
    """``over`` refines ``base``: mappings merge key by key, anything else is replaced."""
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _parsed(name: str, text: str) -> dict:
    import yaml

    try:
        data = safe_load(text)
    except yaml.YAMLError as exc:
        raise KeyError(f"公开样式“{name}”不是有效的 YAML：{exc}") from None
    if not isinstance(data, dict):
        raise KeyError(f"公开样式“{name}”不是 YAML 映射")
    return data


@lru_cache(maxsize=32)
def _shipped(name: str) -> dict:
    """A shipped profile's YAML mapping, parsed once (every province extends ``national``)."""
    res = _files() / f"{name}.yaml"
    if name.startswith("_") or not res.is_file():
        raise KeyError(f"未知的公开样式“{name}”：可用的有 {', '.join(list_profiles())}")
    # parsed once per text of the file, kept between runs (juesuan.runcache)
    return runcache.parsed("profile", name, res.read_text(encoding="utf-8"), lambda t: _parsed(name, t))


def _raw(name: str, seen: tuple[str, ...] = ()) -> dict:
    """A profile's YAML mapping with what it extends merged under it."""
    path = Path(name)
    if name.endswith((".yaml", ".yml")) or path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise KeyError(f"无法读取公开样式文件“{name}”：{exc.strerror}") from None
        data = _parsed(name, text)
    else:
        data = dict(_shipped(name))  # a copy: the merge below must not change the cached one
    base = data.get("extends")
    if base:
        if base in seen:
            raise KeyError(f"公开样式“{name}”的 extends 形成循环：{' → '.join((*seen, base))}")
        parent = _raw(str(base), (*seen, name))
        parent.pop("baseline", None)
        data = _merge(parent, data)
    return data


@lru_cache(maxsize=16)
def load_profile(name: str) -> Profile:
    """Load a profile: a shipped one by name (e.g. ``neimenggu-2023``) or a YAML file by path.

    A profile that ``extends`` another (every province extends ``national``) says only
    what differs; KeyError (with a Chinese message) when it cannot be loaded.  A shipped
    profile, once validated, is kept in the run cache (juesuan.runcache) for as long as
    neither the shipped YAML nor this code changes."""
    if name.endswith((".yaml", ".yml")) or Path(name).is_file() or name.startswith("_"):
        return _validated(name)
    return runcache.pickled("profile", name, _shipped_digest(), lambda: _validated(name))


@lru_cache(maxsize=1)
def _shipped_digest() -> str:
    """What a validated shipped profile is made from: every shipped YAML, the models' code (and the
    patterns' they check with), pydantic."""
    import hashlib

    import pydantic

    from juesuan.profiles import meanings

    h = hashlib.sha256(pydantic.VERSION.encode())
    for source in (Path(__file__), Path(meanings.__file__), Path(patterns.__file__)):
        h.update(source.read_bytes())
    for res in sorted(_files().iterdir(), key=lambda r: r.name):
        if res.name.endswith(".yaml"):
            h.update(res.name.encode() + b"\0" + res.read_bytes())
    return h.hexdigest()


def _validated(name: str) -> Profile:
    from pydantic import ValidationError

    try:
        return Profile.model_validate(_raw(name))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise KeyError(f"公开样式“{name}”有误：{where}：{first['msg']}") from None


def baseline_profile() -> Profile:
    """The national baseline profile (the Ministry of Finance's template)."""
    return load_profile("national")
