-- One row per customer: account × buyer identity (int_buyers_unified). Tier from int_customer_tiers (CRM 客户分级
-- wins, else derived). No names or e-mails, not even their hashes: customer_key is a surrogate of
-- (account_id, buyer identity) and crm_customer_id is the seller's own CRM code (客户编号).
with

buyers as (

    select * from {{ ref('int_buyers_unified') }}

),

tiers as (

    select * from {{ ref('int_customer_tiers') }}

),

final as (

    select
        buyers.customer_key,
        buyers.account_id,
        buyers.crm_customer_id,
        buyers.identity_basis,
        buyers.is_in_crm,
        tiers.customer_tier,
        tiers.tier_source,
        tiers.crm_customer_tier,
        tiers.derived_tier,
        tiers.orders_12m,
        tiers.amount_usd_12m,
        tiers.as_of_date as tier_as_of_date,
        buyers.country,
        buyers.account_manager,
        cast(
            least(
                coalesce(buyers.crm_first_contact_date, cast(buyers.first_inquiry_at as date)),
                coalesce(cast(buyers.first_inquiry_at as date), buyers.crm_first_contact_date),
                coalesce(
                    cast(buyers.first_tm_at as date), buyers.crm_first_contact_date,
                    cast(buyers.first_inquiry_at as date)
                )
            ) as date
        ) as first_contact_date,
        cast(
            greatest(
                coalesce(buyers.crm_last_contact_date, cast(buyers.last_inquiry_at as date)),
                coalesce(cast(buyers.last_inquiry_at as date), buyers.crm_last_contact_date),
                coalesce(
                    cast(buyers.last_tm_at as date), buyers.crm_last_contact_date,
                    cast(buyers.last_inquiry_at as date)
                )
            ) as date
        ) as last_contact_date,
        buyers.first_inquiry_at,
        buyers.last_inquiry_at,
        buyers.inquiries as lifetime_inquiries,
        buyers.tm_conversations as lifetime_tm_conversations,
        buyers.first_order_at,
        buyers.last_order_at,
        buyers.lifetime_orders,
        buyers.lifetime_amount_usd,
        buyers.lifetime_orders >= 2 as is_repeat_buyer,
        buyers.first_touch_at,
        buyers.touchpoints as lifetime_touchpoints,
        buyers.churn_reason is not null as is_churned,
        buyers.churn_reason,
        buyers.crm_snapshot_date,
        buyers.loaded_at
    from buyers
    left join tiers
        on
            buyers.account_id = tiers.account_id
            and buyers.buyer_key = tiers.buyer_key

)

select * from final
