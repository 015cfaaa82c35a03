"""Import a CRM export (CSV files) through a declarative YAML mapping, all or nothing.

A mapping names the file with one row per deal, the lookup files joined to it by a key column, which
source column (or constant) fills each field of our schema, how source stage names map onto our
stages, date formats, and what to do when a value is missing. Every row is checked first; any
problem is reported with its file and line number and nothing is written. A clean import replaces the
database's deals and organisation in one transaction (model outputs are cleared: train again).

The mapping's keys are documented in ``docs/importing.md``; ``data_access/mappings/`` ships mappings
for the two public datasets in ``../shared/data``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from sqlalchemy import Engine, delete

from data_access import schema
from data_access.bulk import bulk_insert
from data_access.migrate import upgrade
from data_access.vocabulary import AMOUNT_UNIT_KEY, DEFAULT_AMOUNT_UNIT, FORECAST_CATEGORY, STAGES

MAPPINGS_DIR = Path(__file__).resolve().parent / "mappings"
FIELDS = (
    "id",
    "region",
    "team",
    "rep",
    "account",
    "tier",
    "city",
    "product",
    "product_line",
    "list_price",
    "stage",
    "created_date",
    "expected_close_date",
    "closed_date",
    "amount",
    "discount_pct",
)
REQUIRED = ("id", "region", "team", "rep", "stage", "created_date", "amount")
DATE_FIELDS = ("created_date", "expected_close_date", "closed_date")
NUMBER_FIELDS = ("amount", "list_price", "discount_pct")
OUR_STAGES = (*STAGES, "won", "lost")
MAX_LISTED = 20  # problems listed in the error; the rest are counted


class ImportProblem(ValueError):
    """The export does not fit the mapping; ``problems`` lists each with its file and row."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        more = f" ({len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(f"{problems[0]}{more}; nothing was imported")


@dataclass
class Mapping:
    deals: str
    fields: dict[str, object]
    stages: dict[str, str]
    lookups: list[dict] = field(default_factory=list)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    date_format: str | dict[str, str] = "%Y-%m-%d"
    when_missing: dict[str, object] = field(default_factory=dict)
    zero_is_missing: list[str] = field(default_factory=list)
    closed_from_stage: str = STAGES[0]
    closed_before_created: str = "error"  # or "use_created"
    attributes: list[str] = field(default_factory=list)
    description: str = ""
    amount_unit: str = DEFAULT_AMOUNT_UNIT  # an ISO 4217 code (USD), or "count" when a deal is worth 1

    @classmethod
    def load(cls, path_or_name: str | Path) -> Mapping:
        """Read a mapping file, or a shipped one by name (``maven-crm``, ``olist-funnel``)."""
        path = Path(path_or_name)
        if not path.exists() and (MAPPINGS_DIR / f"{path_or_name}.yaml").exists():
            path = MAPPINGS_DIR / f"{path_or_name}.yaml"
        if not path.exists():
            shipped = ", ".join(sorted(p.stem for p in MAPPINGS_DIR.glob("*.yaml")))
            raise ValueError(f"mapping {path_or_name} not found (shipped mappings: {shipped})")
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ValueError(f"mapping {path} is not valid YAML: {str(exc).splitlines()[0]}") from None
        if not isinstance(data, dict):
            raise ValueError(f"mapping {path} must be a YAML mapping of keys")
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"mapping {path}: unknown key(s) {', '.join(sorted(unknown))}")
        for key in ("deals", "fields", "stages"):
            if key not in data:
                raise ValueError(f"mapping {path}: the key {key!r} is required")
        mapping = cls(**data)
        mapping.check(path)
        return mapping

    def check(self, path: Path) -> None:
        problems = [f"unknown field {f!r}" for f in self.fields if f not in FIELDS]
        problems += [f"field {f!r} is not mapped" for f in REQUIRED if f not in self.fields]
        problems += [
            f"stage {src!r} maps to {ours!r}, not one of {', '.join(OUR_STAGES)}"
            for src, ours in self.stages.items()
            if ours not in OUR_STAGES
        ]
        if self.closed_from_stage not in STAGES:
            problems.append(f"closed_from_stage {self.closed_from_stage!r} is not one of {', '.join(STAGES)}")
        if self.closed_before_created not in ("error", "use_created"):
            problems.append("closed_before_created must be 'error' or 'use_created'")
        if not re.fullmatch(r"[A-Z]{3}|count", str(self.amount_unit)):
            problems.append(
                f"amount_unit {self.amount_unit!r} is not a currency code such as USD, or 'count'"
            )
        if problems:
            raise ValueError(f"mapping {path}: {problems[0]}")

    def date_format_of(self, name: str) -> str:
        fmt = self.date_format
        return fmt.get(name, "%Y-%m-%d") if isinstance(fmt, dict) else fmt


# -- reading -----------------------------------------------------------------------------------------
def _read_csv(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise ImportProblem([f"{path.name}: cannot be read as CSV ({str(exc).splitlines()[0]})"]) from None
    frame.columns = [c.strip() for c in frame.columns]
    return frame.apply(lambda col: col.str.strip())


def _files_by_name(mapping: Mapping, csv_paths: list[Path]) -> dict[str, pd.DataFrame]:
    given = {p.name: p for p in csv_paths}
    needed = [mapping.deals, *(lk["file"] for lk in mapping.lookups)]
    missing = [name for name in needed if name not in given]
    if missing:
        raise ImportProblem([f"the mapping needs {name}, which was not given" for name in missing])
    for p in given.values():
        if not p.is_file():
            raise ImportProblem([f"{p}: no such file"])
    return {name: _read_csv(given[name]) for name in needed}


def _row(index: int) -> int:
    return index + 2  # line 1 is the header


def _column_spec(mapping: Mapping, name: str) -> dict | None:
    spec = mapping.fields.get(name)
    if spec is None:
        return None
    if isinstance(spec, str):
        return {"column": spec}
    if isinstance(spec, dict):
        return spec
    return {"value": spec}


def _source_columns(mapping: Mapping) -> set[str]:
    out = set(mapping.attributes)
    for name in mapping.fields:
        spec = _column_spec(mapping, name) or {}
        if "column" in spec:
            out.add(spec["column"])
    return out


def _joined(mapping: Mapping, files: dict[str, pd.DataFrame], problems: list[str]) -> pd.DataFrame:
    """The deal rows with every lookup joined on, after value rewrites; checks columns and keys."""
    for column, rewrite in mapping.values.items():
        for frame in files.values():
            if column in frame:
                frame[column] = frame[column].replace({str(k): str(v) for k, v in rewrite.items()})
    deals = files[mapping.deals].copy()
    for lookup in mapping.lookups:
        table, key = files[lookup["file"]], lookup["on"]
        for name, frame in ((mapping.deals, deals), (lookup["file"], table)):
            if key not in frame:
                problems.append(f"{name}: missing column {key!r} (the lookup key)")
        if key not in deals or key not in table:
            continue
        columns = lookup.get("columns") or [c for c in table.columns if c != key and c not in deals]
        absent = [c for c in columns if c not in table]
        problems += [f"{lookup['file']}: missing column {c!r}" for c in absent]
        dup = table[key].duplicated(keep="first") & (table[key] != "")
        problems += [
            f"{lookup['file']} row {_row(i)}: duplicate {key} {table[key].iat[i]!r}"
            for i in np.flatnonzero(dup)
        ]
        right = table.loc[~dup, [key, *[c for c in columns if c in table]]]
        found = deals[key].isin(set(right[key]))
        if lookup.get("required", True):
            unmatched = np.flatnonzero(~found & (deals[key] != ""))
            problems += [
                f"{mapping.deals} row {_row(i)}: {key} {deals[key].iat[i]!r} is not in {lookup['file']}"
                for i in unmatched
            ]
        deals = deals.merge(right, on=key, how="left", validate="many_to_one").fillna("")
    missing = sorted(c for c in _source_columns(mapping) if c not in deals)
    problems += [f"{mapping.deals}: missing column {c!r}" for c in missing]
    return deals


def _field(mapping: Mapping, deals: pd.DataFrame, name: str) -> pd.Series | None:
    spec = _column_spec(mapping, name)
    if spec is None:
        return None
    if "value" in spec:
        return pd.Series(str(spec["value"]), index=deals.index)
    column = deals[spec["column"]]
    if "present" in spec:  # {column, present, empty}: one value when the column is filled, one when not
        return pd.Series(
            np.where(column != "", str(spec["present"]), str(spec.get("empty", ""))), deals.index
        )
    return column.copy()


def _parse_dates(values: pd.Series, fmt: str) -> pd.Series:
    parsed = pd.to_datetime(values, format=fmt, errors="coerce")
    return parsed.dt.normalize()


@dataclass
class Export:
    """Validated deal rows in our vocabulary, one per source row."""

    frame: pd.DataFrame
    attributes: list[str]
    export_date: pd.Timestamp
    closed_from_stage: str
    amount_unit: str = DEFAULT_AMOUNT_UNIT


def read_export(mapping: Mapping, csv_paths: list[Path]) -> Export:
    """Read and check every row; raises ImportProblem listing what is wrong, row by row."""
    files = _files_by_name(mapping, csv_paths)
    problems: list[str] = []
    deals = _joined(mapping, files, problems)
    if problems:
        raise ImportProblem(problems)
    name = mapping.deals
    out = pd.DataFrame(index=deals.index)
    for f in FIELDS:
        values = _field(mapping, deals, f)
        if values is not None:
            out[f] = values
    for f in mapping.zero_is_missing:
        if f in out:
            number = pd.to_numeric(out[f], errors="coerce")
            out.loc[number == 0, f] = ""
    dates = {}
    for f in DATE_FIELDS:
        if f not in out:
            continue
        fmt = mapping.date_format_of(f)
        parsed = _parse_dates(out[f], fmt)
        bad = np.flatnonzero(parsed.isna() & (out[f] != ""))
        problems += [f"{name} row {_row(i)}: {f} {out[f].iat[i]!r} is not a date like {fmt}" for i in bad]
        dates[f] = parsed
    known = [d.max() for d in dates.values() if d.notna().any()]
    export_date = max(known) if known else pd.Timestamp.today().normalize()
    for f in NUMBER_FIELDS:
        if f not in out:
            continue
        number = pd.to_numeric(out[f], errors="coerce")
        bad = np.flatnonzero((number.isna() & (out[f] != "")) | (number < 0))
        problems += [f"{name} row {_row(i)}: {f} {out[f].iat[i]!r} is not a number >= 0" for i in bad]
        out[f] = number
    for f, d in dates.items():
        out[f] = d
    for f, rule in mapping.when_missing.items():
        if f not in out:
            continue
        empty = out[f].isna() | (out[f].astype(object) == "")
        if rule == "export_date":
            out.loc[empty, f] = export_date
        elif isinstance(rule, dict) and "field" in rule and rule["field"] in out:
            out.loc[empty, f] = out.loc[empty, rule["field"]]
        elif isinstance(rule, dict) and "value" in rule:
            out.loc[empty, f] = rule["value"]
        else:
            raise ValueError(f"when_missing.{f}: use export_date, {{field: NAME}} or {{value: V}}")
    for f in REQUIRED:
        empty = np.flatnonzero(out[f].isna() | (out[f].astype(object) == ""))
        problems += [f"{name} row {_row(i)}: {f} is empty" for i in empty]
    source_stage = out["stage"]
    stage = source_stage.map({str(k): v for k, v in mapping.stages.items()})
    bad = np.flatnonzero(stage.isna() & (source_stage != ""))
    known_stages = ", ".join(map(str, mapping.stages))
    problems += [
        f"{name} row {_row(i)}: unknown stage {source_stage.iat[i]!r} (known: {known_stages})" for i in bad
    ]
    out["stage"] = stage
    dup = out["id"].duplicated(keep="first") & (out["id"] != "")
    first = {v: i for i, v in reversed(list(enumerate(out["id"])))}
    problems += [
        f"{name} row {_row(i)}: duplicate id {out['id'].iat[i]!r} (first at row {_row(first[out['id'].iat[i]])})"
        for i in np.flatnonzero(dup)
    ]
    closed = out["stage"].isin(["won", "lost"])
    if "closed_date" not in out:
        out["closed_date"] = pd.NaT
    no_close = np.flatnonzero(closed & out["closed_date"].isna())
    problems += [f"{name} row {_row(i)}: a {out['stage'].iat[i]} deal needs a closed_date" for i in no_close]
    out.loc[~closed, "closed_date"] = pd.NaT  # an open deal's planned date is not a close
    early = (out["closed_date"] < out["created_date"]).fillna(False).to_numpy(bool)
    if mapping.closed_before_created == "use_created":
        out.loc[early, "closed_date"] = out.loc[early, "created_date"]
    else:
        problems += [
            f"{name} row {_row(i)}: closed_date is before created_date" for i in np.flatnonzero(early)
        ]
    if problems:
        raise ImportProblem(problems)
    attrs = {a: deals[a] for a in mapping.attributes}
    return Export(
        frame=out.assign(**{f"attr:{a}": v for a, v in attrs.items()}),
        attributes=list(attrs),
        export_date=export_date,
        closed_from_stage=mapping.closed_from_stage,
        amount_unit=mapping.amount_unit,
    )


# -- writing -----------------------------------------------------------------------------------------
def _ids(keys: pd.DataFrame) -> pd.Series:
    """1-based ids for distinct key tuples, in order of first appearance."""
    return keys.groupby(list(keys.columns), sort=False, dropna=False).ngroup() + 1


def export_tables(export: Export) -> dict[str, pd.DataFrame]:
    """The validated export as rows of our tables."""
    d = export.frame.reset_index(drop=True)
    n = len(d)
    d["region_id"] = _ids(d[["region"]])
    d["team_id"] = _ids(d[["region", "team"]])
    d["rep_id"] = _ids(d[["region", "team", "rep"]])
    tables: dict[str, pd.DataFrame] = {}
    regions = d.drop_duplicates("region_id")
    tables["regions"] = pd.DataFrame(
        {
            "id": regions.region_id,
            "code": regions.region.str.slice(0, 32),
            "name_en": regions.region,
            "name_zh": regions.region,
        }
    )
    teams = d.drop_duplicates("team_id")
    tables["teams"] = pd.DataFrame(
        {
            "id": teams.team_id,
            "region_id": teams.region_id,
            "segment": "imported",
            "name_en": teams.team,
            "name_zh": teams.team,
        }
    )
    reps = d.groupby("rep_id", sort=True).agg(
        team_id=("team_id", "first"), name=("rep", "first"), hire=("created_date", "min")
    )
    tables["reps"] = pd.DataFrame(
        {
            "id": reps.index,
            "team_id": reps.team_id,
            "manager_id": None,
            "name_en": reps.name,
            "name_zh": reps.name,
            "seniority": "unknown",
            "hire_date": reps.hire.dt.date,  # the export does not say; the rep's first deal does
            "leave_date": None,
        }
    )
    has_account = d["account"].ne("") if "account" in d else pd.Series(False, index=d.index)
    d["account_id"] = pd.Series(pd.NA, index=d.index, dtype="Int64")
    if has_account.any():
        d.loc[has_account, "account_id"] = _ids(d.loc[has_account, ["account"]]).to_numpy()
        acc = d[has_account].drop_duplicates("account_id")
        tables["accounts"] = pd.DataFrame(
            {
                "id": acc.account_id.astype(int),
                "name_en": acc.account,
                "name_zh": acc.account,
                "kind": "customer",
                "tier": acc["tier"].replace("", "unknown") if "tier" in acc else "unknown",
                "city": acc["city"] if "city" in acc else "",
                "region_id": acc.region_id,
            }
        )
    has_product = d["product"].ne("") if "product" in d else pd.Series(False, index=d.index)
    d["product_id"] = pd.Series(pd.NA, index=d.index, dtype="Int64")
    if has_product.any():
        d.loc[has_product, "product_id"] = _ids(d.loc[has_product, ["product"]]).to_numpy()
        prod = d[has_product].drop_duplicates("product_id")
        tables["products"] = pd.DataFrame(
            {
                "id": prod.product_id.astype(int),
                "name_en": prod["product"],
                "name_zh": prod["product"],
                "line": prod["product_line"].replace("", "unknown") if "product_line" in prod else "unknown",
                "list_price": prod["list_price"].fillna(0.0) if "list_price" in prod else 0.0,
            }
        )
    ids = np.arange(1, n + 1, dtype=np.int64)
    closed = d.stage.isin(["won", "lost"])
    tables["opportunities"] = pd.DataFrame(
        {
            "id": ids,
            "external_id": d["id"],
            "owner_rep_id": d.rep_id,
            "account_id": d.account_id,
            "product_id": d.product_id,
            "amount": d.amount.astype(float),
            "discount_pct": d["discount_pct"] if "discount_pct" in d else np.nan,
            "created_date": d.created_date.dt.date,
            "expected_close_date": d["expected_close_date"].dt.date if "expected_close_date" in d else None,
            "stage": d.stage,
            "forecast_category": d.stage.map(FORECAST_CATEGORY),
            "closed_date": d.closed_date.dt.date.where(closed, None),
            "outcome": d.stage.where(closed, None),
        }
    )
    before_close = d.stage.where(~closed, export.closed_from_stage)
    open_rows = pd.DataFrame(
        {
            "opportunity_id": ids,
            "stage": before_close,
            "entered_date": d.created_date.dt.date,
            "exited_date": d.closed_date.dt.date.where(closed, None),
        }
    )
    close_rows = pd.DataFrame(
        {
            "opportunity_id": ids[closed],
            "stage": d.stage[closed],
            "entered_date": d.closed_date[closed].dt.date,
            "exited_date": None,
        }
    )
    tables["stage_history"] = pd.concat([open_rows, close_rows], ignore_index=True)
    tables["ownership_history"] = pd.DataFrame(
        {"opportunity_id": ids, "rep_id": d.rep_id, "start_date": d.created_date.dt.date, "end_date": None}
    )
    tables["deal_attributes"] = pd.concat(
        [
            pd.DataFrame({"opportunity_id": ids, "name": a, "value": d[f"attr:{a}"].replace("", None)})
            for a in export.attributes
        ]
        or [pd.DataFrame(columns=["opportunity_id", "name", "value"])],
        ignore_index=True,
    )
    tables["preferences"] = pd.DataFrame({"key": [AMOUNT_UNIT_KEY], "value": [export.amount_unit]})
    return tables


def write_export(engine: Engine, export: Export, progress=None) -> dict[str, int]:
    """Replace the database's contents with a checked export in one transaction; row counts per table."""
    say = progress or (lambda _msg: None)
    tables = export_tables(export)
    upgrade(engine)
    counts = {}
    with engine.begin() as conn:
        for table in reversed(schema.metadata.sorted_tables):
            conn.execute(delete(table))
        for name, frame in tables.items():
            say(f"writing {name}")
            counts[name] = bulk_insert(conn, schema.metadata.tables[name], frame)
    return counts


def import_export(engine: Engine, mapping: Mapping, csv_paths: list[Path], progress=None) -> dict[str, int]:
    """Check the export against the mapping, then replace the database's contents with it, all or nothing."""
    return write_export(engine, read_export(mapping, csv_paths), progress)
