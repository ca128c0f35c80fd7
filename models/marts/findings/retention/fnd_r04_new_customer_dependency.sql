-- R04 依赖新客户 New-customer dependency (monthly, store; trailing quarter).
-- Quarters are the three calendar months ending with a complete month (its last day on or before the account's
-- order-data end, the latest export_end_date of fct_order_lines) and starting after the month of the account's first
-- order, so at least one month of earlier history can show a buyer as returning.
--   new customer       a buyer (customer_key) whose first TA order in the loaded history falls in the quarter;
--                      lines without a buyer count as not new
--   new_revenue_share  TA amount of the quarter from new customers / the quarter's TA amount
--   fires when the share > max_new_customer_revenue_share and the quarter has at least min_orders orders
--   metric new_customer_revenue_share; value = share; threshold = max_new_customer_revenue_share; benchmark null
--   severity   share >= 0.95 or share >= threshold + 0.15 high, >= threshold + 0.075 medium, else low
--   impact     usd per week: the revenue that should come from returning customers at the threshold,
--              (share - threshold) x the quarter's amount x 7 / days in the quarter
with

params as ({{ gscor_rule_params('R04', ['max_new_customer_revenue_share', 'min_orders']) }}),

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

dates as (

    select * from {{ ref('dim_date') }}

),

coverage as (

    select * from {{ ref('int_order_data_coverage') }}

),

first_orders as (

    select
        account_id,
        customer_key,
        min(period_start) as first_order_date
    from order_lines
    where customer_key is not null
    group by account_id, customer_key

),

quarters as (

    select distinct
        coverage.account_id,
        {{ gscor_add_months('-2', 'dates.month_start') }} as quarter_start,
        dates.month_end as quarter_end
    from coverage
    inner join dates
        on dates.month_end between coverage.first_month_start and coverage.data_end
    where {{ gscor_add_months('-2', 'dates.month_start') }} > coverage.first_month_start

),

quarter_amounts as (

    select
        quarters.account_id,
        quarters.quarter_start,
        quarters.quarter_end,
        count(distinct order_lines.order_id) as orders,
        -- DECIMAL sums, exact in any row order (a DOUBLE sum can print another whole dollar after a rebuild)
        cast(sum(order_lines.amount_usd) as {{ gscor_type('double') }}) as amount_usd,
        cast(sum(
            case
                when first_orders.first_order_date >= quarters.quarter_start
                    then order_lines.amount_usd
                else 0
            end
        ) as {{ gscor_type('double') }}) as new_amount_usd,
        count(distinct case
            when first_orders.first_order_date >= quarters.quarter_start then order_lines.customer_key
        end) as new_buyers,
        count(distinct order_lines.customer_key) as buyers
    from quarters
    inner join order_lines
        on
            quarters.account_id = order_lines.account_id
            and order_lines.period_start between quarters.quarter_start and quarters.quarter_end
    left join first_orders
        on
            order_lines.account_id = first_orders.account_id
            and order_lines.customer_key = first_orders.customer_key
    group by quarters.account_id, quarters.quarter_start, quarters.quarter_end

),

evaluated as (

    select
        quarter_amounts.*,
        {{ gscor_ratio('quarter_amounts.new_amount_usd', 'quarter_amounts.amount_usd') }} as new_share,
        params.max_new_customer_revenue_share as max_share,
        {{ gscor_days_between('quarter_amounts.quarter_start', 'quarter_amounts.quarter_end') }} + 1
            as days_in_period
    from quarter_amounts
    inner join params
        on quarter_amounts.account_id = params.account_id
    where quarter_amounts.orders >= params.min_orders

),

findings as (

    select
        account_id,
        'R04' as rule_id,
        'R' as stage,  -- noqa: RF04
        case
            when new_share >= 0.95 or new_share >= max_share + 0.15 then 'high'
            when new_share >= max_share + 0.075 then 'medium'
            else 'low'
        end as severity,
        'store' as entity_type,
        'store' as entity_id,
        account_id as entity_label,
        'quarter' as period_grain,
        quarter_start as period_start,
        quarter_end as period_end,
        'new_customer_revenue_share' as metric,
        new_share as value,  -- noqa: RF04
        max_share as threshold,
        cast(null as {{ gscor_type('double') }}) as benchmark,
        (new_share - max_share) * amount_usd * {{ gscor_divide('7.0', 'days_in_period') }} as impact_estimate,
        'usd' as impact_unit,
        'BUILD_RETENTION_PROGRAM' as action_code,
        '建立老客户维护机制（回访、复购优惠、新品推送）：' || cast(quarter_start as {{ gscor_type('string') }}) || ' 至 '
        || cast(quarter_end as {{ gscor_type('string') }}) || ' 信保金额 US$' || {{ gscor_fmt_num('amount_usd') }}
        || '，其中新客户占 ' || {{ gscor_fmt_pct('new_share') }} || '（阈值 '
        || {{ gscor_fmt_pct('max_share', 0) }} || '）' as action_text_zh,
        'Build retention (follow-ups, re-order offers, new-product mailings): new customers brought '
        || {{ gscor_fmt_pct('new_share') }} || ' of the US$' || {{ gscor_fmt_num('amount_usd') }}
        || ' TA amount from ' || cast(quarter_start as {{ gscor_type('string') }}) || ' to '
        || cast(quarter_end as {{ gscor_type('string') }}) || ' (threshold ' || {{ gscor_fmt_pct('max_share', 0) }}
        || ')' as action_text_en,
        cast(null as {{ gscor_type('string') }}) as owner,  -- noqa: RF04
        {{ gscor_fmt_num('new_buyers') }}
        || ' of '
        || {{ gscor_fmt_num('buyers') }}
        || ' buyers ordered for the first time'
            as evidence_detail
    from evaluated
    where new_share > max_share

)

{{ gscor_finding_record('findings') }}
