-- Reconciliation (C): per account and China-time day, the landing inquiries (询盘) and TM conversations (TM咨询)
-- of the latest load only (same de-duplication as staging: latest load per natural key) = staging =
-- fct_conversations, for the count of records and the inquiry quantity (采购数量 of the platform list).
-- Returns the days where any of them differ.
with

landing_inquiries_ranked as (

    select
        account_id,
        inquiry_at,
        quantity,
        row_number() over (
            partition by
                account_id,
                inquiry_id,
                case when inquiry_id is null then inquiry_at end,
                case when inquiry_id is null then {{ gscor_pii_key('buyer_name') }} end,
                case when inquiry_id is null then product_id end
            order by loaded_at desc, source_sha256 desc, source_row desc
        ) as load_rank
    from {{ source('alibaba', 'inquiries') }}

),

landing_tm_ranked as (

    select
        account_id,
        started_at,
        row_number() over (
            partition by account_id, conversation_id
            order by loaded_at desc, source_sha256 desc, source_row desc
        ) as load_rank
    from {{ source('alibaba', 'tm_conversations') }}

),

landing as (

    select
        account_id,
        cast(inquiry_at as date) as event_day,
        count(*) as inquiries,
        0 as tm_conversations,
        coalesce(sum(quantity), 0) as quantity
    from landing_inquiries_ranked
    where load_rank = 1
    group by account_id, cast(inquiry_at as date)
    union all
    select
        account_id,
        cast(started_at as date) as event_day,
        0 as inquiries,
        count(*) as tm_conversations,
        0 as quantity
    from landing_tm_ranked
    where load_rank = 1
    group by account_id, cast(started_at as date)

),

staging as (

    select
        account_id,
        cast(inquiry_at as date) as event_day,
        count(*) as inquiries,
        0 as tm_conversations,
        coalesce(sum(quantity), 0) as quantity
    from {{ ref('stg_alibaba__inquiries') }}
    group by account_id, cast(inquiry_at as date)
    union all
    select
        account_id,
        cast(started_at as date) as event_day,
        0 as inquiries,
        count(*) as tm_conversations,
        0 as quantity
    from {{ ref('stg_alibaba__tm_conversations') }}
    group by account_id, cast(started_at as date)

),

fact as (

    select
        account_id,
        period_start as event_day,
        sum(case when conversation_type = 'inquiry' then 1 else 0 end) as inquiries,
        sum(case when conversation_type = 'tm' then 1 else 0 end) as tm_conversations,
        -- the platform list's 采购数量 only: ledger quantities are parsed from 备注 and have no landing column
        coalesce(sum(case when not is_ledger_record then quantity end), 0) as quantity
    from {{ ref('fct_conversations') }}
    group by account_id, period_start

),

totals as (

    select
        'landing' as layer,
        account_id,
        event_day,
        sum(inquiries) as inquiries,
        sum(tm_conversations) as tm_conversations,
        sum(quantity) as quantity
    from landing
    group by account_id, event_day
    union all
    select
        'staging' as layer,
        account_id,
        event_day,
        sum(inquiries) as inquiries,
        sum(tm_conversations) as tm_conversations,
        sum(quantity) as quantity
    from staging
    group by account_id, event_day
    union all
    select
        'fact' as layer,
        account_id,
        event_day,
        inquiries,
        tm_conversations,
        quantity
    from fact

)

select
    account_id,
    event_day,
    sum(case when layer = 'landing' then inquiries else 0 end) as landing_inquiries,
    sum(case when layer = 'staging' then inquiries else 0 end) as staging_inquiries,
    sum(case when layer = 'fact' then inquiries else 0 end) as fact_inquiries,
    sum(case when layer = 'landing' then tm_conversations else 0 end) as landing_tm,
    sum(case when layer = 'staging' then tm_conversations else 0 end) as staging_tm,
    sum(case when layer = 'fact' then tm_conversations else 0 end) as fact_tm,
    sum(case when layer = 'landing' then quantity else 0 end) as landing_quantity,
    sum(case when layer = 'staging' then quantity else 0 end) as staging_quantity,
    sum(case when layer = 'fact' then quantity else 0 end) as fact_quantity
from totals
group by account_id, event_day
having
    sum(case when layer = 'landing' then inquiries else 0 end)
    <> sum(case when layer = 'staging' then inquiries else 0 end)
    or sum(case when layer = 'staging' then inquiries else 0 end)
    <> sum(case when layer = 'fact' then inquiries else 0 end)
    or sum(case when layer = 'landing' then tm_conversations else 0 end)
    <> sum(case when layer = 'staging' then tm_conversations else 0 end)
    or sum(case when layer = 'staging' then tm_conversations else 0 end)
    <> sum(case when layer = 'fact' then tm_conversations else 0 end)
    or abs(
        sum(case when layer = 'landing' then quantity else 0 end)
        - sum(case when layer = 'staging' then quantity else 0 end)
    )
    > 0.001
    or abs(
        sum(case when layer = 'staging' then quantity else 0 end)
        - sum(case when layer = 'fact' then quantity else 0 end)
    )
    > 0.001
