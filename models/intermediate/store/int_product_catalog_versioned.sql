-- Every catalog snapshot (产品管理) of a product with the date range in which it is the product's "as-of" row.
-- As-of rule (used by fct_product_period and rpt_product_monthly): the latest snapshot on or before a
-- date; before the product's earliest snapshot, the earliest one (valid_from of the earliest snapshot is
-- 1900-01-01). A product missing from a later snapshot keeps its last known row until it reappears.
-- is_latest_for_product marks the product's latest snapshot (dim_product reads those rows: the catalog
-- attributes "as of now"), is_in_latest_account_snapshot whether that snapshot is the account's latest one.
with

catalog_rows as (

    select
        *,
        period_end as snapshot_date
    from {{ ref('stg_alibaba__product_catalog') }}

),

sequenced as (

    select
        *,
        row_number() over (
            partition by account_id, product_id
            order by snapshot_date
        ) as snapshot_seq,
        lead(snapshot_date) over (
            partition by account_id, product_id
            order by snapshot_date
        ) as next_snapshot_date,
        max(snapshot_date) over (partition by account_id) as account_latest_snapshot_date
    from catalog_rows

),

ranged as (

    select
        account_id,
        product_id,
        snapshot_date,
        snapshot_seq,
        case
            when snapshot_seq = 1 then cast('1900-01-01' as date)
            else snapshot_date
        end as valid_from,
        coalesce(
            {{ gscor_add_days('-1', 'next_snapshot_date') }},
            cast('9999-12-31' as date)
        ) as valid_to,
        next_snapshot_date is null as is_latest_for_product,
        snapshot_date = account_latest_snapshot_date as is_in_latest_account_snapshot,
        account_latest_snapshot_date,
        product_name,
        model,
        category,
        product_group,
        quality_score,
        product_grade,
        has_video,
        has_3d,
        fob_min_usd,
        fob_max_usd,
        moq,
        unit_cost_usd,
        stock_qty,
        is_promoted,
        published_date,
        loaded_at,
        source_sha256,
        source_row
    from sequenced

)

select * from ranged
