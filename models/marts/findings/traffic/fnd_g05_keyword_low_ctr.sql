-- G05 关键词高曝光低点击 keyword with high exposure and low CTR (docs/findings_catalogue.md, stage G).
-- Fires for a keyword and week (流量关键词 weekly export, rpt_keyword_weekly: one row per normalised keyword) when
-- the keyword is not a brand keyword (G12 owns those: no CTR work on a keyword that must not be used), its 曝光量
-- impressions >= min_impressions, and its CTR (clicks / impressions) is below the effective threshold, the larger of
--   ctr_vs_store_max × the store's keyword CTR of that week (sum of clicks / sum of impressions over every keyword
--   of the week's export) and
--   ctr_vs_top10_max × the Top10 sellers' CTR on the keyword (Top10平均点击 / Top10平均曝光; skipped when the
--   parameter is empty or the export has no Top10 figures). The Top10 are the best sellers of the keyword: a real
--   store's keywords nearly all sit below their CTR, so the comparison only counts at a multiple far below it
--   (default 0.3: under a third of what the Top10 get);
-- and the shortfall is not noise: the keyword's clicks are at least min_z standard deviations below the clicks
-- expected at the store's keyword CTR (expected = impressions × store CTR; Poisson: (expected − clicks) >=
-- min_z × √expected). On a real store most keywords have a few expected clicks a week, and a gap of one or two
-- clicks against a threshold says nothing; so the Top10 comparison only adds keywords that are also clearly below
-- the store's own CTR.
-- Grain: account × normalised keyword × week (period_grain 'week').
-- threshold = that effective CTR; benchmark = the store's keyword CTR of the week.
-- group_key = 'language:<language_guess>' (dim_keyword): the week's low-CTR keywords of one search language are one
--   problem — the titles and images of that language's listings — and one action in the plan.
-- The action names the products behind the keyword (int_keyword_products: up to 3 products of the week whose title
--   carries every word of the keyword, most search impressions first); when no title carries them (typical of a
--   non-English keyword), it says so: the listing lacks a title in the buyers' language.
-- impact_estimate (clicks) = impressions × (threshold − CTR): the clicks the week would have had at the threshold.
-- severity: CTR / threshold < 0.25 → high, < 0.6 → medium, else low.

with params as (
    {{ gscor_rule_params('G05', ['min_impressions', 'ctr_vs_store_max', 'ctr_vs_top10_max', 'min_z']) }}
),

keyword_weeks as (
    select
        account_id,
        keyword_key,
        keyword_normalised,
        keyword,
        period_start,
        period_end,
        is_brand,
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

keyword_languages as (
    select
        keyword_key,
        language_guess
    from {{ ref('dim_keyword') }}
),

keyword_products as (
    select
        account_id,
        period_end,
        keyword_key,
        max(matched_products) as matched_products,
        {{ gscor_listagg("'「' || coalesce(product_name, product_id) || '」'", '、', 'product_rank') }}
            as products_zh,
        {{ gscor_listagg("'\"' || coalesce(product_name, product_id) || '\"'", ', ', 'product_rank') }}
            as products_en,
        {{ gscor_listagg('product_id', ', ', 'product_rank') }} as product_ids,
        max(case when product_rank = 1 then owner end) as owner
    from {{ ref('int_keyword_products') }}
    where product_rank <= 3
    group by account_id, period_end, keyword_key
),

evaluated as (
    select
        keyword_weeks.account_id,
        keyword_weeks.keyword_key,
        keyword_weeks.keyword_normalised,
        keyword_weeks.keyword,
        keyword_weeks.period_start,
        keyword_weeks.period_end,
        keyword_weeks.impressions,
        keyword_weeks.clicks,
        keyword_weeks.top10_avg_ctr,
        store_weeks.store_ctr,
        params.min_z,
        keyword_weeks.impressions * store_weeks.store_ctr as expected_clicks,
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
    where
        keyword_weeks.impressions >= params.min_impressions
        and not coalesce(keyword_weeks.is_brand, false)
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
    select
        thresholded.*,
        coalesce(keyword_languages.language_guess, 'unknown') as language_guess,
        keyword_products.matched_products,
        keyword_products.products_zh,
        keyword_products.products_en,
        keyword_products.product_ids,
        keyword_products.owner
    from thresholded
    left join keyword_languages
        on thresholded.keyword_key = keyword_languages.keyword_key
    left join keyword_products
        on
            thresholded.account_id = keyword_products.account_id
            and thresholded.period_end = keyword_products.period_end
            and thresholded.keyword_key = keyword_products.keyword_key
    where
        thresholded.ctr_threshold > 0
        and thresholded.keyword_ctr < thresholded.ctr_threshold
        and thresholded.expected_clicks - thresholded.clicks
        >= coalesce(thresholded.min_z, 0) * sqrt(thresholded.expected_clicks)
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
        case
            when products_zh is not null
                then '为关键词「' || keyword || '」背后的产品' || products_zh || '重做主图和标题：曝光 '
            else
                '关键词「' || keyword || '」没有产品标题包含其全部词语：用买家的语言写标题（' || language_guess
                || '），并重做主图：曝光 '
        end
        || {{ gscor_fmt_num('impressions') }}
        || '，点击率 ' || {{ gscor_fmt_pct('keyword_ctr', 2) }} || '，店铺平均 ' || {{ gscor_fmt_pct('store_ctr', 2) }}
        || coalesce('，Top10 ' || {{ gscor_fmt_pct('top10_avg_ctr', 2) }}, '') as action_text_zh,
        case
            when products_en is not null
                then
                    'Rework the main image and title of the products behind the keyword "' || keyword || '" ('
                    || products_en || '): '
            else
                'No product title carries every word of the keyword "' || keyword || '": write titles in the '
                || 'buyers'' language (' || language_guess || ') and rework the main image: '
        end
        || {{ gscor_fmt_num('impressions') }} || ' impressions, CTR ' || {{ gscor_fmt_pct('keyword_ctr', 2) }}
        || ' vs store ' || {{ gscor_fmt_pct('store_ctr', 2) }}
        || coalesce(', Top10 ' || {{ gscor_fmt_pct('top10_avg_ctr', 2) }}, '') as action_text_en,
        owner,
        'clicks ' || {{ gscor_fmt_num('clicks') }} || ' of ' || {{ gscor_fmt_num('impressions') }}
        || ' impressions (' || {{ gscor_fmt_num('expected_clicks', 1) }} || ' expected at the store CTR)'
        || '; threshold CTR ' || {{ gscor_fmt_pct('ctr_threshold', 2) }}
        || case
            when top10_based_threshold > coalesce(store_based_threshold, 0) then ' (Top10-based)'
            else ' (store-based)'
        end
        || '; language ' || language_guess
        || '; products behind it: ' || coalesce(
            product_ids || ' (' || {{ gscor_fmt_num('matched_products') }}
            || ' titles match)', 'none found by title'
        ) as evidence_detail,
        'language:' || language_guess as group_key
    from firing
)

{{ gscor_finding_record('findings', group_key='group_key') }}
