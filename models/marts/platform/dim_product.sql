-- One row per account × product: every product seen in the product export (产品数据) or the catalog
-- (产品管理). Catalog attributes come from the product's latest catalog snapshot; the name falls back to
-- the latest name in the product export; the owner is the latest non-empty 产品负责人 of the export.
with

performance_rows as (

    select
        account_id,
        product_id,
        product_name,
        owner,
        period_start,
        period_end,
        loaded_at,
        source_sha256,
        source_row,
        coalesce(search_impressions, 0) + coalesce(total_impressions, 0) + coalesce(visitors, 0) > 0
            as has_traffic
    from {{ ref('stg_alibaba__product_performance') }}

),

catalog_latest as (

    -- the product's latest catalog snapshot; still listed when it is also the account's latest snapshot
    select
        *,
        is_in_latest_account_snapshot as is_in_catalog
    from {{ ref('int_product_catalog_versioned') }}
    where is_latest_for_product

),

product_universe as (

    select
        account_id,
        product_id
    from performance_rows
    union
    select
        account_id,
        product_id
    from catalog_latest

),

named_performance_rows as (

    select
        account_id,
        product_id,
        product_name,
        row_number() over (
            partition by account_id, product_id
            order by period_end desc, period_start desc, loaded_at desc, source_sha256 desc, source_row desc
        ) as recency_rank
    from performance_rows
    where product_name is not null and trim(product_name) <> ''

),

latest_performance_name as (

    select
        account_id,
        product_id,
        product_name
    from named_performance_rows
    where recency_rank = 1

),

owned_performance_rows as (

    select
        account_id,
        product_id,
        trim(owner) as owner,  -- noqa: RF04
        row_number() over (
            partition by account_id, product_id
            order by period_end desc, period_start desc, loaded_at desc, source_sha256 desc, source_row desc
        ) as recency_rank
    from performance_rows
    where owner is not null and trim(owner) <> ''

),

latest_owner as (

    select
        account_id,
        product_id,
        owner
    from owned_performance_rows
    where recency_rank = 1

),

performance_span as (

    select
        account_id,
        product_id,
        min(period_start) as first_seen_period_start,
        max(period_end) as last_seen_period_end,
        min(case when has_traffic then period_start end) as first_traffic_period_start,
        max(case when has_traffic then period_end end) as last_traffic_period_end
    from performance_rows
    group by account_id, product_id

),

products as (

    select
        {{ gscor_surrogate_key(['product_universe.account_id', 'product_universe.product_id']) }} as product_key,
        product_universe.account_id,
        product_universe.product_id,
        coalesce(catalog_latest.product_name, latest_performance_name.product_name) as product_name,
        case
            when catalog_latest.product_name is not null then 'catalog'
            when latest_performance_name.product_name is not null then 'product_performance'
        end as product_name_source,
        catalog_latest.model,
        catalog_latest.category,
        catalog_latest.product_group,
        catalog_latest.quality_score,
        catalog_latest.product_grade,
        catalog_latest.has_video,
        catalog_latest.has_3d,
        catalog_latest.fob_min_usd,
        catalog_latest.fob_max_usd,
        catalog_latest.moq,
        catalog_latest.unit_cost_usd,
        catalog_latest.stock_qty,
        catalog_latest.is_promoted as is_featured,
        catalog_latest.published_date,
        latest_owner.owner,
        performance_span.first_seen_period_start,
        performance_span.last_seen_period_end,
        performance_span.first_traffic_period_start,
        performance_span.last_traffic_period_end,
        coalesce(catalog_latest.is_in_catalog, false) as is_in_catalog,
        catalog_latest.snapshot_date as catalog_snapshot_date
    from product_universe
    left join catalog_latest
        on
            product_universe.account_id = catalog_latest.account_id
            and product_universe.product_id = catalog_latest.product_id
    left join latest_performance_name
        on
            product_universe.account_id = latest_performance_name.account_id
            and product_universe.product_id = latest_performance_name.product_id
    left join latest_owner
        on
            product_universe.account_id = latest_owner.account_id
            and product_universe.product_id = latest_owner.product_id
    left join performance_span
        on
            product_universe.account_id = performance_span.account_id
            and product_universe.product_id = performance_span.product_id

)

select * from products
