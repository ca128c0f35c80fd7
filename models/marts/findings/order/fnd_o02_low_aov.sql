-- O02 客单价偏低 Low average order value (monthly, store).
-- Fires for a complete calendar month M (last day on or before the account's order-data end, the latest
-- export_end_date of fct_order_lines) when M's AOV (TA amount / TA orders, rpt_ta_orders_monthly) is below
-- min_aov_vs_3m x its 3-month average: the AOV of the three months before M taken together (their amount / their
-- orders, so a small month does not weigh like a big one). All three baseline months must lie in the loaded history
-- (not before the month of the first order); M and the baseline each need at least min_orders orders.
--   metric aov_usd; value = M's AOV; threshold = min_aov_vs_3m x baseline AOV; benchmark = baseline AOV
--   severity   AOV / baseline < min_aov_vs_3m - 0.3 high, < min_aov_vs_3m - 0.15 medium, else low
--   impact     usd per week: M's orders x (baseline AOV - M's AOV) x 7 / days in M (the revenue the month's orders
--              would have brought at the usual AOV)
with

params as ({{ gscor_rule_params('O02', ['min_aov_vs_3m', 'min_orders']) }}),

monthly as (

    select * from {{ ref('rpt_ta_orders_monthly') }}

),

coverage as (

    select * from {{ ref('int_order_data_coverage') }}

),

baseline as (

    select
        monthly.account_id,
        monthly.period_start,
        -- DECIMAL sum: exact in any row order
        cast(sum(previous.amount_usd) as {{ gscor_type('double') }}) as baseline_amount_usd,
        sum(previous.ta_orders) as baseline_orders
    from monthly
    inner join monthly as previous
        on
            monthly.account_id = previous.account_id
            and previous.period_start >= {{ gscor_add_months('-3', 'monthly.period_start') }}
            and monthly.period_start > previous.period_start
    group by monthly.account_id, monthly.period_start

),

evaluated as (

    select
        monthly.account_id,
        monthly.period_start,
        monthly.period_end,
        monthly.ta_orders,
        cast(monthly.amount_usd as {{ gscor_type('double') }}) as amount_usd,
        {{ gscor_ratio('monthly.amount_usd', 'monthly.ta_orders') }} as aov_usd,
        baseline.baseline_orders,
        {{ gscor_ratio('baseline.baseline_amount_usd', 'baseline.baseline_orders') }} as baseline_aov_usd,
        params.min_aov_vs_3m,
        {{ gscor_days_between('monthly.period_start', 'monthly.period_end') }} + 1 as days_in_period
    from monthly
    inner join baseline
        on
            monthly.account_id = baseline.account_id
            and monthly.period_start = baseline.period_start
    inner join params
        on monthly.account_id = params.account_id
    inner join coverage
        on monthly.account_id = coverage.account_id
    where
        monthly.period_end <= coverage.data_end
        and {{ gscor_add_months('-3', 'monthly.period_start') }} >= coverage.first_month_start
        and monthly.ta_orders >= params.min_orders
        and baseline.baseline_orders >= params.min_orders

),

fired as (

    select
        *,
        aov_usd / baseline_aov_usd as aov_ratio,
        substring(cast(period_start as {{ gscor_type('string') }}), 1, 7) as month_label
    from evaluated
    where aov_usd < min_aov_vs_3m * baseline_aov_usd

),

findings as (

    select
        account_id,
        'O02' as rule_id,
        'O' as stage,  -- noqa: RF04
        case
            when aov_ratio < min_aov_vs_3m - 0.3 then 'high'
            when aov_ratio < min_aov_vs_3m - 0.15 then 'medium'
            else 'low'
        end as severity,
        'store' as entity_type,
        'store' as entity_id,
        account_id as entity_label,
        'month' as period_grain,
        period_start,
        period_end,
        'aov_usd' as metric,
        aov_usd as value,  -- noqa: RF04
        min_aov_vs_3m * baseline_aov_usd as threshold,
        baseline_aov_usd as benchmark,
        ta_orders * (baseline_aov_usd - aov_usd) * {{ gscor_divide('7.0', 'days_in_period') }} as impact_estimate,
        'usd' as impact_unit,
        'ADD_BUNDLES_TIERED_PRICING' as action_code,
        '用组合装和阶梯价提高客单价：' || month_label || ' 客单价 US$' || {{ gscor_fmt_num('aov_usd') }}
        || '（' || {{ gscor_fmt_num('ta_orders') }} || ' 笔信保订单），前 3 个月平均 US$'
        || {{ gscor_fmt_num('baseline_aov_usd') }} || '，仅为其 ' || {{ gscor_fmt_pct('aov_ratio', 0) }}
            as action_text_zh,
        'Raise the order value with bundles and tiered pricing: ' || month_label || ' AOV US$'
        || {{ gscor_fmt_num('aov_usd') }} || ' (' || {{ gscor_fmt_num('ta_orders') }}
        || ' TA orders) vs US$' || {{ gscor_fmt_num('baseline_aov_usd') }} || ' over the 3 months before ('
        || {{ gscor_fmt_pct('aov_ratio', 0) }} || ')' as action_text_en,
        cast(null as {{ gscor_type('string') }}) as owner,  -- noqa: RF04
        '3-month baseline: ' || {{ gscor_fmt_num('baseline_orders') }} || ' orders' as evidence_detail
    from fired

)

{{ gscor_finding_record('findings') }}
