-- Reconciliation (reports): per account and month, rpt_ta_orders_monthly's TA orders, lines, quantity and amount
-- = the sums over fct_order_lines (a month missing from either side counts as 0), and per account and
-- Sunday-start week, rpt_inquiry_conversion_weekly's inquiries and TM conversations = fct_conversations.
-- Returns every period where they differ.
with

fact_months as (

    select
        account_id,
        {{ gscor_month_start('period_start') }} as period_start,
        count(distinct order_id) as ta_orders,
        count(*) as order_lines,
        coalesce(sum(quantity), 0) as quantity,
        coalesce(sum(amount_usd), 0) as amount_usd
    from {{ ref('fct_order_lines') }}
    group by account_id, {{ gscor_month_start('period_start') }}

),

report_months as (

    select
        account_id,
        period_start,
        ta_orders,
        order_lines,
        quantity,
        amount_usd
    from {{ ref('rpt_ta_orders_monthly') }}

),

month_diffs as (

    select
        'month' as period_grain,
        coalesce(fact_months.account_id, report_months.account_id) as account_id,
        coalesce(fact_months.period_start, report_months.period_start) as period_start,
        coalesce(fact_months.amount_usd, 0) as fact_value,
        coalesce(report_months.amount_usd, 0) as report_value
    from fact_months
    full outer join report_months
        on
            fact_months.account_id = report_months.account_id
            and fact_months.period_start = report_months.period_start
    where
        coalesce(fact_months.ta_orders, 0) <> coalesce(report_months.ta_orders, 0)
        or coalesce(fact_months.order_lines, 0) <> coalesce(report_months.order_lines, 0)
        or abs(coalesce(fact_months.quantity, 0) - coalesce(report_months.quantity, 0)) > 0.001
        or abs(coalesce(fact_months.amount_usd, 0) - coalesce(report_months.amount_usd, 0)) > 0.005

),

fact_weeks as (

    select
        account_id,
        {{ gscor_week_start('period_start') }} as period_start,
        sum(case when conversation_type = 'inquiry' then 1 else 0 end) as inquiries,
        sum(case when conversation_type = 'tm' then 1 else 0 end) as tm_conversations
    from {{ ref('fct_conversations') }}
    group by account_id, {{ gscor_week_start('period_start') }}

),

week_diffs as (

    select
        'week' as period_grain,
        coalesce(fact_weeks.account_id, report_weeks.account_id) as account_id,
        coalesce(fact_weeks.period_start, report_weeks.period_start) as period_start,
        coalesce(fact_weeks.inquiries, 0) as fact_value,
        coalesce(report_weeks.inquiries, 0) as report_value
    from fact_weeks
    full outer join {{ ref('rpt_inquiry_conversion_weekly') }} as report_weeks
        on
            fact_weeks.account_id = report_weeks.account_id
            and fact_weeks.period_start = report_weeks.period_start
    where
        coalesce(fact_weeks.inquiries, 0) <> coalesce(report_weeks.inquiries, 0)
        or coalesce(fact_weeks.tm_conversations, 0) <> coalesce(report_weeks.tm_conversations, 0)

)

select * from month_diffs
union all
select * from week_diffs
