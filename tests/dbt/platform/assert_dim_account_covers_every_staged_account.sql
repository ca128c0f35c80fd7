-- Every account with rows in the core daily/weekly staging models (shop, products, keywords, inquiries, orders)
-- has a dim_account row. Returns the accounts missing from dim_account.
with

staged_accounts as (

    select account_id from {{ ref('stg_alibaba__shop_daily') }}
    union
    select account_id from {{ ref('stg_alibaba__product_performance') }}
    union
    select account_id from {{ ref('stg_alibaba__keyword_performance') }}
    union
    select account_id from {{ ref('stg_alibaba__inquiries') }}
    union
    select account_id from {{ ref('stg_alibaba__orders') }}

)

select staged_accounts.account_id
from staged_accounts
left join {{ ref('dim_account') }} as known_accounts
    on staged_accounts.account_id = known_accounts.account_id
where known_accounts.account_id is null
