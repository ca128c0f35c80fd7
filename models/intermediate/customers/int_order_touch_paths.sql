{{ config(materialized="table") }}
-- (a table: both X03 marts read it and the buyer-identity views under it take seconds to evaluate)
-- The touch path of every Trade Assurance order (信保订单) of a known buyer, for attribution (X03): one row per
-- order × touchpoint (买家行为路径) on its path; an order with no touch on its path keeps one row with the touch
-- columns NULL (touches_in_path = 0).
-- Path of an order = the buyer's touchpoints after the buyer's previous order (exclusive) and up to the order's time
-- (inclusive); for the buyer's first order that is everything from the first touch. So every touch counts toward
-- one order only, and a re-order without fresh touches has an empty path (unattributed). Order touches (行为 下单,
-- or a touch carrying an order id) are the conversion itself and are not on the path.
-- Channel: matched to the seed channel_map (normalised text) → the canonical 渠道 name (搜索, 外贸直通车, 会场, 站外 …);
-- an unknown channel keeps its text, class 'other'. Keyword: normalised (lower case, trimmed, widths folded).
-- Orders: order lines (one per order × product) grouped per order id: earliest line time, summed amount (USD).
with

events as (

    select * from {{ ref('int_buyer_events_unioned') }}
    where buyer_key is not null

),

channel_map as (

    select * from {{ ref('channel_map') }}

),

orders as (

    select
        account_id,
        buyer_key,
        order_id,
        min(customer_key) as customer_key,
        min(occurred_at) as ordered_at,
        sum(amount_usd) as amount_usd,
        count(*) as order_lines
    from events
    where event_type = 'order_line' and order_id is not null
    group by account_id, buyer_key, order_id

),

orders_sequenced as (

    select
        orders.*,
        lag(orders.ordered_at) over (
            partition by orders.account_id, orders.buyer_key
            order by orders.ordered_at, orders.order_id
        ) as previous_order_at,
        row_number() over (
            partition by orders.account_id, orders.buyer_key
            order by orders.ordered_at, orders.order_id
        ) as buyer_order_number
    from orders

),

touches as (

    select
        events.account_id,
        events.buyer_key,
        events.event_key,
        events.occurred_at as touched_at,
        events.touch_action,
        coalesce(channel_map.channel_name_zh, events.channel) as channel,
        coalesce(channel_map.channel_name_en, events.channel) as channel_name_en,
        coalesce(channel_map.channel_class, 'other') as channel_class,
        {{ gscor_normalise_text('events.keyword') }} as keyword
    from events
    left join channel_map
        on {{ gscor_normalise_text('events.channel') }} = channel_map.channel_key
    where
        events.event_type = 'touchpoint'
        and events.order_id is null
        and coalesce(events.touch_action, '') <> '下单'

),

paths as (

    select
        orders_sequenced.account_id,
        orders_sequenced.buyer_key,
        orders_sequenced.customer_key,
        orders_sequenced.order_id,
        orders_sequenced.ordered_at,
        orders_sequenced.amount_usd,
        orders_sequenced.order_lines,
        orders_sequenced.buyer_order_number,
        orders_sequenced.previous_order_at,
        touches.event_key as touch_event_key,
        touches.touched_at,
        touches.touch_action,
        touches.channel,
        touches.channel_name_en,
        touches.channel_class,
        touches.keyword
    from orders_sequenced
    left join touches
        on
            orders_sequenced.account_id = touches.account_id
            and orders_sequenced.buyer_key = touches.buyer_key
            and orders_sequenced.ordered_at >= touches.touched_at
            and (
                orders_sequenced.previous_order_at is null
                or orders_sequenced.previous_order_at < touches.touched_at
            )

),

final as (

    select
        paths.*,
        case
            when paths.touch_event_key is not null
                then row_number() over (
                    partition by paths.account_id, paths.order_id
                    order by paths.touched_at, paths.channel, paths.touch_action, paths.touch_event_key
                )
        end as touch_seq,
        count(paths.touch_event_key) over (partition by paths.account_id, paths.order_id) as touches_in_path,
        case
            when paths.keyword is not null
                then row_number() over (
                    partition by paths.account_id, paths.order_id, paths.keyword is not null
                    order by paths.touched_at, paths.channel, paths.touch_action, paths.touch_event_key
                )
        end as keyword_seq,
        count(paths.keyword) over (partition by paths.account_id, paths.order_id) as keyword_touches_in_path,
        min(paths.touched_at) over (partition by paths.account_id, paths.order_id) as path_first_touch_at
    from paths

)

select * from final
