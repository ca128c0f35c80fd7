-- The GSCOR funnel's stage counts per account × back office week (Sunday → Saturday), each from the best source
-- the account has for that week, with the source named beside it. Rates and baselines: fct_funnel_weekly.
--   exposure / clicks: 全店 total_impressions / total_clicks summed over fct_shop_daily's days, else the product
--       search impressions / clicks summed over the products of fct_product_period's weekly export;
--   visitors (访客数, unique): the 同行对比 我的 访客数 of exactly that week (fct_peer_benchmark), else the sum of the
--       days' 店铺访问人数 (visitors_is_daily_sum = true: a sum of daily uniques, an upper bound), else NULL;
--   inquiries (询盘个数, additive): shop days, else the inquiry list (fct_conversations), else the product export;
--   inquiry / TM / opportunity buyers (人数, unique): distinct customers of the week in the inquiry and TM lists
--       (fct_conversations), NULL for accounts without lists — never a sum of daily or per-product uniques;
--   ta_orders (信保订单): distinct orders of the week in the order list (fct_order_lines), else the shop days' sum.
with

shop_days as (

    select
        account_id,
        {{ gscor_week_start('period_start') }} as week_start,
        period_start as stat_date,
        total_impressions,
        total_clicks,
        store_visitors,
        inquiries,
        ta_orders,
        loaded_at
    from {{ ref('fct_shop_daily') }}
    where period_grain = 'day'

),

shop_weeks as (

    select
        account_id,
        week_start,
        count(distinct stat_date) as shop_days_covered,
        sum(total_impressions) as impressions,
        sum(total_clicks) as clicks,
        sum(store_visitors) as visitors_daily_uv_sum,
        count(store_visitors) as visitor_days,
        sum(inquiries) as inquiries,
        sum(ta_orders) as ta_orders,
        max(loaded_at) as loaded_at
    from shop_days
    group by account_id, week_start

),

product_weeks as (

    select
        account_id,
        period_start as week_start,
        sum(search_impressions) as impressions,
        sum(search_clicks) as clicks,
        sum(inquiries) as inquiries,
        max(loaded_at) as loaded_at
    from {{ ref('fct_product_period') }}
    where
        period_grain = 'week'
        and period_start = {{ gscor_week_start('period_start') }}
        and period_end = {{ gscor_week_end('period_start') }}
    group by account_id, period_start

),

benchmark_weeks as (

    select
        account_id,
        period_start as week_start,
        max(my_value) as visitors,
        max(loaded_at) as loaded_at
    from {{ ref('fct_peer_benchmark') }}
    where
        metric_code = 'visitors'
        and my_value is not null
        and period_start = {{ gscor_week_start('period_start') }}
        and period_end = {{ gscor_week_end('period_start') }}
    group by account_id, period_start

),

conversation_events as (

    select
        account_id,
        {{ gscor_week_start('period_start') }} as week_start,
        conversation_type,
        customer_key,
        loaded_at
    from {{ ref('fct_conversations') }}

),

conversation_accounts as (

    select
        account_id,
        min(week_start) as first_list_week,
        max(week_start) as last_list_week
    from conversation_events
    group by account_id

),

conversation_weeks as (

    select
        account_id,
        week_start,
        sum(case when conversation_type = 'inquiry' then 1 else 0 end) as inquiries,
        count(distinct case when conversation_type = 'inquiry' then customer_key end) as inquiry_buyers,
        count(distinct case when conversation_type = 'tm' then customer_key end) as tm_buyers,
        count(distinct customer_key) as opportunity_buyers,
        max(loaded_at) as loaded_at
    from conversation_events
    group by account_id, week_start

),

order_events as (

    select
        account_id,
        {{ gscor_week_start('period_start') }} as week_start,
        order_id,
        loaded_at
    from {{ ref('fct_order_lines') }}

),

order_accounts as (

    select
        account_id,
        min(week_start) as first_order_week,
        max(week_start) as last_order_week
    from order_events
    group by account_id

),

order_weeks as (

    select
        account_id,
        week_start,
        count(distinct order_id) as ta_orders,
        max(loaded_at) as loaded_at
    from order_events
    group by account_id, week_start

),

funnel_weeks as (

    select
        account_id,
        week_start
    from shop_weeks
    union
    select
        account_id,
        week_start
    from product_weeks

),

week_loads as (

    -- the newest load behind any figure of the week (an aggregate keeps loaded_at, not the files)
    select
        account_id,
        week_start,
        max(loaded_at) as loaded_at
    from (
        select
            account_id,
            week_start,
            loaded_at
        from shop_weeks
        union all
        select
            account_id,
            week_start,
            loaded_at
        from product_weeks
        union all
        select
            account_id,
            week_start,
            loaded_at
        from benchmark_weeks
        union all
        select
            account_id,
            week_start,
            loaded_at
        from conversation_weeks
        union all
        select
            account_id,
            week_start,
            loaded_at
        from order_weeks
    ) as source_loads
    group by account_id, week_start

),

calendar_weeks as (

    select
        week_start,
        max(case when is_festival then 1 else 0 end) = 1 as is_festival_week,
        max(festival_code) as festival_code,
        max(case when is_warmup then 1 else 0 end) = 1 as has_warmup_days,
        max(warmup_festival_code) as warmup_festival_code
    from {{ ref('dim_date') }}
    group by week_start

),

assembled as (

    select
        funnel_weeks.account_id,
        funnel_weeks.week_start,
        shop_weeks.shop_days_covered,
        case
            when shop_weeks.impressions is not null then 'shop_daily'
            when product_weeks.impressions is not null then 'product_weekly'
        end as exposure_source,
        {{ gscor_cast('coalesce(shop_weeks.impressions, product_weeks.impressions)', 'bigint') }} as impressions,
        {{ gscor_cast('case when shop_weeks.impressions is not null then shop_weeks.clicks'
            ~ ' else product_weeks.clicks end', 'bigint') }} as clicks,
        case
            when benchmark_weeks.visitors is not null then 'benchmark_weekly'
            when shop_weeks.visitor_days > 0 then 'shop_daily_sum'
        end as visitors_source,
        {{ gscor_cast('coalesce(benchmark_weeks.visitors, case when shop_weeks.visitor_days > 0'
            ~ ' then shop_weeks.visitors_daily_uv_sum end)', 'bigint') }} as visitors,
        benchmark_weeks.visitors is null and shop_weeks.visitor_days > 0 as visitors_is_daily_sum,
        case
            when shop_weeks.inquiries is not null then 'shop_daily'
            when conversation_weeks.inquiries is not null then 'inquiry_list'
            when product_weeks.inquiries is not null then 'product_weekly'
        end as inquiries_source,
        {{ gscor_cast(
            'coalesce(shop_weeks.inquiries, conversation_weeks.inquiries, product_weeks.inquiries)', 'bigint'
        ) }}
            as inquiries,
        case
            when
                funnel_weeks.week_start between conversation_accounts.first_list_week
                and conversation_accounts.last_list_week
                then coalesce(conversation_weeks.inquiry_buyers, 0)
        end as inquiry_buyers,
        case
            when
                funnel_weeks.week_start between conversation_accounts.first_list_week
                and conversation_accounts.last_list_week
                then coalesce(conversation_weeks.tm_buyers, 0)
        end as tm_buyers,
        case
            when
                funnel_weeks.week_start between conversation_accounts.first_list_week
                and conversation_accounts.last_list_week
                then coalesce(conversation_weeks.opportunity_buyers, 0)
        end as opportunity_buyers,
        case
            when
                funnel_weeks.week_start between order_accounts.first_order_week
                and order_accounts.last_order_week
                then 'order_list'
            when shop_weeks.ta_orders is not null then 'shop_daily'
        end as ta_orders_source,
        {{ gscor_cast('case when funnel_weeks.week_start between order_accounts.first_order_week'
            ~ ' and order_accounts.last_order_week then coalesce(order_weeks.ta_orders, 0)'
            ~ ' else shop_weeks.ta_orders end', 'bigint') }} as ta_orders,
        coalesce(calendar_weeks.is_festival_week, false) as is_festival_week,
        calendar_weeks.festival_code,
        coalesce(calendar_weeks.has_warmup_days and not calendar_weeks.is_festival_week, false) as is_warmup_week,
        calendar_weeks.warmup_festival_code,
        week_loads.loaded_at
    from funnel_weeks
    left join shop_weeks
        on
            funnel_weeks.account_id = shop_weeks.account_id
            and funnel_weeks.week_start = shop_weeks.week_start
    left join product_weeks
        on
            funnel_weeks.account_id = product_weeks.account_id
            and funnel_weeks.week_start = product_weeks.week_start
    left join benchmark_weeks
        on
            funnel_weeks.account_id = benchmark_weeks.account_id
            and funnel_weeks.week_start = benchmark_weeks.week_start
    left join conversation_weeks
        on
            funnel_weeks.account_id = conversation_weeks.account_id
            and funnel_weeks.week_start = conversation_weeks.week_start
    left join conversation_accounts
        on funnel_weeks.account_id = conversation_accounts.account_id
    left join order_weeks
        on
            funnel_weeks.account_id = order_weeks.account_id
            and funnel_weeks.week_start = order_weeks.week_start
    left join order_accounts
        on funnel_weeks.account_id = order_accounts.account_id
    left join calendar_weeks
        on funnel_weeks.week_start = calendar_weeks.week_start
    left join week_loads
        on
            funnel_weeks.account_id = week_loads.account_id
            and funnel_weeks.week_start = week_loads.week_start

)

select * from assembled
