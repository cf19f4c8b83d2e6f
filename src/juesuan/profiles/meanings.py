"""What a sentence pattern's slots mean: the declarations the audit walks.

A profile says once, per pattern key and slot, what the printed value is
(``meanings``); the audit has one engine that reads these declarations and
no table of pattern keys of its own.  The vocabulary:

- ``figure: <id>``: the slot prints the amount of a named figure.  Ids are the
  dataset model's paths (``income.general_budget``, ``three_public.actual.abroad``)
  or a name of the ``figures`` vocabulary (``total``, ``expenditure.total``);
  ``{slot}`` fills in another slot's value and ``{slot|map}`` maps it through a
  ``labels`` map first (``income.{label|income}``: 事业收入 → ``income.business``).
  Every reading of the same figure must agree, in the narrative and in the tables.
- ``share: {part, whole}``, ``rate: {actual, budget}``: a percentage printed in
  the slot, of two references.  A reference is a slot of the same sentence or a
  figure id (the reading in the same section first, else the first one).
- ``change: {diff, dir, trend, this}``: a change against last year (or the
  budget): the direction words must agree, and the percentage is diff ÷ (this − diff).
- ``sum: [refs]``: the slot is the total of the references; ``each:KEY.SLOT``
  stands for that slot of every sentence read with KEY; an ``items`` slot adds
  its amounts.
- ``role``: a special check's own reading (class_vs_items, sme_of_category …),
  documented where the check is.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Bound", "Change", "FigureSpec", "Meaning", "Rate", "ReadingSpec", "Share", "Variant"]


class _Model(BaseModel):
    # validators built at the first validation, not at import: a shipped profile usually comes
    # validated from the run cache (load_profile) and then never needs them
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Share(_Model):
    part: str = Field(description="reference: a slot of the sentence or a figure id")
    whole: str = Field(description="reference: a slot of the sentence or a figure id")
    hint: str = Field("", description="appended to the message (e.g. which whole is meant)")


class Rate(_Model):
    actual: str = Field(description="reference to the amount spent")
    budget: str = Field(description="reference to the budget")
    zero_budget: Literal["warn", "warn_if_unspent", "ignore"] = Field(
        "warn", description="a rate printed for a zero budget: always a warning, only when nothing was "
        "spent, or not reported (another sentence's check covers it)")


class Change(_Model):
    diff: str = Field("diff", description="slot of the change's amount")
    dir: str = Field("dir", description="slot of its direction word (增加/减少)")
    trend: str | int | None = Field(
        "trend", description="slot of the percentage's direction word (增长/下降), or its fixed sign "
        "(-1 for a pattern that writes 降低 as a literal), or null")
    this: str | None = Field(None, description="reference to this year's figure; default: the amount "
                             "of the sentence the clause follows (its subject)")
    vs: Literal["last_year", "budget"] = Field("last_year", description="what the change is against")


class Bound(_Model):
    at_most: str = Field(description="reference the slot's amount cannot exceed")
    what: str = Field(description="the message's name of the bounded amount")
    other: str = Field(description="the message's name of the bound")


class Meaning(_Model):
    figure: str | None = Field(None, description="the slot is this figure's amount (id with {slot} placeholders)")
    what: str | None = Field(None, description="the figure's name in messages ({slot} placeholders); "
                             "default: the figures vocabulary's name")
    share: Share | None = None
    rate: Rate | None = None
    change: Change | None = None
    sum: list[str] | None = Field(None, description="the slot is the total of these references")
    bound: Bound | None = None
    count: str | None = Field(None, description="the slot is a count: the dataset path it fills")
    name: str | None = Field(None, description="the slot is a name or text: the dataset path it fills")
    of: str | None = Field(None, description="role sme_of_category: the reference of the category's "
                           "amount (the slot is that category's SME share; its name is ``what``)")
    role: str | None = Field(None, description="read by a special check (see audit/checks.py); the slot "
                             "``sentence`` stands for the sentence as a whole")


class FigureSpec(_Model):
    name: str = Field(description="the figure's name in messages")
    tables: list[str] = Field(default_factory=list, description="table cells that print it: table.row.column")
    same: str | None = Field(None, description="a figure the narrative prints as the same amount")
    table: str | None = Field(None, description="a table the dataset takes the figure from: when it was "
                              "read, the figure is known even where its cell is blank (0)")
    path: str | None = Field(None, description="the dataset path a narrative reading fills (default: the id)")
    last_year: str | None = Field(None, description="the dataset path of last year's value (this − the "
                                  "change printed against last year)")
    budget: str | None = Field(None, description="the dataset path of the budget (this − the change "
                               "printed against the budget)")
    store: bool = Field(True, description="the id is a dataset path: a narrative reading fills the dataset")


class Variant(_Model):
    why: str = Field(description="suffix of the variant key (key~why); the variant is read as its base key")
    pattern: str = Field(description="the read-only wording (never written)")
    incomplete: str = Field("", description="the variant breaks off: what it leaves out (a sentence read "
                            "with it is reported as incomplete)")
    what: str = Field("", description="the incomplete sentence's name in messages ({slot} placeholders)")


class ReadingSpec(_Model):
    """How the sentences of a section are looked for (audit/claims.py)."""

    shared: list[str] = Field(default_factory=list, description="key prefixes read in every explanation section")
    fixed: list[str] = Field(default_factory=list, description="key prefixes of fixed sentences (no slot) "
                             "that are read (“本部门无…”)")
    clauses: list[str] = Field(default_factory=list, description="key prefixes of clauses: each is about "
                               "the sentence before it (its subject)")
    only: dict[str, list[str]] = Field(default_factory=dict, description="a topic of free text: the only "
                                       "keys read in it")
    units: list[str] = Field(default_factory=list, description="section topics whose table lists the "
                             "budget units (序号, name, nature or note)")
    functions: list[str] = Field(default_factory=list, description="section topics whose text is the "
                                 "department's functions")
