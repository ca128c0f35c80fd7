-- S/A/B/C tier per customer (account × buyer identity). The CRM 客户分级 (latest snapshot) wins when it is one of
-- S/A/B/C; otherwise the tier is derived from the customer's Trade Assurance orders in the 12 months up to the
-- account's as-of date (the latest C/O/R event date of the account): the best-ranked rule of the seed
-- customer_tier_rules whose minimum amount AND minimum order count are both met. Rules with the account's
-- account_id replace the default rules (blank account_id) for that account. No orders -> C.
with

buyers as (

    select * from {{ ref('int_buyers_unified') }}

),

events as (

    select * from {{ ref('int_buyer_events_unioned') }}

),

rules as (

    select * from {{ ref('customer_tier_rules') }}

),

account_as_of as (

    select
        account_id,
        max(event_date) as as_of_date
    from events
    group by account_id

),

orders_12m as (

    select
        events.account_id,
        events.buyer_key,
        count(distinct events.order_id) as orders_12m,
        sum(events.amount_usd) as amount_usd_12m
    from events
    inner join account_as_of
        on events.account_id = account_as_of.account_id
    where
        events.event_type = 'order_line'
        and events.event_date > {{ gscor_add_months('-12', 'account_as_of.as_of_date') }}
        and events.event_date <= account_as_of.as_of_date
    group by events.account_id, events.buyer_key

),

account_rule_sets as (

    select distinct account_id
    from rules
    where account_id is not null

),

buyer_measures as (

    select
        buyers.account_id,
        buyers.buyer_key,
        buyers.customer_key,
        buyers.crm_customer_tier,
        account_as_of.as_of_date,
        coalesce(orders_12m.orders_12m, 0) as orders_12m,
        coalesce(orders_12m.amount_usd_12m, 0) as amount_usd_12m,
        account_rule_sets.account_id is not null as has_account_rules
    from buyers
    left join account_as_of
        on buyers.account_id = account_as_of.account_id
    left join orders_12m
        on
            buyers.account_id = orders_12m.account_id
            and buyers.buyer_key = orders_12m.buyer_key
    left join account_rule_sets
        on buyers.account_id = account_rule_sets.account_id

),

qualifying_rules as (

    select
        buyer_measures.account_id,
        buyer_measures.buyer_key,
        rules.tier,
        row_number() over (
            partition by buyer_measures.account_id, buyer_measures.buyer_key
            order by rules.tier_rank, rules.tier
        ) as rule_rank
    from buyer_measures
    inner join rules
        on
            (
                (buyer_measures.has_account_rules and buyer_measures.account_id = rules.account_id)
                or (not buyer_measures.has_account_rules and rules.account_id is null)
            )
            and buyer_measures.amount_usd_12m >= rules.min_amount_usd_12m
            and buyer_measures.orders_12m >= rules.min_orders_12m
            and buyer_measures.orders_12m > 0

),

final as (

    select
        buyer_measures.account_id,
        buyer_measures.buyer_key,
        buyer_measures.customer_key,
        buyer_measures.as_of_date,
        buyer_measures.orders_12m,
        buyer_measures.amount_usd_12m,
        buyer_measures.crm_customer_tier,
        coalesce(qualifying_rules.tier, 'C') as derived_tier,
        case
            when upper(trim(buyer_measures.crm_customer_tier)) in ('S', 'A', 'B', 'C')
                then upper(trim(buyer_measures.crm_customer_tier))
            else coalesce(qualifying_rules.tier, 'C')
        end as customer_tier,
        case
            when upper(trim(buyer_measures.crm_customer_tier)) in ('S', 'A', 'B', 'C') then 'crm'
            else 'derived'
        end as tier_source
    from buyer_measures
    left join qualifying_rules
        on
            buyer_measures.account_id = qualifying_rules.account_id
            and buyer_measures.buyer_key = qualifying_rules.buyer_key
            and qualifying_rules.rule_rank = 1

)

select * from final
