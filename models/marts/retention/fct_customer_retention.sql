{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **gscor_incremental_config(['account_id', 'period_grain', 'period_start'])
) }}
-- R: one row per account × calendar month (China time) × customer who ordered (信保订单), inquired (询盘) or
-- started a TM conversation (TM咨询) in that month. Definitions:
--   is_new_buyer        ordered in the month and never before it (in the loaded history);
--   is_returning_buyer  ordered in the month and also in an earlier month;
--   orders_prior_12m    distinct orders in the 12 months before the month's first day;
--   is_repeat_buyer_12m ordered in the month and has >= 2 distinct orders in the 12 months ending with the
--                       month (this month included): the numerator of repurchase_rate;
--   months_since_previous_order  months between this month and the latest earlier month with an order;
--   is_churned / churn_reason    the CRM (latest snapshot) names a 流失原因 for the customer.
-- loaded_at is the newest load among the customer's events up to the month's end, so a late-arriving earlier
-- event re-computes the later months on an incremental run.
with

events as (

    select * from {{ ref('int_buyer_events_unioned') }}
    where buyer_key is not null and event_type in ('inquiry', 'tm', 'order_line')

),

buyers as (

    select * from {{ ref('int_buyers_unified') }}

),

monthly as (

    select
        account_id,
        buyer_key,
        {{ gscor_month_start('event_date') }} as month_start,
        min(customer_key) as customer_key,
        count(distinct case when event_type = 'order_line' then order_id end) as orders_in_month,
        count(case when event_type = 'order_line' then event_key end) as order_lines_in_month,
        coalesce(sum(case when event_type = 'order_line' then amount_usd end), 0) as amount_usd_in_month,
        sum(case when event_type = 'inquiry' then 1 else 0 end) as inquiries_in_month,
        sum(case when event_type = 'tm' then 1 else 0 end) as tm_conversations_in_month
    from events
    group by account_id, buyer_key, {{ gscor_month_start('event_date') }}

),

order_history as (

    select
        account_id,
        buyer_key,
        order_id,
        min({{ gscor_month_start('event_date') }}) as order_month
    from events
    where event_type = 'order_line'
    group by account_id, buyer_key, order_id

),

history_per_month as (

    select
        monthly.account_id,
        monthly.buyer_key,
        monthly.month_start,
        count(distinct case
            when order_history.order_month < monthly.month_start then order_history.order_id
        end) as orders_before_month,
        count(distinct case
            when
                order_history.order_month < monthly.month_start
                and order_history.order_month
                >= {{ gscor_add_months('-12', 'monthly.month_start') }}
                then order_history.order_id
        end) as orders_prior_12m,
        count(distinct case
            when
                order_history.order_month <= monthly.month_start
                and order_history.order_month
                > {{ gscor_add_months('-12', 'monthly.month_start') }}
                then order_history.order_id
        end) as orders_12m_incl_month,
        max(case
            when order_history.order_month < monthly.month_start then order_history.order_month
        end) as previous_order_month
    from monthly
    left join order_history
        on
            monthly.account_id = order_history.account_id
            and monthly.buyer_key = order_history.buyer_key
    group by monthly.account_id, monthly.buyer_key, monthly.month_start

),

loads_per_month as (

    select
        monthly.account_id,
        monthly.buyer_key,
        monthly.month_start,
        max(events.loaded_at) as loaded_at
    from monthly
    inner join events
        on
            monthly.account_id = events.account_id
            and monthly.buyer_key = events.buyer_key
            and events.event_date <= {{ gscor_month_end('monthly.month_start') }}
    group by monthly.account_id, monthly.buyer_key, monthly.month_start

),

final as (

    select
        monthly.account_id,
        'month' as period_grain,
        monthly.month_start as period_start,
        {{ gscor_month_end('monthly.month_start') }} as period_end,
        monthly.customer_key,
        monthly.orders_in_month,
        monthly.order_lines_in_month,
        monthly.amount_usd_in_month,
        monthly.inquiries_in_month,
        monthly.tm_conversations_in_month,
        monthly.orders_in_month > 0 as has_ordered_in_month,
        history_per_month.orders_before_month > 0 as has_ordered_before,
        monthly.orders_in_month > 0 and history_per_month.orders_before_month = 0 as is_new_buyer,
        monthly.orders_in_month > 0 and history_per_month.orders_before_month > 0 as is_returning_buyer,
        history_per_month.orders_prior_12m,
        history_per_month.orders_12m_incl_month as orders_12m,
        monthly.orders_in_month > 0 and history_per_month.orders_12m_incl_month >= 2 as is_repeat_buyer_12m,
        case
            when history_per_month.previous_order_month is not null
                then {{ gscor_months_between('history_per_month.previous_order_month', 'monthly.month_start') }}
        end as months_since_previous_order,
        buyers.churn_reason is not null as is_churned,
        buyers.churn_reason,
        loads_per_month.loaded_at
    from monthly
    inner join history_per_month
        on
            monthly.account_id = history_per_month.account_id
            and monthly.buyer_key = history_per_month.buyer_key
            and monthly.month_start = history_per_month.month_start
    inner join loads_per_month
        on
            monthly.account_id = loads_per_month.account_id
            and monthly.buyer_key = loads_per_month.buyer_key
            and monthly.month_start = loads_per_month.month_start
    left join buyers
        on
            monthly.account_id = buyers.account_id
            and monthly.buyer_key = buyers.buyer_key

)

select final.* from final
{{ gscor_only_changed_periods('final') }}
