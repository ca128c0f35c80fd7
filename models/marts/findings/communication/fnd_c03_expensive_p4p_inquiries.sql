-- C03 expensive P4P inquiries (直通车询盘成本高). Two kinds of finding, both evaluated every week with P4P data:
-- 1. entity store, period_grain week, metric cost_per_inquiry_cny: the week's P4P spend (keywords + full-site,
--    fct_p4p_roi_weekly, CNY) per P4P inquiry (询盘量) is above cpi_vs_8w_avg_max × the store's average of the
--    8 weeks BEFORE it (Σ spend_cny / Σ inquiries of those weeks; needs min_baseline_weeks weeks with a known
--    spend). A week that spent more than that multiple of the average without a single inquiry fires too
--    (value = the spend: the cost of less than one inquiry).
--    Severity: cost per inquiry ≥ 2 × the threshold high, ≥ 1.5 × medium, else low.
--    Impact (cny, per week): the excess spend = spend_cny − inquiries × the 8-week average cost per inquiry.
-- 2. entity p4p_keyword (the normalised keyword, all campaigns together), period_grain 4w (the anchor week's
--    Saturday − 27 days .. Saturday, fct_p4p_keyword_4w): ≥ min_clicks_no_opportunity clicks over the 4 weeks and
--    neither 询盘量 nor TM咨询量 (no opportunity). metric clicks, value = the 4-week clicks.
--    Severity: clicks ≥ 2 × the minimum high, ≥ 1.5 × medium, else low.
--    Impact (cny, per week-equivalent): the wasted spend = spend_cny_4w / the window's weeks with data.
with

params as ({{ gscor_rule_params('C03', ['cpi_vs_8w_avg_max', 'min_clicks_no_opportunity', 'min_baseline_weeks']) }}),

roi_weeks as (
    select
        account_id,
        period_start,
        period_end,
        cast(spend_cny as {{ gscor_type('double') }}) as spend_cny,
        inquiries
    from {{ ref('fct_p4p_roi_weekly') }}
),

store_baselines as (
    select
        current_week.account_id,
        current_week.period_start,
        current_week.period_end,
        current_week.spend_cny,
        current_week.inquiries,
        count(prior_week.spend_cny) as baseline_weeks,
        {{ gscor_ratio(
            'sum(prior_week.spend_cny)',
            'sum(case when prior_week.spend_cny is not null then prior_week.inquiries end)'
        ) }} as baseline_cpi_cny
    from roi_weeks as current_week
    left join roi_weeks as prior_week
        on
            current_week.account_id = prior_week.account_id
            and prior_week.period_start >= {{ gscor_add_days(-56, 'current_week.period_start') }}
            and current_week.period_start > prior_week.period_start
    group by
        current_week.account_id,
        current_week.period_start,
        current_week.period_end,
        current_week.spend_cny,
        current_week.inquiries
),

store_fired as (
    select
        store_baselines.*,
        params.cpi_vs_8w_avg_max,
        params.cpi_vs_8w_avg_max * store_baselines.baseline_cpi_cny as threshold_cpi_cny,
        case
            when store_baselines.inquiries > 0 then store_baselines.spend_cny / store_baselines.inquiries
            else store_baselines.spend_cny
        end as cpi_cny
    from store_baselines
    inner join params
        on store_baselines.account_id = params.account_id
    where
        store_baselines.baseline_weeks >= params.min_baseline_weeks
        and store_baselines.baseline_cpi_cny > 0
        and store_baselines.spend_cny
        > params.cpi_vs_8w_avg_max
        * store_baselines.baseline_cpi_cny
        * greatest(coalesce(store_baselines.inquiries, 0), 1)
),

store_findings as (
    select
        account_id,
        'C03' as rule_id,
        'C' as stage,  -- noqa: RF04
        case
            when cpi_cny >= 2 * threshold_cpi_cny then 'high'
            when cpi_cny >= 1.5 * threshold_cpi_cny then 'medium'
            else 'low'
        end as severity,
        'store' as entity_type,
        'store' as entity_id,
        account_id as entity_label,
        'week' as period_grain,
        period_start,
        period_end,
        'cost_per_inquiry_cny' as metric,
        cpi_cny as value,  -- noqa: RF04
        threshold_cpi_cny as threshold,
        baseline_cpi_cny as benchmark,
        greatest(spend_cny - coalesce(inquiries, 0) * baseline_cpi_cny, 0) as impact_estimate,
        'cny' as impact_unit,
        'CUT_EXPENSIVE_P4P' as action_code,
        '店铺 ' || account_id || ' 本周直通车询盘成本 ' || {{ gscor_fmt_num('cpi_cny', 1) }} || ' 元（花费 '
        || {{ gscor_fmt_num('spend_cny') }} || ' 元，询盘 ' || {{ gscor_fmt_num('coalesce(inquiries, 0)') }}
        || ' 个），是前8周平均 ' || {{ gscor_fmt_num('baseline_cpi_cny', 1) }}
        || ' 元的 ' || {{ gscor_fmt_num('cpi_cny / baseline_cpi_cny', 1) }}
        || ' 倍：暂停或降低询盘成本最高的关键词出价' as action_text_zh,
        'P4P cost per inquiry of store ' || account_id || ' this week is CNY ' || {{ gscor_fmt_num('cpi_cny', 1) }}
        || ' (spend CNY ' || {{ gscor_fmt_num('spend_cny') }} || ', ' || {{ gscor_fmt_num('coalesce(inquiries, 0)') }}
        || ' inquiries), ' || {{ gscor_fmt_num('cpi_cny / baseline_cpi_cny', 1) }}
        || '× the previous 8 weeks'' average of CNY ' || {{ gscor_fmt_num('baseline_cpi_cny', 1) }}
        || ': pause or lower the bids of the keywords with the highest cost per inquiry' as action_text_en,
        null as owner,  -- noqa: RF04
        null as evidence_detail
    from store_fired
),

keyword_windows as (
    select
        account_id,
        period_start,
        period_end,
        keyword,
        max(window_weeks_with_data) as window_weeks_with_data,
        sum(clicks_4w) as clicks_4w,
        cast(sum(spend_cny_4w) as {{ gscor_type('double') }}) as spend_cny_4w,  -- DECIMAL sum: exact in any row order
        sum(coalesce(inquiries_4w, 0) + coalesce(tm_inquiries_4w, 0)) as opportunities_4w,
        {{ gscor_listagg('campaign', ', ', 'campaign') }} as campaigns
    from {{ ref('fct_p4p_keyword_4w') }}
    group by account_id, period_start, period_end, keyword
),

keyword_fired as (
    select
        keyword_windows.*,
        params.min_clicks_no_opportunity,
        coalesce(keyword_windows.spend_cny_4w, 0)
        / greatest(coalesce(keyword_windows.window_weeks_with_data, 4), 1) as wasted_cny_per_week
    from keyword_windows
    inner join params
        on keyword_windows.account_id = params.account_id
    where
        keyword_windows.clicks_4w >= params.min_clicks_no_opportunity
        and keyword_windows.opportunities_4w = 0
),

keyword_findings as (
    select
        account_id,
        'C03' as rule_id,
        'C' as stage,  -- noqa: RF04
        case
            when clicks_4w >= 2 * min_clicks_no_opportunity then 'high'
            when clicks_4w >= 1.5 * min_clicks_no_opportunity then 'medium'
            else 'low'
        end as severity,
        'p4p_keyword' as entity_type,
        keyword as entity_id,
        keyword as entity_label,
        '4w' as period_grain,
        {{ gscor_add_days(-27, 'period_end') }} as period_start,
        period_end,
        'clicks' as metric,
        clicks_4w as value,  -- noqa: RF04
        min_clicks_no_opportunity as threshold,
        null as benchmark,
        wasted_cny_per_week as impact_estimate,
        'cny' as impact_unit,
        'PAUSE_P4P_KEYWORD' as action_code,
        '暂停或降低直通车关键词「' || keyword || '」的出价（推广计划：' || campaigns || '）：近4周点击 '
        || {{ gscor_fmt_num('clicks_4w') }} || ' 次、花费 ' || {{ gscor_fmt_num('coalesce(spend_cny_4w, 0)') }}
        || ' 元，没有询盘也没有TM咨询' as action_text_zh,
        'Pause or cut the bid of P4P keyword "' || keyword || '" (campaign: ' || campaigns || '): '
        || {{ gscor_fmt_num('clicks_4w') }} || ' clicks and CNY ' || {{ gscor_fmt_num('coalesce(spend_cny_4w, 0)') }}
        || ' spent over the last 4 weeks with no inquiry and no TM conversation' as action_text_en,
        null as owner,  -- noqa: RF04
        'campaigns: ' || campaigns || '; spend_cny_4w ' || coalesce({{ gscor_fmt_num('spend_cny_4w', 2) }}, 'unknown')
            as evidence_detail
    from keyword_fired
),

findings as (
    select * from store_findings
    union all
    select * from keyword_findings
)

{{ gscor_finding_record('findings') }}
