-- C07 sample-heavy demand (样品需求过多). One finding per account × back-office week whose share of inquiries asking
-- for samples (需求类型 样品; ledger rows: read from 备注) among inquiries with a known demand type is above
-- max_sample_share. Inquiries: fct_conversations, conversation_type inquiry. A week needs min_inquiries inquiries
-- with a known demand type.
-- Severity by how far into the gap between the threshold and 100% the share is: (share − t) / (1 − t) ≥ 0.5 high,
-- ≥ 0.25 medium, else low.
-- Impact (inquiries, per week): the sample requests above the tolerated share,
-- sample inquiries − max_sample_share × inquiries with a known demand type.
with

params as ({{ gscor_rule_params('C07', ['max_sample_share', 'min_inquiries']) }}),

weeks as (
    select
        conversations.account_id,
        dates.week_start,
        dates.week_end,
        count(*) as known_demand_inquiries,
        sum(case when conversations.demand_type = 'sample' then 1 else 0 end) as sample_inquiries,
        sum(case when conversations.demand_type = 'bulk' then 1 else 0 end) as bulk_inquiries
    from {{ ref('fct_conversations') }} as conversations
    inner join {{ ref('dim_date') }} as dates
        on conversations.period_start = dates.date_day
    where
        conversations.conversation_type = 'inquiry'
        and conversations.demand_type is not null
    group by conversations.account_id, dates.week_start, dates.week_end
),

fired as (
    select
        weeks.*,
        params.max_sample_share,
        {{ gscor_ratio('weeks.sample_inquiries', 'weeks.known_demand_inquiries') }} as sample_share
    from weeks
    inner join params
        on weeks.account_id = params.account_id
    where
        weeks.known_demand_inquiries >= params.min_inquiries
        and {{ gscor_ratio('weeks.sample_inquiries', 'weeks.known_demand_inquiries') }} > params.max_sample_share
),

findings as (
    select
        account_id,
        'C07' as rule_id,
        'C' as stage,  -- noqa: RF04
        case
            when (sample_share - max_sample_share) / nullif(1 - max_sample_share, 0) >= 0.5 then 'high'
            when (sample_share - max_sample_share) / nullif(1 - max_sample_share, 0) >= 0.25 then 'medium'
            else 'low'
        end as severity,
        'store' as entity_type,
        'store' as entity_id,
        account_id as entity_label,
        'week' as period_grain,
        week_start as period_start,
        week_end as period_end,
        'sample_inquiry_share' as metric,
        sample_share as value,  -- noqa: RF04
        max_sample_share as threshold,
        null as benchmark,
        greatest(sample_inquiries - max_sample_share * known_demand_inquiries, 0) as impact_estimate,
        'inquiries' as impact_unit,
        'SET_SAMPLE_POLICY' as action_code,
        '为店铺 ' || account_id || ' 制定样品政策（样品费可抵扣大货款、写明起订量）并放进自动回复和详情页：本周 '
        || {{ gscor_fmt_num('known_demand_inquiries') }} || ' 条询盘中 ' || {{ gscor_fmt_pct('sample_share', 0) }}
        || ' 只要样品（上限 ' || {{ gscor_fmt_pct('max_sample_share', 0) }} || '）' as action_text_zh,
        'Write a sample policy for store ' || account_id
        || ' (sample fee refunded on the bulk order, MOQ stated) and put it in the auto-reply and detail pages: '
        || {{ gscor_fmt_pct('sample_share', 0) }}
        || ' of this week''s '
        || {{ gscor_fmt_num('known_demand_inquiries') }}
        || ' inquiries asked for samples (limit ' || {{ gscor_fmt_pct('max_sample_share', 0) }} || ')'
            as action_text_en,
        null as owner,  -- noqa: RF04
        'sample ' || {{ gscor_fmt_num('sample_inquiries') }} || ', bulk ' || {{ gscor_fmt_num('bulk_inquiries') }}
        || ' of ' || {{ gscor_fmt_num('known_demand_inquiries') }} || ' inquiries with a known demand type'
            as evidence_detail
    from fired
)

{{ gscor_finding_record('findings') }}
