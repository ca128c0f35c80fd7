{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **gscor_incremental_config(['account_id', 'period_grain', 'period_start'])
) }}
-- G/C · 店铺数据 by day: one row per account × day (latest load, as staged). Exposure, clicks, visits, inquiries
-- and Trade Assurance orders are events (additive); 店铺访问人数 / 询盘人数 / TM咨询人数 / 商机人数 are the day's
-- unique buyers (never add them across days); rates are as exported, CTRs recomputed beside them.
with

shop_days as (

    select * from {{ ref('stg_alibaba__shop_daily') }}

),

final as (

    select
        shop_daily_sk,
        account_id,
        'day' as period_grain,
        stat_date as period_start,
        stat_date as period_end,
        stat_date,
        total_impressions,
        total_clicks,
        {{ gscor_ratio('total_clicks', 'total_impressions') }} as total_ctr,
        search_impressions,
        search_clicks,
        {{ gscor_ratio('search_clicks', 'search_impressions') }} as search_ctr,
        ad_impressions,
        ad_clicks,
        store_visitors,
        store_visits,
        bounce_rate,
        inquiries,
        inquiry_buyers,
        tm_buyers,
        opportunity_buyers,
        ta_orders,
        ta_amount_usd,
        coalesce(ta_amount_usd_currency, 'USD') as ta_amount_currency,
        timely_reply_rate,
        avg_reply_hours,
        l1plus_inquiry_buyer_share,
        source_file,
        source_sha256,
        source_row,
        loaded_at
    from shop_days

)

select final.* from final
{{ gscor_only_changed_periods('final') }}
