-- 规则覆盖 which rules could run for which account: a rule needs every export type listed in rule_catalogue's
-- required_report_types ('|'-separated); a missing one is named so the report can say which analyses could not
-- run for lack of which export. Grain: account_id × rule_id.
with

accounts as (

    select account_id from {{ ref('dim_account') }}

),

catalogue as (

    select * from {{ ref('rule_catalogue') }}

),

report_types as (

    {% for report_type in gscor_report_families() %}
        select '{{ report_type }}' as report_type
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

required as (

    select
        accounts.account_id,
        catalogue.rule_id,
        report_types.report_type
    from accounts
    cross join catalogue
    inner join report_types
        on
            {{ gscor_concat(["'|'", 'catalogue.required_report_types', "'|'"]) }}
            like {{ gscor_concat(["'%|'", 'report_types.report_type', "'|%'"]) }}

),

missing as (

    select
        required.account_id,
        required.rule_id,
        {{ gscor_listagg('required.report_type', '|', 'required.report_type') }} as missing_report_types
    from required
    left join {{ ref('int_account_report_loads') }} as loads
        on
            required.account_id = loads.account_id
            and required.report_type = loads.report_type
    where loads.report_type is null
    group by required.account_id, required.rule_id

),

finding_counts as (

    select
        account_id,
        rule_id,
        count(*) as findings,
        max(period_end) as last_finding_period_end
    from {{ ref('int_findings_unioned') }}
    group by account_id, rule_id

),

final as (

    select
        accounts.account_id,
        catalogue.rule_id,
        catalogue.stage,
        catalogue.cadence,
        catalogue.title_zh,
        catalogue.title_en,
        catalogue.required_report_types,
        coalesce(missing.missing_report_types, '') as missing_report_types,
        missing.rule_id is null as can_run,
        coalesce(finding_counts.findings, 0) as findings,
        finding_counts.last_finding_period_end
    from accounts
    cross join catalogue
    left join missing
        on
            accounts.account_id = missing.account_id
            and catalogue.rule_id = missing.rule_id
    left join finding_counts
        on
            accounts.account_id = finding_counts.account_id
            and catalogue.rule_id = finding_counts.rule_id

)

select * from final
