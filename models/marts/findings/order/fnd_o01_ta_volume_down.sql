-- O01 信保订单下滑 Trade Assurance volume down (monthly, store).
-- Fires for a complete calendar month M (its last day is on or before the account's order-data end, the latest
-- export_end_date of fct_order_lines) when TA orders or TA amount fell by more than max_mom_drop against M-1, the
-- previous month also lies in the loaded history (not before the month of the first order) and had at least
-- min_base_orders orders. Input: rpt_ta_orders_monthly (a month without orders reads 0 there).
--   metric     ta_amount_usd when the amount fell at least as much as the order count (and past the threshold),
--              else ta_orders; value = M's figure, benchmark = M-1's figure, threshold = M-1 x (1 - max_mom_drop)
--   severity   drop / max_mom_drop >= 2 high, >= 1.5 medium, else low (the larger of the two drops)
--   impact     usd per week: greatest(M-1 amount - M amount, (M-1 orders - M orders) x M-1 AOV, 0) x 7 / days in M
with

params as ({{ gscor_rule_params('O01', ['max_mom_drop', 'min_base_orders']) }}),

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
        monthly.ta_orders,
        cast(monthly.amount_usd as {{ gscor_type('double') }}) as amount_usd,
        monthly.previous_ta_orders,
        cast(monthly.previous_amount_usd as {{ gscor_type('double') }}) as previous_amount_usd,
        coalesce(-monthly.ta_orders_mom_change, 0) as orders_drop,
        coalesce(-monthly.amount_usd_mom_change, 0) as amount_drop,
        params.max_mom_drop,
        {{ gscor_days_between('monthly.period_start', 'monthly.period_end') }} + 1 as days_in_period
    from monthly
    inner join params
        on monthly.account_id = params.account_id
    inner join coverage
        on monthly.account_id = coverage.account_id
    where
        monthly.period_end <= coverage.data_end
        and {{ gscor_add_months('-1', 'monthly.period_start') }} >= coverage.first_month_start
        and monthly.previous_ta_orders >= params.min_base_orders

),

fired as (

    select
        *,
        case
            when amount_drop > max_mom_drop and amount_drop >= orders_drop then 'ta_amount_usd'
            else 'ta_orders'
        end as metric,
        case when amount_drop > orders_drop then amount_drop else orders_drop end as worst_drop,
        greatest(
            previous_amount_usd - amount_usd,
            (previous_ta_orders - ta_orders) * {{ gscor_ratio('previous_amount_usd', 'previous_ta_orders') }},
            0
        ) * {{ gscor_divide('7.0', 'days_in_period') }} as impact_per_week,
        substring(cast(period_start as {{ gscor_type('string') }}), 1, 7) as month_label
    from evaluated
    where orders_drop > max_mom_drop or amount_drop > max_mom_drop

),

findings as (

    select
        account_id,
        'O01' as rule_id,
        'O' as stage,  -- noqa: RF04
        case
            when worst_drop >= 2 * max_mom_drop then 'high'
            when worst_drop >= 1.5 * max_mom_drop then 'medium'
            else 'low'
        end as severity,
        'store' as entity_type,
        'store' as entity_id,
        account_id as entity_label,
        'month' as period_grain,
        period_start,
        period_end,
        metric,
        case when metric = 'ta_amount_usd' then amount_usd else ta_orders end as value,  -- noqa: RF04
        case
            when metric = 'ta_amount_usd' then previous_amount_usd * (1 - max_mom_drop)
            else previous_ta_orders * (1 - max_mom_drop)
        end as threshold,
        case when metric = 'ta_amount_usd' then previous_amount_usd else previous_ta_orders end as benchmark,
        impact_per_week as impact_estimate,
        'usd' as impact_unit,
        'PUSH_TA_ORDERS' as action_code,
        '推动信保订单（提升店铺权重）：' || month_label || ' 信保订单 ' || {{ gscor_fmt_num('ta_orders') }}
        || ' 笔、金额 US$' || {{ gscor_fmt_num('amount_usd') }} || '，上月 '
        || {{ gscor_fmt_num('previous_ta_orders') }} || ' 笔、US$' || {{ gscor_fmt_num('previous_amount_usd') }}
        || '（订单 -' || {{ gscor_fmt_pct('orders_drop') }} || '，金额 -' || {{ gscor_fmt_pct('amount_drop') }}
        || '）；引导询盘买家走信保下单' as action_text_zh,
        'Push Trade Assurance orders (store weight): ' || month_label || ' had '
        || {{ gscor_fmt_num('ta_orders') }} || ' TA orders worth US$' || {{ gscor_fmt_num('amount_usd') }}
        || ' vs ' || {{ gscor_fmt_num('previous_ta_orders') }} || ' and US$'
        || {{ gscor_fmt_num('previous_amount_usd') }} || ' the month before (orders -'
        || {{ gscor_fmt_pct('orders_drop') }} || ', amount -' || {{ gscor_fmt_pct('amount_drop') }}
        || '); steer inquiring buyers to order through Trade Assurance' as action_text_en,
        cast(null as {{ gscor_type('string') }}) as owner,  -- noqa: RF04
        'orders ' || {{ gscor_fmt_num('previous_ta_orders') }} || ' -> ' || {{ gscor_fmt_num('ta_orders') }}
        || '; amount US$' || {{ gscor_fmt_num('previous_amount_usd') }} || ' -> US$'
        || {{ gscor_fmt_num('amount_usd') }} as evidence_detail
    from fired

)

{{ gscor_finding_record('findings') }}
