-- G11 机会关键词 opportunity keyword (docs/findings_catalogue.md, stage G).
-- Fires for a keyword of the 关键词指数 keyword-index export (stg_alibaba__keyword_index) when its 搜索指数 search
-- index >= min_keyword_index, its 卖家规模指数 seller-scale index <= max_seller_scale, and the store has less than
-- max_store_impression_share of its keyword impressions on it over the 4 weeks ending with the export (the weekly
-- 流量关键词 exports of rpt_keyword_weekly inside the window; a keyword the store does not have at all counts 0).
-- Window: period_end = the last Saturday on or before the index export's end, period_start = period_end − 27 days
-- (period_grain '4w'); an account without keyword-traffic weeks in that window is not evaluated.
-- metric store_impression_share: value = the keyword's share of the store's keyword impressions in the window;
-- threshold = max_store_impression_share; benchmark = null (the index figures are in evidence_detail).
-- impact_estimate (clicks per week) = max(0, max_store_impression_share × store keyword impressions per week −
--   the keyword's impressions per week) × the store's keyword CTR in the window: what reaching the threshold share
--   at the store's usual CTR would bring (a lower bound; the index is not a count).
-- severity: search index >= 3 × min_keyword_index → high, >= 1.5 × → medium, else low.

with params as (
    {{ gscor_rule_params('G11', ['min_keyword_index', 'max_seller_scale', 'max_store_impression_share']) }}
),

index_rows as (
    select
        account_id,
        {{ gscor_normalise_keyword('keyword') }} as keyword_normalised,
        period_start as index_period_start,
        period_end as index_period_end,
        keyword,
        search_index,
        seller_scale_index
    from {{ ref('stg_alibaba__keyword_index') }}
),

index_keywords as (
    select
        account_id,
        keyword_normalised,
        index_period_start,
        index_period_end,
        {{ gscor_week_end(gscor_add_days(-6, 'index_period_end')) }} as window_end,
        min(keyword) as keyword,
        max(search_index) as search_index,
        max(seller_scale_index) as seller_scale_index
    from index_rows
    group by account_id, keyword_normalised, index_period_start, index_period_end
),

index_windows as (
    select
        *,
        {{ gscor_add_days(-27, 'window_end') }} as window_start
    from index_keywords
),

-- one row per (account, window end) of an index export, to bound the keyword-traffic weeks read
windows as (
    select distinct
        account_id,
        window_start,
        window_end
    from index_windows
),

keyword_weeks as (
    select
        windows.account_id,
        windows.window_end,
        keyword_weekly.keyword_normalised,
        keyword_weekly.period_start,
        keyword_weekly.impressions,
        keyword_weekly.clicks
    from windows
    inner join {{ ref('rpt_keyword_weekly') }} as keyword_weekly
        on
            windows.account_id = keyword_weekly.account_id
            and keyword_weekly.period_grain = 'week'
            and windows.window_start <= keyword_weekly.period_start
            and windows.window_end >= keyword_weekly.period_end
),

store_windows as (
    select
        account_id,
        window_end,
        count(distinct period_start) as weeks_with_data,
        sum(impressions) as store_impressions,
        {{ gscor_ratio('sum(clicks)', 'sum(impressions)') }} as store_ctr
    from keyword_weeks
    group by account_id, window_end
),

store_keyword_windows as (
    select
        account_id,
        window_end,
        keyword_normalised,
        sum(impressions) as keyword_impressions
    from keyword_weeks
    group by account_id, window_end, keyword_normalised
),

evaluated as (
    select
        index_windows.*,
        store_windows.weeks_with_data,
        store_windows.store_impressions,
        coalesce(store_windows.store_ctr, 0) as store_ctr,
        params.min_keyword_index,
        params.max_store_impression_share,
        coalesce(store_keyword_windows.keyword_impressions, 0) as keyword_impressions,
        coalesce(
            {{ gscor_ratio('store_keyword_windows.keyword_impressions', 'store_windows.store_impressions') }}, 0
        ) as store_impression_share
    from index_windows
    inner join params
        on index_windows.account_id = params.account_id
    inner join store_windows
        on
            index_windows.account_id = store_windows.account_id
            and index_windows.window_end = store_windows.window_end
    left join store_keyword_windows
        on
            index_windows.account_id = store_keyword_windows.account_id
            and index_windows.window_end = store_keyword_windows.window_end
            and index_windows.keyword_normalised = store_keyword_windows.keyword_normalised
    where
        index_windows.search_index >= params.min_keyword_index
        and index_windows.seller_scale_index <= params.max_seller_scale
),

firing as (
    select
        *,
        case
            when
                max_store_impression_share * store_impressions > keyword_impressions
                then (max_store_impression_share * store_impressions - keyword_impressions) / weeks_with_data
            else 0
        end * store_ctr as clicks_per_week_at_threshold
    from evaluated
    where store_impression_share < max_store_impression_share
),

findings as (
    select
        account_id,
        'G11' as rule_id,
        'G' as stage,  -- noqa: RF04
        case
            when search_index >= 3 * min_keyword_index then 'high'
            when search_index >= 1.5 * min_keyword_index then 'medium'
            else 'low'
        end as severity,
        'keyword' as entity_type,
        keyword_normalised as entity_id,
        keyword as entity_label,
        '4w' as period_grain,
        window_start as period_start,
        window_end as period_end,
        'store_impression_share' as metric,
        store_impression_share as value,  -- noqa: RF04
        max_store_impression_share as threshold,
        cast(null as {{ gscor_type('double') }}) as benchmark,
        clicks_per_week_at_threshold as impact_estimate,
        'clicks' as impact_unit,
        'ADD_KEYWORD_TITLES_P4P' as action_code,
        '把机会关键词「' || keyword || '」加入产品标题 / 关键词或直通车：搜索指数 ' || {{ gscor_fmt_num('search_index') }}
        || '，卖家规模指数 ' || {{ gscor_fmt_num('seller_scale_index') }} || '，本店近 4 周只有 '
        || {{ gscor_fmt_pct('store_impression_share', 2) }} || ' 的曝光在这个词上' as action_text_zh,
        'Add the opportunity keyword "' || keyword || '" to product titles / keywords or P4P: search index '
        || {{ gscor_fmt_num('search_index') }} || ', seller-scale index ' || {{ gscor_fmt_num('seller_scale_index') }}
        || ', only ' || {{ gscor_fmt_pct('store_impression_share', 2) }}
        || ' of the store''s impressions in the last 4 weeks are on it' as action_text_en,
        cast(null as {{ gscor_type('varchar') }}) as owner,  -- noqa: RF04
        'keyword index export ' || cast(index_period_start as {{ gscor_type('varchar') }}) || '~'
        || cast(index_period_end as {{ gscor_type('varchar') }})
        || '; store keyword impressions ' || {{ gscor_fmt_num('keyword_impressions') }} || ' of '
        || {{ gscor_fmt_num('store_impressions') }} || ' over ' || {{ gscor_fmt_num('weeks_with_data') }}
        || ' week(s)' as evidence_detail
    from firing
)

{{ gscor_finding_record('findings') }}
