{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **gscor_incremental_config(['account_id', 'period_grain', 'period_start', 'period_end'])
) }}
-- Peer benchmark (同行对比): one row per account × statistics period × metric. 统计周期 is parsed here
-- ('YYYY-MM-DD~YYYY-MM-DD' or 'YYYY-MM'); the printed metric name maps to an English code, unit and
-- direction through the seed benchmark_metrics (an unmapped name keeps its row with NULL code). Values
-- arrive typed by the ingester's pct rule: '1.62%' → 0.0162, a bare '1,234' → 1234 (counts, hours).
with

benchmark_rows as (

    select
        account_id,
        stat_period,
        {{ gscor_parse_period('stat_period', 'grain') }} as period_grain,
        {{ gscor_parse_period('stat_period', 'start') }} as period_start,
        {{ gscor_parse_period('stat_period', 'end') }} as period_end,
        trim(metric_name) as metric_name,
        my_value,
        peer_avg,
        peer_top,
        source_file,
        source_sha256,
        source_row,
        loaded_at
    from {{ ref('stg_alibaba__industry_benchmark') }}

),

latest_per_period as (

    -- two spellings of one period ('2026-02' and '2026-02-01~2026-02-28') are one period: latest load wins
    select
        *,
        row_number() over (
            partition by account_id, period_grain, period_start, period_end, metric_name
            order by loaded_at desc, source_sha256 desc, source_row desc
        ) as spelling_rank
    from benchmark_rows

),

metric_map as (

    select * from {{ ref('benchmark_metrics') }}

),

compared as (

    select
        latest_per_period.account_id,
        latest_per_period.period_grain,
        latest_per_period.period_start,
        latest_per_period.period_end,
        latest_per_period.stat_period,
        latest_per_period.metric_name,
        metric_map.metric_code,
        metric_map.metric_name_en,
        metric_map.unit,
        metric_map.higher_is_better,
        latest_per_period.my_value,
        latest_per_period.peer_avg,
        latest_per_period.peer_top,
        latest_per_period.my_value - latest_per_period.peer_avg as gap_to_average,
        case
            when latest_per_period.peer_avg <> 0
                then (latest_per_period.my_value - latest_per_period.peer_avg) / abs(latest_per_period.peer_avg)
        end as gap_to_average_rel,
        latest_per_period.my_value - latest_per_period.peer_top as gap_to_top,
        case
            when latest_per_period.peer_top <> 0
                then (latest_per_period.my_value - latest_per_period.peer_top) / abs(latest_per_period.peer_top)
        end as gap_to_top_rel,
        case
            when latest_per_period.peer_avg <> 0 then latest_per_period.my_value / latest_per_period.peer_avg
        end as my_to_average_ratio,
        case
            when latest_per_period.my_value is null or metric_map.higher_is_better is null then null
            when metric_map.higher_is_better and latest_per_period.my_value >= latest_per_period.peer_top
                then 'above_top'
            when not metric_map.higher_is_better and latest_per_period.my_value <= latest_per_period.peer_top
                then 'above_top'
            when metric_map.higher_is_better and latest_per_period.my_value >= latest_per_period.peer_avg
                then 'above_average'
            when not metric_map.higher_is_better and latest_per_period.my_value <= latest_per_period.peer_avg
                then 'above_average'
            when latest_per_period.peer_avg is not null then 'below_average'
        end as position_label,
        metric_map.unit = 'pct' and (
            latest_per_period.my_value > 1 or latest_per_period.peer_avg > 1 or latest_per_period.peer_top > 1
        ) as is_pct_value_suspect,
        latest_per_period.source_file,
        latest_per_period.source_sha256,
        latest_per_period.source_row,
        latest_per_period.loaded_at
    from latest_per_period
    left join metric_map
        on latest_per_period.metric_name = metric_map.metric_name
    where latest_per_period.spelling_rank = 1

)

select compared.* from compared
{{ gscor_only_changed_periods('compared', keys=['account_id', 'period_grain', 'period_start', 'period_end']) }}
