-- C04 low-quality inquiry source (低质量询盘来源). Evaluated every week over the trailing 4 weeks
-- (period_grain 4w: the week's Saturday − 27 days .. Saturday) of platform inquiries (fct_conversations,
-- conversation_type inquiry), for two kinds of source:
--   entity inquiry_source: 询盘来源 as printed (自然搜索 / 外贸直通车 / RFQ / 会场 / 其他 — the channel the
--     inquiry came through; ledger rows without a source are left out);
--   entity product: the product the inquiry was about (its 产品负责人 is the owner).
-- (The inquiry list names no keyword, so keyword sources cannot be judged here.)
-- An inquiry is low-quality when its buyer is L0 (买家层级 L0: unverified / new accounts, where spam sits) or,
-- when count_sample_requests = 1, when it asks for a sample (样品). The finding fires when a source with at least
-- min_inquiries inquiries in the window has a low-quality share above max_low_quality_share.
-- Severity by how far into the gap between the threshold and 100% the share is: (share − t) / (1 − t) ≥ 0.5 high,
-- ≥ 0.25 medium, else low.
-- Impact (inquiries, per week): the low-quality inquiries above the tolerated share,
-- (low-quality − t × inquiries) / 4 — the sales time a week that goes to junk beyond the norm.
with

params as ({{ gscor_rule_params('C04', ['max_low_quality_share', 'min_inquiries', 'count_sample_requests']) }}),

inquiries as (
    select
        conversations.account_id,
        conversations.period_start as inquiry_date,
        conversations.inquiry_source,
        conversations.product_id,
        conversations.product_key,
        case
            when conversations.buyer_level = 'L0' then 1
            when params.count_sample_requests = 1 and conversations.demand_type = 'sample' then 1
            else 0
        end as is_low_quality
    from {{ ref('fct_conversations') }} as conversations
    inner join params
        on conversations.account_id = params.account_id
    where conversations.conversation_type = 'inquiry'
),

anchor_weeks as (
    select distinct
        inquiries.account_id,
        dates.week_end
    from inquiries
    inner join {{ ref('dim_date') }} as dates
        on inquiries.inquiry_date = dates.date_day
),

windowed as (
    select
        anchor_weeks.account_id,
        anchor_weeks.week_end,
        inquiries.inquiry_source,
        inquiries.product_id,
        inquiries.product_key,
        inquiries.is_low_quality
    from anchor_weeks
    inner join inquiries
        on
            anchor_weeks.account_id = inquiries.account_id
            and inquiries.inquiry_date between {{ gscor_add_days(-27, 'anchor_weeks.week_end') }}
            and anchor_weeks.week_end
),

sources as (
    select
        account_id,
        week_end,
        'inquiry_source' as entity_type,
        inquiry_source as entity_id,
        inquiry_source as entity_label,
        null as owner,  -- noqa: RF04
        count(*) as inquiries,
        sum(is_low_quality) as low_quality_inquiries
    from windowed
    where inquiry_source is not null
    group by account_id, week_end, inquiry_source
    union all
    select
        windowed.account_id,
        windowed.week_end,
        'product' as entity_type,
        windowed.product_id as entity_id,
        coalesce(max(products.product_name), windowed.product_id) as entity_label,
        max(products.owner) as owner,  -- noqa: RF04
        count(*) as inquiries,
        sum(windowed.is_low_quality) as low_quality_inquiries
    from windowed
    left join {{ ref('dim_product') }} as products
        on windowed.product_key = products.product_key
    where windowed.product_id is not null
    group by windowed.account_id, windowed.week_end, windowed.product_id
),

fired as (
    select
        sources.*,
        params.max_low_quality_share,
        params.count_sample_requests,
        {{ gscor_ratio('sources.low_quality_inquiries', 'sources.inquiries') }} as low_quality_share
    from sources
    inner join params
        on sources.account_id = params.account_id
    where
        sources.inquiries >= params.min_inquiries
        and {{ gscor_ratio('sources.low_quality_inquiries', 'sources.inquiries') }} > params.max_low_quality_share
),

findings as (
    select
        account_id,
        'C04' as rule_id,
        'C' as stage,  -- noqa: RF04
        case
            when (low_quality_share - max_low_quality_share) / nullif(1 - max_low_quality_share, 0) >= 0.5
                then 'high'
            when (low_quality_share - max_low_quality_share) / nullif(1 - max_low_quality_share, 0) >= 0.25
                then 'medium'
            else 'low'
        end as severity,
        entity_type,
        entity_id,
        entity_label,
        '4w' as period_grain,
        {{ gscor_add_days(-27, 'week_end') }} as period_start,
        week_end as period_end,
        'low_quality_inquiry_share' as metric,
        low_quality_share as value,  -- noqa: RF04
        max_low_quality_share as threshold,
        null as benchmark,
        greatest((low_quality_inquiries - max_low_quality_share * inquiries) / 4.0, 0) as impact_estimate,
        'inquiries' as impact_unit,
        'REVIEW_INQUIRY_SOURCE' as action_code,
        case
            when entity_type = 'inquiry_source'
                then
                    '复核询盘来源「' || entity_label || '」：近4周 ' || {{ gscor_fmt_num('inquiries') }} || ' 条询盘中 '
                    || {{ gscor_fmt_pct('low_quality_share', 0) }}
                    || case when count_sample_requests = 1 then ' 来自 L0 买家或只要样品' else ' 来自 L0 买家' end
                    || '（上限 ' || {{ gscor_fmt_pct('max_low_quality_share', 0) }}
                    || '）；减少该来源的投入（活动、会场报名），把时间留给高层级买家'
            else
                '复核产品「' || entity_label || '」的询盘质量：近4周 ' || {{ gscor_fmt_num('inquiries') }} || ' 条询盘中 '
                || {{ gscor_fmt_pct('low_quality_share', 0) }}
                || case when count_sample_requests = 1 then ' 来自 L0 买家或只要样品' else ' 来自 L0 买家' end
                || '（上限 ' || {{ gscor_fmt_pct('max_low_quality_share', 0) }}
                || '）；在详情页写明起订量和价格区间，过滤无效询盘'
        end as action_text_zh,
        case
            when entity_type = 'inquiry_source'
                then
                    'Review inquiry source "' || entity_label || '": ' || {{ gscor_fmt_pct('low_quality_share', 0) }}
                    || ' of its ' || {{ gscor_fmt_num('inquiries') }} || ' inquiries in the last 4 weeks came from '
                    || case
                        when count_sample_requests = 1 then 'L0 buyers or asked only for samples' else 'L0 buyers'
                    end
                    || ' (limit ' || {{ gscor_fmt_pct('max_low_quality_share', 0) }}
                    || '); cut what you put into it (events, venue sign-ups) and keep the time for higher-level buyers'
            else
                'Review the inquiry quality of product "' || entity_label || '": '
                || {{ gscor_fmt_pct('low_quality_share', 0) }}
                || ' of its ' || {{ gscor_fmt_num('inquiries') }} || ' inquiries in the last 4 weeks came from '
                || case when count_sample_requests = 1 then 'L0 buyers or asked only for samples' else 'L0 buyers' end
                || ' (limit ' || {{ gscor_fmt_pct('max_low_quality_share', 0) }}
                || '); state the MOQ and price range on the detail page to filter idle inquiries'
        end as action_text_en,
        owner,
        'low-quality inquiries ' || {{ gscor_fmt_num('low_quality_inquiries') }} || ' of '
        || {{ gscor_fmt_num('inquiries') }} as evidence_detail
    from fired
)

{{ gscor_finding_record('findings') }}
