"""The viewer's row-level scope, passed to every repository function.

Today every viewer has full access; sign-in (F31) will build narrower scopes. Because every query
already goes through ``Scope.clauses``, narrowing needs no change to the repositories.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Table
from sqlalchemy.sql.elements import ColumnElement


@dataclass(frozen=True)
class Scope:
    """Which regions, teams and reps a viewer may see (``None`` means no restriction)."""

    region_ids: frozenset[int] | None = None
    team_ids: frozenset[int] | None = None
    rep_ids: frozenset[int] | None = None

    @classmethod
    def full(cls) -> Scope:
        return cls()

    def entity_clauses(self, level: str, id_column: ColumnElement) -> list[ColumnElement[bool]]:
        """WHERE clauses restricting a regions/teams/reps table (by its ``id_column``) to this scope."""
        allowed = {"region": self.region_ids, "team": self.team_ids, "rep": self.rep_ids}[level]
        return [] if allowed is None else [id_column.in_(sorted(allowed))]

    def clauses(self, table: Table) -> list[ColumnElement[bool]]:
        """WHERE clauses restricting ``table`` (which has region_id/team_id/rep_id columns) to this scope."""
        out: list[ColumnElement[bool]] = []
        for column, allowed in (
            ("region_id", self.region_ids),
            ("team_id", self.team_ids),
            ("rep_id", self.rep_ids),
        ):
            if allowed is not None and column in table.c:
                out.append(table.c[column].in_(sorted(allowed)))
        return out


FULL_ACCESS = Scope.full()
