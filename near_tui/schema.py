"""The agenda and roster file formats (validated with pydantic).

Key names are a published contract: extend, never rename. Cross-field rules
that need the whole file (duplicate ids, ``admits`` pointing at applicants)
live in ``agenda_file``, which knows the line numbers.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

MemberStatus = Literal["member", "associate", "observer", "applicant"]
VotingRight = Literal["full", "restricted"]
ItemKind = Literal["decision", "election", "consensus", "report", "presentation"]
Body = Literal["general_assembly", "working_committee"]
# Subcommittee Regulations Art. 5.8: what "a majority (more than half) yes vote" is a majority of
# (docs/rules.md, "Subcommittee Regulations Art. 5.8: two readings").
Sub58Reading = Literal["votes_cast", "members_with_vote"]

# Charter Art. 8 clauses 1..11, plus the Subcommittee Regulations Art. 5.8
# (replacement of a coordinator by the Working Committee).
ARTICLES = tuple(f"8.{n}" for n in range(1, 12)) + ("sub-5.8",)

MEMBER_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Member(_Strict):
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    country: str = Field(min_length=2, max_length=2)
    status: MemberStatus = "member"
    voting: VotingRight = "full"

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not MEMBER_ID.match(v):
            raise ValueError(
                f"member id {v!r} must be lowercase letters, digits and hyphens, e.g. jp-akita"
            )
        return v

    @field_validator("country")
    @classmethod
    def _country_shape(cls, v: str) -> str:
        if not (v.isascii() and v.isalpha() and v.isupper()):
            raise ValueError(f"country {v!r} must be a two-letter upper-case code such as JP")
        return v


class Roster(_Strict):
    members: list[Member] = Field(min_length=1)


class SessionInfo(_Strict):
    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    title: str = Field(min_length=1)
    body: Body
    venue: str = Field(min_length=1)
    opens: dt.date
    closes: dt.date | None = None


class Rules(_Strict):
    """Readings of the Charter a session may switch (docs/rules.md lists each with its article)."""

    # Art. 9.2/9.3 "members voting": yes + no by default (UN GA rule 86).
    abstentions_count_as_cast: bool = False
    # Fee Regs Art. 6 + Charter Art. 9.1: a restricted member stays in the
    # quorum base and counts toward quorum when it attends.
    restricted_count_toward_quorum: bool = True
    # Subcommittee Regs Art. 5.8: more than half of the votes cast (default), or of the members
    # with the right to vote. Left out of the stored payload at its default, so sessions
    # recorded before the option existed rebuild their signed record byte for byte.
    sub58_majority_of: Sub58Reading = Field(default="votes_cast", exclude_if=lambda v: v == "votes_cast")

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Item(_Strict):
    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    kind: ItemKind
    article: str | None = None
    admits: list[str] = Field(default_factory=list)
    description: str | None = None
    # Elections: how many are elected (the next Chair: 1).
    seats: int = Field(default=1, ge=1)
    # Working Committee only: the General Assembly decision that delegated this item (Charter
    # Art. 11.5); agenda_file says where it is required. Left out of the payload when absent.
    delegated_by: str | None = Field(default=None, exclude_if=lambda v: v is None)

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, v: object) -> object:
        # `id: 3` is what people type; it means the item called "3".
        if isinstance(v, int) and not isinstance(v, bool):
            return str(v)
        return v

    @field_validator("delegated_by")
    @classmethod
    def _delegation_named(cls, v: str | None) -> str | None:
        if v is not None and not v.strip():
            raise ValueError("delegated_by is empty — name the General Assembly decision that delegated the item")
        return v.strip() if v is not None else v

    @field_validator("article")
    @classmethod
    def _known_article(cls, v: str | None) -> str | None:
        if v is not None and v not in ARTICLES:
            raise ValueError(
                f"article {v!r} is not a Charter Art. 8 clause; use one of "
                + ", ".join(ARTICLES)
            )
        return v


class Agenda(_Strict):
    session: SessionInfo
    # A path relative to the agenda file, or the members inline; checked by
    # agenda_file so that errors point into the right file.
    roster: str | list[object]
    rules: Rules = Field(default_factory=Rules)
    items: list[Item] = Field(min_length=1)
