-- Reconciliation, 产品数据: per account × export period (grain, start, end), the landing zone's LATEST load of the
-- period (latest loaded_at, then the greatest source_sha256 — staging's file-grain de-duplication re-derived here
-- independently from the source), stg_alibaba__product_performance and fct_product_period must agree to the unit on
-- the row count and every additive measure: search impressions / clicks, inquiries, orders submitted, all-source /
-- marketing / P4P standard / P4P full-site impressions and clicks, and RTS GMV. Returns one row per
-- period where a layer differs or is missing (NULL-safe: an all-NULL measure must be NULL in every layer).
with

landing as (

    select * from {{ source('alibaba', 'product_performance') }}

),

newest_load_times as (

    select
        account_id,
        period_start,
        period_end,
        max(loaded_at) as loaded_at
    from landing
    group by account_id, period_start, period_end

),

newest_load_files as (

    select
        landing.account_id,
        landing.period_start,
        landing.period_end,
        max(landing.source_sha256) as source_sha256
    from landing
    inner join newest_load_times
        on
            landing.account_id = newest_load_times.account_id
            and landing.period_start = newest_load_times.period_start
            and landing.period_end = newest_load_times.period_end
            and landing.loaded_at = newest_load_times.loaded_at
    group by landing.account_id, landing.period_start, landing.period_end

),

landing_latest_rows as (

    select landing.*
    from landing
    inner join newest_load_files
        on
            landing.account_id = newest_load_files.account_id
            and landing.period_start = newest_load_files.period_start
            and landing.period_end = newest_load_files.period_end
            and landing.source_sha256 = newest_load_files.source_sha256

),

landing_totals as (

    select
        account_id,
        period_grain,
        period_start,
        period_end,
        count(*) as row_count,
        sum(search_impressions) as search_impressions,
        sum(search_clicks) as search_clicks,
        sum(inquiries) as inquiries,
        sum(orders_submitted) as orders_submitted,
        sum(total_impressions) as total_impressions,
        sum(total_clicks) as total_clicks,
        sum(ad_impressions) as ad_impressions,
        sum(ad_clicks) as ad_clicks,
        sum(p4p_standard_impressions) as p4p_standard_impressions,
        sum(p4p_standard_clicks) as p4p_standard_clicks,
        sum(p4p_fullsite_impressions) as p4p_fullsite_impressions,
        sum(p4p_fullsite_clicks) as p4p_fullsite_clicks,
        sum(rts_gmv_usd) as rts_gmv_usd
    from landing_latest_rows
    group by account_id, period_grain, period_start, period_end

),

staging_totals as (

    select
        account_id,
        period_grain,
        period_start,
        period_end,
        count(*) as row_count,
        sum(search_impressions) as search_impressions,
        sum(search_clicks) as search_clicks,
        sum(inquiries) as inquiries,
        sum(orders_submitted) as orders_submitted,
        sum(total_impressions) as total_impressions,
        sum(total_clicks) as total_clicks,
        sum(ad_impressions) as ad_impressions,
        sum(ad_clicks) as ad_clicks,
        sum(p4p_standard_impressions) as p4p_standard_impressions,
        sum(p4p_standard_clicks) as p4p_standard_clicks,
        sum(p4p_fullsite_impressions) as p4p_fullsite_impressions,
        sum(p4p_fullsite_clicks) as p4p_fullsite_clicks,
        sum(rts_gmv_usd) as rts_gmv_usd
    from {{ ref('stg_alibaba__product_performance') }}
    group by account_id, period_grain, period_start, period_end

),

fact_totals as (

    select
        account_id,
        period_grain,
        period_start,
        period_end,
        count(*) as row_count,
        sum(search_impressions) as search_impressions,
        sum(search_clicks) as search_clicks,
        sum(inquiries) as inquiries,
        sum(orders_submitted) as orders_submitted,
        sum(total_impressions) as total_impressions,
        sum(total_clicks) as total_clicks,
        sum(ad_impressions) as ad_impressions,
        sum(ad_clicks) as ad_clicks,
        sum(p4p_standard_impressions) as p4p_standard_impressions,
        sum(p4p_standard_clicks) as p4p_standard_clicks,
        sum(p4p_fullsite_impressions) as p4p_fullsite_impressions,
        sum(p4p_fullsite_clicks) as p4p_fullsite_clicks,
        sum(rts_gmv_usd) as rts_gmv_usd
    from {{ ref('fct_product_period') }}
    group by account_id, period_grain, period_start, period_end

),

periods as (

    select
        account_id,
        period_grain,
        period_start,
        period_end
    from landing_totals
    union
    select
        account_id,
        period_grain,
        period_start,
        period_end
    from staging_totals
    union
    select
        account_id,
        period_grain,
        period_start,
        period_end
    from fact_totals

),

compared as (

    select
        periods.account_id,
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        landing_totals.row_count as landing_row_count,
        staging_totals.row_count as staging_row_count,
        fact_totals.row_count as fact_row_count,
        landing_totals.search_impressions as landing_search_impressions,
        staging_totals.search_impressions as staging_search_impressions,
        fact_totals.search_impressions as fact_search_impressions,
        landing_totals.search_clicks as landing_search_clicks,
        staging_totals.search_clicks as staging_search_clicks,
        fact_totals.search_clicks as fact_search_clicks,
        landing_totals.inquiries as landing_inquiries,
        staging_totals.inquiries as staging_inquiries,
        fact_totals.inquiries as fact_inquiries,
        landing_totals.orders_submitted as landing_orders_submitted,
        staging_totals.orders_submitted as staging_orders_submitted,
        fact_totals.orders_submitted as fact_orders_submitted,
        landing_totals.total_impressions as landing_total_impressions,
        staging_totals.total_impressions as staging_total_impressions,
        fact_totals.total_impressions as fact_total_impressions,
        landing_totals.total_clicks as landing_total_clicks,
        staging_totals.total_clicks as staging_total_clicks,
        fact_totals.total_clicks as fact_total_clicks,
        landing_totals.ad_impressions as landing_ad_impressions,
        staging_totals.ad_impressions as staging_ad_impressions,
        fact_totals.ad_impressions as fact_ad_impressions,
        landing_totals.ad_clicks as landing_ad_clicks,
        staging_totals.ad_clicks as staging_ad_clicks,
        fact_totals.ad_clicks as fact_ad_clicks,
        landing_totals.p4p_standard_impressions as landing_p4p_standard_impressions,
        staging_totals.p4p_standard_impressions as staging_p4p_standard_impressions,
        fact_totals.p4p_standard_impressions as fact_p4p_standard_impressions,
        landing_totals.p4p_standard_clicks as landing_p4p_standard_clicks,
        staging_totals.p4p_standard_clicks as staging_p4p_standard_clicks,
        fact_totals.p4p_standard_clicks as fact_p4p_standard_clicks,
        landing_totals.p4p_fullsite_impressions as landing_p4p_fullsite_impressions,
        staging_totals.p4p_fullsite_impressions as staging_p4p_fullsite_impressions,
        fact_totals.p4p_fullsite_impressions as fact_p4p_fullsite_impressions,
        landing_totals.p4p_fullsite_clicks as landing_p4p_fullsite_clicks,
        staging_totals.p4p_fullsite_clicks as staging_p4p_fullsite_clicks,
        fact_totals.p4p_fullsite_clicks as fact_p4p_fullsite_clicks,
        landing_totals.rts_gmv_usd as landing_rts_gmv_usd,
        staging_totals.rts_gmv_usd as staging_rts_gmv_usd,
        fact_totals.rts_gmv_usd as fact_rts_gmv_usd
    from periods
    left join landing_totals
        on
            periods.account_id = landing_totals.account_id
            and periods.period_grain = landing_totals.period_grain
            and periods.period_start = landing_totals.period_start
            and periods.period_end = landing_totals.period_end
    left join staging_totals
        on
            periods.account_id = staging_totals.account_id
            and periods.period_grain = staging_totals.period_grain
            and periods.period_start = staging_totals.period_start
            and periods.period_end = staging_totals.period_end
    left join fact_totals
        on
            periods.account_id = fact_totals.account_id
            and periods.period_grain = fact_totals.period_grain
            and periods.period_start = fact_totals.period_start
            and periods.period_end = fact_totals.period_end

)

select *
from compared
where
    landing_row_count is null
    or staging_row_count is null
    or fact_row_count is null
    or landing_row_count is distinct from staging_row_count
    or staging_row_count is distinct from fact_row_count
    or landing_search_impressions is distinct from staging_search_impressions
    or staging_search_impressions is distinct from fact_search_impressions
    or landing_search_clicks is distinct from staging_search_clicks
    or staging_search_clicks is distinct from fact_search_clicks
    or landing_inquiries is distinct from staging_inquiries
    or staging_inquiries is distinct from fact_inquiries
    or landing_orders_submitted is distinct from staging_orders_submitted
    or staging_orders_submitted is distinct from fact_orders_submitted
    or landing_total_impressions is distinct from staging_total_impressions
    or staging_total_impressions is distinct from fact_total_impressions
    or landing_total_clicks is distinct from staging_total_clicks
    or staging_total_clicks is distinct from fact_total_clicks
    or landing_ad_impressions is distinct from staging_ad_impressions
    or staging_ad_impressions is distinct from fact_ad_impressions
    or landing_ad_clicks is distinct from staging_ad_clicks
    or staging_ad_clicks is distinct from fact_ad_clicks
    or landing_p4p_standard_impressions is distinct from staging_p4p_standard_impressions
    or staging_p4p_standard_impressions is distinct from fact_p4p_standard_impressions
    or landing_p4p_standard_clicks is distinct from staging_p4p_standard_clicks
    or staging_p4p_standard_clicks is distinct from fact_p4p_standard_clicks
    or landing_p4p_fullsite_impressions is distinct from staging_p4p_fullsite_impressions
    or staging_p4p_fullsite_impressions is distinct from fact_p4p_fullsite_impressions
    or landing_p4p_fullsite_clicks is distinct from staging_p4p_fullsite_clicks
    or staging_p4p_fullsite_clicks is distinct from fact_p4p_fullsite_clicks
    or landing_rts_gmv_usd is distinct from staging_rts_gmv_usd
    or staging_rts_gmv_usd is distinct from fact_rts_gmv_usd
