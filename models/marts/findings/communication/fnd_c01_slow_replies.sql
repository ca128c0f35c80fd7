-- C01 slow replies (回复慢). One finding per account × back-office week (Sunday → Saturday) whose average reply
-- time (平均回复时长) is above max_avg_reply_hours or whose timely-reply rate (及时回复率) is below
-- min_timely_reply_rate. Source: the back office's own daily figures (fct_shop_daily, report type shop_daily);
-- the week's value is the mean of the days weighted by the day's inquiries (plain mean of the days when the week
-- has no inquiries). Both conditions can hold: the finding's metric is the one further past its threshold
-- (relative excess: hours / max − 1, or 1 − rate / min); the other figure is in evidence_detail.
-- Owner: the 跟进人 / 接待人 (fct_conversations.follower) holding more than owner_min_share of the week's
-- conversations not replied within 24 h; NULL when no single person dominates (the report falls back to the role).
-- Severity: relative excess ≥ 0.5 high, ≥ 0.2 medium, else low.
-- Impact (inquiries): inquiries of the week answered late = Σ over the week's days of
-- inquiries × (1 − timely_reply_rate): the inquiries that faster replies would have kept warm.
with

params as ({{ gscor_rule_params('C01', ['max_avg_reply_hours', 'min_timely_reply_rate', 'owner_min_share']) }}),

shop_days as (
    select
        shop.account_id,
        shop.inquiries,
        shop.avg_reply_hours,
        shop.timely_reply_rate,
        dates.week_start,
        dates.week_end
    from {{ ref('fct_shop_daily') }} as shop
    inner join {{ ref('dim_date') }} as dates
        on shop.stat_date = dates.date_day
),

weeks as (
    select
        account_id,
        week_start,
        week_end,
        sum(inquiries) as inquiries,
        coalesce(
            {{ gscor_ratio(
                'sum(case when avg_reply_hours is not null then avg_reply_hours * inquiries end)',
                'sum(case when avg_reply_hours is not null then inquiries end)'
            ) }},
            avg(avg_reply_hours)
        ) as avg_reply_hours,
        coalesce(
            {{ gscor_ratio(
                'sum(case when timely_reply_rate is not null then timely_reply_rate * inquiries end)',
                'sum(case when timely_reply_rate is not null then inquiries end)'
            ) }},
            avg(timely_reply_rate)
        ) as timely_reply_rate,
        sum(inquiries * (1 - timely_reply_rate)) as late_inquiries
    from shop_days
    group by account_id, week_start, week_end
),

late_conversations as (
    select
        conversations.account_id,
        dates.week_end,
        conversations.follower,
        count(*) as late_conversations
    from {{ ref('fct_conversations') }} as conversations
    inner join {{ ref('dim_date') }} as dates
        on conversations.period_start = dates.date_day
    where
        not conversations.replied_within_24h
        and conversations.follower is not null
    group by conversations.account_id, dates.week_end, conversations.follower
),

late_owner_shares as (
    select
        account_id,
        week_end,
        follower,
        {{ gscor_ratio('late_conversations', 'sum(late_conversations) over (partition by account_id, week_end)') }}
            as late_share,
        row_number()
            over (partition by account_id, week_end order by late_conversations desc, follower asc)
            as share_rank
    from late_conversations
),

evaluated as (
    select
        weeks.account_id,
        weeks.week_start,
        weeks.week_end,
        weeks.inquiries,
        weeks.avg_reply_hours,
        weeks.timely_reply_rate,
        weeks.late_inquiries,
        params.max_avg_reply_hours,
        params.min_timely_reply_rate,
        params.owner_min_share,
        coalesce(weeks.avg_reply_hours / nullif(params.max_avg_reply_hours, 0) - 1, 0) as hours_excess,
        coalesce(1 - weeks.timely_reply_rate / nullif(params.min_timely_reply_rate, 0), 0) as rate_shortfall
    from weeks
    inner join params
        on weeks.account_id = params.account_id
),

fired as (
    select
        *,
        hours_excess >= rate_shortfall as is_hours_metric,
        greatest(hours_excess, rate_shortfall) as excess
    from evaluated
    where hours_excess > 0 or rate_shortfall > 0
),

with_owner as (
    select
        fired.*,
        owners.follower as owner  -- noqa: RF04
    from fired
    left join late_owner_shares as owners
        on
            fired.account_id = owners.account_id
            and fired.week_end = owners.week_end
            and owners.share_rank = 1
            and fired.owner_min_share < owners.late_share
),

findings as (
    select
        account_id,
        'C01' as rule_id,
        'C' as stage,  -- noqa: RF04
        case when excess >= 0.5 then 'high' when excess >= 0.2 then 'medium' else 'low' end as severity,
        'store' as entity_type,
        'store' as entity_id,
        account_id as entity_label,
        'week' as period_grain,
        week_start as period_start,
        week_end as period_end,
        case when is_hours_metric then 'avg_reply_hours' else 'timely_reply_rate' end as metric,
        case when is_hours_metric then avg_reply_hours else timely_reply_rate end as value,  -- noqa: RF04
        case when is_hours_metric then max_avg_reply_hours else min_timely_reply_rate end as threshold,
        null as benchmark,
        greatest(coalesce(late_inquiries, 0), 0) as impact_estimate,
        'inquiries' as impact_unit,
        'SET_AUTO_REPLY_ASSIGN_OWNERS' as action_code,
        '为店铺 ' || account_id || ' 设置询盘自动回复并给每条询盘指定跟进人'
        || coalesce('（重点：' || owner || '）', '')
        || '：本周平均回复时长 ' || {{ gscor_fmt_num('avg_reply_hours', 1) }}
        || ' 小时（上限 ' || {{ gscor_fmt_num('max_avg_reply_hours', 0) }} || ' 小时），及时回复率 '
        || coalesce({{ gscor_fmt_pct('timely_reply_rate') }}, '未知')
        || '（目标 ' || {{ gscor_fmt_pct('min_timely_reply_rate') }} || '），约 '
        || {{ gscor_fmt_num('coalesce(late_inquiries, 0)') }} || ' 条询盘超过 24 小时才回复' as action_text_zh,
        'Set an auto-reply and assign an owner to every inquiry of store ' || account_id
        || coalesce(' (above all ' || owner || ')', '')
        || ': average reply time this week ' || {{ gscor_fmt_num('avg_reply_hours', 1) }}
        || ' h (limit ' || {{ gscor_fmt_num('max_avg_reply_hours', 0) }} || ' h), timely-reply rate '
        || coalesce({{ gscor_fmt_pct('timely_reply_rate') }}, 'unknown')
        || ' (target ' || {{ gscor_fmt_pct('min_timely_reply_rate') }} || '), about '
        || {{ gscor_fmt_num('coalesce(late_inquiries, 0)') }} || ' inquiries answered after 24 h' as action_text_en,
        owner,
        'avg_reply_hours ' || coalesce({{ gscor_fmt_num('avg_reply_hours', 1) }}, 'unknown')
        || '; timely_reply_rate ' || coalesce({{ gscor_fmt_pct('timely_reply_rate') }}, 'unknown')
        || '; inquiries ' || coalesce({{ gscor_fmt_num('inquiries') }}, 'unknown') as evidence_detail
    from with_owner
)

{{ gscor_finding_record('findings') }}
