-- Per buyer (account × buyer identity) with any touchpoint, inquiry, TM conversation or order: the first touch
-- (channel 渠道, keyword 关键词, date) from buyer_touchpoints, the first inquiry, the first TM conversation, the
-- first Trade Assurance order, days from the first contact to the first order, and the touches before it
-- (touchpoints strictly before the first order's time, the 下单 touch itself excluded). Input for attribution (X03).
with

events as (

    select * from {{ ref('int_buyer_events_unioned') }}
    where buyer_key is not null

),

touches_ranked as (

    select
        account_id,
        buyer_key,
        occurred_at,
        channel,
        keyword,
        product_id,
        row_number() over (
            partition by account_id, buyer_key
            order by occurred_at, channel, touch_action, event_key
        ) as touch_seq
    from events
    where event_type = 'touchpoint'

),

first_touches as (

    select * from touches_ranked
    where touch_seq = 1

),

orders_ranked as (

    select
        account_id,
        buyer_key,
        order_id,
        occurred_at,
        row_number() over (
            partition by account_id, buyer_key
            order by occurred_at, order_id, event_key
        ) as order_seq
    from events
    where event_type = 'order_line'

),

first_orders as (

    select * from orders_ranked
    where order_seq = 1

),

buyer_firsts as (

    select
        account_id,
        buyer_key,
        min(customer_key) as customer_key,
        min(case when event_type = 'inquiry' then occurred_at end) as first_inquiry_at,
        min(case when event_type = 'tm' then occurred_at end) as first_tm_at,
        max(loaded_at) as loaded_at
    from events
    group by account_id, buyer_key

),

touches_before_order as (

    select
        events.account_id,
        events.buyer_key,
        count(*) as touches_before_first_order,
        count(distinct events.channel) as channels_before_first_order
    from events
    inner join first_orders
        on
            events.account_id = first_orders.account_id
            and events.buyer_key = first_orders.buyer_key
    where
        events.event_type = 'touchpoint'
        and events.occurred_at < first_orders.occurred_at
        and coalesce(events.touch_action, '') <> '下单'
    group by events.account_id, events.buyer_key

),

final as (

    select
        buyer_firsts.account_id,
        buyer_firsts.buyer_key,
        buyer_firsts.customer_key,
        first_touches.occurred_at as first_touch_at,
        cast(first_touches.occurred_at as date) as first_touch_date,
        first_touches.channel as first_touch_channel,
        first_touches.keyword as first_touch_keyword,
        first_touches.product_id as first_touch_product_id,
        buyer_firsts.first_inquiry_at,
        buyer_firsts.first_tm_at,
        first_orders.order_id as first_order_id,
        first_orders.occurred_at as first_order_at,
        case
            when first_orders.occurred_at is not null
                then {{ gscor_days_between(
                    'cast(least(
                        coalesce(first_touches.occurred_at, buyer_firsts.first_inquiry_at, buyer_firsts.first_tm_at,
                            first_orders.occurred_at),
                        coalesce(buyer_firsts.first_inquiry_at, first_orders.occurred_at),
                        coalesce(buyer_firsts.first_tm_at, first_orders.occurred_at),
                        first_orders.occurred_at
                    ) as date)',
                    'cast(first_orders.occurred_at as date)'
                ) }}
        end as days_to_first_order,
        coalesce(touches_before_order.touches_before_first_order, 0) as touches_before_first_order,
        coalesce(touches_before_order.channels_before_first_order, 0) as channels_before_first_order,
        first_orders.occurred_at is not null as has_ordered,
        buyer_firsts.loaded_at
    from buyer_firsts
    left join first_touches
        on
            buyer_firsts.account_id = first_touches.account_id
            and buyer_firsts.buyer_key = first_touches.buyer_key
    left join first_orders
        on
            buyer_firsts.account_id = first_orders.account_id
            and buyer_firsts.buyer_key = first_orders.buyer_key

    left join touches_before_order
        on
            buyer_firsts.account_id = touches_before_order.account_id
            and buyer_firsts.buyer_key = touches_before_order.buyer_key

)

select * from final
