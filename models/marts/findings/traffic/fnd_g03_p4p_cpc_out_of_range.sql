-- G03 直通车点击单价偏高 P4P keyword CPC out of range (docs/findings_catalogue.md, stage G).
-- Fires for a 外贸直通车 keyword and 4-week window (fct_p4p_keyword_4w, anchor weeks with a full 4 weeks of P4P
-- keyword data) when its CPC over the window (spend CNY / clicks, all campaigns of the keyword together) is above
-- cpc_vs_median_max × the median CPC of the account's keywords with the same 推广评分 promotion score in that window
-- (keywords with clicks), or above the optional user cap cpc_cap_cny (empty = no cap).
-- Grain: account × normalised keyword × window (period_grain '4w', period_start = window end − 27 days).
-- threshold = the lower of (cpc_vs_median_max × peer median CPC, cpc_cap_cny); benchmark = the peer median CPC.
-- impact_estimate (cny per week) = clicks over the window × (CPC − threshold) / 4: the overspend a week against the
--   threshold CPC at the same clicks.
-- severity: CPC / threshold >= 2 → high, >= 1.4 → medium, else low.

with params as ({{ gscor_rule_params('G03', ['cpc_vs_median_max', 'cpc_cap_cny']) }}),

keyword_windows as (
    select
        account_id,
        window_start,
        window_end,
        keyword,
        max(latest_promotion_score) as promotion_score,
        sum(clicks_4w) as clicks,
        sum(spend_cny_4w) as spend_cny
    from {{ ref('fct_p4p_keyword_4w') }}
    where is_full_window
    group by account_id, window_start, window_end, keyword
),

keyword_cpcs as (
    select
        *,
        {{ gscor_ratio('spend_cny', 'clicks') }} as cpc_cny
    from keyword_windows
    where clicks > 0
),

peer_medians as (
    select
        account_id,
        window_end,
        promotion_score,
        {{ gscor_percentile('cpc_cny', 0.5) }} as median_cpc_cny,
        count(*) as peer_keywords
    from keyword_cpcs
    where promotion_score is not null
    group by account_id, window_end, promotion_score
),

evaluated as (
    select
        keyword_cpcs.*,
        peer_medians.median_cpc_cny,
        peer_medians.peer_keywords,
        params.cpc_cap_cny,
        params.cpc_vs_median_max * peer_medians.median_cpc_cny as median_based_threshold
    from keyword_cpcs
    inner join params
        on keyword_cpcs.account_id = params.account_id
    left join peer_medians
        on
            keyword_cpcs.account_id = peer_medians.account_id
            and keyword_cpcs.window_end = peer_medians.window_end
            and keyword_cpcs.promotion_score = peer_medians.promotion_score
),

thresholded as (
    select
        *,
        case
            when cpc_cap_cny < coalesce(median_based_threshold, cpc_cap_cny + 1) then cpc_cap_cny
            else median_based_threshold
        end as cpc_threshold
    from evaluated
),

firing as (
    select * from thresholded
    where cpc_threshold > 0 and cpc_cny > cpc_threshold
),

findings as (
    select
        account_id,
        'G03' as rule_id,
        'G' as stage,  -- noqa: RF04
        case
            when cpc_cny >= 2 * cpc_threshold then 'high'
            when cpc_cny >= 1.4 * cpc_threshold then 'medium'
            else 'low'
        end as severity,
        'p4p_keyword' as entity_type,
        keyword as entity_id,
        keyword as entity_label,
        '4w' as period_grain,
        window_start as period_start,
        window_end as period_end,
        'cpc_cny' as metric,
        cpc_cny as value,  -- noqa: RF04
        cpc_threshold as threshold,
        median_cpc_cny as benchmark,
        clicks * (cpc_cny - cpc_threshold) / 4 as impact_estimate,
        'cny' as impact_unit,
        'LOWER_P4P_BID' as action_code,
        '降低直通车关键词「' || keyword || '」的出价：近 4 周点击单价 ' || {{ gscor_fmt_num('cpc_cny', 2) }}
        || ' 元，阈值 ' || {{ gscor_fmt_num('cpc_threshold', 2) }} || ' 元'
        || coalesce(
            '（同推广评分 ' || {{ gscor_fmt_num('promotion_score', 0) }} || ' 关键词的中位数 '
            || {{ gscor_fmt_num('median_cpc_cny', 2) }} || ' 元）', ''
        ) as action_text_zh,
        'Lower the bid on the P4P keyword "' || keyword || '": CPC CNY ' || {{ gscor_fmt_num('cpc_cny', 2) }}
        || ' over 4 weeks vs threshold CNY ' || {{ gscor_fmt_num('cpc_threshold', 2) }}
        || coalesce(
            ' (median of promotion-score ' || {{ gscor_fmt_num('promotion_score', 0) }} || ' keywords: CNY '
            || {{ gscor_fmt_num('median_cpc_cny', 2) }} || ')', ''
        ) as action_text_en,
        cast(null as {{ gscor_type('varchar') }}) as owner,  -- noqa: RF04
        {{ gscor_fmt_num('clicks') }} || ' clicks, spend CNY ' || {{ gscor_fmt_num('spend_cny', 2) }}
        || coalesce('; ' || {{ gscor_fmt_num('peer_keywords') }} || ' keywords with the same promotion score', '')
        || case when cpc_threshold = cpc_cap_cny then '; above the user CPC cap' else '' end as evidence_detail
    from firing
)

{{ gscor_finding_record('findings') }}
