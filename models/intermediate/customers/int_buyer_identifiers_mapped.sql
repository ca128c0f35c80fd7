-- Every buyer identifier the C/O/R lists carry, resolved to one buyer identity (buyer_key) per account.
-- Identifiers (cor_buyer_ref / cor_buyer_id_ref): 'name:<hash of the normalised company or buyer name>' from
-- inquiries, TM conversations, orders and the CRM; 'email:<hash>' from rows that carry an e-mail but no name;
-- 'id:<hash of the id>' for the buyer id of buyer_touchpoints and the CRM 客户编号.
-- Matching rule (first that applies):
--   name  -> the CRM customer whose company-name hash is equal; else the CRM customer whose e-mail hash equals the
--            e-mail of an inquiry that carries this name; else the name hash itself is the identity.
--   email -> the CRM customer with this e-mail hash; else a name hash seen with the same e-mail on an inquiry;
--            else the e-mail hash itself.
--   id    -> the CRM customer with this 客户编号; else the buyer name of an order the touchpoint's order id
--            names; else the id hash itself.
-- A CRM customer's identity is its company-name hash (its e-mail hash, then its id hash, when blank).
-- Honest limits: names are compared after trim + lower-case only (no fuzzy matching), so two spellings of one
-- company stay two buyers and two companies with the same name become one; ties resolve to the smallest key.
with

crm_snapshots as (

    select
        account_id,
        customer_id,
        company_name_key,
        contact_email_key,
        row_number() over (
            partition by account_id, customer_id
            order by period_end desc, loaded_at desc, source_sha256 desc, source_row desc
        ) as snapshot_rank
    from {{ ref('stg_alibaba__customers') }}

),

crm_customers as (

    select
        account_id,
        customer_id,
        company_name_key,
        contact_email_key,
        coalesce(company_name_key, contact_email_key, {{ gscor_pii_key('customer_id') }}) as crm_buyer_key
    from crm_snapshots
    where snapshot_rank = 1

),

crm_by_name as (

    select
        account_id,
        company_name_key,
        min(customer_id) as customer_id
    from crm_customers
    where company_name_key is not null
    group by account_id, company_name_key

),

crm_by_email as (

    select
        account_id,
        contact_email_key,
        min(customer_id) as customer_id
    from crm_customers
    where contact_email_key is not null
    group by account_id, contact_email_key

),

crm_by_id as (

    select
        account_id,
        {{ gscor_pii_key('customer_id') }} as customer_id_key,
        min(customer_id) as customer_id
    from crm_customers
    group by account_id, {{ gscor_pii_key('customer_id') }}

),

name_email_pairs as (

    select distinct
        account_id,
        buyer_name_key,
        buyer_email_key
    from {{ ref('stg_alibaba__inquiries') }}
    where buyer_name_key is not null and buyer_email_key is not null

),

order_buyers as (

    select
        account_id,
        order_id,
        min(buyer_name_key) as buyer_name_key
    from {{ ref('stg_alibaba__orders') }}
    where buyer_name_key is not null
    group by account_id, order_id

),

refs_seen as (

    select
        account_id,
        {{ gscor_buyer_ref('buyer_name_key', 'buyer_email_key') }} as buyer_ref,
        buyer_name_key as name_key,
        buyer_email_key as email_key,
        cast(null as {{ gscor_type('string') }}) as id_key,
        cast(null as {{ gscor_type('string') }}) as order_id
    from {{ ref('stg_alibaba__inquiries') }}
    union all
    select
        account_id,
        {{ gscor_buyer_ref('buyer_name_key', 'null') }} as buyer_ref,
        buyer_name_key as name_key,
        null as email_key,
        null as id_key,
        null as order_id
    from {{ ref('stg_alibaba__tm_conversations') }}
    union all
    select
        account_id,
        {{ gscor_buyer_ref('buyer_name_key', 'null') }} as buyer_ref,
        buyer_name_key as name_key,
        null as email_key,
        null as id_key,
        null as order_id
    from {{ ref('stg_alibaba__orders') }}
    union all
    select
        account_id,
        {{ gscor_buyer_ref('company_name_key', 'contact_email_key') }} as buyer_ref,
        company_name_key as name_key,
        contact_email_key as email_key,
        null as id_key,
        null as order_id
    from crm_customers
    union all
    select
        account_id,
        {{ gscor_buyer_id_ref('customer_id') }} as buyer_ref,
        null as name_key,
        null as email_key,
        {{ gscor_pii_key('customer_id') }} as id_key,
        null as order_id
    from crm_customers
    union all
    select
        account_id,
        {{ gscor_buyer_id_ref('buyer_id') }} as buyer_ref,
        null as name_key,
        null as email_key,
        {{ gscor_pii_key('buyer_id') }} as id_key,
        order_id
    from {{ ref('stg_alibaba__buyer_touchpoints') }}

),

refs as (

    select
        account_id,
        buyer_ref,
        min(name_key) as name_key,
        min(email_key) as email_key,
        min(id_key) as id_key,
        min(order_id) as order_id
    from refs_seen
    where buyer_ref is not null
    group by account_id, buyer_ref

),

email_of_name as (

    select
        name_email_pairs.account_id,
        name_email_pairs.buyer_name_key,
        min(crm_by_email.customer_id) as customer_id
    from name_email_pairs
    inner join crm_by_email
        on
            name_email_pairs.account_id = crm_by_email.account_id
            and name_email_pairs.buyer_email_key = crm_by_email.contact_email_key
    group by name_email_pairs.account_id, name_email_pairs.buyer_name_key

),

name_of_email as (

    select
        account_id,
        buyer_email_key,
        min(buyer_name_key) as buyer_name_key
    from name_email_pairs
    group by account_id, buyer_email_key

),

resolved as (

    select
        refs.account_id,
        refs.buyer_ref,
        case
            when refs.name_key is not null then 'name'
            when refs.email_key is not null then 'email'
            else 'id'
        end as ref_type,
        coalesce(
            crm_by_name.customer_id,
            email_of_name.customer_id,
            crm_by_email.customer_id,
            crm_by_id.customer_id
        ) as crm_customer_id,
        case
            when refs.name_key is not null then refs.name_key
            when refs.email_key is not null then coalesce(name_of_email.buyer_name_key, refs.email_key)
            else coalesce(order_buyers.buyer_name_key, refs.id_key)
        end as own_key,
        case
            when crm_by_name.customer_id is not null then 'crm_name'
            when email_of_name.customer_id is not null then 'crm_email'
            when crm_by_email.customer_id is not null then 'crm_email'
            when crm_by_id.customer_id is not null then 'crm_id'
            when refs.name_key is not null then 'name'
            when refs.email_key is not null and name_of_email.buyer_name_key is not null then 'email_to_name'
            when refs.email_key is not null then 'email'
            when order_buyers.buyer_name_key is not null then 'order_id'
            else 'touchpoint_id'
        end as matched_by
    from refs
    left join crm_by_name
        on
            refs.account_id = crm_by_name.account_id
            and refs.name_key = crm_by_name.company_name_key
    left join email_of_name
        on
            refs.account_id = email_of_name.account_id
            and refs.name_key = email_of_name.buyer_name_key
            and refs.name_key is not null
    left join crm_by_email
        on
            refs.account_id = crm_by_email.account_id
            and refs.email_key = crm_by_email.contact_email_key
            and refs.name_key is null
    left join crm_by_id
        on
            refs.account_id = crm_by_id.account_id
            and refs.id_key = crm_by_id.customer_id_key
    left join name_of_email
        on
            refs.account_id = name_of_email.account_id
            and refs.email_key = name_of_email.buyer_email_key
            and refs.name_key is null
    left join order_buyers
        on
            refs.account_id = order_buyers.account_id
            and refs.order_id = order_buyers.order_id
            and refs.id_key is not null

),

final as (

    select
        resolved.account_id,
        resolved.buyer_ref,
        resolved.ref_type,
        resolved.matched_by,
        resolved.crm_customer_id,
        coalesce(crm_customers.crm_buyer_key, resolved.own_key) as buyer_key,
        {{ gscor_surrogate_key([
            'resolved.account_id',
            'coalesce(crm_customers.crm_buyer_key, resolved.own_key)'
        ]) }} as customer_key
    from resolved
    left join crm_customers
        on
            resolved.account_id = crm_customers.account_id
            and resolved.crm_customer_id = crm_customers.customer_id

)

select * from final
