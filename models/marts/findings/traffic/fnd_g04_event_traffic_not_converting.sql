-- G04 活动流量不转化 event / channel traffic that does not convert (docs/findings_catalogue.md, stage G).
-- Fires for a 流量来源 channel of the class events_channels (seed channel_map: 会场, 频道, 系统推荐 …) and a window of
-- window_weeks complete weeks of traffic-source data (every day of the window has data for the account) when the
-- channel had >= min_visitors visitors in the window and its opportunity rate is below
-- opportunity_rate_vs_store_max × the store's opportunity rate over the same window.
-- Opportunity rate = (询盘人数 + TM咨询人数) / 访问人数, all three as sums of DAILY unique counts over the window (the
-- export's own 商机转化率 definition applied to the window; no unique count is formed across days); the store's =
-- the same over all channels.
-- Grain: account × channel (as exported) × window (period_grain '4w' — 'week' if window_weeks = 1; period_start =
-- window end − 7 × window_weeks + 1).
-- threshold = opportunity_rate_vs_store_max × store rate; benchmark = store rate.
-- impact_estimate (inquiries per week) = channel visitors × (threshold − channel rate) / window_weeks: the
--   opportunities (inquiry or TM buyers) a week the channel's traffic would bring at the threshold rate.
-- severity: rate / threshold < 0.25 → high, < 0.6 → medium, else low.

with params as (
    {{ gscor_rule_params('G04', ['opportunity_rate_vs_store_max', 'window_weeks', 'min_visitors']) }}
),

channel_days as (
    select
        account_id,
        stat_date,
        {{ gscor_week_start('stat_date') }} as week_start,
        channel,
        channel_class,
        channel_name_en,
        visitors,
        inquiry_buyers,
        tm_buyers
    from {{ ref('fct_traffic_channel_daily') }}
),

account_weeks as (
    select
        account_id,
        {{ gscor_add_days(6, 'week_start') }} as week_end,
        count(distinct stat_date) as days_with_data
    from channel_days
    group by account_id, week_start
),

windows as (
    select
        anchor.account_id,
        anchor.week_end as window_end,
        cast(params.window_weeks as integer) as window_weeks,
        params.min_visitors,
        params.opportunity_rate_vs_store_max,
        {{ gscor_add_days('1 - 7 * params.window_weeks', 'anchor.week_end') }} as window_start
    from account_weeks as anchor
    inner join params
        on anchor.account_id = params.account_id
    inner join account_weeks as covered
        on
            anchor.account_id = covered.account_id
            and anchor.week_end >= covered.week_end
            and {{ gscor_days_between('covered.week_end', 'anchor.week_end') }} < 7 * params.window_weeks
    group by
        anchor.account_id,
        anchor.week_end,
        params.window_weeks,
        params.min_visitors,
        params.opportunity_rate_vs_store_max
    having sum(covered.days_with_data) = 7 * params.window_weeks
),

channel_windows as (
    select
        windows.account_id,
        windows.window_start,
        windows.window_end,
        windows.window_weeks,
        windows.min_visitors,
        windows.opportunity_rate_vs_store_max,
        channel_days.channel,
        channel_days.channel_class,
        min(channel_days.channel_name_en) as channel_name_en,
        sum(channel_days.visitors) as visitors,
        sum(coalesce(channel_days.inquiry_buyers, 0) + coalesce(channel_days.tm_buyers, 0)) as opportunity_buyers
    from windows
    inner join channel_days
        on
            windows.account_id = channel_days.account_id
            and channel_days.stat_date between windows.window_start and windows.window_end
    group by
        windows.account_id,
        windows.window_start,
        windows.window_end,
        windows.window_weeks,
        windows.min_visitors,
        windows.opportunity_rate_vs_store_max,
        channel_days.channel,
        channel_days.channel_class
),

store_windows as (
    select
        account_id,
        window_end,
        {{ gscor_ratio('sum(opportunity_buyers)', 'sum(visitors)') }} as store_rate
    from channel_windows
    group by account_id, window_end
),

evaluated as (
    select
        channel_windows.*,
        store_windows.store_rate,
        {{ gscor_ratio('channel_windows.opportunity_buyers', 'channel_windows.visitors') }} as channel_rate,
        channel_windows.opportunity_rate_vs_store_max * store_windows.store_rate as rate_threshold
    from channel_windows
    inner join store_windows
        on
            channel_windows.account_id = store_windows.account_id
            and channel_windows.window_end = store_windows.window_end
    where
        channel_windows.channel_class = 'events_channels'
        and channel_windows.visitors >= channel_windows.min_visitors
),

firing as (
    select * from evaluated
    where rate_threshold > 0 and channel_rate < rate_threshold
),

findings as (
    select
        account_id,
        'G04' as rule_id,
        'G' as stage,  -- noqa: RF04
        case
            when channel_rate / rate_threshold < 0.25 then 'high'
            when channel_rate / rate_threshold < 0.6 then 'medium'
            else 'low'
        end as severity,
        'channel' as entity_type,
        channel as entity_id,
        channel || coalesce(' (' || channel_name_en || ')', '') as entity_label,
        case when window_weeks = 1 then 'week' else '4w' end as period_grain,
        window_start as period_start,
        window_end as period_end,
        'opportunity_rate' as metric,
        channel_rate as value,  -- noqa: RF04
        rate_threshold as threshold,
        store_rate as benchmark,
        visitors * (rate_threshold - channel_rate) / window_weeks as impact_estimate,
        'inquiries' as impact_unit,
        'REVIEW_EVENT_PARTICIPATION' as action_code,
        '复盘渠道「' || channel || '」的活动报名：近 ' || {{ gscor_fmt_num('window_weeks') }} || ' 周访客 '
        || {{ gscor_fmt_num('visitors') }} || '，商机转化率 ' || {{ gscor_fmt_pct('channel_rate') }} || '，店铺平均 '
        || {{ gscor_fmt_pct('store_rate') }} || '：停掉不转化的活动，把资源放到转化好的渠道' as action_text_zh,
        'Review which events to join in the channel "' || channel || '": ' || {{ gscor_fmt_num('visitors') }}
        || ' visitors in ' || {{ gscor_fmt_num('window_weeks') }} || ' weeks at an opportunity rate of '
        || {{ gscor_fmt_pct('channel_rate') }} || ' vs store ' || {{ gscor_fmt_pct('store_rate') }}
        || ': drop the events that do not convert' as action_text_en,
        cast(null as {{ gscor_type('varchar') }}) as owner,  -- noqa: RF04
        {{ gscor_fmt_num('opportunity_buyers') }} || ' inquiry/TM buyers of ' || {{ gscor_fmt_num('visitors') }}
        || ' visitors (sums of daily unique counts)' as evidence_detail
    from firing
)

{{ gscor_finding_record('findings') }}
