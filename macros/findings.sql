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
        group_key (optional): an SQL expression over the CTE naming the problem a finding belongs to; the
        period's findings of one rule with the same group_key are one problem in the action plan (e.g. G12: all
        brand keywords; G05: keywords of one language). NULL (the default): the finding is its own problem.
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

{% macro gscor_finding_record(cte, group_key=none) -%}
    {%- set columns = [
        ('account_id', 'string'), ('rule_id', 'string'), ('stage', 'string'), ('severity', 'string'),
        ('entity_type', 'string'), ('entity_id', 'string'), ('entity_label', 'string'), ('period_grain', 'string'),
        ('period_start', 'date'), ('period_end', 'date'), ('metric', 'string'), ('value', 'double'),
        ('threshold', 'double'), ('benchmark', 'double'), ('impact_estimate', 'double'), ('impact_unit', 'string'),
        ('action_code', 'string'), ('action_text_zh', 'string'), ('action_text_en', 'string'), ('owner', 'string'),
        ('evidence_detail', 'string')
    ] -%}
    select
        {{ gscor_surrogate_key(['account_id', 'rule_id', 'entity_type', 'entity_id', 'period_start']) }} as finding_id,
        {%- for column, type_name in columns %}
        {{ gscor_cast(column, type_name) }} as {{ column }},
        {%- endfor %}
        {{ gscor_cast(group_key if group_key else 'null', 'string') }} as group_key
    from {{ cte }}
{%- endmacro %}
