-- C02 funnel leak (漏斗漏点). One finding per account × back-office week: of the funnel stages of fct_funnel_weekly
--   exposure → click      ctr              (clicks / impressions)
--   visit → inquiry       inquiry_rate     (inquiry buyers / visitors)
--   visit → inquiry / TM  opportunity_rate (商机人数 / visitors)
--   inquiry → TA order    order_rate_cohort (the week's inquiries whose buyer ordered within order_cohort_days —
--                         seed funnel_settings; judged once the cohort is complete, so its finding is dated with the
--                         cohort's week; never this week's orders / this week's inquiries)
-- (click → visit is not a rate — visitors also arrive without a search click — and tm_rate alone rests on a
-- handful of buyers a week; both are left out), the ONE stage whose rate is furthest below its benchmark:
-- its own 8-week baseline (fct_funnel_weekly.*_baseline_8w) or, when use_peer_benchmark = 1, the 同行平均 peer
-- average of fct_peer_benchmark for the week (a weekly peer row of exactly that week, else the calendar month
-- containing the week's Saturday), whichever of the two is the harder comparison. The finding fires when that
-- stage's rate / benchmark is below max_rate_vs_baseline. value = the stage rate, benchmark = the benchmark rate,
-- threshold = benchmark × max_rate_vs_baseline; every stage's ratio is listed in evidence_detail.
-- Severity: ratio < 0.5 × max_rate_vs_baseline high, < 0.75 × max_rate_vs_baseline medium, else low.
-- Impact: the stage's lost output of the week = (benchmark − rate) × the stage's denominator, in the stage's
-- output unit: ctr → clicks (× impressions), inquiry_rate and opportunity_rate → inquiries (× visitors),
-- order_rate_cohort → orders (× the cohort's inquiries).
with

params as ({{ gscor_rule_params('C02', ['max_rate_vs_baseline', 'use_peer_benchmark']) }}),

funnel as (
    select * from {{ ref('fct_funnel_weekly') }}
),

stages as (
    select
        account_id,
        period_start,
        period_end,
        1 as stage_order,
        'ctr' as metric,
        ctr as rate,
        ctr_baseline_8w as baseline,
        impressions as denominator,
        'clicks' as impact_unit
    from funnel
    union all
    select
        account_id,
        period_start,
        period_end,
        2 as stage_order,
        'inquiry_rate' as metric,
        inquiry_rate as rate,
        inquiry_rate_baseline_8w as baseline,
        visitors as denominator,
        'inquiries' as impact_unit
    from funnel
    union all
    select
        account_id,
        period_start,
        period_end,
        3 as stage_order,
        'opportunity_rate' as metric,
        opportunity_rate as rate,
        opportunity_rate_baseline_8w as baseline,
        visitors as denominator,
        'inquiries' as impact_unit
    from funnel
    union all
    select
        account_id,
        period_start,
        period_end,
        4 as stage_order,
        'order_rate_cohort' as metric,
        order_rate_cohort as rate,
        order_rate_cohort_baseline_8w as baseline,
        order_cohort_inquiries as denominator,
        'orders' as impact_unit
    from funnel
),

peer_rows as (
    select
        account_id,
        period_grain,
        period_start,
        period_end,
        metric_code,
        peer_avg
    from {{ ref('fct_peer_benchmark') }}
    where
        metric_code in ('ctr', 'inquiry_rate', 'opportunity_rate', 'order_rate')
        and peer_avg > 0
        and not coalesce(is_pct_value_suspect, false)
),

stage_peers as (
    select
        stages.account_id,
        stages.period_start,
        stages.metric,
        peer_rows.peer_avg,
        row_number() over (
            partition by stages.account_id, stages.period_start, stages.metric
            order by case when peer_rows.period_grain = 'week' then 0 else 1 end, peer_rows.period_start desc
        ) as peer_rank
    from stages
    inner join peer_rows
        on
            stages.account_id = peer_rows.account_id
            and replace(stages.metric, 'order_rate_cohort', 'order_rate') = peer_rows.metric_code
            and (
                (peer_rows.period_grain = 'week' and stages.period_start = peer_rows.period_start)
                or (
                    peer_rows.period_grain = 'month'
                    and stages.period_end between peer_rows.period_start and peer_rows.period_end
                )
            )
),

compared as (
    select
        stages.*,
        params.max_rate_vs_baseline,
        case when params.use_peer_benchmark = 1 then stage_peers.peer_avg end as peer_avg,
        case when stages.baseline > 0 then stages.rate / stages.baseline end as baseline_ratio,
        case
            when params.use_peer_benchmark = 1 and stage_peers.peer_avg > 0 then stages.rate / stage_peers.peer_avg
        end as peer_ratio
    from stages
    inner join params
        on stages.account_id = params.account_id
    left join stage_peers
        on
            stages.account_id = stage_peers.account_id
            and stages.period_start = stage_peers.period_start
            and stages.metric = stage_peers.metric
            and stage_peers.peer_rank = 1
    where stages.rate is not null
),

benchmarked as (
    select
        *,
        case
            when peer_ratio is not null and (baseline_ratio is null or peer_ratio < baseline_ratio) then 'peer'
            when baseline_ratio is not null then 'baseline'
        end as benchmark_kind
    from compared
),

ranked as (
    select
        *,
        case when benchmark_kind = 'peer' then peer_avg else baseline end as benchmark,
        case when benchmark_kind = 'peer' then peer_ratio else baseline_ratio end as ratio,
        row_number() over (
            partition by account_id, period_start
            order by case when benchmark_kind = 'peer' then peer_ratio else baseline_ratio end, stage_order
        ) as leak_rank
    from benchmarked
    where benchmark_kind is not null
),

all_stages as (
    select
        account_id,
        period_start,
        {{ gscor_listagg(
            "metric || ' ' || " ~ gscor_fmt_pct('rate', 2) ~ " || ' = ' || " ~ gscor_fmt_num('ratio', 2)
            ~ " || '× ' || benchmark_kind",
            '; ',
            'stage_order'
        ) }} as stage_list
    from ranked
    group by account_id, period_start
),

leaks as (
    select
        ranked.*,
        all_stages.stage_list,
        case ranked.metric
            when 'ctr' then '曝光→点击（点击率）'
            when 'inquiry_rate' then '访客→询盘（询盘转化率）'
            when 'opportunity_rate' then '访客→询盘/TM（商机转化率）'
            else '询盘→信保订单（订单转化率）'
        end as stage_zh,
        case ranked.metric
            when 'ctr' then 'exposure → click (CTR)'
            when 'inquiry_rate' then 'visit → inquiry (inquiry rate)'
            when 'opportunity_rate' then 'visit → inquiry/TM (opportunity rate)'
            else 'inquiry → TA order (order rate)'
        end as stage_en,
        case ranked.metric
            when 'ctr' then '重做主推产品的主图和标题'
            when 'order_rate_cohort' then '逐条跟进已报价询盘，推动样品转信保订单'
            else '检查落地详情页首屏、价格和询盘/TM入口'
        end as hint_zh,
        case ranked.metric
            when 'ctr' then 'rework the main images and titles of the promoted products'
            when 'order_rate_cohort' then 'follow up every quoted inquiry and push samples to Trade Assurance orders'
            else 'check the landing detail pages (first screen, price, inquiry / TM buttons)'
        end as hint_en,
        case when ranked.benchmark_kind = 'peer' then '同行平均' else '8周基线' end as benchmark_zh,
        case when ranked.benchmark_kind = 'peer' then 'peer average' else '8-week baseline' end as benchmark_en
    from ranked
    inner join all_stages
        on
            ranked.account_id = all_stages.account_id
            and ranked.period_start = all_stages.period_start
    where
        ranked.leak_rank = 1
        and ranked.ratio < ranked.max_rate_vs_baseline
),

findings as (
    select
        account_id,
        'C02' as rule_id,
        'C' as stage,  -- noqa: RF04
        case
            when ratio < 0.5 * max_rate_vs_baseline then 'high'
            when ratio < 0.75 * max_rate_vs_baseline then 'medium'
            else 'low'
        end as severity,
        'store' as entity_type,
        'store' as entity_id,
        account_id as entity_label,
        'week' as period_grain,
        period_start,
        period_end,
        metric,
        rate as value,  -- noqa: RF04
        benchmark * max_rate_vs_baseline as threshold,
        benchmark,
        greatest(coalesce((benchmark - rate) * denominator, 0), 0) as impact_estimate,
        impact_unit,
        'FIX_FUNNEL_LEAK' as action_code,
        '店铺 ' || account_id || ' 的漏斗漏点在「' || stage_zh || '」：本周 ' || {{ gscor_fmt_pct('rate', 2) }}
        || '，' || benchmark_zh || ' ' || {{ gscor_fmt_pct('benchmark', 2) }} || '（仅为 '
        || {{ gscor_fmt_pct('ratio', 0) }} || '）；' || hint_zh as action_text_zh,
        'Funnel leak of store ' || account_id || ' at ' || stage_en || ': ' || {{ gscor_fmt_pct('rate', 2) }}
        || ' this week vs ' || benchmark_en || ' ' || {{ gscor_fmt_pct('benchmark', 2) }} || ' ('
        || {{ gscor_fmt_pct('ratio', 0) }} || ' of it); ' || hint_en as action_text_en,
        null as owner,  -- noqa: RF04
        'rate vs benchmark by stage: ' || stage_list as evidence_detail
    from leaks
)

{{ gscor_finding_record('findings') }}
