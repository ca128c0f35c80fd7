-- What each account has loaded, per report type: the span of its periods and the files behind it.
-- Grain: account_id × report_type (only report types the account has loaded; see gscor_report_families()).
with

report_loads as (

    {% for report_type, family in gscor_report_families().items() %}
        select
            account_id,
            '{{ report_type }}' as report_type,
            '{{ family }}' as report_family,
            min(period_start) as first_period_start,
            max(period_end) as last_period_end,
            count(distinct source_sha256) as files_loaded,
            max(loaded_at) as last_loaded_at
        from {{ ref('stg_alibaba__' ~ report_type) }}
        group by account_id
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from report_loads
