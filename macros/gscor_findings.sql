{#-
    Findings helpers (models/marts/findings/fnd_*.sql, fct_findings):

    gscor_rule_params(rule_id, parameters): a SELECT of one row per account with one double column per
        threshold parameter of the rule, taken from int_rule_thresholds_resolved (the seed rule_thresholds with
        per-account overrides applied). A rule model joins it on account_id:
            params as ({{ gscor_rule_params('G07', ['min_impressions', 'ctr_vs_store_max']) }})
        A parameter left empty in the seed (e.g. an optional cap) is NULL.
    gscor_finding_record(cte): the final SELECT of every rule model: the finding record of
        FINDINGS_CATALOGUE.md in one fixed column order and type, with the stable finding_id (a hash of
        account_id, rule_id, entity_type, entity_id, period_start). The CTE must have the columns listed below.
    gscor_fmt_num(expr, decimals=0) / gscor_fmt_pct(fraction, decimals=1): numbers for the action texts
        ("1,234", "0.4%"). Dispatched: engines format numbers differently.
-#}
{% macro gscor_rule_params(rule_id, parameters) -%}
    select
        account_id,
        {%- for parameter in parameters %}
        max(case when parameter = '{{ parameter }}' then threshold_value end) as {{ parameter }}
        {{- "," if not loop.last }}
        {%- endfor %}
    from {{ ref('int_rule_thresholds_resolved') }}
    where rule_id = '{{ rule_id }}'
    group by account_id
{%- endmacro %}

{% macro gscor_finding_record(cte) -%}
    select
        {{ gscor_surrogate_key(['account_id', 'rule_id', 'entity_type', 'entity_id', 'period_start']) }} as finding_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(rule_id as {{ dbt.type_string() }}) as rule_id,
        cast(stage as {{ dbt.type_string() }}) as stage,
        cast(severity as {{ dbt.type_string() }}) as severity,
        cast(entity_type as {{ dbt.type_string() }}) as entity_type,
        cast(entity_id as {{ dbt.type_string() }}) as entity_id,
        cast(entity_label as {{ dbt.type_string() }}) as entity_label,
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(metric as {{ dbt.type_string() }}) as metric,
        cast(value as {{ gscor_type_double() }}) as value,
        cast(threshold as {{ gscor_type_double() }}) as threshold,
        cast(benchmark as {{ gscor_type_double() }}) as benchmark,
        cast(impact_estimate as {{ gscor_type_double() }}) as impact_estimate,
        cast(impact_unit as {{ dbt.type_string() }}) as impact_unit,
        cast(action_code as {{ dbt.type_string() }}) as action_code,
        cast(action_text_zh as {{ dbt.type_string() }}) as action_text_zh,
        cast(action_text_en as {{ dbt.type_string() }}) as action_text_en,
        cast(owner as {{ dbt.type_string() }}) as owner,
        cast(evidence_detail as {{ dbt.type_string() }}) as evidence_detail
    from {{ cte }}
{%- endmacro %}

{% macro gscor_fmt_num(expr, decimals=0) -%}
    {{ return(adapter.dispatch('gscor_fmt_num', 'gscor')(expr, decimals)) }}
{%- endmacro %}

{% macro default__gscor_fmt_num(expr, decimals=0) -%}
    cast(round(cast({{ expr }} as {{ gscor_type_double() }}), {{ decimals }}) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro duckdb__gscor_fmt_num(expr, decimals=0) -%}
    format('{:,.{{ decimals }}f}', cast({{ expr }} as double))
{%- endmacro %}

{% macro gscor_fmt_pct(expr, decimals=1) -%}
    {{ return(adapter.dispatch('gscor_fmt_pct', 'gscor')(expr, decimals)) }}
{%- endmacro %}

{% macro default__gscor_fmt_pct(expr, decimals=1) -%}
    {{ dbt.concat([default__gscor_fmt_num('100 * (' ~ expr ~ ')', decimals), "'%'"]) }}
{%- endmacro %}

{% macro duckdb__gscor_fmt_pct(expr, decimals=1) -%}
    format('{:.{{ decimals }}f}%', 100 * cast({{ expr }} as double))
{%- endmacro %}
