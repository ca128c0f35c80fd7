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
    The action texts format numbers with gscor_fmt_num / gscor_fmt_pct (cross_db.sql).
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
        cast(account_id as {{ gscor_type('string') }}) as account_id,
        cast(rule_id as {{ gscor_type('string') }}) as rule_id,
        cast(stage as {{ gscor_type('string') }}) as stage,
        cast(severity as {{ gscor_type('string') }}) as severity,
        cast(entity_type as {{ gscor_type('string') }}) as entity_type,
        cast(entity_id as {{ gscor_type('string') }}) as entity_id,
        cast(entity_label as {{ gscor_type('string') }}) as entity_label,
        cast(period_grain as {{ gscor_type('string') }}) as period_grain,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(metric as {{ gscor_type('string') }}) as metric,
        cast(value as {{ gscor_type('double') }}) as value,
        cast(threshold as {{ gscor_type('double') }}) as threshold,
        cast(benchmark as {{ gscor_type('double') }}) as benchmark,
        cast(impact_estimate as {{ gscor_type('double') }}) as impact_estimate,
        cast(impact_unit as {{ gscor_type('string') }}) as impact_unit,
        cast(action_code as {{ gscor_type('string') }}) as action_code,
        cast(action_text_zh as {{ gscor_type('string') }}) as action_text_zh,
        cast(action_text_en as {{ gscor_type('string') }}) as action_text_en,
        cast(owner as {{ gscor_type('string') }}) as owner,
        cast(evidence_detail as {{ gscor_type('string') }}) as evidence_detail
    from {{ cte }}
{%- endmacro %}
