-- Reconciliation, 店铺数据 by day: per account × day, the landing zone's LATEST row for the day (latest
-- loaded_at, then greatest source_sha256, then the later source_row — staging's row-key de-duplication,
-- re-derived here independently), staging and fct_shop_daily must agree on every additive measure, to the unit:
-- 全店/搜索/营销 曝光 and 点击, 访问次数, 询盘个数, 信保交易订单个数, 信保交易金额. Returns every day that differs or
-- is missing in a layer.
with

landing as (

    select * from {{ source('alibaba', 'shop_daily') }}

),

landing_latest_rows as (

    select landing.*
    from landing
    where not exists (
        select 1
        from landing as newer
        where
            newer.account_id = landing.account_id
            and newer.stat_date = landing.stat_date
            and (
                newer.loaded_at > landing.loaded_at
                or (newer.loaded_at = landing.loaded_at and newer.source_sha256 > landing.source_sha256)
                or (
                    newer.loaded_at = landing.loaded_at
                    and newer.source_sha256 = landing.source_sha256
                    and newer.source_row > landing.source_row
                )
            )
    )

),

landing_totals as (

    select
        account_id,
        stat_date,
        count(*) as row_count,
        sum(total_impressions) as total_impressions,
        sum(total_clicks) as total_clicks,
        sum(search_impressions) as search_impressions,
        sum(search_clicks) as search_clicks,
        sum(ad_impressions) as ad_impressions,
        sum(ad_clicks) as ad_clicks,
        sum(store_visits) as store_visits,
        sum(inquiries) as inquiries,
        sum(ta_orders) as ta_orders,
        sum(ta_amount_usd) as ta_amount_usd
    from landing_latest_rows
    group by account_id, stat_date

),

staging_totals as (

    select
        account_id,
        stat_date,
        count(*) as row_count,
        sum(total_impressions) as total_impressions,
        sum(total_clicks) as total_clicks,
        sum(search_impressions) as search_impressions,
        sum(search_clicks) as search_clicks,
        sum(ad_impressions) as ad_impressions,
        sum(ad_clicks) as ad_clicks,
        sum(store_visits) as store_visits,
        sum(inquiries) as inquiries,
        sum(ta_orders) as ta_orders,
        sum(ta_amount_usd) as ta_amount_usd
    from {{ ref('stg_alibaba__shop_daily') }}
    group by account_id, stat_date

),

fact_totals as (

    select
        account_id,
        period_start as stat_date,
        count(*) as row_count,
        sum(total_impressions) as total_impressions,
        sum(total_clicks) as total_clicks,
        sum(search_impressions) as search_impressions,
        sum(search_clicks) as search_clicks,
        sum(ad_impressions) as ad_impressions,
        sum(ad_clicks) as ad_clicks,
        sum(store_visits) as store_visits,
        sum(inquiries) as inquiries,
        sum(ta_orders) as ta_orders,
        sum(ta_amount_usd) as ta_amount_usd
    from {{ ref('fct_shop_daily') }}
    group by account_id, period_start

),

compared as (

    select
        coalesce(landing_totals.account_id, staging_totals.account_id, fact_totals.account_id) as account_id,
        coalesce(landing_totals.stat_date, staging_totals.stat_date, fact_totals.stat_date) as stat_date,
        landing_totals.row_count as landing_row_count,
        staging_totals.row_count as staging_row_count,
        fact_totals.row_count as fact_row_count,
        landing_totals.total_impressions as landing_total_impressions,
        staging_totals.total_impressions as staging_total_impressions,
        fact_totals.total_impressions as fact_total_impressions,
        landing_totals.total_clicks as landing_total_clicks,
        staging_totals.total_clicks as staging_total_clicks,
        fact_totals.total_clicks as fact_total_clicks,
        landing_totals.search_impressions as landing_search_impressions,
        staging_totals.search_impressions as staging_search_impressions,
        fact_totals.search_impressions as fact_search_impressions,
        landing_totals.search_clicks as landing_search_clicks,
        staging_totals.search_clicks as staging_search_clicks,
        fact_totals.search_clicks as fact_search_clicks,
        landing_totals.ad_impressions as landing_ad_impressions,
        staging_totals.ad_impressions as staging_ad_impressions,
        fact_totals.ad_impressions as fact_ad_impressions,
        landing_totals.ad_clicks as landing_ad_clicks,
        staging_totals.ad_clicks as staging_ad_clicks,
        fact_totals.ad_clicks as fact_ad_clicks,
        landing_totals.store_visits as landing_store_visits,
        staging_totals.store_visits as staging_store_visits,
        fact_totals.store_visits as fact_store_visits,
        landing_totals.inquiries as landing_inquiries,
        staging_totals.inquiries as staging_inquiries,
        fact_totals.inquiries as fact_inquiries,
        landing_totals.ta_orders as landing_ta_orders,
        staging_totals.ta_orders as staging_ta_orders,
        fact_totals.ta_orders as fact_ta_orders,
        landing_totals.ta_amount_usd as landing_ta_amount_usd,
        staging_totals.ta_amount_usd as staging_ta_amount_usd,
        fact_totals.ta_amount_usd as fact_ta_amount_usd
    from landing_totals
    full outer join staging_totals
        on
            landing_totals.account_id = staging_totals.account_id
            and landing_totals.stat_date = staging_totals.stat_date
    full outer join fact_totals
        on
            coalesce(landing_totals.account_id, staging_totals.account_id) = fact_totals.account_id
            and coalesce(landing_totals.stat_date, staging_totals.stat_date) = fact_totals.stat_date

)

select * from compared
where
    landing_row_count is distinct from staging_row_count
    or staging_row_count is distinct from fact_row_count
    or landing_total_impressions is distinct from staging_total_impressions
    or staging_total_impressions is distinct from fact_total_impressions
    or landing_total_clicks is distinct from staging_total_clicks
    or staging_total_clicks is distinct from fact_total_clicks
    or landing_search_impressions is distinct from staging_search_impressions
    or staging_search_impressions is distinct from fact_search_impressions
    or landing_search_clicks is distinct from staging_search_clicks
    or staging_search_clicks is distinct from fact_search_clicks
    or landing_ad_impressions is distinct from staging_ad_impressions
    or staging_ad_impressions is distinct from fact_ad_impressions
    or landing_ad_clicks is distinct from staging_ad_clicks
    or staging_ad_clicks is distinct from fact_ad_clicks
    or landing_store_visits is distinct from staging_store_visits
    or staging_store_visits is distinct from fact_store_visits
    or landing_inquiries is distinct from staging_inquiries
    or staging_inquiries is distinct from fact_inquiries
    or landing_ta_orders is distinct from staging_ta_orders
    or staging_ta_orders is distinct from fact_ta_orders
    or landing_ta_amount_usd is distinct from staging_ta_amount_usd
    or staging_ta_amount_usd is distinct from fact_ta_amount_usd
