-- One row per account × product: the product's latest catalog snapshot (产品管理), with whether that
-- snapshot is also the account's latest one (is_in_catalog = still listed).
with

catalog_versions as (

    select * from {{ ref('int_product_catalog_versioned') }}

),

latest as (

    select
        account_id,
        product_id,
        snapshot_date,
        is_in_latest_account_snapshot as is_in_catalog,
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
    from catalog_versions
    where is_latest_for_product

)

select * from latest
