-- Trade Assurance (信保) orders per account × calendar month (China-time order dates), from fct_order_lines and
-- fct_customer_retention. One row for every month in which the account had an order line or a conversation, so a
-- month without orders reads 0 (and month-over-month compares against it). Buyers are distinct within the month.
-- Margin figures cover only the lines whose unit cost is known (amount_usd_with_cost says how much that is).
with

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

retention as (

    select * from {{ ref('fct_customer_retention') }}

),

conversations as (

    select * from {{ ref('fct_conversations') }}

),

months as (

    select distinct
        account_id,
        {{ gscor_month_start('period_start') }} as month_start
    from order_lines
    union
    select distinct
        account_id,
        {{ gscor_month_start('period_start') }}
    from conversations

),

monthly_orders as (

    select
        account_id,
        {{ gscor_month_start('period_start') }} as month_start,
        count(distinct order_id) as ta_orders,
        count(*) as order_lines,
        sum(quantity) as quantity,
        sum(amount_usd) as amount_usd,
        count(distinct customer_key) as buyers,
        sum(case when is_shipped then 1 else 0 end) as shipped_lines,
        sum(case when is_shipped_late then 1 else 0 end) as late_shipped_lines,
        sum(case when is_open_and_overdue then 1 else 0 end) as open_overdue_lines,
        count(distinct case when is_sample_order then order_id end) as sample_orders,
        sum(case when unit_cost_usd is not null then amount_usd end) as amount_usd_with_cost,
        sum(margin_usd) as margin_usd,
        max(loaded_at) as loaded_at
    from order_lines
    group by account_id, {{ gscor_month_start('period_start') }}

),

product_amounts as (

    select
        account_id,
        {{ gscor_month_start('period_start') }} as month_start,
        product_id,
        sum(amount_usd) as product_amount_usd,
        row_number() over (
            partition by account_id, {{ gscor_month_start('period_start') }}
            order by sum(amount_usd) desc, product_id
        ) as product_rank
    from order_lines
    group by account_id, {{ gscor_month_start('period_start') }}, product_id

),

buyer_amounts as (

    select
        account_id,
        period_start as month_start,
        max(amount_usd_in_month) as top_buyer_amount_usd,
        sum(case when is_new_buyer then 1 else 0 end) as new_buyers,
        sum(case when is_returning_buyer then 1 else 0 end) as returning_buyers,
        sum(case when is_new_buyer then amount_usd_in_month else 0 end) as new_buyer_amount_usd,
        sum(case when is_returning_buyer then amount_usd_in_month else 0 end) as returning_buyer_amount_usd
    from retention
    group by account_id, period_start

),

monthly as (

    select
        months.account_id,
        months.month_start,
        coalesce(monthly_orders.ta_orders, 0) as ta_orders,
        coalesce(monthly_orders.order_lines, 0) as order_lines,
        coalesce(monthly_orders.quantity, 0) as quantity,
        coalesce(monthly_orders.amount_usd, 0) as amount_usd,
        coalesce(monthly_orders.buyers, 0) as buyers,
        coalesce(buyer_amounts.new_buyers, 0) as new_buyers,
        coalesce(buyer_amounts.returning_buyers, 0) as returning_buyers,
        coalesce(buyer_amounts.new_buyer_amount_usd, 0) as new_buyer_amount_usd,
        coalesce(buyer_amounts.returning_buyer_amount_usd, 0) as returning_buyer_amount_usd,
        coalesce(monthly_orders.shipped_lines, 0) as shipped_lines,
        coalesce(monthly_orders.late_shipped_lines, 0) as late_shipped_lines,
        coalesce(monthly_orders.open_overdue_lines, 0) as open_overdue_lines,
        coalesce(monthly_orders.sample_orders, 0) as sample_orders,
        product_amounts.product_id as top_product_id,
        product_amounts.product_amount_usd as top_product_amount_usd,
        buyer_amounts.top_buyer_amount_usd,
        monthly_orders.amount_usd_with_cost,
        monthly_orders.margin_usd,
        monthly_orders.loaded_at
    from months
    left join monthly_orders
        on
            months.account_id = monthly_orders.account_id
            and months.month_start = monthly_orders.month_start
    left join product_amounts
        on
            months.account_id = product_amounts.account_id
            and months.month_start = product_amounts.month_start
            and product_amounts.product_rank = 1
    left join buyer_amounts
        on
            months.account_id = buyer_amounts.account_id
            and months.month_start = buyer_amounts.month_start

),

with_previous as (

    select
        monthly.*,
        previous_month.ta_orders as previous_ta_orders,
        previous_month.amount_usd as previous_amount_usd,
        {{ gscor_float_divide("cast(previous_month.amount_usd as " ~ gscor_type('float') ~ ")",
        'nullif(previous_month.ta_orders, 0)') }} as previous_aov_usd
    from monthly
    left join monthly as previous_month
        on
            monthly.account_id = previous_month.account_id
            and previous_month.month_start = {{ gscor_add_months('-1', 'monthly.month_start') }}

),

final as (

    select
        account_id,
        'month' as period_grain,
        month_start as period_start,
        {{ gscor_month_end('month_start') }} as period_end,
        ta_orders,
        order_lines,
        quantity,
        amount_usd,
        {{ gscor_float_divide("cast(amount_usd as " ~ gscor_type('float') ~ ")", 'nullif(ta_orders, 0)') }} as aov_usd,
        buyers,
        new_buyers,
        returning_buyers,
        new_buyer_amount_usd,
        returning_buyer_amount_usd,
        {{ gscor_float_divide(
            "cast(new_buyer_amount_usd as " ~ gscor_type('float') ~ ")",
            'nullif(amount_usd, 0)'
        ) }} as new_buyer_amount_share,
        shipped_lines,
        late_shipped_lines,
        {{ gscor_float_divide(
            "cast(late_shipped_lines as " ~ gscor_type('float') ~ ")",
            'nullif(shipped_lines, 0)'
        ) }} as late_shipment_share,
        open_overdue_lines,
        sample_orders,
        {{ gscor_float_divide(
            "cast(sample_orders as " ~ gscor_type('float') ~ ")",
            'nullif(ta_orders, 0)'
        ) }} as sample_order_share,
        top_product_id,
        top_product_amount_usd,
        {{ gscor_float_divide(
            "cast(top_product_amount_usd as " ~ gscor_type('float') ~ ")",
            'nullif(amount_usd, 0)'
        ) }} as top_product_share,
        top_buyer_amount_usd,
        {{ gscor_float_divide(
            "cast(top_buyer_amount_usd as " ~ gscor_type('float') ~ ")",
            'nullif(amount_usd, 0)'
        ) }} as top_buyer_share,
        amount_usd_with_cost,
        margin_usd,
        {{ gscor_float_divide(
            "cast(margin_usd as " ~ gscor_type('float') ~ ")",
            'nullif(amount_usd_with_cost, 0)'
        ) }} as margin_rate,
        previous_ta_orders,
        previous_amount_usd,
        previous_aov_usd,
        {{ gscor_float_divide("cast(ta_orders - previous_ta_orders as " ~ gscor_type('float') ~ ")",
        'nullif(previous_ta_orders, 0)') }} as ta_orders_mom_change,
        {{ gscor_float_divide("cast(amount_usd - previous_amount_usd as " ~ gscor_type('float') ~ ")",
        'nullif(previous_amount_usd, 0)') }} as amount_usd_mom_change,
        {{ gscor_float_divide(
            "(" ~ gscor_float_divide("cast(amount_usd as " ~ gscor_type('float') ~ ")", 'nullif(ta_orders, 0)')
            ~ " - previous_aov_usd)",
            'nullif(previous_aov_usd, 0)'
        ) }} as aov_usd_mom_change,
        loaded_at
    from with_previous

)

select * from final
