-- Inquiry conversion per account × back-office week (Sunday → Saturday, China-time dates), from
-- fct_conversations and fct_order_lines. unique_inquiring_buyers is a distinct count over the week's own
-- inquiry events (never a sum of daily uniques). An inquiry converts when its buyer places a Trade Assurance
-- order within 30 days after the inquiry (ordered_at in [inquiry time, inquiry time + 30 days]);
-- conversion_window_complete is false while 30 days after the week's end are not yet covered by the orders.
with

conversations as (

    select * from {{ ref('fct_conversations') }}

),

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

inquiry_orders as (

    select
        conversations.conversation_key,
        max(case when order_lines.order_line_key is not null then 1 else 0 end) as converted_30d
    from conversations
    left join order_lines
        on
            conversations.account_id = order_lines.account_id
            and conversations.customer_key = order_lines.customer_key
            and conversations.occurred_at <= order_lines.ordered_at
            and order_lines.ordered_at <= {{ gscor_timestamp_add('day', '30', 'conversations.occurred_at') }}
    where conversations.conversation_type = 'inquiry'
    group by conversations.conversation_key

),

account_order_coverage as (

    select
        account_id,
        max(export_end_date) as orders_covered_until
    from order_lines
    group by account_id

),

weekly as (

    select
        conversations.account_id,
        {{ gscor_week_start('conversations.period_start') }} as week_start,
        sum(case when conversations.conversation_type = 'inquiry' then 1 else 0 end) as inquiries,
        sum(case when conversations.conversation_type = 'tm' then 1 else 0 end) as tm_conversations,
        count(distinct case
            when conversations.conversation_type = 'inquiry' then conversations.customer_key
        end) as unique_inquiring_buyers,
        count(conversations.reply_hours) as conversations_with_reply_time,
        avg(conversations.reply_hours) as reply_hours_avg,
        {{ gscor_percentile('conversations.reply_hours', 0.5) }} as reply_hours_median,
        {{ gscor_percentile('conversations.reply_hours', 0.9) }} as reply_hours_p90,
        sum(case when conversations.replied_within_24h then 1 else 0 end) as replied_within_24h,
        count(conversations.replied_within_24h) as conversations_with_reply_status,
        sum(case
            when conversations.conversation_type = 'inquiry' and conversations.demand_type = 'sample' then 1 else 0
        end) as sample_inquiries,
        sum(case
            when conversations.conversation_type = 'inquiry' and conversations.demand_type = 'bulk' then 1 else 0
        end) as bulk_inquiries,
        sum(case
            when conversations.conversation_type = 'inquiry' and conversations.demand_type is not null then 1 else 0
        end) as inquiries_with_demand_type,
        sum(case
            when conversations.conversation_type = 'inquiry' and conversations.is_target_market then 1 else 0
        end) as target_market_inquiries,
        sum(case
            when conversations.conversation_type = 'inquiry' and conversations.is_target_market is not null
                then 1
            else 0
        end) as inquiries_with_country,
        sum(coalesce(inquiry_orders.converted_30d, 0)) as inquiries_converted_30d,
        max(conversations.loaded_at) as loaded_at
    from conversations
    left join inquiry_orders
        on conversations.conversation_key = inquiry_orders.conversation_key
    group by conversations.account_id, {{ gscor_week_start('conversations.period_start') }}

),

final as (

    select
        weekly.account_id,
        'week' as period_grain,
        weekly.week_start as period_start,
        {{ gscor_add_days('6', 'weekly.week_start') }} as period_end,
        weekly.inquiries,
        weekly.tm_conversations,
        weekly.unique_inquiring_buyers,
        weekly.conversations_with_reply_time,
        weekly.reply_hours_avg,
        weekly.reply_hours_median,
        weekly.reply_hours_p90,
        weekly.replied_within_24h,
        {{ gscor_float_divide("cast(weekly.replied_within_24h as " ~ gscor_type('float') ~ ")",
        'nullif(weekly.conversations_with_reply_status, 0)') }} as replied_within_24h_share,
        weekly.sample_inquiries,
        weekly.bulk_inquiries,
        {{ gscor_float_divide("cast(weekly.sample_inquiries as " ~ gscor_type('float') ~ ")",
        'nullif(weekly.inquiries_with_demand_type, 0)') }} as sample_share,
        {{ gscor_float_divide("cast(weekly.bulk_inquiries as " ~ gscor_type('float') ~ ")",
        'nullif(weekly.inquiries_with_demand_type, 0)') }} as bulk_share,
        weekly.target_market_inquiries,
        {{ gscor_float_divide("cast(weekly.target_market_inquiries as " ~ gscor_type('float') ~ ")",
        'nullif(weekly.inquiries_with_country, 0)') }} as target_market_share,
        weekly.inquiries_converted_30d,
        {{ gscor_float_divide("cast(weekly.inquiries_converted_30d as " ~ gscor_type('float') ~ ")",
        'nullif(weekly.inquiries, 0)') }} as conversion_rate_30d,
        coalesce(
            {{ gscor_add_days('36', 'weekly.week_start') }}
            <= account_order_coverage.orders_covered_until,
            false
        ) as conversion_window_complete,
        weekly.loaded_at
    from weekly
    left join account_order_coverage
        on weekly.account_id = account_order_coverage.account_id

)

select * from final
