-- What a funnel week led to, per account × back-office week (Sunday → Saturday), for fct_funnel_weekly:
--   order cohort  the week's inquiries (inquiry list, fct_conversations) and how many of them turned into a Trade
--                 Assurance order of the same buyer within order_cohort_days days (ordered_at in [inquiry time,
--                 inquiry time + N days]); the cohort is complete when the order data (int_order_data_coverage
--                 data_end) reaches the week's end + N days. Not this week's orders ÷ this week's inquiries:
--                 an order follows its inquiry by weeks (median 26 days on the demo store).
--   repurchase    buyers who ordered in the repurchase_window_days days up to the week's end, and those of them
--                 with >= 2 distinct orders in that window (NULL without order data covering the week).
--   reply speed   the week's inquiries in the inquiry list: replied within 24 h, replied after 24 h, unanswered
--                 (no reply; a seller-kept ledger row without reply time is unknown, not unanswered) and the median
--                 reply hours — the same counts rule C01 names.
--   S/A activity  customers of tier S or A (dim_customer: CRM 客户分级, else derived) and those of them with an
--                 order, inquiry or TM conversation in the active_customer_days days up to the week's end.
-- Settings: seed funnel_settings.
with

settings as (

    select
        max(case when parameter = 'order_cohort_days' then cast(value as integer) end) as cohort_days,
        max(case when parameter = 'repurchase_window_days' then cast(value as integer) end) as repurchase_days,
        max(case when parameter = 'active_customer_days' then cast(value as integer) end) as active_days
    from {{ ref('funnel_settings') }}

),

weeks as (

    select distinct
        account_id,
        week_start,
        {{ gscor_add_days(6, 'week_start') }} as week_end
    from {{ ref('int_funnel_weeks_assembled') }}

),

inquiries as (

    select
        account_id,
        conversation_key,
        customer_key,
        occurred_at,
        reply_hours,
        is_ledger_record,
        {{ gscor_week_start('period_start') }} as week_start
    from {{ ref('fct_conversations') }}
    where conversation_type = 'inquiry'

),

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

coverage as (

    select * from {{ ref('int_order_data_coverage') }}

),

inquiry_orders as (

    select
        inquiries.account_id,
        inquiries.week_start,
        inquiries.conversation_key,
        max(case when order_lines.order_line_key is not null then 1 else 0 end) as converted
    from inquiries
    cross join settings
    left join order_lines
        on
            inquiries.account_id = order_lines.account_id
            and inquiries.customer_key = order_lines.customer_key
            and inquiries.occurred_at <= order_lines.ordered_at
            and order_lines.ordered_at
            <= {{ gscor_timestamp_add('day', 'settings.cohort_days', 'inquiries.occurred_at') }}
    group by inquiries.account_id, inquiries.week_start, inquiries.conversation_key

),

cohorts as (

    select
        account_id,
        week_start,
        count(*) as cohort_inquiries,
        cast(sum(converted) as bigint) as cohort_converted
    from inquiry_orders
    group by account_id, week_start

),

replies as (

    select
        account_id,
        week_start,
        cast(sum(case when reply_hours <= 24 then 1 else 0 end) as bigint) as inquiries_replied_24h,
        cast(sum(case when reply_hours > 24 then 1 else 0 end) as bigint) as inquiries_replied_late,
        cast(sum(case when reply_hours is null and not is_ledger_record then 1 else 0 end) as bigint)
            as inquiries_unanswered,
        {{ gscor_percentile('reply_hours', 0.5) }} as inquiry_reply_hours_median
    from inquiries
    group by account_id, week_start

),

buyer_windows as (

    select
        weeks.account_id,
        weeks.week_start,
        order_lines.customer_key,
        count(distinct order_lines.order_id) as orders
    from weeks
    cross join settings
    inner join order_lines
        on
            weeks.account_id = order_lines.account_id
            and weeks.week_end >= order_lines.period_start
            and order_lines.period_start > {{ gscor_add_days('- settings.repurchase_days', 'weeks.week_end') }}
    where order_lines.customer_key is not null
    group by weeks.account_id, weeks.week_start, order_lines.customer_key

),

repurchase as (

    select
        account_id,
        week_start,
        count(*) as repurchase_buyers,
        cast(sum(case when orders >= 2 then 1 else 0 end) as bigint) as repeat_buyers
    from buyer_windows
    group by account_id, week_start

),

sa_customers as (

    select
        account_id,
        customer_key
    from {{ ref('dim_customer') }}
    where customer_tier in ('S', 'A')

),

customer_events as (

    select
        account_id,
        customer_key,
        cast(occurred_at as date) as event_date
    from {{ ref('fct_conversations') }}
    where customer_key is not null
    union all
    select
        account_id,
        customer_key,
        period_start as event_date
    from order_lines
    where customer_key is not null

),

sa_activity as (

    select
        weeks.account_id,
        weeks.week_start,
        count(distinct sa_customers.customer_key) as sa_customers,
        count(distinct case when customer_events.customer_key is not null then sa_customers.customer_key end)
            as active_sa_customers
    from weeks
    cross join settings
    inner join sa_customers
        on weeks.account_id = sa_customers.account_id
    left join customer_events
        on
            sa_customers.account_id = customer_events.account_id
            and sa_customers.customer_key = customer_events.customer_key
            and weeks.week_end >= customer_events.event_date
            and customer_events.event_date > {{ gscor_add_days('- settings.active_days', 'weeks.week_end') }}
    group by weeks.account_id, weeks.week_start

),

final as (

    select
        weeks.account_id,
        weeks.week_start,
        settings.cohort_days as order_cohort_days,
        cohorts.cohort_inquiries as order_cohort_inquiries,
        cohorts.cohort_converted as order_cohort_converted,
        coalesce(
            {{ gscor_add_days('settings.cohort_days', 'weeks.week_end') }} <= coverage.data_end, false
        ) as order_cohort_complete,
        case
            when
                coverage.data_end is not null
                and weeks.week_end <= coverage.data_end
                and weeks.week_end >= coverage.first_order_date
                then coalesce(repurchase.repurchase_buyers, 0)
        end as repurchase_buyers,
        case
            when
                coverage.data_end is not null
                and weeks.week_end <= coverage.data_end
                and weeks.week_end >= coverage.first_order_date
                then coalesce(repurchase.repeat_buyers, 0)
        end as repeat_buyers,
        replies.inquiries_replied_24h,
        replies.inquiries_replied_late,
        replies.inquiries_unanswered,
        replies.inquiry_reply_hours_median,
        sa_activity.sa_customers,
        sa_activity.active_sa_customers
    from weeks
    cross join settings
    left join cohorts
        on weeks.account_id = cohorts.account_id and weeks.week_start = cohorts.week_start
    left join coverage
        on weeks.account_id = coverage.account_id
    left join repurchase
        on weeks.account_id = repurchase.account_id and weeks.week_start = repurchase.week_start
    left join replies
        on weeks.account_id = replies.account_id and weeks.week_start = replies.week_start
    left join sa_activity
        on weeks.account_id = sa_activity.account_id and weeks.week_start = sa_activity.week_start

)

select * from final
