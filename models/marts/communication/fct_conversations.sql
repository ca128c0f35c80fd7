{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **gscor_incremental_config(['account_id', 'period_grain', 'period_start'])
) }}
-- C: one row per inquiry (询盘, platform list or the seller-kept ledger 询盘台账) and per TM conversation (TM咨询).
-- Period: the China-time date of the event (the lists are in China time), period_grain 'day'.
-- The ledger has no 询盘编号, 询盘来源, 需求类型, 采购数量 or 首次回复时间: its demand type and quantity are read
-- from 备注 ("样品 10 pairs"), its source class is 'unknown' and its reply fields stay NULL (unknown, never 0).
with

identifiers as (

    select * from {{ ref('int_buyer_identifiers_mapped') }}

),

target_markets as (

    select * from {{ ref('target_markets') }}

),

source_classes as (

    select * from {{ ref('inquiry_source_classes') }}

),

inquiries as (

    select
        account_id,
        inquiries_sk as conversation_key,
        'inquiry' as conversation_type,
        inquiry_id is null as is_ledger_record,
        coalesce(inquiry_id, inquiries_sk) as conversation_id,
        inquiry_at as occurred_at,
        {{ gscor_buyer_ref('buyer_name_key', 'buyer_email_key') }} as buyer_ref,
        buyer_country as country,
        buyer_level,
        product_id,
        inquiry_source,
        contact_method,
        coalesce(
            demand_type,
            {{ gscor_regexp_extract('notes', '(样品|批量|定制)', 1) }}
        ) as demand_type_zh,
        coalesce(
            quantity,
            {{ gscor_safe_cast(gscor_regexp_extract('notes', '([0-9]+(\\.[0-9]+)?)', 1), 'numeric') }}
        ) as quantity,
        coalesce(quantity_unit, {{ gscor_regexp_extract('notes', '[0-9][0-9.]*\\s+([A-Za-z]+)', 1) }}) as quantity_unit,
        first_reply_at,
        case
            when first_reply_at is not null
                then {{ gscor_divide(gscor_seconds_between('inquiry_at', 'first_reply_at'), '3600.0') }}
        end as reply_hours,
        follower,
        follow_up_level,
        status,
        lost_reason,
        cast(null as {{ gscor_type('int') }}) as message_count,
        cast(null as {{ gscor_type('boolean') }}) as used_quick_reply,
        cast(null as {{ gscor_type('boolean') }}) as sent_product_card,
        source_timezone,
        source_sha256,
        source_row,
        loaded_at
    from {{ ref('stg_alibaba__inquiries') }}

),

tm_conversations as (

    select
        account_id,
        tm_conversations_sk as conversation_key,
        'tm' as conversation_type,
        false as is_ledger_record,
        conversation_id,
        started_at as occurred_at,
        {{ gscor_buyer_ref('buyer_name_key', 'null') }} as buyer_ref,
        buyer_country as country,
        cast(null as {{ gscor_type('string') }}) as buyer_level,
        product_id,
        null as inquiry_source,
        'TM' as contact_method,
        null as demand_type_zh,
        null as quantity,
        null as quantity_unit,
        cast(null as {{ gscor_type('timestamp') }}) as first_reply_at,
        {{ gscor_divide('first_response_minutes', '60.0') }} as reply_hours,
        agent as follower,
        null as follow_up_level,
        null as status,
        null as lost_reason,
        message_count,
        used_quick_reply,
        sent_product_card,
        source_timezone,
        source_sha256,
        source_row,
        loaded_at
    from {{ ref('stg_alibaba__tm_conversations') }}

),

conversations as (

    select * from inquiries
    union all
    select * from tm_conversations

),

final as (

    select
        conversations.conversation_key,
        conversations.account_id,
        'day' as period_grain,
        cast(conversations.occurred_at as date) as period_start,
        cast(conversations.occurred_at as date) as period_end,
        conversations.conversation_type,
        conversations.conversation_id,
        conversations.is_ledger_record,
        conversations.occurred_at,
        identifiers.customer_key,
        conversations.product_id,
        case
            when conversations.product_id is not null
                then {{ gscor_surrogate_key(['conversations.account_id', 'conversations.product_id']) }}
        end as product_key,
        conversations.country,
        case
            when conversations.country is null then null
            else coalesce(account_market.is_target, default_market.is_target, false)
        end as is_target_market,
        conversations.buyer_level,
        conversations.inquiry_source,
        case
            when conversations.conversation_type = 'tm' then 'tm'
            when conversations.inquiry_source is null then 'unknown'
            else coalesce(source_classes.source_class, 'other')
        end as source_class,
        conversations.contact_method,
        conversations.demand_type_zh,
        case conversations.demand_type_zh
            when '样品' then 'sample'
            when '批量' then 'bulk'
            when '定制' then 'custom'
        end as demand_type,
        conversations.quantity,
        conversations.quantity_unit,
        conversations.first_reply_at,
        conversations.reply_hours,
        case
            when conversations.reply_hours is not null then conversations.reply_hours <= 24
            when conversations.is_ledger_record then null
            else false
        end as replied_within_24h,
        conversations.follower,
        conversations.follow_up_level,
        conversations.status,
        conversations.lost_reason,
        conversations.message_count,
        conversations.used_quick_reply,
        conversations.sent_product_card,
        conversations.source_timezone,
        conversations.source_sha256,
        conversations.source_row,
        conversations.loaded_at
    from conversations
    left join identifiers
        on
            conversations.account_id = identifiers.account_id
            and conversations.buyer_ref = identifiers.buyer_ref
    left join source_classes
        on conversations.inquiry_source = source_classes.inquiry_source
    left join target_markets as account_market
        on
            conversations.account_id = account_market.account_id
            and lower(trim(conversations.country)) = lower(trim(account_market.country))
    left join target_markets as default_market
        on
            default_market.account_id is null
            and lower(trim(conversations.country)) = lower(trim(default_market.country))

)

select final.* from final
{{ gscor_only_changed_periods('final') }}
