-- One row per buyer event of the C/O/R lists, with the buyer identity resolved (int_buyer_identifiers_mapped):
-- inquiries (询盘, incl. the seller-kept ledger), TM conversations (TM咨询), order lines (信保订单, one per order ×
-- product) and buyer touchpoints (买家行为路径). Timestamps are China time, as the lists give them.
with

identifiers as (

    select * from {{ ref('int_buyer_identifiers_mapped') }}

),

inquiry_events as (

    select
        account_id,
        'inquiry' as event_type,
        inquiries_sk as event_key,
        inquiry_id as event_id,
        inquiry_at as occurred_at,
        {{ gscor_buyer_ref('buyer_name_key', 'buyer_email_key') }} as buyer_ref,
        buyer_country as country,
        product_id,
        cast(null as {{ gscor_type('string') }}) as order_id,
        cast(null as {{ gscor_type('numeric') }}) as amount_usd,
        cast(null as {{ gscor_type('string') }}) as channel,
        cast(null as {{ gscor_type('string') }}) as keyword,
        cast(null as {{ gscor_type('string') }}) as touch_action,
        loaded_at
    from {{ ref('stg_alibaba__inquiries') }}

),

tm_events as (

    select
        account_id,
        'tm' as event_type,
        tm_conversations_sk as event_key,
        conversation_id as event_id,
        started_at as occurred_at,
        {{ gscor_buyer_ref('buyer_name_key', 'null') }} as buyer_ref,
        buyer_country as country,
        product_id,
        null as order_id,
        null as amount_usd,
        null as channel,
        null as keyword,
        null as touch_action,
        loaded_at
    from {{ ref('stg_alibaba__tm_conversations') }}

),

order_events as (

    select
        account_id,
        'order_line' as event_type,
        orders_sk as event_key,
        order_id as event_id,
        ordered_at as occurred_at,
        {{ gscor_buyer_ref('buyer_name_key', 'null') }} as buyer_ref,
        buyer_country as country,
        product_id,
        order_id,
        amount_usd,
        null as channel,
        null as keyword,
        null as touch_action,
        loaded_at
    from {{ ref('stg_alibaba__orders') }}

),

touchpoint_events as (

    select
        account_id,
        'touchpoint' as event_type,
        buyer_touchpoints_sk as event_key,
        cast(null as {{ gscor_type('string') }}) as event_id,
        touched_at as occurred_at,
        {{ gscor_buyer_id_ref('buyer_id') }} as buyer_ref,
        null as country,
        product_id,
        order_id,
        null as amount_usd,
        channel,
        keyword,
        action as touch_action,
        loaded_at
    from {{ ref('stg_alibaba__buyer_touchpoints') }}

),

events as (

    select * from inquiry_events
    union all
    select * from tm_events
    union all
    select * from order_events
    union all
    select * from touchpoint_events

),

final as (

    select
        events.account_id,
        events.event_type,
        events.event_key,
        events.event_id,
        events.occurred_at,
        cast(events.occurred_at as date) as event_date,
        identifiers.buyer_key,
        identifiers.customer_key,
        events.country,
        events.product_id,
        events.order_id,
        events.amount_usd,
        events.channel,
        events.keyword,
        events.touch_action,
        events.loaded_at
    from events
    left join identifiers
        on
            events.account_id = identifiers.account_id
            and events.buyer_ref = identifiers.buyer_ref

)

select * from final
