{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **gscor_incremental_config(['account_id', 'period_grain', 'period_start'])
) }}
-- P4P return on spend per account × Sunday–Saturday week: spend, clicks and inquiries of both P4P reports
-- (standard keywords, full-site products), the P4P share of the store's inquiries, and Trade Assurance orders
-- attributed to P4P by FIRST INQUIRY: a buyer (hashed name key) whose earliest inquiry in the loaded inquiry
-- list came from 外贸直通车 is a P4P buyer; every order that buyer places at or after that inquiry counts in
-- the week of the order. Limits: see the model's description in _funnel__p4p.yml.
-- loaded_at covers every row a week's figures depend on (trailing 8 weeks, inquiries of the ordering buyers),
-- so the incremental run recomputes a week whenever any of them is reloaded.
with

keyword_days as (

    select * from {{ ref('fct_p4p_keyword_daily') }}

),

plan_products as (

    select * from {{ ref('fct_p4p_fullsite_product') }}

),

inquiries as (

    select * from {{ ref('stg_alibaba__inquiries') }}

),

orders as (

    select * from {{ ref('stg_alibaba__orders') }}

),

shop_days as (

    select * from {{ ref('stg_alibaba__shop_daily') }}

),

keyword_weeks as (

    select
        account_id,
        week_start,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(case when spend is not null and spend_usd is null then 1 else 0 end) as rows_missing_fx,
        sum(spend_usd) as spend_usd,
        sum(spend_cny) as spend_cny,
        sum(inquiries) as inquiries,
        sum(tm_inquiries) as tm_inquiries,
        max(loaded_at) as loaded_at
    from keyword_days
    group by account_id, week_start

),

-- full-site periods are used when they fall inside one week: the whole-week rows of a plan when it has
-- any, else its single-day rows; longer periods (months, custom spans) cannot be split into weeks
plan_periods_in_week as (

    select
        *,
        case
            when period_start = week_start and period_end = {{ gscor_week_end('week_start') }} then 'week'
            when period_start = period_end then 'day'
        end as week_fit
    from plan_products

),

plan_weeks_with_week_rows as (

    select distinct
        account_id,
        plan_name,
        week_start
    from plan_periods_in_week
    where week_fit = 'week'

),

plan_rows_used as (

    select plan_periods_in_week.*
    from plan_periods_in_week
    left join plan_weeks_with_week_rows
        on
            plan_periods_in_week.account_id = plan_weeks_with_week_rows.account_id
            and plan_periods_in_week.plan_name = plan_weeks_with_week_rows.plan_name
            and plan_periods_in_week.week_start = plan_weeks_with_week_rows.week_start
    where
        plan_periods_in_week.week_fit = 'week'
        or (plan_periods_in_week.week_fit = 'day' and plan_weeks_with_week_rows.plan_name is null)

),

fullsite_weeks as (

    select
        account_id,
        week_start,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(case when spend is not null and spend_usd is null then 1 else 0 end) as rows_missing_fx,
        sum(spend_usd) as spend_usd,
        sum(spend_cny) as spend_cny,
        sum(inquiries) as inquiries,
        sum(tm_inquiries) as tm_inquiries,
        sum(opportunities) as opportunities,
        sum(orders) as orders,
        max(loaded_at) as loaded_at
    from plan_rows_used
    group by account_id, week_start

),

inquiries_dated as (

    select
        *,
        {{ gscor_week_start('cast(inquiry_at as date)') }} as week_start,
        coalesce(lower(trim(inquiry_source)) in ('外贸直通车', '直通车', 'p4p'), false) as is_p4p_source
    from inquiries
    where inquiry_at is not null

),

inquiry_list_weeks as (

    select
        account_id,
        week_start,
        count(*) as list_inquiries,
        sum(case when is_p4p_source then 1 else 0 end) as list_p4p_inquiries,
        max(loaded_at) as loaded_at
    from inquiries_dated
    group by account_id, week_start

),

store_weeks as (

    select
        account_id,
        {{ gscor_week_start('stat_date') }} as week_start,
        sum(inquiries) as store_inquiries,
        max(loaded_at) as loaded_at
    from shop_days
    group by account_id, {{ gscor_week_start('stat_date') }}

),

buyer_inquiries_ranked as (

    select
        account_id,
        buyer_name_key,
        inquiry_at,
        is_p4p_source,
        row_number() over (
            partition by account_id, buyer_name_key
            order by inquiry_at, inquiry_id, source_sha256, source_row
        ) as inquiry_order,
        max(loaded_at) over (partition by account_id, buyer_name_key) as buyer_inquiries_loaded_at
    from inquiries_dated
    where buyer_name_key is not null

),

buyer_first_inquiries as (

    select
        account_id,
        buyer_name_key,
        inquiry_at as first_inquiry_at,
        is_p4p_source as is_p4p_first_inquiry,
        buyer_inquiries_loaded_at
    from buyer_inquiries_ranked
    where inquiry_order = 1

),

orders_attributed as (

    select
        orders.account_id,
        {{ gscor_week_start('cast(orders.ordered_at as date)') }} as week_start,
        orders.order_id,
        orders.amount_usd,
        coalesce(
            buyer_first_inquiries.is_p4p_first_inquiry
            and orders.ordered_at >= buyer_first_inquiries.first_inquiry_at,
            false
        ) as is_p4p_attributed,
        case
            when buyer_first_inquiries.buyer_inquiries_loaded_at > orders.loaded_at
                then buyer_first_inquiries.buyer_inquiries_loaded_at
            else orders.loaded_at
        end as loaded_at
    from orders
    left join buyer_first_inquiries
        on
            orders.account_id = buyer_first_inquiries.account_id
            and orders.buyer_name_key = buyer_first_inquiries.buyer_name_key
    where orders.ordered_at is not null

),

order_weeks as (

    select
        account_id,
        week_start,
        count(distinct order_id) as ta_orders_all,
        sum(amount_usd) as ta_amount_usd_all,
        count(distinct case when is_p4p_attributed then order_id end) as ta_orders_attributed,
        coalesce(sum(case when is_p4p_attributed then amount_usd end), 0) as ta_amount_usd_attributed,
        max(loaded_at) as loaded_at
    from orders_attributed
    group by account_id, week_start

),

-- the weeks reported: those with a P4P report row, plus weeks with an attributed order of an account
-- that has P4P reports
p4p_accounts as (

    select account_id from keyword_weeks
    union
    select account_id from fullsite_weeks

),

report_weeks as (

    select
        account_id,
        week_start
    from keyword_weeks
    union
    select
        account_id,
        week_start
    from fullsite_weeks
    union
    select
        order_weeks.account_id,
        order_weeks.week_start
    from order_weeks
    inner join p4p_accounts on order_weeks.account_id = p4p_accounts.account_id
    where order_weeks.ta_orders_attributed > 0

),

weekly as (

    select
        report_weeks.account_id,
        report_weeks.week_start,
        keyword_weeks.week_start is not null or fullsite_weeks.week_start is not null as has_p4p_report,
        coalesce(keyword_weeks.rows_missing_fx, 0) + coalesce(fullsite_weeks.rows_missing_fx, 0) as rows_missing_fx,
        keyword_weeks.spend_usd as keyword_spend_usd,
        fullsite_weeks.spend_usd as fullsite_spend_usd,
        coalesce(keyword_weeks.spend_usd, 0) + coalesce(fullsite_weeks.spend_usd, 0) as spend_usd_known,
        coalesce(keyword_weeks.spend_cny, 0) + coalesce(fullsite_weeks.spend_cny, 0) as spend_cny_known,
        coalesce(keyword_weeks.impressions, 0) + coalesce(fullsite_weeks.impressions, 0) as impressions,
        coalesce(keyword_weeks.clicks, 0) + coalesce(fullsite_weeks.clicks, 0) as clicks,
        coalesce(keyword_weeks.inquiries, 0) + coalesce(fullsite_weeks.inquiries, 0) as inquiries,
        coalesce(keyword_weeks.tm_inquiries, 0) + coalesce(fullsite_weeks.tm_inquiries, 0) as tm_inquiries,
        keyword_weeks.clicks as keyword_clicks,
        fullsite_weeks.clicks as fullsite_clicks,
        keyword_weeks.inquiries as keyword_inquiries,
        fullsite_weeks.inquiries as fullsite_inquiries,
        fullsite_weeks.opportunities as fullsite_opportunities,
        fullsite_weeks.orders as fullsite_orders,
        store_weeks.store_inquiries,
        inquiry_list_weeks.list_inquiries,
        inquiry_list_weeks.list_p4p_inquiries,
        coalesce(order_weeks.ta_orders_attributed, 0) as ta_orders_attributed,
        coalesce(order_weeks.ta_amount_usd_attributed, 0) as ta_amount_usd_attributed,
        coalesce(order_weeks.ta_orders_all, 0) as ta_orders_all,
        coalesce(order_weeks.ta_amount_usd_all, 0) as ta_amount_usd_all
    from report_weeks
    left join keyword_weeks
        on report_weeks.account_id = keyword_weeks.account_id and report_weeks.week_start = keyword_weeks.week_start
    left join fullsite_weeks
        on report_weeks.account_id = fullsite_weeks.account_id and report_weeks.week_start = fullsite_weeks.week_start
    left join store_weeks
        on report_weeks.account_id = store_weeks.account_id and report_weeks.week_start = store_weeks.week_start
    left join inquiry_list_weeks
        on
            report_weeks.account_id = inquiry_list_weeks.account_id
            and report_weeks.week_start = inquiry_list_weeks.week_start
    left join order_weeks
        on report_weeks.account_id = order_weeks.account_id and report_weeks.week_start = order_weeks.week_start

),

weekly_spend as (

    select
        *,
        case when has_p4p_report and rows_missing_fx = 0 then spend_usd_known end as spend_usd,
        case when has_p4p_report and rows_missing_fx = 0 then spend_cny_known end as spend_cny
    from weekly

),

-- every load a week's figures depend on, for the incremental comparison
week_loads as (

    select
        account_id,
        week_start,
        loaded_at
    from keyword_weeks
    union all
    select
        account_id,
        week_start,
        loaded_at
    from fullsite_weeks
    union all
    select
        account_id,
        week_start,
        loaded_at
    from inquiry_list_weeks
    union all
    select
        account_id,
        week_start,
        loaded_at
    from store_weeks
    union all
    select
        account_id,
        week_start,
        loaded_at
    from order_weeks

),

trailing_8w as (

    select
        weekly_spend.account_id,
        weekly_spend.week_start,
        count(*) as trailing_weeks,
        sum(case when earlier.spend_usd is null then 1 else 0 end) as trailing_weeks_unknown_spend,
        sum(earlier.spend_usd) as trailing_spend_usd,
        sum(earlier.inquiries) as trailing_inquiries
    from weekly_spend
    inner join weekly_spend as earlier
        on
            weekly_spend.account_id = earlier.account_id
            and earlier.week_start between {{ gscor_add_days('-49', 'weekly_spend.week_start') }}
            and weekly_spend.week_start
    group by weekly_spend.account_id, weekly_spend.week_start

),

trailing_loads as (

    select
        weekly_spend.account_id,
        weekly_spend.week_start,
        max(week_loads.loaded_at) as loaded_at
    from weekly_spend
    inner join week_loads
        on
            weekly_spend.account_id = week_loads.account_id
            and week_loads.week_start between {{ gscor_add_days('-49', 'weekly_spend.week_start') }}
            and weekly_spend.week_start
    group by weekly_spend.account_id, weekly_spend.week_start

),

final as (

    select
        weekly_spend.account_id,
        'week' as period_grain,
        weekly_spend.week_start as period_start,
        {{ gscor_week_end('weekly_spend.week_start') }} as period_end,
        weekly_spend.spend_usd,
        weekly_spend.spend_cny,
        weekly_spend.keyword_spend_usd,
        weekly_spend.fullsite_spend_usd,
        weekly_spend.rows_missing_fx,
        weekly_spend.impressions,
        weekly_spend.clicks,
        weekly_spend.keyword_clicks,
        weekly_spend.fullsite_clicks,
        weekly_spend.inquiries,
        weekly_spend.keyword_inquiries,
        weekly_spend.fullsite_inquiries,
        weekly_spend.tm_inquiries,
        weekly_spend.fullsite_opportunities,
        weekly_spend.fullsite_orders,
        cast({{ gscor_divide(
            'weekly_spend.spend_usd',
            'nullif(weekly_spend.clicks, 0)'
        ) }} as decimal(18, 4)) as cpc_usd,
        cast({{ gscor_divide(
            'weekly_spend.spend_usd',
            'nullif(weekly_spend.inquiries, 0)'
        ) }} as decimal(18, 4)) as cost_per_inquiry_usd,
        cast({{ gscor_divide(
            'weekly_spend.spend_cny',
            'nullif(weekly_spend.inquiries, 0)'
        ) }} as decimal(18, 4)) as cost_per_inquiry_cny,
        case
            when trailing_8w.trailing_weeks_unknown_spend = 0
                then cast({{ gscor_divide(
                    'trailing_8w.trailing_spend_usd',
                    'nullif(trailing_8w.trailing_inquiries, 0)'
                ) }} as decimal(18, 4))
        end as cost_per_inquiry_usd_8w,
        weekly_spend.ta_orders_attributed,
        weekly_spend.ta_amount_usd_attributed,
        weekly_spend.ta_orders_all,
        weekly_spend.ta_amount_usd_all,
        cast({{ gscor_divide(
            'weekly_spend.ta_amount_usd_attributed',
            'nullif(weekly_spend.spend_usd, 0)'
        ) }} as double) as roas,
        weekly_spend.list_inquiries,
        weekly_spend.list_p4p_inquiries,
        cast(weekly_spend.list_p4p_inquiries as double) / nullif(weekly_spend.list_inquiries, 0) as p4p_inquiry_share,
        weekly_spend.store_inquiries,
        cast(weekly_spend.inquiries as double) / nullif(weekly_spend.store_inquiries, 0) as p4p_report_inquiry_share,
        trailing_loads.loaded_at
    from weekly_spend
    inner join trailing_8w
        on weekly_spend.account_id = trailing_8w.account_id and weekly_spend.week_start = trailing_8w.week_start
    inner join trailing_loads
        on weekly_spend.account_id = trailing_loads.account_id and weekly_spend.week_start = trailing_loads.week_start

)

select final.* from final
{{ gscor_only_changed_periods('final') }}
