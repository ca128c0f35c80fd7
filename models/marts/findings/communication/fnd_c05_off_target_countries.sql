-- C05 off-target countries (询盘国家偏离目标市场). One finding per account × back-office week whose share of
-- inquiries from countries outside the target markets is above max_off_target_share. Inquiries: platform list and
-- ledger rows of fct_conversations (conversation_type inquiry) with a known country; a country is a target market
-- per seed target_markets (the account's own rows, else the default rows; unlisted countries are off-target —
-- fct_conversations.is_target_market). A week needs min_inquiries inquiries with a known country.
-- Entity: store (the targeting is a store-level setting: P4P regions, showcase languages); the week's top
-- off-target countries are named in the action text and evidence_detail.
-- Severity: share ≥ 2 × threshold high, ≥ 1.5 × threshold medium, else low.
-- Impact (inquiries, per week): the off-target inquiries above the tolerated share,
-- off_target − max_off_target_share × inquiries with a known country.
with

params as ({{ gscor_rule_params('C05', ['max_off_target_share', 'min_inquiries']) }}),

inquiries as (
    select
        conversations.account_id,
        conversations.country,
        conversations.is_target_market,
        dates.week_start,
        dates.week_end
    from {{ ref('fct_conversations') }} as conversations
    inner join {{ ref('dim_date') }} as dates
        on conversations.period_start = dates.date_day
    where
        conversations.conversation_type = 'inquiry'
        and conversations.is_target_market is not null
),

weeks as (
    select
        account_id,
        week_start,
        week_end,
        count(*) as known_country_inquiries,
        sum(case when not is_target_market then 1 else 0 end) as off_target_inquiries
    from inquiries
    group by account_id, week_start, week_end
),

off_target_countries as (
    select
        account_id,
        week_end,
        country,
        count(*) as country_inquiries,
        row_number() over (partition by account_id, week_end order by count(*) desc, country) as country_rank
    from inquiries
    where not is_target_market
    group by account_id, week_end, country
),

top_countries as (
    select
        account_id,
        week_end,
        {{ gscor_listagg(
            "country || ' ' || " ~ gscor_fmt_num('country_inquiries'), ', ', 'country_rank'
        ) }} as country_list
    from off_target_countries
    where country_rank <= 5
    group by account_id, week_end
),

fired as (
    select
        weeks.*,
        top_countries.country_list,
        params.max_off_target_share,
        {{ gscor_ratio('weeks.off_target_inquiries', 'weeks.known_country_inquiries') }} as off_target_share
    from weeks
    inner join params
        on weeks.account_id = params.account_id
    left join top_countries
        on
            weeks.account_id = top_countries.account_id
            and weeks.week_end = top_countries.week_end
    where
        weeks.known_country_inquiries >= params.min_inquiries
        and {{ gscor_ratio('weeks.off_target_inquiries', 'weeks.known_country_inquiries') }}
        > params.max_off_target_share
),

findings as (
    select
        account_id,
        'C05' as rule_id,
        'C' as stage,  -- noqa: RF04
        case
            when off_target_share >= 2 * max_off_target_share then 'high'
            when off_target_share >= 1.5 * max_off_target_share then 'medium'
            else 'low'
        end as severity,
        'store' as entity_type,
        'store' as entity_id,
        account_id as entity_label,
        'week' as period_grain,
        week_start as period_start,
        week_end as period_end,
        'off_target_inquiry_share' as metric,
        off_target_share as value,  -- noqa: RF04
        max_off_target_share as threshold,
        null as benchmark,
        greatest(off_target_inquiries - max_off_target_share * known_country_inquiries, 0) as impact_estimate,
        'inquiries' as impact_unit,
        'ADJUST_TARGET_REGIONS' as action_code,
        '调整店铺 ' || account_id || ' 的直通车投放地区和目标市场：本周 ' || {{ gscor_fmt_num('known_country_inquiries') }}
        || ' 条询盘中 ' || {{ gscor_fmt_pct('off_target_share', 0) }} || ' 来自目标市场以外（上限 '
        || {{ gscor_fmt_pct('max_off_target_share', 0) }} || '），主要是 ' || coalesce(country_list, '—')
            as action_text_zh,
        'Adjust the P4P regions and target markets of store ' || account_id || ': '
        || {{ gscor_fmt_pct('off_target_share', 0) }} || ' of this week''s '
        || {{ gscor_fmt_num('known_country_inquiries') }} || ' inquiries came from outside the target markets (limit '
        || {{ gscor_fmt_pct('max_off_target_share', 0) }} || '), mainly ' || coalesce(country_list, '—')
            as action_text_en,
        null as owner,  -- noqa: RF04
        'top off-target countries: ' || coalesce(country_list, '—') as evidence_detail
    from fired
)

{{ gscor_finding_record('findings') }}
