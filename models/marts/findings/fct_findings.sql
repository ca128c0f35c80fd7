-- 发现 findings: every rule's findings in the record of docs/findings_catalogue.md, with the impact in USD (through the
-- account's unit values, int_account_unit_values) so the action plan ranks lost clicks, lost inquiries, wasted CNY
-- and revenue at risk on one scale, and the catalogue's cadence, titles and owner role.
-- Grain: finding_id. impact_usd is NULL when the unit has no value for the account (e.g. no order data).
with

findings as (

    select * from {{ ref('int_findings_unioned') }}

),

unit_values as (

    select * from {{ ref('int_account_unit_values') }}

),

catalogue as (

    select * from {{ ref('rule_catalogue') }}

),

final as (

    select
        findings.finding_id,
        findings.account_id,
        findings.rule_id,
        findings.stage,
        findings.severity,
        findings.entity_type,
        findings.entity_id,
        findings.entity_label,
        findings.period_grain,
        findings.period_start,
        findings.period_end,
        findings.metric,
        findings.value,
        findings.threshold,
        findings.benchmark,
        findings.impact_estimate,
        findings.impact_unit,
        findings.impact_estimate * case findings.impact_unit
            when 'usd' then 1.0
            when 'cny' then unit_values.usd_per_cny
            when 'orders' then unit_values.usd_per_order
            when 'inquiries' then unit_values.usd_per_inquiry
            when 'clicks' then unit_values.usd_per_click
            when 'visitors' then unit_values.usd_per_visitor
        end as impact_usd,
        findings.action_code,
        findings.action_text_zh,
        findings.action_text_en,
        findings.owner,
        findings.evidence_detail,
        findings.group_key,
        catalogue.cadence,
        catalogue.title_zh,
        catalogue.title_en,
        catalogue.owner_role_zh,
        catalogue.owner_role_en
    from findings
    left join unit_values
        on findings.account_id = unit_values.account_id
    left join catalogue
        on findings.rule_id = catalogue.rule_id

)

select * from final
