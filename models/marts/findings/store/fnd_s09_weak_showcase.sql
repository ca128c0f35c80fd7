-- S09 橱窗产品曝光弱 weak showcase products (docs/findings_catalogue.md, stage S), from the 产品数据 product export
-- alone.
-- Per account × product × week: a product in a showcase slot (是否橱窗 = Y) with fewer than max_search_impressions
-- 搜索曝光次数 search impressions that week. A showcase slot is a ranking boost the store pays for with its
-- membership; a showcase product nobody sees wastes it (on the real store 5 of 15 showcase products had < 30).
-- Grain: account × product × week; group_key 'weak_showcase': the week's weak showcase products are one problem
-- (one action: swap these slots). The action names the replacement candidates: the non-showcase products with the
-- most search clicks that week (up to 3, as many as there are weak slots).
-- metric search_impressions; value = the product's; threshold = max_search_impressions; benchmark = median search
-- impressions of the week's showcase products.
-- impact_estimate (impressions per week) = max(0, that median − the product's search impressions): what a working
--   showcase slot gets.
-- severity: 0 search impressions → high, below half the threshold → medium, else low.

with params as ({{ gscor_rule_params('S09', ['max_search_impressions']) }}),

product_weeks as (
    select
        account_id,
        product_id,
        period_start,
        period_end,
        coalesce(product_name, product_id) as product_label,
        owner,
        coalesce(is_showcase, false) as is_showcase,
        coalesce(search_impressions, 0) as search_impressions,
        coalesce(search_clicks, 0) as search_clicks
    from {{ ref('fct_product_period') }}
    where period_grain = 'week'
),

showcase_weeks as (
    select
        account_id,
        period_end,
        count(*) as showcase_products,
        {{ gscor_percentile('search_impressions', 0.5) }} as median_showcase_impressions
    from product_weeks
    where is_showcase
    group by account_id, period_end
),

candidates as (
    select
        account_id,
        period_end,
        {{ gscor_listagg("'「' || product_label || '」'", '、', 'candidate_rank') }} as candidates_zh,
        {{ gscor_listagg("'\"' || product_label || '\"'", ', ', 'candidate_rank') }} as candidates_en,
        {{ gscor_listagg('product_id', ', ', 'candidate_rank') }} as candidate_ids
    from (
        select
            product_weeks.*,
            row_number() over (
                partition by product_weeks.account_id, product_weeks.period_end
                order by
                    product_weeks.search_clicks desc,
                    product_weeks.search_impressions desc,
                    product_weeks.product_id asc
            ) as candidate_rank
        from product_weeks
        where not product_weeks.is_showcase and product_weeks.search_clicks > 0
    ) as ranked
    where candidate_rank <= 3
    group by account_id, period_end
),

firing as (
    select
        product_weeks.*,
        params.max_search_impressions,
        showcase_weeks.showcase_products,
        showcase_weeks.median_showcase_impressions,
        candidates.candidates_zh,
        candidates.candidates_en,
        candidates.candidate_ids,
        count(*) over (partition by product_weeks.account_id, product_weeks.period_end) as weak_products
    from product_weeks
    inner join params
        on product_weeks.account_id = params.account_id
    inner join showcase_weeks
        on
            product_weeks.account_id = showcase_weeks.account_id
            and product_weeks.period_end = showcase_weeks.period_end
    left join candidates
        on
            product_weeks.account_id = candidates.account_id
            and product_weeks.period_end = candidates.period_end
    where
        product_weeks.is_showcase
        and product_weeks.search_impressions < params.max_search_impressions
),

findings as (
    select
        account_id,
        'S09' as rule_id,
        'S' as stage,  -- noqa: RF04
        case
            when search_impressions = 0 then 'high'
            when search_impressions < max_search_impressions / 2 then 'medium'
            else 'low'
        end as severity,
        'product' as entity_type,
        product_id as entity_id,
        product_label as entity_label,
        'week' as period_grain,
        period_start,
        period_end,
        'search_impressions' as metric,
        search_impressions as value,  -- noqa: RF04
        max_search_impressions as threshold,
        median_showcase_impressions as benchmark,
        case
            when median_showcase_impressions > search_impressions then median_showcase_impressions - search_impressions
            else 0
        end as impact_estimate,
        'impressions' as impact_unit,
        'SWAP_SHOWCASE_PRODUCT' as action_code,
        '橱窗产品「' || product_label || '」本周搜索曝光仅 ' || {{ gscor_fmt_num('search_impressions') }}
        || '（橱窗产品中位数 ' || {{ gscor_fmt_num('median_showcase_impressions') }} || '）：把橱窗位换给'
        || coalesce(candidates_zh, '搜索点击更多的产品') as action_text_zh,
        'Showcase product "' || product_label || '" had only ' || {{ gscor_fmt_num('search_impressions') }}
        || ' search impressions this week (showcase median ' || {{ gscor_fmt_num('median_showcase_impressions') }}
        || '): give its showcase slot to ' || coalesce(candidates_en, 'a product with more search clicks')
            as action_text_en,
        owner,
        {{ gscor_fmt_num('weak_products') }} || ' of ' || {{ gscor_fmt_num('showcase_products') }}
        || ' showcase products under ' || {{ gscor_fmt_num('max_search_impressions') }}
        || ' search impressions; candidates: ' || coalesce(candidate_ids, 'none') as evidence_detail,
        'weak_showcase' as group_key
    from firing
)

{{ gscor_finding_record('findings', group_key='group_key') }}
