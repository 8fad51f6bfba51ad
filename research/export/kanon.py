"""k-anonymity (and optionally ℓ-diversity) of an export, computed in PostgreSQL.

The unit of the check is the data subject: the **case** (the client), whatever the unit of the
export's rows. Each case gets one value per quasi-identifier; a quasi-identifier of the
sub-problems (legal area, kind of case, advocaat pseudonym) is the *set* of its values in the case
("arbeidsrecht|huurrecht"). Requiring every combination (with whole sets) to occur for at least
k cases is stronger than k^m-anonymity: someone who knows only part of a client's set finds at
least the k cases of every group whose set contains that part. In an export with one row per
sub-problem the rows of a case link through the case pseudonym, so the set is what they reveal
together; the check covers that.

The steps, all in one transaction (temporary tables, nothing kept):
1. `_export_cases`: one row per case in the period, at the locations, with research consent
   and not erased: the level-0 code of each quasi-identifier (rules.py).
2. `_export_combos`: `GROUP BY` those codes with the number of cases: the combinations. Every
   further step works on this much smaller table.
3. Risk before treatment: the groups below k (`GROUP BY … HAVING sum(n) < k`), the unique ones.
4. Generalisation (on a table of the groups at the current levels that shrinks with every
   step): while more than rules.MAX_SUPPRESSION_SHARE of the cases is at risk, take the
   quasi-identifier whose next level lowers the risk most (global recoding) to that level; stop
   when no single next level lowers it (a case unique however coarse is for suppression).
5. Local suppression: for the cases still at risk, suppress the quasi-identifiers one by one in
   the rules' priority order ("onderdrukt"), only in the groups still below k.
6. Cases at risk after all that (a group of fully suppressed cases smaller than k) are left out.
Quasi-identifiers released by earlier exports of the study (`released_quasi`) join the check at
their released level and are never changed here (they are out already): cases at risk through them
are suppressed locally in the other columns or left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from research.export.catalogue import ExportField
from research.export.rules import (
    MAX_SUPPRESSION_SHARE,
    ONDERDRUKT,
    RULES,
    Rule,
    level_sql,
    set_level_sql,
)


@dataclass
class Quasi:
    """One column of the check."""

    column: str  # "q0", "q1", …
    field: ExportField
    level: int = 0
    fixed: bool = False  # released by an earlier export: never generalised nor suppressed
    base: int = 0  # the level whose code the column itself holds (higher ones: "<column>_l<n>")

    @property
    def rule(self) -> Rule:
        return RULES[self.field.rule]

    @property
    def is_set(self) -> bool:
        return self.field.scope == "subproblem"

    @property
    def top(self) -> int:
        return len(self.rule.levels) - 1

    @property
    def key(self) -> str:
        return f"{self.field.name}:{self.level}"

    def at_level(self, value_sql: str, level: int | None = None) -> str:
        level = self.level if level is None else level
        if self.is_set:
            return set_level_sql(self.rule, level, value_sql)
        return level_sql(self.rule, level, value_sql)

    def levels(self) -> list[int]:
        """The levels the combos table holds a column for (level 0 is the column itself)."""
        if self.fixed:
            return [self.level] if self.level else []
        return list(range(1, self.top + 1))

    def level_columns(self, value_sql: str) -> list[str]:
        """SQL that computes each coarser level of a level-0 code (once per distinct code)."""
        return [
            f"{self.at_level(value_sql, level)} AS {self.column}_l{level}"
            for level in self.levels()
        ]

    def code(self, prefix: str = "", level: int | None = None) -> str:
        level = self.level if level is None else level
        if level == self.base:
            return f"{prefix}{self.column}"
        return f"{prefix}{self.column}_l{level}"

    def released(self, prefix: str = "", level: int | None = None) -> str:
        """SQL of the released code from the combos table (alias `prefix`)."""
        value = self.code(prefix, level)
        if self.fixed:
            return value
        return f"(CASE WHEN {prefix}s_{self.column} THEN '{ONDERDRUKT}' ELSE {value} END)"


@dataclass
class Risk:
    at_risk: int
    unique: int
    groups: int
    records: int
    smallest: int
    l_reached: int | None


@dataclass
class Check:
    k: int
    quasi: list[Quasi]
    diversity: bool = False
    diversity_l: int = 2
    table: str = "_export_combos"  # "_export_groups" once generalisation is done
    before: Risk | None = None
    after: Risk | None = None
    steps: list[str] = field(default_factory=list)

    @property
    def varying(self) -> list[Quasi]:
        return [q for q in self.quasi if not q.fixed]

    def _group_sql(self, levels: dict[str, int] | None = None) -> str:
        levels = levels or {}
        released = ", ".join(
            f"{q.released(level=levels.get(q.column))} AS r_{q.column}" for q in self.quasi
        )
        keys = ", ".join(f"r_{q.column}" for q in self.quasi) or "1"
        diversity = "count(DISTINCT d)" if self.diversity else "NULL::int"
        return (
            f"SELECT {keys}, sum(n)::int AS n, {diversity} AS dl FROM "  # noqa: S608
            f"(SELECT {released or '1 AS one'}, n"
            f"{', d' if self.diversity else ''} FROM {self.table} WHERE NOT dropped) x "
            f"GROUP BY {keys}"
        )

    def _small(self) -> str:
        """A group below k (or below ℓ), on the grouped columns n and dl."""
        return "n < %(k)s OR dl < %(l)s" if self.diversity else "n < %(k)s"

    def _having(self) -> str:
        small = "sum(n) < %(k)s"
        if self.diversity:
            small += " OR count(DISTINCT d) < %(l)s"
        return small

    def _mark(self, cursor, assignment: str) -> int:
        """Set `assignment` on the combinations whose group is below k; their number."""
        matches = " AND ".join(f"{q.released('c.')} = g.r_{q.column}" for q in self.quasi)
        cursor.execute(
            f"UPDATE {self.table} c SET {assignment} FROM "  # noqa: S608
            f"({self._group_sql()} HAVING {self._having()}) g "
            f"WHERE NOT c.dropped AND {matches or 'true'}",
            {"k": self.k, "l": self.diversity_l},
        )
        return cursor.rowcount

    def risk(self, cursor, levels: dict[str, int] | None = None) -> Risk:
        cursor.execute(
            f"SELECT coalesce(sum(n) FILTER (WHERE {self._small()}), 0), "  # noqa: S608
            "count(*) FILTER (WHERE n = 1), count(*), coalesce(sum(n), 0), "
            f"coalesce(min(n), 0), min(dl) FROM ({self._group_sql(levels)}) g",
            {"k": self.k, "l": self.diversity_l},
        )
        at_risk, unique, groups, records, smallest, l_reached = cursor.fetchone()
        return Risk(int(at_risk), unique, groups, int(records), int(smallest), l_reached)

    def _trials(self, cursor, candidates: list[Quasi]) -> dict[str, int]:
        """Cases at risk if one candidate went one level up, for every candidate in one scan
        (GROUPING SETS: one grouping per candidate)."""
        # nothing is suppressed while generalising: the codes themselves, no CASE
        current = {q.column: f"{q.code()} AS r_{q.column}" for q in self.quasi}
        trial = [f"{q.code(level=q.level + 1)} AS t_{q.column}" for q in candidates]
        sets = [
            "("
            + ", ".join(f"t_{q.column}" if q is candidate else f"r_{q.column}" for q in self.quasi)
            + ")"
            for candidate in candidates
        ]
        which = ", ".join(f"t_{q.column}" for q in candidates)
        diversity = "count(DISTINCT d)" if self.diversity else "NULL::int"
        cursor.execute(
            f"SELECT g, coalesce(sum(n) FILTER (WHERE {self._small()}), 0) FROM ("  # noqa: S608
            f"SELECT GROUPING({which}) AS g, sum(n) AS n, {diversity} AS dl FROM ("
            f"SELECT {', '.join([*current.values(), *trial])}, n"
            f"{', d' if self.diversity else ''} FROM {self.table} WHERE NOT dropped) x "
            f"GROUP BY GROUPING SETS ({', '.join(sets)})) y GROUP BY g",
            {"k": self.k, "l": self.diversity_l},
        )
        found = dict(cursor.fetchall())
        width = len(candidates)
        # GROUPING() sets a bit for every argument NOT in the grouping; the first is the highest
        return {
            q.column: int(found.get(((1 << width) - 1) ^ (1 << (width - 1 - i)), 0))
            for i, q in enumerate(candidates)
        }

    def generalise(self, cursor) -> None:
        """Global recoding, one level at a time, while local suppression would cost too much."""
        risk = self.before
        while risk.records and risk.at_risk / risk.records > MAX_SUPPRESSION_SHARE:
            candidates = [q for q in self.varying if q.level < q.top]
            if not candidates:
                return
            trials = self._trials(cursor, candidates)
            best = min(candidates, key=lambda q: (trials[q.column], q.rule.priority, q.column))
            if trials[best.column] >= risk.at_risk:
                return  # no next level helps (alone): what remains is for suppression
            best.level += 1
            risk = Risk(trials[best.column], 0, 0, risk.records, 0, None)
            level = best.rule.levels[best.level].name
            self.steps.append(f"generalised {best.field.name} to {level}")
            if risk.at_risk / risk.records > MAX_SUPPRESSION_SHARE:
                self._shrink(cursor, f"_export_work{len(self.steps)}", flags=False)

    def suppress(self, cursor) -> None:
        """Local suppression in the groups below k, one quasi-identifier at a time; what is
        still below k after all of them is left out."""
        for q in sorted(self.varying, key=lambda q: (q.rule.priority, q.column)):
            if not self.risk(cursor).at_risk:
                return
            if changed := self._mark(cursor, f"s_{q.column} = true"):
                self.steps.append(f"suppressed {q.field.name} in {changed} combinations")
        if self.risk(cursor).at_risk and (changed := self._mark(cursor, "dropped = true")):
            self.steps.append(f"left out {changed} combinations")

    def _shrink(self, cursor, table: str, *, flags: bool) -> None:
        """A table of the groups at the current levels (with the coarser levels still to try,
        and suppression flags when asked): each step works on fewer rows than the last."""
        columns = []
        for q in self.quasi:
            columns.append(f"{q.code()} AS {q.column}")
            if not q.fixed:
                columns += [
                    f"{q.code(level=level)} AS {q.column}_l{level}"
                    for level in range(q.level + 1, q.top + 1)
                ]
        columns += ["d"] if self.diversity else []
        keys = ", ".join(str(position) for position in range(1, len(columns) + 1))
        marks = "".join(f", false AS s_{q.column}" for q in self.quasi) if flags else ""
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(
            f"CREATE TEMP TABLE {table} ON COMMIT DROP AS "  # noqa: S608
            f"SELECT {''.join(c + ', ' for c in columns)}sum(n)::int AS n, false AS dropped"
            f"{marks} FROM {self.table} WHERE NOT dropped" + (f" GROUP BY {keys}" if keys else "")
        )
        if flags:  # the groups are joined back to the combinations: the planner needs numbers
            cursor.execute(f"ANALYZE {table}")
        for q in self.quasi:
            q.base = q.level
        self.table = table

    def collapse(self, cursor) -> None:
        """The groups at the chosen levels, for local suppression: far fewer rows than the
        combinations of level-0 codes."""
        self._shrink(cursor, "_export_groups", flags=True)

    def finalise(self, cursor) -> None:
        """Carry the outcome back to the combinations (for the data query and the report):
        the released code of each quasi-identifier, what was suppressed, what is left out."""
        for q in self.quasi:
            q.base = 0
        matches = [f"{q.code('c.')} = g.{q.column}" for q in self.quasi]
        matches += ["c.d = g.d"] if self.diversity else []
        released = [f"{self.group_released(q)} AS r_{q.column}" for q in self.quasi]
        flags = [f"g.s_{q.column}" for q in self.quasi]
        levels = [f"c.{q.column}" for q in self.quasi] + (["c.d"] if self.diversity else [])
        # a new table rather than an UPDATE of every combination: several times faster
        cursor.execute(
            "CREATE TEMP TABLE _export_released ON COMMIT DROP AS SELECT "  # noqa: S608
            + ", ".join([*levels, "c.n", "c.rows", "g.dropped", *flags, *released])
            + " FROM _export_combos c JOIN _export_groups g ON "
            + (" AND ".join(matches) or "true")
        )
        cursor.execute("DROP TABLE _export_combos")
        cursor.execute("ALTER TABLE _export_released RENAME TO _export_combos")
        # no ANALYZE (a second at 1M cases): the data query hashes this table either way
        self.table = "_export_combos"

    def group_released(self, q: Quasi) -> str:
        if q.fixed:
            return f"g.{q.column}"
        return f"(CASE WHEN g.s_{q.column} THEN '{ONDERDRUKT}' ELSE g.{q.column} END)"
