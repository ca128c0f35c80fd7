-- C01 slow replies (回复慢). One finding per account × back-office week (Sunday → Saturday) whose average reply
-- time (平均回复时长) is above max_avg_reply_hours or whose timely-reply rate (及时回复率) is below
-- min_timely_reply_rate. Source: the back office's own daily figures (fct_shop_daily, report type shop_daily);
-- the week's value is the mean of the days weighted by the day's inquiries (plain mean of the days when the week
-- has no inquiries). Both conditions can hold: the finding's metric is the one further past its threshold
-- (relative excess: hours / max − 1, or 1 − rate / min); the other figure is in evidence_detail.
-- Owner: the 跟进人 / 接待人 (fct_conversations.follower) holding more than owner_min_share of the week's
-- conversations not replied within 24 h; NULL when no single person dominates (the report falls back to the role).
-- Severity: relative excess ≥ 0.5 high, ≥ 0.2 medium, else low.
-- Impact (inquiries): the week's inquiries answered after 24 h or not at all. Counted in the inquiry list
-- (fct_conversations, conversation_type 'inquiry': reply_hours > 24 or no reply) when the list has the week's
-- inquiries, so C01's count is the inquiry list's count; else estimated from the back office as Σ over the
-- week's days of inquiries × (1 − timely_reply_rate). The text names both sources: the back office's 平均回复时长 /
-- 及时回复率 (店铺分析, the rule's trigger) and the inquiry list's own count.
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

list_weeks as (
    select
        conversations.account_id,
        dates.week_end,
        count(*) as list_inquiries,
        count(conversations.reply_hours) as list_replied,
        sum(case when conversations.reply_hours > 24 then 1 else 0 end) as list_replied_late,
        sum(case when conversations.reply_hours is null and not conversations.is_ledger_record then 1 else 0 end)
            as list_unanswered,
        {{ gscor_percentile('conversations.reply_hours', 0.5) }} as list_median_reply_hours
    from {{ ref('fct_conversations') }} as conversations
    inner join {{ ref('dim_date') }} as dates
        on conversations.period_start = dates.date_day
    where conversations.conversation_type = 'inquiry'
    group by conversations.account_id, dates.week_end
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
        weeks.late_inquiries as back_office_late_inquiries,
        list_weeks.list_inquiries,
        list_weeks.list_replied,
        list_weeks.list_replied_late,
        list_weeks.list_unanswered,
        list_weeks.list_median_reply_hours,
        case
            when list_weeks.list_inquiries > 0 then list_weeks.list_replied_late + list_weeks.list_unanswered
            else weeks.late_inquiries
        end as late_inquiries,
        params.max_avg_reply_hours,
        params.min_timely_reply_rate,
        params.owner_min_share,
        coalesce({{ gscor_divide(
            'weeks.avg_reply_hours',
            'nullif(params.max_avg_reply_hours, 0)'
        ) }} - 1, 0) as hours_excess,
        coalesce(1 - {{ gscor_divide(
            'weeks.timely_reply_rate',
            'nullif(params.min_timely_reply_rate, 0)'
        ) }}, 0) as rate_shortfall
    from weeks
    inner join params
        on weeks.account_id = params.account_id
    left join list_weeks
        on
            weeks.account_id = list_weeks.account_id
            and weeks.week_end = list_weeks.week_end
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

texts as (
    select
        *,
        case
            when list_inquiries > 0
                then
                    '询盘列表中本周 ' || {{ gscor_fmt_num('list_replied') }} || ' 条已回复询盘有 '
                    || {{ gscor_fmt_num('list_replied_late') }} || ' 条超过 24 小时才回复'
                    || coalesce('，另有 ' || {{ gscor_fmt_num('nullif(list_unanswered, 0)') }} || ' 条未回复', '')
                    || '；'
            else ''
        end as list_part_zh,
        case
            when list_inquiries > 0
                then
                    'in the inquiry list ' || {{ gscor_fmt_num('list_replied_late') }} || ' of this week''s '
                    || {{ gscor_fmt_num('list_replied') }} || ' replied inquiries took more than 24 h'
                    || coalesce(', ' || {{ gscor_fmt_num('nullif(list_unanswered, 0)') }} || ' unanswered', '')
                    || '; '
            else ''
        end as list_part_en,
        case
            when coalesce(list_inquiries, 0) = 0
                then '，估计约 ' || {{ gscor_fmt_num('coalesce(late_inquiries, 0)') }} || ' 条询盘超过 24 小时才回复'
            else ''
        end as estimate_part_zh,
        case
            when coalesce(list_inquiries, 0) = 0
                then
                    ', an estimated ' || {{ gscor_fmt_num('coalesce(late_inquiries, 0)') }}
                    || ' inquiries answered after 24 h'
            else ''
        end as estimate_part_en
    from with_owner
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
        || '：' || list_part_zh
        || '后台（店铺分析）平均回复时长 ' || {{ gscor_fmt_num('avg_reply_hours', 1) }}
        || ' 小时（上限 ' || {{ gscor_fmt_num('max_avg_reply_hours', 0) }} || ' 小时），及时回复率 '
        || coalesce({{ gscor_fmt_pct('timely_reply_rate') }}, '未知')
        || '（目标 ' || {{ gscor_fmt_pct('min_timely_reply_rate') }} || '）'
        || estimate_part_zh as action_text_zh,
        'Set an auto-reply and assign an owner to every inquiry of store ' || account_id
        || coalesce(' (above all ' || owner || ')', '')
        || ': ' || list_part_en
        || 'back office (shop analysis) average reply time ' || {{ gscor_fmt_num('avg_reply_hours', 1) }}
        || ' h (limit ' || {{ gscor_fmt_num('max_avg_reply_hours', 0) }} || ' h), timely-reply rate '
        || coalesce({{ gscor_fmt_pct('timely_reply_rate') }}, 'unknown')
        || ' (target ' || {{ gscor_fmt_pct('min_timely_reply_rate') }} || ')'
        || estimate_part_en as action_text_en,
        owner,
        'back office (shop_daily): avg_reply_hours ' || coalesce({{ gscor_fmt_num('avg_reply_hours', 1) }}, 'unknown')
        || '; timely_reply_rate ' || coalesce({{ gscor_fmt_pct('timely_reply_rate') }}, 'unknown')
        || '; inquiries ' || coalesce({{ gscor_fmt_num('inquiries') }}, 'unknown')
        || case
            when list_inquiries > 0
                then
                    ' | inquiry list: ' || {{ gscor_fmt_num('list_inquiries') }} || ' inquiries, '
                    || {{ gscor_fmt_num('list_replied_late') }} || ' of ' || {{ gscor_fmt_num('list_replied') }}
                    || ' replied after 24 h, ' || {{ gscor_fmt_num('list_unanswered') }} || ' unanswered, median reply '
                    || coalesce({{ gscor_fmt_num('list_median_reply_hours', 1) }}, 'unknown') || ' h'
            else ' | inquiry list: not loaded for this week (late count estimated from the back office)'
        end as evidence_detail
    from texts
)

{{ gscor_finding_record('findings') }}
