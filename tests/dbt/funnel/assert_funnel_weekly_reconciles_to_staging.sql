-- Reconciliation of fct_funnel_weekly's additive measures with staging (the de-duplicated latest loads), per
-- account and Sunday-start week: exposure, clicks and inquiries equal the week's shop_daily sums (weeks whose
-- exposure_source is shop_daily) or the weekly product export's sums (product_weekly); ta_orders equals the
-- distinct orders placed in the week in the order list (order_list weeks). Returns every week that differs.
with

shop_weeks as (

    select
        account_id,
        {{ gscor_week_start('stat_date') }} as week_start,
        sum(total_impressions) as impressions,
        sum(total_clicks) as clicks,
        sum(inquiries) as inquiries
    from {{ ref('stg_alibaba__shop_daily') }}
    group by account_id, {{ gscor_week_start('stat_date') }}

),

product_weeks as (

    select
        account_id,
        period_start as week_start,
        sum(search_impressions) as impressions,
        sum(search_clicks) as clicks,
        sum(inquiries) as inquiries
    from {{ ref('stg_alibaba__product_performance') }}
    where period_grain = 'week'
    group by account_id, period_start

),

order_weeks as (

    select
        account_id,
        {{ gscor_week_start('cast(ordered_at as date)') }} as week_start,
        count(distinct order_id) as ta_orders
    from {{ ref('stg_alibaba__orders') }}
    group by account_id, {{ gscor_week_start('cast(ordered_at as date)') }}

),

funnel as (

    select * from {{ ref('fct_funnel_weekly') }}

),

compared as (

    select
        funnel.account_id,
        funnel.period_start,
        funnel.exposure_source,
        funnel.impressions,
        funnel.clicks,
        funnel.inquiries,
        funnel.ta_orders,
        funnel.ta_orders_source,
        case funnel.exposure_source
            when 'shop_daily' then shop_weeks.impressions
            when 'product_weekly' then product_weeks.impressions
        end as expected_impressions,
        case funnel.exposure_source
            when 'shop_daily' then shop_weeks.clicks
            when 'product_weekly' then product_weeks.clicks
        end as expected_clicks,
        case funnel.inquiries_source
            when 'shop_daily' then shop_weeks.inquiries
            when 'product_weekly' then product_weeks.inquiries
            else funnel.inquiries
        end as expected_inquiries,
        case
            when funnel.ta_orders_source = 'order_list' then coalesce(order_weeks.ta_orders, 0)
            else funnel.ta_orders
        end as expected_ta_orders
    from funnel
    left join shop_weeks
        on
            funnel.account_id = shop_weeks.account_id
            and funnel.period_start = shop_weeks.week_start
    left join product_weeks
        on
            funnel.account_id = product_weeks.account_id
            and funnel.period_start = product_weeks.week_start
    left join order_weeks
        on
            funnel.account_id = order_weeks.account_id
            and funnel.period_start = order_weeks.week_start

)

select *
from compared
where
    coalesce(impressions, -1) <> coalesce(expected_impressions, -1)
    or coalesce(clicks, -1) <> coalesce(expected_clicks, -1)
    or coalesce(inquiries, -1) <> coalesce(expected_inquiries, -1)
    or coalesce(ta_orders, -1) <> coalesce(expected_ta_orders, -1)
