"""Issue 12 item 7: personal data in CRM columns the registry does not know (联系人, 电话, WhatsApp, a note
with an e-mail) never reaches the landing zone or any relation dbt builds over it; the archive keeps the
original untouched. Columns the registry knows as PII are hashed in staging (gscor_pii_key) as before."""

from __future__ import annotations

import hashlib

import duckdb
from conftest import ingest, query_db, write_rows
from test_dbt_unit_tests import run_dbt

from gscor.actions import stage_ledgers
from gscor.paths import Home
from gscor.warehouse import write_schema_files

RAW = {
    "contact": "Jane Doe",
    "phone": "+86 138 0013 8000",
    "whatsapp": "+1 415 555 2671",
    "backup_mail": "jane.doe@buyer-example.com",
    "note_mail": "reorder via ops@buyer-example.com next week",
    "known_mail": "buyer@known-example.com",
    "company": "Doe Trading LLC",
}
HEADER = [
    "客户编号",
    "公司名称",
    "邮箱",
    "国家",
    "客户分级",
    "最近联系日期",
    "负责人",
    "联系人",
    "电话",
    "WhatsApp",
    "备注",
    "渠道",
]


def crm_export(path):
    rows = [
        HEADER,
        [
            "C001",
            RAW["company"],
            RAW["known_mail"],
            "US",
            "S",
            "2026-09-01",
            "Lily",
            RAW["contact"],
            RAW["phone"],
            RAW["whatsapp"],
            RAW["note_mail"],
            "RFQ",
        ],
        [
            "C002",
            "Acme GmbH",
            RAW["backup_mail"],
            "DE",
            "A",
            "2026-08-15",
            "Lily",
            "",
            "",
            "",
            "big buyer",
            "展会",
        ],
    ]
    return write_rows(path, rows)


def test_unknown_crm_columns_with_personal_data_are_hashed_before_landing(tmp_path):
    home = Home(tmp_path / "home")
    src = crm_export(tmp_path / "customers-2026-09-19.csv")
    (outcome,) = ingest([src], home, account="acme")
    assert outcome.status == "loaded", outcome.message
    assert any("联系人" in w and "电话" in w and "WhatsApp" in w for w in outcome.warnings), outcome.warnings

    # the archived original is the file, byte for byte
    archived = list(home.archive.glob(f"{hashlib.sha256(src.read_bytes()).hexdigest()}.*"))
    assert archived and archived[0].read_bytes() == src.read_bytes()

    landing = list(home.landing.glob("customers/account=acme/*.parquet"))
    (extras,) = duckdb.execute(
        "select string_agg(extra_columns, ' ') from read_parquet(?)", [str(landing[0])]
    ).fetchone()
    for key in ("contact", "phone", "whatsapp", "note_mail"):
        assert RAW[key] not in extras, key
    assert (
        "sha256:" in extras and "big buyer" in extras and "RFQ" in extras and "展会" in extras
    )  # not personal

    # the staging table (where extra_columns surfaces) holds no raw value; every published relation derives from
    # the landing zone and the seeds
    write_schema_files(home)
    stage_ledgers(home)
    db = home.building_db  # the build's path: dbt re-uses the shared parse (run_dbt)
    db.parent.mkdir(parents=True, exist_ok=True)
    done = run_dbt(["run", "-s", "stg_alibaba__customers"], db, tmp_path / "target", home)
    assert done.returncode == 0, done.stdout[-3000:]
    columns = query_db(
        db,
        "select table_name, column_name from information_schema.columns"
        " where table_schema = 'main' and data_type = 'VARCHAR'",
    )
    assert {t for t, _ in columns} == {"stg_alibaba__customers"}
    con = duckdb.connect(str(db), read_only=True)
    try:
        leaks = [
            (table, column, key)
            for table, column in columns
            for key, value in RAW.items()
            if con.execute(
                f'select count(*) from "{table}" where contains("{column}", ?)', [value]
            ).fetchone()[0]
        ]
    finally:
        con.close()
    assert not leaks, leaks
