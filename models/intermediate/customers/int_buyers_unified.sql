-- One buyer identity per account (buyer_key, see int_buyer_identifiers_mapped for the matching rule) across
-- inquiries, TM conversations, orders, the CRM (客户管理) and buyer touchpoints, with the CRM attributes of its
-- latest snapshot and the first / last event of each kind. Hashes only: no name or e-mail.
with

identifiers as (

    select * from {{ ref('int_buyer_identifiers_mapped') }}

),

events as (

    select * from {{ ref('int_buyer_events_unioned') }}

),

buyers as (

    select
        account_id,
        buyer_key,
        min(customer_key) as customer_key,
        min(crm_customer_id) as crm_customer_id,
        min(
            case
                when matched_by in ('crm_name', 'crm_email', 'crm_id') then 1
                when ref_type = 'name' then 2
                when ref_type = 'email' then 3
                else 4
            end
        ) as identity_rank
    from identifiers
    group by account_id, buyer_key

),

crm_snapshots as (

    select
        account_id,
        customer_id,
        country,
        customer_tier,
        first_contact_date,
        last_contact_date,
        account_manager,
        churn_reason,
        period_end as crm_snapshot_date,
        row_number() over (
            partition by account_id, customer_id
            order by period_end desc, loaded_at desc, source_sha256 desc, source_row desc
        ) as snapshot_rank
    from {{ ref('stg_alibaba__customers') }}

),

crm_latest as (

    select * from crm_snapshots
    where snapshot_rank = 1

),

event_summary as (

    select
        account_id,
        buyer_key,
        min(case when event_type = 'inquiry' then occurred_at end) as first_inquiry_at,
        max(case when event_type = 'inquiry' then occurred_at end) as last_inquiry_at,
        sum(case when event_type = 'inquiry' then 1 else 0 end) as inquiries,
        min(case when event_type = 'tm' then occurred_at end) as first_tm_at,
        max(case when event_type = 'tm' then occurred_at end) as last_tm_at,
        sum(case when event_type = 'tm' then 1 else 0 end) as tm_conversations,
        min(case when event_type = 'order_line' then occurred_at end) as first_order_at,
        max(case when event_type = 'order_line' then occurred_at end) as last_order_at,
        count(distinct case when event_type = 'order_line' then order_id end) as lifetime_orders,
        sum(case when event_type = 'order_line' then amount_usd end) as lifetime_amount_usd,
        min(case when event_type = 'touchpoint' then occurred_at end) as first_touch_at,
        sum(case when event_type = 'touchpoint' then 1 else 0 end) as touchpoints,
        max(loaded_at) as loaded_at
    from events
    where buyer_key is not null
    group by account_id, buyer_key

),

latest_event_country as (

    select
        account_id,
        buyer_key,
        country,
        row_number() over (
            partition by account_id, buyer_key
            order by occurred_at desc, event_type asc, event_key asc
        ) as country_rank
    from events
    where buyer_key is not null and country is not null

),

final as (

    select
        buyers.account_id,
        buyers.buyer_key,
        buyers.customer_key,
        buyers.crm_customer_id,
        case buyers.identity_rank
            when 1 then 'crm'
            when 2 then 'name'
            when 3 then 'email'
            else 'touchpoint_id'
        end as identity_basis,
        buyers.crm_customer_id is not null as is_in_crm,
        coalesce(crm_latest.country, latest_event_country.country) as country,
        crm_latest.customer_tier as crm_customer_tier,
        crm_latest.first_contact_date as crm_first_contact_date,
        crm_latest.last_contact_date as crm_last_contact_date,
        crm_latest.account_manager,
        crm_latest.churn_reason,
        crm_latest.crm_snapshot_date,
        event_summary.first_inquiry_at,
        event_summary.last_inquiry_at,
        coalesce(event_summary.inquiries, 0) as inquiries,
        event_summary.first_tm_at,
        event_summary.last_tm_at,
        coalesce(event_summary.tm_conversations, 0) as tm_conversations,
        event_summary.first_order_at,
        event_summary.last_order_at,
        coalesce(event_summary.lifetime_orders, 0) as lifetime_orders,
        coalesce(event_summary.lifetime_amount_usd, 0) as lifetime_amount_usd,
        event_summary.first_touch_at,
        coalesce(event_summary.touchpoints, 0) as touchpoints,
        event_summary.loaded_at
    from buyers
    left join crm_latest
        on
            buyers.account_id = crm_latest.account_id
            and buyers.crm_customer_id = crm_latest.customer_id
    left join event_summary
        on
            buyers.account_id = event_summary.account_id
            and buyers.buyer_key = event_summary.buyer_key
    left join latest_event_country
        on
            buyers.account_id = latest_event_country.account_id
            and buyers.buyer_key = latest_event_country.buyer_key
            and latest_event_country.country_rank = 1

)

select * from final
