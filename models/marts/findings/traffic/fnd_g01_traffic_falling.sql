-- G01 流量下滑 traffic falling (docs/findings_catalogue.md, stage G).
-- Input: fct_funnel_weekly weeks built from 店铺数据 shop_daily (exposure_source 'shop_daily') with all 7 days
-- (shop_days_covered = 7); other weeks (e.g. product-export-only accounts) are not evaluated.
-- Six comparisons per week W, all in weekly units:
--   week on week: W vs W−1 for 曝光 impressions, 点击 clicks and 访客 visitors; fires when the fall is more than
--     wow_drop and W−1 had >= min_base_impressions impressions;
--   4 weeks vs the 4 before: the weekly average of W−3..W vs that of W−7..W−4 (all 8 weeks complete) for the same
--     three metrics (visitors: the mean of the weekly visitor counts — a weekly level, never a 4-week unique
--     count); fires when the fall is more than mom_drop and the base 4 weeks had >= min_base_impressions
--     impressions in total.
--   Visitors are only compared when every week compared has them from the same visitors_source.
-- One finding per account × week W: the firing comparison with the largest fall relative to its threshold is the
-- headline; the other firing comparisons, the 3 products (搜索曝光) and 3 keywords (曝光量) that lost the most
-- impressions over the headline comparison are in evidence_detail / the action text.
-- Period: period_grain '4w', period_start = W end − 27, period_end = W end — the 4 weeks ending W hold the current
-- side of both comparisons (one period convention for both keeps finding_id unique per week).
-- value = the metric's current weekly value (W, or the 4-week weekly average); benchmark = the base weekly value
-- (W−1, or the weekly average of the 4 weeks before); threshold = benchmark × (1 − drop threshold).
-- impact_estimate (visitors per week) = base weekly visitors × the fall share of the headline metric (visitors are
--   assumed to follow exposure / clicks); when the account has no visitor figure: base weekly clicks × the fall
--   share, in clicks.
-- severity: fall / drop threshold >= 2 → high, >= 1.5 → medium, else low.

with params as ({{ gscor_rule_params('G01', ['wow_drop', 'mom_drop', 'min_base_impressions']) }}),

weeks as (
    select
        account_id,
        period_start,
        period_end,
        impressions,
        clicks,
        visitors,
        visitors_source
    from {{ ref('fct_funnel_weekly') }}
    where period_grain = 'week' and exposure_source = 'shop_daily' and shop_days_covered = 7
),

week_pairs as (
    select
        current_week.account_id,
        current_week.period_start as week_start,
        current_week.period_end as week_end,
        current_week.impressions as cur_impressions,
        current_week.clicks as cur_clicks,
        case when current_week.visitors_source = base_week.visitors_source then current_week.visitors end
            as cur_visitors,
        base_week.impressions as base_impressions,
        base_week.clicks as base_clicks,
        case when current_week.visitors_source = base_week.visitors_source then base_week.visitors end
            as base_visitors
    from weeks as current_week
    inner join weeks as base_week
        on
            current_week.account_id = base_week.account_id
            and base_week.period_start = {{ gscor_add_days(-7, 'current_week.period_start') }}
),

window_pairs as (
    select
        anchor.account_id,
        anchor.period_start as week_start,
        anchor.period_end as week_end,
        avg(case when other.period_end > {{ gscor_add_days(-28, 'anchor.period_end') }} then other.impressions end)
            as cur_impressions,
        avg(case when other.period_end > {{ gscor_add_days(-28, 'anchor.period_end') }} then other.clicks end)
            as cur_clicks,
        avg(case when other.period_end > {{ gscor_add_days(-28, 'anchor.period_end') }} then other.visitors end)
            as cur_visitors,
        avg(case when other.period_end <= {{ gscor_add_days(-28, 'anchor.period_end') }} then other.impressions end)
            as base_impressions,
        sum(case when other.period_end <= {{ gscor_add_days(-28, 'anchor.period_end') }} then other.impressions end)
            as base_impressions_total,
        avg(case when other.period_end <= {{ gscor_add_days(-28, 'anchor.period_end') }} then other.clicks end)
            as base_clicks,
        avg(case when other.period_end <= {{ gscor_add_days(-28, 'anchor.period_end') }} then other.visitors end)
            as base_visitors,
        count(*) as weeks_in_windows,
        count(distinct other.visitors_source) as visitor_sources,
        count(other.visitors) as weeks_with_visitors
    from weeks as anchor
    inner join weeks as other
        on
            anchor.account_id = other.account_id
            and anchor.period_end >= other.period_end
            and other.period_end > {{ gscor_add_days(-56, 'anchor.period_end') }}
    group by anchor.account_id, anchor.period_start, anchor.period_end
    having count(*) = 8
),

comparisons as (
    select
        week_pairs.account_id, week_pairs.week_start, week_pairs.week_end, 'wow' as comparison,
        week_pairs.week_start as cur_start, {{ gscor_add_days(-7, 'week_pairs.week_start') }} as base_start,
        'impressions' as metric, week_pairs.cur_impressions as cur_value, week_pairs.base_impressions as base_value,
        week_pairs.base_impressions, week_pairs.base_visitors, week_pairs.base_clicks, params.wow_drop as drop_max,
        params.min_base_impressions
    from week_pairs inner join params on week_pairs.account_id = params.account_id
    union all
    select
        week_pairs.account_id, week_pairs.week_start, week_pairs.week_end, 'wow' as comparison,
        week_pairs.week_start as cur_start, {{ gscor_add_days(-7, 'week_pairs.week_start') }} as base_start,
        'clicks' as metric, week_pairs.cur_clicks as cur_value, week_pairs.base_clicks as base_value,
        week_pairs.base_impressions, week_pairs.base_visitors, week_pairs.base_clicks, params.wow_drop as drop_max,
        params.min_base_impressions
    from week_pairs inner join params on week_pairs.account_id = params.account_id
    union all
    select
        week_pairs.account_id, week_pairs.week_start, week_pairs.week_end, 'wow' as comparison,
        week_pairs.week_start as cur_start, {{ gscor_add_days(-7, 'week_pairs.week_start') }} as base_start,
        'visitors' as metric, week_pairs.cur_visitors as cur_value, week_pairs.base_visitors as base_value,
        week_pairs.base_impressions, week_pairs.base_visitors, week_pairs.base_clicks, params.wow_drop as drop_max,
        params.min_base_impressions
    from week_pairs inner join params on week_pairs.account_id = params.account_id
    union all
    select
        window_pairs.account_id, window_pairs.week_start, window_pairs.week_end, '4w' as comparison,
        {{ gscor_add_days(-27, 'window_pairs.week_end') }} as cur_start,
        {{ gscor_add_days(-55, 'window_pairs.week_end') }} as base_start,
        'impressions' as metric, window_pairs.cur_impressions as cur_value,
        window_pairs.base_impressions as base_value, window_pairs.base_impressions_total as base_impressions,
        window_pairs.base_visitors, window_pairs.base_clicks, params.mom_drop as drop_max,
        params.min_base_impressions
    from window_pairs inner join params on window_pairs.account_id = params.account_id
    union all
    select
        window_pairs.account_id, window_pairs.week_start, window_pairs.week_end, '4w' as comparison,
        {{ gscor_add_days(-27, 'window_pairs.week_end') }} as cur_start,
        {{ gscor_add_days(-55, 'window_pairs.week_end') }} as base_start,
        'clicks' as metric, window_pairs.cur_clicks as cur_value, window_pairs.base_clicks as base_value,
        window_pairs.base_impressions_total as base_impressions, window_pairs.base_visitors, window_pairs.base_clicks,
        params.mom_drop as drop_max, params.min_base_impressions
    from window_pairs inner join params on window_pairs.account_id = params.account_id
    union all
    select
        window_pairs.account_id, window_pairs.week_start, window_pairs.week_end, '4w' as comparison,
        {{ gscor_add_days(-27, 'window_pairs.week_end') }} as cur_start,
        {{ gscor_add_days(-55, 'window_pairs.week_end') }} as base_start,
        'visitors' as metric, window_pairs.cur_visitors as cur_value, window_pairs.base_visitors as base_value,
        window_pairs.base_impressions_total as base_impressions, window_pairs.base_visitors, window_pairs.base_clicks,
        params.mom_drop as drop_max, params.min_base_impressions
    from window_pairs inner join params on window_pairs.account_id = params.account_id
    where window_pairs.visitor_sources = 1 and window_pairs.weeks_with_visitors = 8
),

firing_comparisons as (
    select
        *,
        1 - cur_value / base_value as fall_share,
        (1 - cur_value / base_value) / drop_max as fall_vs_threshold
    from comparisons
    where
        base_value > 0
        and cur_value is not null
        and base_impressions >= min_base_impressions
        and 1 - cur_value / base_value > drop_max
),

ranked_comparisons as (
    select
        *,
        row_number() over (
            partition by account_id, week_end order by fall_vs_threshold desc, comparison asc, metric asc
        ) as comparison_rank
    from firing_comparisons
),

headline as (
    select * from ranked_comparisons
    where comparison_rank = 1
),

other_comparisons as (
    select
        account_id,
        week_end,
        {{ gscor_listagg(
            "metric || ' ' || case when comparison = 'wow' then 'WoW' else '4w vs 4w' end || ' −' || "
            ~ gscor_fmt_pct('fall_share', 0),
            '; ',
            'comparison_rank'
        ) }} as other_falls
    from ranked_comparisons
    where comparison_rank > 1
    group by account_id, week_end
),

product_changes as (
    select
        headline.account_id,
        headline.week_end,
        product_period.product_id,
        max(product_period.product_name) as product_name,
        sum(
            case when product_period.period_end < headline.cur_start then product_period.search_impressions end
        ) - sum(
            case when product_period.period_end >= headline.cur_start then product_period.search_impressions end
        ) as impressions_lost
    from headline
    inner join {{ ref('fct_product_period') }} as product_period
        on
            headline.account_id = product_period.account_id
            and product_period.period_grain = 'week'
            and product_period.period_end between headline.base_start and headline.week_end
    group by headline.account_id, headline.week_end, product_period.product_id
),

top_products as (
    select
        account_id,
        week_end,
        {{ gscor_listagg(
            "coalesce(product_name, product_id) || ' −' || " ~ gscor_fmt_num('impressions_lost'),
            '; ',
            'impressions_lost desc'
        ) }} as products_lost
    from (
        select
            *,
            row_number() over (partition by account_id, week_end order by impressions_lost desc, product_id asc) as rn
        from product_changes
        where impressions_lost > 0
    ) as ranked_products
    where rn <= 3
    group by account_id, week_end
),

keyword_changes as (
    select
        headline.account_id,
        headline.week_end,
        keyword_weekly.keyword_normalised,
        sum(case when keyword_weekly.period_end < headline.cur_start then keyword_weekly.impressions end)
        - sum(case when keyword_weekly.period_end >= headline.cur_start then keyword_weekly.impressions end)
            as impressions_lost
    from headline
    inner join {{ ref('rpt_keyword_weekly') }} as keyword_weekly
        on
            headline.account_id = keyword_weekly.account_id
            and keyword_weekly.period_grain = 'week'
            and keyword_weekly.period_end between headline.base_start and headline.week_end
    group by headline.account_id, headline.week_end, keyword_weekly.keyword_normalised
),

top_keywords as (
    select
        account_id,
        week_end,
        {{ gscor_listagg(
            "keyword_normalised || ' −' || " ~ gscor_fmt_num('impressions_lost'),
            '; ',
            'impressions_lost desc'
        ) }} as keywords_lost
    from (
        select
            *,
            row_number() over (
                partition by account_id, week_end order by impressions_lost desc, keyword_normalised asc
            ) as rn
        from keyword_changes
        where impressions_lost > 0
    ) as ranked_keywords
    where rn <= 3
    group by account_id, week_end
),

findings as (
    select
        headline.account_id,
        'G01' as rule_id,
        'G' as stage,  -- noqa: RF04
        case
            when headline.fall_vs_threshold >= 2 then 'high'
            when headline.fall_vs_threshold >= 1.5 then 'medium'
            else 'low'
        end as severity,
        'store' as entity_type,
        'store' as entity_id,
        headline.account_id as entity_label,
        '4w' as period_grain,
        {{ gscor_add_days(-27, 'headline.week_end') }} as period_start,
        headline.week_end as period_end,
        headline.metric,
        headline.cur_value as value,  -- noqa: RF04
        headline.base_value * (1 - headline.drop_max) as threshold,
        headline.base_value as benchmark,
        coalesce(headline.base_visitors, headline.base_clicks) * headline.fall_share
            as impact_estimate,
        case when headline.base_visitors is null then 'clicks' else 'visitors' end as impact_unit,
        'FIND_TRAFFIC_LOSERS' as action_code,
        '店铺' || case headline.metric when 'impressions' then '曝光' when 'clicks' then '点击' else '访客' end
        || case when headline.comparison = 'wow' then '环比上周' else '近 4 周周均比前 4 周' end || '下降 '
        || {{ gscor_fmt_pct('headline.fall_share') }} || '（' || {{ gscor_fmt_num('headline.base_value') }} || ' → '
        || {{ gscor_fmt_num('headline.cur_value') }} || '）：排查流失最多的产品和关键词'
        || coalesce('——产品：' || top_products.products_lost, '')
        || coalesce('；关键词：' || top_keywords.keywords_lost, '') as action_text_zh,
        'Store ' || headline.metric || ' fell ' || {{ gscor_fmt_pct('headline.fall_share') }}
        || case
            when headline.comparison = 'wow' then ' week on week'
            else ' (weekly average, 4 weeks vs the 4 before)'
        end
        || ' (' || {{ gscor_fmt_num('headline.base_value') }} || ' → ' || {{ gscor_fmt_num('headline.cur_value') }}
        || '): find the products and keywords that lost the most'
        || coalesce(' — products: ' || top_products.products_lost, '')
        || coalesce('; keywords: ' || top_keywords.keywords_lost, '') as action_text_en,
        cast(null as {{ gscor_type('varchar') }}) as owner,  -- noqa: RF04
        nullif(
            coalesce('also: ' || other_comparisons.other_falls || '. ', '')
            || coalesce('products losing most search impressions: ' || top_products.products_lost || '. ', '')
            || coalesce('keywords losing most impressions: ' || top_keywords.keywords_lost || '.', ''),
            ''
        ) as evidence_detail
    from headline
    left join other_comparisons
        on headline.account_id = other_comparisons.account_id and headline.week_end = other_comparisons.week_end
    left join top_products
        on headline.account_id = top_products.account_id and headline.week_end = top_products.week_end
    left join top_keywords
        on headline.account_id = top_keywords.account_id and headline.week_end = top_keywords.week_end
)

{{ gscor_finding_record('findings') }}
