-- dim_account: one row per seller account (store) seen in any staging model: the span of its data, the report
-- types it has loaded (list, count and a flag per GSCOR family) and its latest store-profile snapshot.
{%- set families = ['traffic', 'store', 'communication', 'order', 'retention', 'p4p', 'ab_test'] %}
with

report_loads as (

    select * from {{ ref('int_account_report_loads') }}

),

account_loads as (

    select
        account_id,
        min(first_period_start) as first_data_date,
        max(last_period_end) as last_data_date,
        count(*) as report_type_count,
        {{ gscor_listagg('report_type', ', ', 'report_type') }} as report_types,
        sum(files_loaded) as files_loaded,
        max(last_loaded_at) as last_loaded_at,
        {% for family in families %}
            max(case when report_family = '{{ family }}' then 1 else 0 end) = 1 as has_{{ family }}_data
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from report_loads
    group by account_id

),

ranked_profiles as (

    select
        account_id,
        snapshot_date,
        membership_type,
        merchant_stars,
        showcase_total,
        showcase_used,
        enterprise_online,
        certifications,
        review_count,
        review_rating,
        row_number() over (partition by account_id order by snapshot_date desc) as snapshot_rank
    from {{ ref('stg_alibaba__store_profile') }}

),

latest_profile as (

    select * from ranked_profiles
    where snapshot_rank = 1

),

final as (

    select
        account_loads.account_id,
        account_loads.first_data_date,
        account_loads.last_data_date,
        account_loads.report_type_count,
        account_loads.report_types,
        account_loads.files_loaded,
        account_loads.last_loaded_at,
        {% for family in families %}
            account_loads.has_{{ family }}_data,
        {% endfor %}
        latest_profile.snapshot_date as profile_snapshot_date,
        latest_profile.membership_type,
        latest_profile.merchant_stars,
        latest_profile.showcase_total,
        latest_profile.showcase_used,
        latest_profile.enterprise_online,
        latest_profile.certifications,
        latest_profile.review_count,
        latest_profile.review_rating
    from account_loads
    left join latest_profile
        on account_loads.account_id = latest_profile.account_id

)

select * from final
