-- O03 发货不及时 Late fulfilment (monthly, store).
-- On-time shipment rate of a complete calendar month M (last day on or before the account's order-data end, the
-- latest export_end_date of fct_order_lines), over M's TA order lines (rpt_ta_orders_monthly, order month):
--   on_time_rate = (shipped lines - lines shipped after the promised date) / (shipped lines + open lines already
--                  past their promised date at the export end)
-- A line without a promised date counts as on time. Needs at least min_shipments lines in the denominator.
--   metric on_time_shipment_rate; value = on_time_rate; threshold = min_on_time_rate; benchmark null
--   severity   on_time_rate < min_on_time_rate - 0.15 high, < min_on_time_rate - 0.05 medium, else low
--   impact     orders per week: late or overdue lines beyond what the target tolerates,
--              (late + overdue - (1 - min_on_time_rate) x denominator) x 7 / days in M
with

params as ({{ gscor_rule_params('O03', ['min_on_time_rate', 'min_shipments']) }}),

monthly as (

    select * from {{ ref('rpt_ta_orders_monthly') }}

),

coverage as (

    select * from {{ ref('int_order_data_coverage') }}

),

evaluated as (

    select
        monthly.account_id,
        monthly.period_start,
        monthly.period_end,
        monthly.shipped_lines,
        monthly.late_shipped_lines,
        monthly.open_overdue_lines,
        monthly.shipped_lines + monthly.open_overdue_lines as due_lines,
        monthly.late_shipped_lines + monthly.open_overdue_lines as late_lines,
        {{ gscor_ratio(
            'monthly.shipped_lines - monthly.late_shipped_lines',
            'monthly.shipped_lines + monthly.open_overdue_lines'
        ) }} as on_time_rate,
        params.min_on_time_rate,
        {{ gscor_days_between('monthly.period_start', 'monthly.period_end') }} + 1 as days_in_period
    from monthly
    inner join params
        on monthly.account_id = params.account_id
    inner join coverage
        on monthly.account_id = coverage.account_id
    where
        monthly.period_end <= coverage.data_end
        and monthly.shipped_lines + monthly.open_overdue_lines >= params.min_shipments

),

fired as (

    select
        *,
        substring(cast(period_start as {{ gscor_type('string') }}), 1, 7) as month_label
    from evaluated
    where on_time_rate < min_on_time_rate

),

findings as (

    select
        account_id,
        'O03' as rule_id,
        'O' as stage,  -- noqa: RF04
        case
            when on_time_rate < min_on_time_rate - 0.15 then 'high'
            when on_time_rate < min_on_time_rate - 0.05 then 'medium'
            else 'low'
        end as severity,
        'store' as entity_type,
        'store' as entity_id,
        account_id as entity_label,
        'month' as period_grain,
        period_start,
        period_end,
        'on_time_shipment_rate' as metric,
        on_time_rate as value,  -- noqa: RF04
        min_on_time_rate as threshold,
        cast(null as {{ gscor_type('double') }}) as benchmark,
        greatest(late_lines - (1 - min_on_time_rate) * due_lines, 0) * {{ gscor_divide(
            '7.0',
            'days_in_period'
        ) }} as impact_estimate,
        'orders' as impact_unit,
        'FIX_FULFILMENT_DELAYS' as action_code,
        '排查发货延误的环节（备货/生产/订舱）：' || month_label || ' 应发 ' || {{ gscor_fmt_num('due_lines') }}
        || ' 单，' || {{ gscor_fmt_num('late_lines') }} || ' 单晚于约定发货日期，准时率 '
        || {{ gscor_fmt_pct('on_time_rate') }} || '，目标 ' || {{ gscor_fmt_pct('min_on_time_rate', 0) }}
            as action_text_zh,
        'Fix the step that delays shipping (stock, production, booking): in ' || month_label || ', '
        || {{ gscor_fmt_num('late_lines') }} || ' of ' || {{ gscor_fmt_num('due_lines') }}
        || ' order lines shipped after the promised date or are overdue; on-time '
        || {{ gscor_fmt_pct('on_time_rate') }} || ' vs target ' || {{ gscor_fmt_pct('min_on_time_rate', 0) }}
            as action_text_en,
        cast(null as {{ gscor_type('string') }}) as owner,  -- noqa: RF04
        'shipped late ' || {{ gscor_fmt_num('late_shipped_lines') }} || ', open and overdue '
        || {{ gscor_fmt_num('open_overdue_lines') }} || ', shipped ' || {{ gscor_fmt_num('shipped_lines') }}
            as evidence_detail
    from fired

)

{{ gscor_finding_record('findings') }}
