-- 数据覆盖 which exports each account has loaded, for the report's coverage banner: one row per account × report
-- type of the registry (loaded or not), with the span of its periods, how many files are behind it and, for a
-- snapshot export (product catalog, CRM, store profile, competitors, keyword ranking), the distinct snapshot
-- dates so the report can name the snapshot it used for a week. rules_needing counts the catalogue rules that
-- list the type in required_report_types (a missing export that no rule needs is not worth a download).
{%- set snapshot_types = ['product_catalog', 'customers', 'store_profile', 'competitors', 'keyword_ranking'] %}
with

accounts as (

    select account_id from {{ ref('dim_account') }}

),

report_types as (

    {% for report_type, family in gscor_report_families().items() %}
        select
            '{{ report_type }}' as report_type,
            '{{ family }}' as report_family,
            {{ 'true' if report_type in snapshot_types else 'false' }} as is_snapshot
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

loads as (

    select * from {{ ref('int_account_report_loads') }}

),

snapshot_dates as (

    {% for report_type in snapshot_types %}
        select
            account_id,
            '{{ report_type }}' as report_type,
            {{ gscor_listagg("distinct cast(period_end as " ~ gscor_type('string') ~ ")", '|',
                "cast(period_end as " ~ gscor_type('string') ~ ")") }} as snapshot_dates
        from {{ ref('stg_alibaba__' ~ report_type) }}
        group by account_id
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

catalogue as (

    select * from {{ ref('rule_catalogue') }}

),

rules_needing as (

    select
        report_types.report_type,
        count(*) as rules_needing
    from report_types
    inner join catalogue
        on
            {{ gscor_concat(["'|'", 'catalogue.required_report_types', "'|'"]) }}
            like {{ gscor_concat(["'%|'", 'report_types.report_type', "'|%'"]) }}
    group by report_types.report_type

),

final as (

    select
        accounts.account_id,
        report_types.report_type,
        report_types.report_family,
        report_types.is_snapshot,
        loads.report_type is not null as is_loaded,
        loads.first_period_start,
        loads.last_period_end,
        cast(coalesce(loads.files_loaded, 0) as bigint) as files_loaded,
        loads.last_loaded_at,
        snapshot_dates.snapshot_dates,
        cast(coalesce(rules_needing.rules_needing, 0) as bigint) as rules_needing
    from accounts
    cross join report_types
    left join loads
        on
            accounts.account_id = loads.account_id
            and report_types.report_type = loads.report_type
    left join snapshot_dates
        on
            accounts.account_id = snapshot_dates.account_id
            and report_types.report_type = snapshot_dates.report_type
    left join rules_needing
        on report_types.report_type = rules_needing.report_type

)

select * from final
