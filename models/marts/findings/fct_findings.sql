-- 发现 findings: every rule's findings in the record of docs/findings_catalogue.md, with the impact in USD per week
-- (through the account's unit values, int_account_unit_values) so the action plan ranks lost impressions, clicks,
-- visitors, inquiries, orders, wasted CNY and revenue at risk on one scale, and the catalogue's cadence, titles and
-- owner role. Grain: finding_id.
-- impact_usd = impact_estimate × the account's USD value of impact_unit. Every rule states its estimate per week
-- (a 4-week window ÷ 4; a month, quarter or 12 months × 7 / its days); impact_basis_zh / _en say so, with the
-- unit, the unit value and each link of the value chain with its source (store data / seed default / account
-- override). impact_note_zh / _en say why when a finding has no estimable impact (impact_usd 0 or NULL).
{%- set unit_links = {
    'orders': ['usd_per_order'],
    'inquiries': ['usd_per_order', 'orders_per_inquiry'],
    'clicks': ['usd_per_order', 'orders_per_inquiry', 'inquiries_per_click'],
    'impressions': ['usd_per_order', 'orders_per_inquiry', 'inquiries_per_click', 'clicks_per_impression'],
    'visitors': ['usd_per_order', 'orders_per_inquiry', 'inquiries_per_visitor'],
} %}
{%- set unit_names = {
    'orders': ['个订单', '每单', 'orders', 'order', 2],
    'inquiries': ['个询盘', '每个询盘', 'inquiries', 'inquiry', 2],
    'clicks': ['次点击', '每次点击', 'clicks', 'click', 2],
    'impressions': ['次曝光', '每次曝光', 'impressions', 'impression', 4],
    'visitors': ['位访客', '每位访客', 'visitors', 'visitor', 2],
} %}
{#- A count of impressions, clicks, … prints whole when it rounds to a whole number at one decimal ('15,721'),
    else with one decimal ('2.5'). -#}
{%- set count_text -%}
    case
        when round(findings.impact_estimate, 1) = round(findings.impact_estimate, 0)
            then {{ gscor_fmt_num('findings.impact_estimate', 0) }}
        else {{ gscor_fmt_num('findings.impact_estimate', 1) }}
    end
{%- endset %}
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

valued as (

    select
        findings.*,
        case findings.impact_unit
            when 'usd' then 1.0
            when 'cny' then unit_values.usd_per_cny
            when 'orders' then unit_values.usd_per_order
            when 'inquiries' then unit_values.usd_per_inquiry
            when 'clicks' then unit_values.usd_per_click
            when 'impressions' then unit_values.usd_per_impression
            when 'visitors' then unit_values.usd_per_visitor
        end as impact_usd_per_unit,
        case findings.impact_unit
            when 'usd' then 'rule_estimate'
            when 'cny' then 'fx_rates'
            {% for unit, links in unit_links.items() %}
                when '{{ unit }}' then {{ gscor_impact_sources(links) }}
            {% endfor %}
        end as impact_value_sources,
        case findings.period_grain
            when 'week' then '每周'
            when 'snapshot' then '每周（' || {{ gscor_cast('findings.period_end', 'string') }} || ' 快照）'
            when '4w'
                then
                    '每周（4 周窗口 ' || {{ gscor_cast('findings.period_start', 'string') }} || '~'
                    || {{ gscor_cast('findings.period_end', 'string') }} || ' ÷ 4）'
            else
                '每周（' || case findings.period_grain
                    when 'month' then '月'
                    when 'quarter' then '季度'
                    when '12m' then '12 个月'
                    else findings.period_grain
                end || ' ' || {{ gscor_cast('findings.period_start', 'string') }} || '~'
                || {{ gscor_cast('findings.period_end', 'string') }} || ' 的数值 × 7/'
                || {{ gscor_fmt_num(gscor_days_between('findings.period_start', 'findings.period_end') ~ ' + 1') }}
                || '）'
        end as per_week_zh,
        case findings.period_grain
            when 'week' then 'per week'
            when 'snapshot' then 'per week (snapshot of ' || {{ gscor_cast('findings.period_end', 'string') }} || ')'
            when '4w'
                then
                    'per week (the 4-week window ' || {{ gscor_cast('findings.period_start', 'string') }} || '~'
                    || {{ gscor_cast('findings.period_end', 'string') }} || ' ÷ 4)'
            else
                'per week (the ' || case findings.period_grain
                    when '12m' then '12 months'
                    else findings.period_grain
                end || ' ' || {{ gscor_cast('findings.period_start', 'string') }} || '~'
                || {{ gscor_cast('findings.period_end', 'string') }} || ' × 7/'
                || {{ gscor_fmt_num(gscor_days_between('findings.period_start', 'findings.period_end') ~ ' + 1') }}
                || ' days)'
        end as per_week_en,
        case findings.impact_unit
            when 'usd'
                then
                    '规则按店铺订单金额估算 USD ' || {{ gscor_fmt_num('findings.impact_estimate', 2) }}
            when 'cny'
                then
                    'CNY ' || {{ gscor_fmt_num('findings.impact_estimate', 2) }} || ' × 每元 USD '
                    || {{ gscor_fmt_num('unit_values.usd_per_cny', 4) }} || '（汇率表 fx_rates）'
            {% for unit, names in unit_names.items() %}
                when '{{ unit }}'
                    then
                        {{ count_text }} || ' {{ names[0] }} × {{ names[1] }} USD '
                        || {{ gscor_fmt_num('unit_values.usd_per_' ~ names[3], names[4]) }} || '（'
                        || {{ gscor_impact_chain_text(unit_links[unit], 'zh') }} || '）'
            {% endfor %}
        end as unit_basis_zh,
        case findings.impact_unit
            when 'usd'
                then
                    'USD ' || {{ gscor_fmt_num('findings.impact_estimate', 2) }}
                    || ' estimated by the rule from the store''s order amounts'
            when 'cny'
                then
                    'CNY ' || {{ gscor_fmt_num('findings.impact_estimate', 2) }} || ' × USD '
                    || {{ gscor_fmt_num('unit_values.usd_per_cny', 4) }} || '/CNY (fx_rates seed)'
            {% for unit, names in unit_names.items() %}
                when '{{ unit }}'
                    then
                        {{ count_text }} || ' {{ names[2] }} × USD '
                        || {{ gscor_fmt_num('unit_values.usd_per_' ~ names[3], names[4]) }} || '/{{ names[3] }} ('
                        || {{ gscor_impact_chain_text(unit_links[unit], 'en') }} || ')'
            {% endfor %}
        end as unit_basis_en
    from findings
    left join unit_values
        on findings.account_id = unit_values.account_id

),

final as (

    select
        valued.finding_id,
        valued.account_id,
        valued.rule_id,
        valued.stage,
        valued.severity,
        valued.entity_type,
        valued.entity_id,
        valued.entity_label,
        valued.period_grain,
        valued.period_start,
        valued.period_end,
        valued.metric,
        valued.value,
        valued.threshold,
        valued.benchmark,
        valued.impact_estimate,
        valued.impact_unit,
        valued.impact_estimate * valued.impact_usd_per_unit as impact_usd,
        valued.impact_usd_per_unit,
        valued.impact_value_sources,
        valued.per_week_zh || '；' || coalesce(valued.unit_basis_zh, valued.impact_unit || '（无美元单价）')
            as impact_basis_zh,
        valued.per_week_en || '; ' || coalesce(valued.unit_basis_en, valued.impact_unit || ' (no USD value)')
            as impact_basis_en,
        case
            when valued.impact_usd_per_unit is null
                then '无法估算影响：单位 ' || valued.impact_unit || ' 没有美元单价（汇率表或默认值表缺少对应行）'
            when coalesce(valued.impact_estimate, 0) = 0
                then
                    '无法估算影响：' || case valued.rule_id
                        when 'G12' then '品牌词的风险是商标投诉或下架，不是可计量的流量损失；该词本周没有点击'
                        when 'S01' then '没有该周的关键词数据（流量关键词），该词的点击未知'
                        when 'S04' then '该周没有店铺访客数（店铺数据）'
                        when 'S08' then '没有该产品采集日前 4 周的产品数据（访客未知），或它本来没有询盘'
                        when 'S02' then '没有该快照前 4 周的产品数据（产品参谋），或该产品点击已不低于合格产品的中位数'
                        when 'S06' then '快照前 4 周没有店铺周询盘数（店铺数据或产品数据），无法估算信任改善带来的询盘'
                        else '规则在已加载的数据中找不到可计算的增量（定义见 docs/findings_catalogue.md）'
                    end || '；按严重程度排序'
        end as impact_note_zh,
        case
            when valued.impact_usd_per_unit is null
                then
                    'No estimable impact: the unit ' || valued.impact_unit
                    || ' has no USD value (a row is missing in fx_rates or unit_value_defaults)'
            when coalesce(valued.impact_estimate, 0) = 0
                then
                    'No estimable impact: ' || case valued.rule_id
                        when 'G12'
                            then
                                'a brand keyword''s risk is a trademark complaint or delisting, not lost traffic; the '
                                || 'keyword had no clicks in the week'
                        when 'S01' then 'no keyword export (流量关键词) for the week: the keyword''s clicks are unknown'
                        when 'S04' then 'the week has no store visitor figure (shop export)'
                        when 'S08'
                            then
                                'no product export for the 4 weeks before the collection (visitors unknown), or the '
                                || 'product had no inquiry to lift'
                        when 'S02'
                            then
                                'no product export (产品数据) for the 4 weeks before the snapshot, or the product''s '
                                || 'clicks already reach the median of passing products'
                        when 'S06'
                            then
                                'the store''s weekly inquiries in the 4 weeks up to the snapshot are unknown (no shop '
                                || 'or product export for them), so what closing the trust gaps brings cannot be '
                                || 'estimated'
                        else
                            'the rule finds nothing measurable to gain in the data loaded (definition in '
                            || 'docs/findings_catalogue.md)'
                    end || '; ranked by severity'
        end as impact_note_en,
        valued.action_code,
        valued.action_text_zh,
        valued.action_text_en,
        valued.owner,
        valued.evidence_detail,
        valued.group_key,
        catalogue.cadence,
        catalogue.title_zh,
        catalogue.title_en,
        catalogue.owner_role_zh,
        catalogue.owner_role_en
    from valued
    left join catalogue
        on valued.rule_id = catalogue.rule_id

)

select * from final
