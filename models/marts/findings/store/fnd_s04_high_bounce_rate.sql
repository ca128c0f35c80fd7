-- S04 跳失率高 high bounce rate (docs/findings_catalogue.md, stage S).
-- Per account and week (Sunday → Saturday): the store's 跳失率 bounce rate of the week = the days' bounce rates of
-- 店铺数据 (fct_shop_daily) weighted by the day's 店铺访问次数 store visits (bounce is a share of visits); the plain
-- mean of the days when no visit counts are exported.
-- Fires when that rate > the effective threshold = max_bounce_rate, or, when a peer bounce rate exists for the
-- week (同行对比 row with metric_code 'bounce_rate' whose period contains the week's end; the shortest such period),
-- the lower of max_bounce_rate and bounce_vs_peer_max × the peer average ("> 60% or > 1.2× peer average").
-- benchmark = the peer average bounce rate (NULL without one).
-- impact_estimate (visitors per week) = the week's store visitors (fct_funnel_weekly.visitors) × (bounce rate −
--   threshold): the visitors who would have gone past the landing page at the threshold rate. 0 when the week has
--   no visitor figure.
-- severity: rate / threshold >= 1.3 → high; >= 1.1 → medium; else low.

with params as ({{ gscor_rule_params('S04', ['max_bounce_rate', 'bounce_vs_peer_max']) }}),

shop_days as (
    select
        shop.account_id,
        shop.stat_date,
        shop.bounce_rate,
        shop.store_visits,
        dates.week_start,
        dates.week_end
    from {{ ref('fct_shop_daily') }} as shop
    inner join {{ ref('dim_date') }} as dates
        on shop.stat_date = dates.date_day
    where shop.bounce_rate is not null
),

shop_weeks as (
    select
        account_id,
        week_start,
        week_end,
        count(*) as days_with_bounce_rate,
        coalesce(
            {{ gscor_ratio(
                'sum(case when store_visits is not null then bounce_rate * store_visits end)',
                'sum(case when store_visits is not null then store_visits end)'
            ) }},
            avg(bounce_rate)
        ) as bounce_rate
    from shop_days
    group by account_id, week_start, week_end
),

peer_bounce as (
    select
        shop_weeks.account_id,
        shop_weeks.week_end,
        benchmark.peer_avg,
        row_number() over (
            partition by shop_weeks.account_id, shop_weeks.week_end
            order by
                {{ gscor_days_between('benchmark.period_start', 'benchmark.period_end') }},
                benchmark.period_end desc
        ) as period_rank
    from shop_weeks
    inner join {{ ref('fct_peer_benchmark') }} as benchmark
        on
            shop_weeks.account_id = benchmark.account_id
            and shop_weeks.week_end between benchmark.period_start and benchmark.period_end
    where
        benchmark.metric_code = 'bounce_rate'
        and benchmark.peer_avg is not null
),

evaluated as (
    select
        shop_weeks.*,
        funnel.visitors,
        peer_bounce.peer_avg,
        params.max_bounce_rate,
        case
            when
                peer_bounce.peer_avg is not null
                and params.bounce_vs_peer_max * peer_bounce.peer_avg < params.max_bounce_rate
                then params.bounce_vs_peer_max * peer_bounce.peer_avg
            else params.max_bounce_rate
        end as bounce_threshold
    from shop_weeks
    inner join params
        on shop_weeks.account_id = params.account_id
    left join peer_bounce
        on
            shop_weeks.account_id = peer_bounce.account_id
            and shop_weeks.week_end = peer_bounce.week_end
            and peer_bounce.period_rank = 1
    left join {{ ref('fct_funnel_weekly') }} as funnel
        on
            shop_weeks.account_id = funnel.account_id
            and shop_weeks.week_end = funnel.period_end
),

findings as (
    select
        account_id,
        'S04' as rule_id,
        'S' as stage,  -- noqa: RF04
        case
            when bounce_rate >= 1.3 * bounce_threshold then 'high'
            when bounce_rate >= 1.1 * bounce_threshold then 'medium'
            else 'low'
        end as severity,
        'store' as entity_type,
        'store' as entity_id,
        account_id as entity_label,
        'week' as period_grain,
        week_start as period_start,
        week_end as period_end,
        'bounce_rate' as metric,
        bounce_rate as value,  -- noqa: RF04
        bounce_threshold as threshold,
        peer_avg as benchmark,
        coalesce(visitors * (bounce_rate - bounce_threshold), 0) as impact_estimate,
        'visitors' as impact_unit,
        'IMPROVE_LANDING_FIRST_SCREEN' as action_code,
        '改进落地页（店铺首页和主推产品详情页）的首屏内容：本周跳失率 ' || {{ gscor_fmt_pct('bounce_rate') }}
        || '，阈值 ' || {{ gscor_fmt_pct('bounce_threshold') }}
        || coalesce('，同行平均 ' || {{ gscor_fmt_pct('peer_avg') }}, '')
        || coalesce('，访客 ' || {{ gscor_fmt_num('visitors') }}, '') as action_text_zh,
        'Improve the first screen of the landing pages (store home, main product pages): bounce rate '
        || {{ gscor_fmt_pct('bounce_rate') }} || ' this week vs a threshold of '
        || {{ gscor_fmt_pct('bounce_threshold') }}
        || coalesce(' (peer average ' || {{ gscor_fmt_pct('peer_avg') }} || ')', '')
        || coalesce(', ' || {{ gscor_fmt_num('visitors') }} || ' visitors', '') as action_text_en,
        {{ gscor_cast('null', 'string') }} as owner,  -- noqa: RF04
        {{ gscor_fmt_num('days_with_bounce_rate') }} || ' days with a bounce rate; fixed threshold '
        || {{ gscor_fmt_pct('max_bounce_rate') }}
        || coalesce('; peer average ' || {{ gscor_fmt_pct('peer_avg') }}, '; no peer bounce rate') as evidence_detail
    from evaluated
    where bounce_rate > bounce_threshold
)

{{ gscor_finding_record('findings') }}
