-- S07 低于同行 below peers (docs/findings_catalogue.md, stage S). Cadence monthly (seeds/rule_catalogue.csv), but
-- every 同行对比 row is judged at its own grain: the export's 统计周期 is a calendar month ('2026-10', period_grain
-- 'month') or a week ('2026-11-15~2026-11-21', period_grain 'week'), and the finding has that grain and period
-- (a weekly export gives weekly findings, a monthly one monthly findings; an account with both gets both).
-- Other spans (a day, a custom range) are not judged. Only complete periods: the period's last day is before the
-- day its benchmark was loaded and, when the account has a weekly funnel (fct_funnel_weekly), not after its latest
-- week end (a period exported while still running is skipped until a later export covers it).
-- Compared metrics (higher is better): ctr 点击率, inquiry_rate 询盘率, opportunity_rate 商机转化率,
-- timely_reply_rate 及时回复率 (the reply rate). A metric fails when 我的 my_value < min_vs_peer × 同行平均 peer_avg.
-- One finding per account × period (entity store): the failing metric with the lowest my_value / peer_avg is the
-- headline (metric, value, threshold = min_vs_peer × peer_avg, benchmark = peer_avg); every failing metric is
-- listed in evidence_detail.
-- impact_estimate (per week: × 7 / days in the period, so a week's gap counts once and a month's × 7/31) of the
--   headline metric, closing the gap to the peer average, with the period's own volumes from the same benchmark
--   export (我的 曝光次数 / 访客数):
--   ctr → clicks = impressions × (peer_avg − my_value);
--   inquiry_rate, opportunity_rate → inquiries = visitors × (peer_avg − my_value) (opportunities = inquiring or TM
--   buyers, counted in the inquiries unit);
--   timely_reply_rate → 0 inquiries: a late reply is not a lost inquiry, its cost cannot be estimated here.
--   0 as well when the volume row is missing.
-- severity: (my_value / peer_avg) / min_vs_peer < 0.6 → high; < 0.85 → medium; else low.

with params as ({{ gscor_rule_params('S07', ['min_vs_peer']) }}),

benchmark_periods as (
    select
        account_id,
        period_grain,
        period_start,
        period_end,
        metric_code,
        metric_name,
        metric_name_en,
        my_value,
        peer_avg,
        loaded_at
    from {{ ref('fct_peer_benchmark') }}
    where period_grain in ('week', 'month')
),

funnel_coverage as (
    select
        account_id,
        max(period_end) as last_week_end
    from {{ ref('fct_funnel_weekly') }}
    group by account_id
),

complete_periods as (
    select
        benchmark_periods.account_id,
        benchmark_periods.period_grain,
        benchmark_periods.period_start,
        benchmark_periods.period_end
    from benchmark_periods
    left join funnel_coverage
        on benchmark_periods.account_id = funnel_coverage.account_id
    group by
        benchmark_periods.account_id,
        benchmark_periods.period_grain,
        benchmark_periods.period_start,
        benchmark_periods.period_end
    having
        max(cast(benchmark_periods.loaded_at as date)) > benchmark_periods.period_end
        and (
            max(funnel_coverage.last_week_end) is null
            or max(funnel_coverage.last_week_end) >= benchmark_periods.period_end
        )
),

volumes as (
    select
        account_id,
        period_grain,
        period_start,
        max(case when metric_code = 'impressions' then my_value end) as impressions,
        max(case when metric_code = 'visitors' then my_value end) as visitors
    from benchmark_periods
    group by account_id, period_grain, period_start
),

failing as (
    select
        benchmark_periods.account_id,
        benchmark_periods.period_grain,
        benchmark_periods.period_start,
        benchmark_periods.period_end,
        benchmark_periods.metric_code,
        benchmark_periods.metric_name,
        benchmark_periods.metric_name_en,
        benchmark_periods.my_value,
        benchmark_periods.peer_avg,
        params.min_vs_peer,
        params.min_vs_peer * benchmark_periods.peer_avg as metric_threshold,
        benchmark_periods.my_value / benchmark_periods.peer_avg as ratio_to_peer,
        ({{ gscor_days_between('benchmark_periods.period_start', 'benchmark_periods.period_end') }} + 1) as period_days
    from benchmark_periods
    inner join complete_periods
        on
            benchmark_periods.account_id = complete_periods.account_id
            and benchmark_periods.period_grain = complete_periods.period_grain
            and benchmark_periods.period_start = complete_periods.period_start
            and benchmark_periods.period_end = complete_periods.period_end
    inner join params
        on benchmark_periods.account_id = params.account_id
    where
        benchmark_periods.metric_code in ('ctr', 'inquiry_rate', 'opportunity_rate', 'timely_reply_rate')
        and benchmark_periods.peer_avg > 0
        and benchmark_periods.my_value < params.min_vs_peer * benchmark_periods.peer_avg
),

failing_lists as (
    select
        account_id,
        period_grain,
        period_start,
        count(*) as failing_metrics,
        {{ gscor_listagg(
            "metric_name || ' ' || metric_code || ' ' || " ~ gscor_fmt_pct('my_value', 2)
            ~ " || ' vs ' || " ~ gscor_fmt_pct('peer_avg', 2) ~ " || ' (' || " ~ gscor_fmt_pct('ratio_to_peer', 0)
            ~ " || ' of peers)'",
            '; ',
            'ratio_to_peer'
        ) }} as failing_detail
    from failing
    group by account_id, period_grain, period_start
),

headline as (
    select
        failing.*,
        case
            when failing.period_grain = 'month' then substring({{ gscor_cast('failing.period_start', 'string') }}, 1, 7)
            else
                {{ gscor_cast('failing.period_start', 'string') }} || '~'
                || {{ gscor_cast('failing.period_end', 'string') }}
        end as period_label,
        failing_lists.failing_metrics,
        failing_lists.failing_detail,
        volumes.impressions,
        volumes.visitors,
        row_number() over (
            partition by failing.account_id, failing.period_grain, failing.period_start
            order by failing.ratio_to_peer, failing.metric_code
        ) as metric_rank
    from failing
    inner join failing_lists
        on
            failing.account_id = failing_lists.account_id
            and failing.period_grain = failing_lists.period_grain
            and failing.period_start = failing_lists.period_start
    left join volumes
        on
            failing.account_id = volumes.account_id
            and failing.period_grain = volumes.period_grain
            and failing.period_start = volumes.period_start
),

findings as (
    select
        account_id,
        'S07' as rule_id,
        'S' as stage,  -- noqa: RF04
        case
            when ratio_to_peer / min_vs_peer < 0.6 then 'high'
            when ratio_to_peer / min_vs_peer < 0.85 then 'medium'
            else 'low'
        end as severity,
        'store' as entity_type,
        'store' as entity_id,
        account_id as entity_label,
        period_grain,
        period_start,
        period_end,
        metric_code as metric,
        my_value as value,  -- noqa: RF04
        metric_threshold as threshold,
        peer_avg as benchmark,
        coalesce(
            case
                when metric_code = 'ctr' then impressions * (peer_avg - my_value)
                when metric_code in ('inquiry_rate', 'opportunity_rate') then visitors * (peer_avg - my_value)
                else 0
            end * 7 / period_days,
            0
        ) as impact_estimate,
        case when metric_code = 'ctr' then 'clicks' else 'inquiries' end as impact_unit,
        'CLOSE_PEER_GAP' as action_code,
        '提升' || metric_name || '到同行水平：' || period_label
        || ' 我的 ' || {{ gscor_fmt_pct('my_value', 2) }} || '，同行平均 ' || {{ gscor_fmt_pct('peer_avg', 2) }}
        || '（仅为同行的 ' || {{ gscor_fmt_pct('ratio_to_peer', 0) }} || '，阈值 '
        || {{ gscor_fmt_pct('min_vs_peer', 0) }} || '）' as action_text_zh,
        'Bring the ' || coalesce(lower(metric_name_en), metric_code) || ' (' || metric_name || ') up to peers: '
        || period_label || ' the store '
        || {{ gscor_fmt_pct('my_value', 2) }} || ' vs peer average ' || {{ gscor_fmt_pct('peer_avg', 2) }}
        || ' (' || {{ gscor_fmt_pct('ratio_to_peer', 0) }} || ' of peers, threshold '
        || {{ gscor_fmt_pct('min_vs_peer', 0) }} || ')' as action_text_en,
        {{ gscor_cast('null', 'string') }} as owner,  -- noqa: RF04
        {{ gscor_fmt_num('failing_metrics') }} || ' metric(s) below ' || {{ gscor_fmt_pct('min_vs_peer', 0) }}
        || ' of 同行平均: ' || failing_detail as evidence_detail
    from headline
    where metric_rank = 1
)

{{ gscor_finding_record('findings') }}
