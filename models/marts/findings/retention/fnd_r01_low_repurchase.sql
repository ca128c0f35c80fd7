-- R01 复购率低 Low repurchase (monthly, store; trailing window of window_months months).
-- period_grain '12m' for the default window (a 3- or 1-month override reads 'quarter' / 'month', others '<n>m').
-- Windows end at the last day of each complete calendar month (on or before the account's order-data end, the
-- latest export_end_date of fct_order_lines) and start window_months months earlier; a window that starts before the
-- month of the account's first order is not judged (the history would be too short to see repeat orders).
--   repeat_buyer_rate = buyers with >= 2 distinct TA orders in the window / buyers with >= 1, both counted
--                       distinct over the whole window from fct_order_lines (never summed across months)
--   fires when the rate < min_repeat_rate and the window has at least min_buyers buyers
--   metric repeat_buyer_rate; value = rate; threshold = min_repeat_rate; benchmark null
--   severity   rate < min_repeat_rate / 4 high, < min_repeat_rate / 2 medium, else low
--   impact     usd per week: the repeat buyers missing to reach the target, each worth one order at the window's
--              AOV: (min_repeat_rate x buyers - repeat buyers) x AOV x 7 / days in the window
with

params as ({{ gscor_rule_params('R01', ['min_repeat_rate', 'window_months', 'min_buyers']) }}),

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

customers as (

    select * from {{ ref('dim_customer') }}

),

dates as (

    select * from {{ ref('dim_date') }}

),

coverage as (

    select * from {{ ref('int_order_data_coverage') }}

),

windows as (

    select distinct
        coverage.account_id,
        {{ gscor_add_months('1 - cast(params.window_months as integer)', 'dates.month_start') }} as window_start,
        dates.month_end as window_end,
        params.min_repeat_rate,
        params.min_buyers,
        params.window_months
    from coverage
    inner join params
        on coverage.account_id = params.account_id
    inner join dates
        on dates.month_end between coverage.first_month_start and coverage.data_end

),

buyer_orders as (

    select
        windows.account_id,
        windows.window_start,
        windows.window_end,
        order_lines.customer_key,
        count(distinct order_lines.order_id) as orders,
        sum(order_lines.amount_usd) as amount_usd  -- DECIMAL: exact in any row order
    from windows
    inner join coverage
        on windows.account_id = coverage.account_id
    inner join order_lines
        on
            windows.account_id = order_lines.account_id
            and order_lines.period_start between windows.window_start and windows.window_end
    where
        windows.window_start >= coverage.first_month_start
        and order_lines.customer_key is not null
    group by windows.account_id, windows.window_start, windows.window_end, order_lines.customer_key

),

sa_customers as (

    select
        account_id,
        customer_key
    from customers
    where customer_tier in ('S', 'A')

),

window_totals as (

    select
        buyer_orders.account_id,
        buyer_orders.window_start,
        buyer_orders.window_end,
        count(*) as buyers,
        sum(case when buyer_orders.orders >= 2 then 1 else 0 end) as repeat_buyers,
        sum(case when sa_customers.customer_key is not null then 1 else 0 end) as sa_buyers,
        sum(buyer_orders.orders) as orders,
        cast(sum(buyer_orders.amount_usd) as {{ gscor_type('double') }}) as amount_usd
    from buyer_orders
    left join sa_customers
        on
            buyer_orders.account_id = sa_customers.account_id
            and buyer_orders.customer_key = sa_customers.customer_key
    group by buyer_orders.account_id, buyer_orders.window_start, buyer_orders.window_end

),

evaluated as (

    select
        window_totals.*,
        {{ gscor_ratio('window_totals.repeat_buyers', 'window_totals.buyers') }} as repeat_rate,
        {{ gscor_ratio('window_totals.amount_usd', 'window_totals.orders') }} as aov_usd,
        windows.min_repeat_rate,
        windows.window_months,
        {{ gscor_days_between('window_totals.window_start', 'window_totals.window_end') }} + 1 as days_in_period
    from window_totals
    inner join windows
        on
            window_totals.account_id = windows.account_id
            and window_totals.window_end = windows.window_end
    where
        window_totals.buyers >= windows.min_buyers
        and {{ gscor_ratio('window_totals.repeat_buyers', 'window_totals.buyers') }} < windows.min_repeat_rate

),

findings as (

    select
        account_id,
        'R01' as rule_id,
        'R' as stage,  -- noqa: RF04
        case
            when repeat_rate < min_repeat_rate / 4 then 'high'
            when repeat_rate < min_repeat_rate / 2 then 'medium'
            else 'low'
        end as severity,
        'store' as entity_type,
        'store' as entity_id,
        account_id as entity_label,
        case window_months
            when 12 then '12m'
            when 3 then 'quarter'
            when 1 then 'month'
            else cast(cast(window_months as integer) as {{ gscor_type('string') }}) || 'm'
        end as period_grain,
        window_start as period_start,
        window_end as period_end,
        'repeat_buyer_rate' as metric,
        repeat_rate as value,  -- noqa: RF04
        min_repeat_rate as threshold,
        cast(null as {{ gscor_type('double') }}) as benchmark,
        greatest(min_repeat_rate * buyers - repeat_buyers, 0) * coalesce(aov_usd, 0) * {{ gscor_divide(
            '7.0',
            'days_in_period'
        ) }}
            as impact_estimate,
        'usd' as impact_unit,
        'PLAN_REORDERS_SA_CUSTOMERS' as action_code,
        '为S/A级客户制定复购计划（定期回访、老客专享价）：' || cast(window_start as {{ gscor_type('string') }}) || ' 至 '
        || cast(window_end as {{ gscor_type('string') }}) || ' 下单买家 ' || {{ gscor_fmt_num('buyers') }} || ' 个，仅 '
        || {{ gscor_fmt_num('repeat_buyers') }} || ' 个复购（' || {{ gscor_fmt_pct('repeat_rate') }} || '，目标 ≥ '
        || {{ gscor_fmt_pct('min_repeat_rate', 0) }} || '）' as action_text_zh,
        'Set up a re-order plan for S/A customers (regular follow-up, loyalty pricing): from '
        || cast(window_start as {{ gscor_type('string') }}) || ' to ' || cast(window_end as {{ gscor_type('string') }})
        || ' only ' || {{ gscor_fmt_num('repeat_buyers') }} || ' of ' || {{ gscor_fmt_num('buyers') }}
        || ' buyers ordered more than once (' || {{ gscor_fmt_pct('repeat_rate') }} || ', target at least '
        || {{ gscor_fmt_pct('min_repeat_rate', 0) }} || ')' as action_text_en,
        cast(null as {{ gscor_type('string') }}) as owner,  -- noqa: RF04
        {{ gscor_fmt_num('sa_buyers') }} || ' S/A customers among the buyers; ' || {{ gscor_fmt_num('orders') }}
        || ' TA orders' as evidence_detail
    from evaluated

)

{{ gscor_finding_record('findings') }}
