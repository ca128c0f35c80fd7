-- X03 time to order (下单周期): how long buyers take from their first touch to a Trade Assurance order. Grain:
-- account × period_grain × period_start, with one row per calendar month of the order date (period_grain 'month',
-- the month may be partial at the data's edges) and one 'all' row over every order of the account (period_start /
-- period_end = first / last order date).
-- Per order (int_order_touch_paths): days_to_order = calendar days (China time) from the first touch of the
-- order's path to the order (the path starts after the buyer's previous order, so a re-order is measured from its
-- own fresh touches). Orders with an empty path have no days and are counted in orders but not attributed_orders.
-- Medians are continuous (gscor_percentile 0.5, halfway between the middle two values); NULL when no attributed order.
with

orders as (

    select distinct
        account_id,
        buyer_key,
        order_id,
        ordered_at,
        buyer_order_number,
        touches_in_path,
        path_first_touch_at
    from {{ ref('int_order_touch_paths') }}

),

orders_measured as (

    select
        account_id,
        buyer_key,
        order_id,
        cast(ordered_at as date) as order_date,
        {{ gscor_month_start('ordered_at') }} as order_month_start,
        {{ gscor_month_end('ordered_at') }} as order_month_end,
        buyer_order_number = 1 as is_first_order,
        touches_in_path,
        touches_in_path > 0 as is_attributed,
        case
            when touches_in_path > 0
                then {{ gscor_days_between('cast(path_first_touch_at as date)', 'cast(ordered_at as date)') }}
        end as days_to_order
    from orders

),

periods as (

    select
        account_id,
        'month' as period_grain,
        order_month_start as period_start,
        order_month_end as period_end,
        buyer_key,
        order_id,
        is_first_order,
        is_attributed,
        touches_in_path,
        days_to_order
    from orders_measured
    union all
    select
        account_id,
        'all' as period_grain,
        min(order_date) over (partition by account_id) as period_start,
        max(order_date) over (partition by account_id) as period_end,
        buyer_key,
        order_id,
        is_first_order,
        is_attributed,
        touches_in_path,
        days_to_order
    from orders_measured

),

aggregated as (

    select
        account_id,
        period_grain,
        period_start,
        period_end,
        count(*) as orders,
        count(distinct buyer_key) as buyers,
        sum(case when is_attributed then 1 else 0 end) as attributed_orders,
        count(distinct case when is_attributed then buyer_key end) as attributed_buyers,
        sum(case when is_first_order then 1 else 0 end) as first_orders,
        {{ gscor_percentile('days_to_order', 0.5) }} as median_days_to_order,
        avg(cast(days_to_order as {{ gscor_type('double') }})) as avg_days_to_order,
        min(days_to_order) as min_days_to_order,
        max(days_to_order) as max_days_to_order,
        {{ gscor_percentile('case when is_first_order then days_to_order end', 0.5) }} as median_days_to_first_order,
        avg(case when is_attributed then cast(touches_in_path as {{ gscor_type('double') }}) end)
            as avg_touches_per_attributed_order
    from periods
    group by account_id, period_grain, period_start, period_end

),

final as (

    select
        {{ gscor_surrogate_key(['account_id', 'period_grain', 'period_start']) }} as time_to_order_key,
        account_id,
        period_grain,
        period_start,
        period_end,
        orders,
        buyers,
        attributed_orders,
        attributed_buyers,
        orders - attributed_orders as unattributed_orders,
        first_orders,
        median_days_to_order,
        avg_days_to_order,
        min_days_to_order,
        max_days_to_order,
        median_days_to_first_order,
        avg_touches_per_attributed_order
    from aggregated

)

select * from final
