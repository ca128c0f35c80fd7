{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **gscor_incremental_config(['account_id', 'period_grain', 'period_start'])
) }}
-- Stage S fact: one row per account × snapshot day of 店铺信息快照 (store profile): membership, trust
-- signals (certification, Enterprise Online, reviews, merchant stars) and showcase use.
-- membership_level orders the paid tiers: 金牌供应商 (Gold Supplier) 1 < 实力商家 2 < 金品诚企 3.
with

store_profile_rows as (

    select * from {{ ref('stg_alibaba__store_profile') }}

),

final as (

    select
        account_id,
        'day' as period_grain,
        snapshot_date as period_start,
        snapshot_date as period_end,
        snapshot_date,
        membership_type,
        case trim(membership_type)
            when '金牌供应商' then 'Gold Supplier'
            when '实力商家' then 'Strength Merchant'
            when '金品诚企' then 'Verified Supplier'
        end as membership_type_en,
        case trim(membership_type)
            when '金牌供应商' then 1
            when '实力商家' then 2
            when '金品诚企' then 3
        end as membership_level,
        certifications,
        case when certifications is not null then trim(certifications) <> '' end as has_certification,
        enterprise_online,
        review_count,
        review_rating,
        merchant_stars,
        showcase_total,
        showcase_used,
        showcase_total - showcase_used as showcase_free,
        {{ gscor_ratio('showcase_used', 'showcase_total') }} as showcase_utilisation,
        source_file,
        source_sha256,
        source_row,
        loaded_at
    from store_profile_rows

)

select final.* from final
{{ gscor_only_changed_periods('final') }}
