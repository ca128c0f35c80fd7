-- Reconciliation of the full-site promotion report (全站推广 产品报告): per account, plan and period (start, end),
-- impressions, clicks, spend (original currency), 询盘量, TM咨询量, 全站商机量 and 订单量 must agree between the
-- landing zone (latest LOAD only: for each account, plan and period the file with the newest loaded_at, then
-- source_sha256 — the staging policy, re-derived here), stg_alibaba__p4p_fullsite_product and
-- fct_p4p_fullsite_product. Returns every (account, plan, period) where they disagree or one is missing.
with

landing as (

    select * from {{ source('alibaba', 'p4p_fullsite_product') }}

),

landing_loads as (

    select distinct
        account_id,
        plan_name,
        period_start,
        period_end,
        loaded_at,
        source_sha256
    from landing

),

latest_loads as (

    select landing_loads.*
    from landing_loads
    where not exists (
        select 1
        from landing_loads as newer
        where
            newer.account_id = landing_loads.account_id
            and newer.plan_name = landing_loads.plan_name
            and newer.period_start = landing_loads.period_start
            and newer.period_end = landing_loads.period_end
            and (
                newer.loaded_at > landing_loads.loaded_at
                or (newer.loaded_at = landing_loads.loaded_at and newer.source_sha256 > landing_loads.source_sha256)
            )
    )

),

landing_totals as (

    select
        landing.account_id,
        landing.plan_name,
        landing.period_start,
        landing.period_end,
        sum(landing.impressions) as impressions,
        sum(landing.clicks) as clicks,
        sum(landing.spend) as spend,
        sum(landing.inquiries) as inquiries,
        sum(landing.tm_inquiries) as tm_inquiries,
        sum(landing.opportunities) as opportunities,
        sum(landing.orders) as orders
    from landing
    inner join latest_loads
        on
            landing.account_id = latest_loads.account_id
            and landing.plan_name = latest_loads.plan_name
            and landing.period_start = latest_loads.period_start
            and landing.period_end = latest_loads.period_end
            and landing.source_sha256 = latest_loads.source_sha256
            and landing.loaded_at = latest_loads.loaded_at
    group by landing.account_id, landing.plan_name, landing.period_start, landing.period_end

),

staging_totals as (

    select
        account_id,
        plan_name,
        period_start,
        period_end,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(spend) as spend,
        sum(inquiries) as inquiries,
        sum(tm_inquiries) as tm_inquiries,
        sum(opportunities) as opportunities,
        sum(orders) as orders
    from {{ ref('stg_alibaba__p4p_fullsite_product') }}
    group by account_id, plan_name, period_start, period_end

),

fact_totals as (

    select
        account_id,
        plan_name,
        period_start,
        period_end,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(spend) as spend,
        sum(inquiries) as inquiries,
        sum(tm_inquiries) as tm_inquiries,
        sum(opportunities) as opportunities,
        sum(orders) as orders
    from {{ ref('fct_p4p_fullsite_product') }}
    group by account_id, plan_name, period_start, period_end

),

all_periods as (

    select
        account_id,
        plan_name,
        period_start,
        period_end
    from landing_totals
    union
    select
        account_id,
        plan_name,
        period_start,
        period_end
    from staging_totals
    union
    select
        account_id,
        plan_name,
        period_start,
        period_end
    from fact_totals

),

compared as (

    select
        all_periods.*,
        landing_totals.impressions as landing_impressions,
        staging_totals.impressions as staging_impressions,
        fact_totals.impressions as fact_impressions,
        landing_totals.clicks as landing_clicks,
        staging_totals.clicks as staging_clicks,
        fact_totals.clicks as fact_clicks,
        landing_totals.spend as landing_spend,
        staging_totals.spend as staging_spend,
        fact_totals.spend as fact_spend,
        landing_totals.inquiries as landing_inquiries,
        staging_totals.inquiries as staging_inquiries,
        fact_totals.inquiries as fact_inquiries,
        landing_totals.tm_inquiries as landing_tm_inquiries,
        staging_totals.tm_inquiries as staging_tm_inquiries,
        fact_totals.tm_inquiries as fact_tm_inquiries,
        landing_totals.opportunities as landing_opportunities,
        staging_totals.opportunities as staging_opportunities,
        fact_totals.opportunities as fact_opportunities,
        landing_totals.orders as landing_orders,
        staging_totals.orders as staging_orders,
        fact_totals.orders as fact_orders
    from all_periods
    left join landing_totals
        on
            all_periods.account_id = landing_totals.account_id
            and all_periods.plan_name = landing_totals.plan_name
            and all_periods.period_start = landing_totals.period_start
            and all_periods.period_end = landing_totals.period_end
    left join staging_totals
        on
            all_periods.account_id = staging_totals.account_id
            and all_periods.plan_name = staging_totals.plan_name
            and all_periods.period_start = staging_totals.period_start
            and all_periods.period_end = staging_totals.period_end
    left join fact_totals
        on
            all_periods.account_id = fact_totals.account_id
            and all_periods.plan_name = fact_totals.plan_name
            and all_periods.period_start = fact_totals.period_start
            and all_periods.period_end = fact_totals.period_end

)

select *
from compared
where
    landing_impressions is distinct from staging_impressions
    or staging_impressions is distinct from fact_impressions
    or landing_clicks is distinct from staging_clicks
    or staging_clicks is distinct from fact_clicks
    or landing_spend is distinct from staging_spend
    or staging_spend is distinct from fact_spend
    or landing_inquiries is distinct from staging_inquiries
    or staging_inquiries is distinct from fact_inquiries
    or landing_tm_inquiries is distinct from staging_tm_inquiries
    or staging_tm_inquiries is distinct from fact_tm_inquiries
    or landing_opportunities is distinct from staging_opportunities
    or staging_opportunities is distinct from fact_opportunities
    or landing_orders is distinct from staging_orders
    or staging_orders is distinct from fact_orders
