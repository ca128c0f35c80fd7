-- G05 关键词高曝光低点击 keyword with high exposure and low CTR (docs/findings_catalogue.md, stage G).
-- Fires for a keyword and week (流量关键词 weekly export, rpt_keyword_weekly: one row per normalised keyword) when
-- its 曝光量 impressions >= min_impressions and its CTR (clicks / impressions) is below the effective threshold:
--   the larger of ctr_vs_store_max × the store's keyword CTR of that week (sum of clicks / sum of impressions over
--   every keyword of the week's export) and ctr_vs_top10_max × the Top10 sellers' CTR on the keyword
--   (Top10平均点击 / Top10平均曝光; skipped when the parameter is empty or the export has no Top10 figures).
-- Grain: account × normalised keyword × week (period_grain 'week').
-- threshold = that effective CTR; benchmark = the store's keyword CTR of the week.
-- impact_estimate (clicks) = impressions × (threshold − CTR): the clicks the week would have had at the threshold.
-- severity: CTR / threshold < 0.25 → high, < 0.6 → medium, else low.

with params as ({{ gscor_rule_params('G05', ['min_impressions', 'ctr_vs_store_max', 'ctr_vs_top10_max']) }}),

keyword_weeks as (
    select
        account_id,
        keyword_normalised,
        keyword,
        period_start,
        period_end,
        impressions,
        clicks,
        top10_avg_ctr
    from {{ ref('rpt_keyword_weekly') }}
    where period_grain = 'week'
),

store_weeks as (
    select
        account_id,
        period_start,
        {{ gscor_ratio('sum(clicks)', 'sum(impressions)') }} as store_ctr
    from keyword_weeks
    group by account_id, period_start
),

evaluated as (
    select
        keyword_weeks.account_id,
        keyword_weeks.keyword_normalised,
        keyword_weeks.keyword,
        keyword_weeks.period_start,
        keyword_weeks.period_end,
        keyword_weeks.impressions,
        keyword_weeks.clicks,
        keyword_weeks.top10_avg_ctr,
        store_weeks.store_ctr,
        {{ gscor_ratio('keyword_weeks.clicks', 'keyword_weeks.impressions') }} as keyword_ctr,
        params.ctr_vs_store_max * store_weeks.store_ctr as store_based_threshold,
        params.ctr_vs_top10_max * keyword_weeks.top10_avg_ctr as top10_based_threshold
    from keyword_weeks
    inner join store_weeks
        on
            keyword_weeks.account_id = store_weeks.account_id
            and keyword_weeks.period_start = store_weeks.period_start
    inner join params
        on keyword_weeks.account_id = params.account_id
    where keyword_weeks.impressions >= params.min_impressions
),

thresholded as (
    select
        *,
        case
            when top10_based_threshold > coalesce(store_based_threshold, 0) then top10_based_threshold
            else store_based_threshold
        end as ctr_threshold
    from evaluated
),

firing as (
    select * from thresholded
    where ctr_threshold > 0 and keyword_ctr < ctr_threshold
),

findings as (
    select
        account_id,
        'G05' as rule_id,
        'G' as stage,  -- noqa: RF04
        case
            when keyword_ctr / ctr_threshold < 0.25 then 'high'
            when keyword_ctr / ctr_threshold < 0.6 then 'medium'
            else 'low'
        end as severity,
        'keyword' as entity_type,
        keyword_normalised as entity_id,
        keyword as entity_label,
        'week' as period_grain,
        period_start,
        period_end,
        'ctr' as metric,
        keyword_ctr as value,  -- noqa: RF04
        ctr_threshold as threshold,
        store_ctr as benchmark,
        impressions * (ctr_threshold - keyword_ctr) as impact_estimate,
        'clicks' as impact_unit,
        'OPTIMIZE_MAIN_IMAGE_TITLE' as action_code,
        '为关键词「' || keyword || '」背后的产品重做主图和标题：曝光 ' || {{ gscor_fmt_num('impressions') }}
        || '，点击率 ' || {{ gscor_fmt_pct('keyword_ctr', 2) }} || '，店铺平均 ' || {{ gscor_fmt_pct('store_ctr', 2) }}
        || coalesce('，Top10 ' || {{ gscor_fmt_pct('top10_avg_ctr', 2) }}, '') as action_text_zh,
        'Rework the main image and title of the products behind the keyword "' || keyword || '": '
        || {{ gscor_fmt_num('impressions') }} || ' impressions, CTR ' || {{ gscor_fmt_pct('keyword_ctr', 2) }}
        || ' vs store ' || {{ gscor_fmt_pct('store_ctr', 2) }}
        || coalesce(', Top10 ' || {{ gscor_fmt_pct('top10_avg_ctr', 2) }}, '') as action_text_en,
        cast(null as varchar) as owner,  -- noqa: RF04
        'clicks ' || {{ gscor_fmt_num('clicks') }} || ' of ' || {{ gscor_fmt_num('impressions') }}
        || ' impressions; threshold CTR ' || {{ gscor_fmt_pct('ctr_threshold', 2) }}
        || case
            when top10_based_threshold > coalesce(store_based_threshold, 0) then ' (Top10-based)'
            else ' (store-based)'
        end as evidence_detail
    from firing
)

{{ gscor_finding_record('findings') }}
