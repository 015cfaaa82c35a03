"""Importing real CRM exports through the shipped mappings: checked row by row, all or nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select

from data_access import schema
from data_access.engine import get_engine
from data_access.forecast import amount_unit
from data_access.history import read_frame
from data_access.importer import MAPPINGS_DIR, ImportProblem, Mapping, import_export
from tests.fixtures_data import MAVEN_FILES, OLIST_FILES, SHARED_DATA, import_shared
from tests.test_cli import assert_one_error, run_cli


def _count(url: str, table) -> int:
    engine = get_engine(url)
    with engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(table)).scalar_one()
    engine.dispose()  # a CLI process may open the file next
    return count


def _frame(url: str, stmt) -> pd.DataFrame:
    with get_engine(url).connect() as conn:
        return read_frame(conn, stmt)


@pytest.fixture(scope="module")
def maven_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("imp") / "maven.duckdb"
    return import_shared(f"duckdb:///{path}", "maven-crm", "maven-crm", MAVEN_FILES, train=False)


def test_maven_export_loads_with_its_hierarchy(maven_url: str) -> None:
    assert _count(maven_url, schema.opportunities) == 8800
    regions = _frame(maven_url, select(schema.regions.c.name_en))
    assert sorted(regions.name_en) == ["Central", "East", "West"]
    assert _count(maven_url, schema.teams) == 6  # managers
    assert _count(maven_url, schema.reps) == 30  # the 5 agents without deals have nothing to import
    o = schema.opportunities
    deals = _frame(
        maven_url, select(o.c.external_id, o.c.outcome, o.c.account_id, o.c.amount, o.c.product_id)
    )
    assert (deals.outcome == "won").sum() == 4238 and (deals.outcome == "lost").sum() == 2473
    assert deals.account_id.isna().sum() == 1425  # open deals without an account stay without one
    assert (deals.amount > 0).all()  # valued at list price, lost deals included
    products = _frame(maven_url, select(schema.products.c.name_en))
    assert "GTXPro" not in set(products.name_en) and "GTX Pro" in set(products.name_en)
    assert deals.external_id.str.len().gt(0).all()
    assert amount_unit(get_engine(maven_url)) == "USD"  # a US company: its pages speak dollars


def test_olist_funnel_loads_leads_and_wins(tmp_path: Path) -> None:
    url = import_shared(
        f"duckdb:///{tmp_path / 'olist.duckdb'}", "olist-funnel", "olist-funnel", OLIST_FILES, train=False
    )
    assert _count(url, schema.opportunities) == 8000
    o = schema.opportunities
    outcomes = _frame(url, select(o.c.outcome))
    assert (outcomes.outcome == "won").sum() == 842
    names = set(_frame(url, select(schema.deal_attributes.c.name)).name)
    assert names == {"origin", "landing_page_id"}  # nothing recorded only after a lead converted
    assert amount_unit(get_engine(url)) == "count"  # a lead is worth 1: bookings are conversions


def test_a_mapping_with_an_unknown_amount_unit_is_refused(tmp_path: Path) -> None:
    text = (MAPPINGS_DIR / "maven-crm.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("amount_unit: USD", "amount_unit: dollars"), encoding="utf-8")
    with pytest.raises(ValueError, match="amount_unit 'dollars' is not a currency code such as USD"):
        Mapping.load(bad)


def _copy_maven(tmp_path: Path) -> Path:
    folder = tmp_path / "export"
    folder.mkdir()
    for name in MAVEN_FILES:
        shutil.copyfile(SHARED_DATA / "maven-crm" / name, folder / name)
    return folder


def _corrupt(folder: Path, edit) -> None:
    path = folder / "sales_pipeline.csv"
    edit(pd.read_csv(path, dtype=str, keep_default_na=False)).to_csv(path, index=False)


def _set(row: int, column: str, value: str):
    def edit(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[row, column] = value
        return frame

    return edit


CORRUPTIONS = {
    "bad date": (_set(41, "engage_date", "2017-13-45"), "row 43: created_date '2017-13-45'"),
    "unknown stage": (_set(9, "deal_stage", "Negotiating"), "row 11: unknown stage 'Negotiating'"),
    "missing column": (lambda f: f.drop(columns="deal_stage"), "missing column 'deal_stage'"),
    "duplicate id": (
        _set(100, "opportunity_id", "Z063OYW0"),
        "row 102: duplicate id 'Z063OYW0' (first at row 3)",
    ),
}


@pytest.mark.parametrize("kind", list(CORRUPTIONS))
def test_corrupted_export_is_rejected_and_the_database_is_unchanged(tmp_path: Path, kind: str) -> None:
    url = import_shared(
        f"duckdb:///{tmp_path / 'db.duckdb'}", "olist-funnel", "olist-funnel", OLIST_FILES, train=False
    )
    before = _frame(url, select(schema.opportunities).order_by(schema.opportunities.c.id))
    folder = _copy_maven(tmp_path)
    edit, expected = CORRUPTIONS[kind]
    _corrupt(folder, edit)
    with pytest.raises(ImportProblem) as caught:
        import_export(get_engine(url), Mapping.load("maven-crm"), [folder / n for n in MAVEN_FILES])
    assert expected in str(caught.value)
    assert "nothing was imported" in str(caught.value)
    after = _frame(url, select(schema.opportunities).order_by(schema.opportunities.c.id))
    pd.testing.assert_frame_equal(before, after)


def test_every_problem_is_listed_by_row(tmp_path: Path) -> None:
    folder = _copy_maven(tmp_path)

    def two_problems(f: pd.DataFrame) -> pd.DataFrame:
        f.loc[3, "close_date"] = "yesterday"
        f.loc[7, "deal_stage"] = "Maybe"
        return f

    _corrupt(folder, two_problems)
    with pytest.raises(ImportProblem) as caught:
        import_export(
            get_engine(f"duckdb:///{tmp_path / 'x.duckdb'}"),
            Mapping.load("maven-crm"),
            [folder / n for n in MAVEN_FILES],
        )
    problems = caught.value.problems
    assert any("row 5: closed_date 'yesterday'" in p for p in problems)
    assert any("row 9: unknown stage 'Maybe'" in p for p in problems)


def test_cli_import_reports_rows_and_keeps_the_database(tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'cli.duckdb'}"
    folder = _copy_maven(tmp_path)
    files = [str(folder / n) for n in MAVEN_FILES]
    ok = run_cli("import", "--mapping", "maven-crm", "--db", url, "--no-train", *files, home=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "imported 8,800 deals" in ok.stdout
    _corrupt(folder, _set(2, "engage_date", "03/01/2017"))
    bad = run_cli("import", "--mapping", "maven-crm", "--db", url, "--no-train", *files, home=tmp_path)
    assert "row 4: created_date '03/01/2017' is not a date" in assert_one_error(bad)
    assert _count(url, schema.opportunities) == 8800
    missing = run_cli(
        "import",
        "--mapping",
        "maven-crm",
        "--db",
        f"duckdb:///{tmp_path / 'new.duckdb'}",
        files[0],
        home=tmp_path,
    )
    assert "sales_teams.csv, which was not given" in assert_one_error(missing)
    assert not (tmp_path / "new.duckdb").exists()  # a bad export creates no database either
    unknown = run_cli("import", "--mapping", "nosuch", "--db", url, *files, home=tmp_path)
    assert "shipped mappings: maven-crm, olist-funnel" in assert_one_error(unknown)


def test_model_trains_on_the_imported_fields(maven_db_url: str) -> None:
    with get_engine(maven_db_url).connect() as conn:
        features = set(conn.execute(select(schema.shap_contributions.c.feature).distinct()).scalars())
    assert {"product", "tier", "product_line"} <= features
