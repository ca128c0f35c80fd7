-- S03 橱窗分配不合理 showcase misallocated (docs/findings_catalogue.md, stage S).
-- Per account and week (the weekly 产品数据 export, Sunday → Saturday):
--   opportunities of a product = 询盘人数 inquiry_buyers + TM咨询人数 tm_buyers of the week (both unique within the
--   week; a buyer who did both counts twice — an upper bound of its 商机 buyers, used only to rank). Products are
--   ranked with percent_rank by opportunities (ties share the lowest rank, so every product with the store's lowest
--   count is in the bottom).
--   weak: a showcase product (是否橱窗) with percent_rank < bottom_share whose opportunities are clearly below what its
--   visitors should bring: expected = 访问人数 visitors × the store's opportunities per visitor that week, and
--   (expected − opportunities) >= min_z × √expected (Poisson). Most products of a real store have 0 opportunities in
--   a week, so "bottom 30%" alone would take nearly every showcase product with a quiet week (0 of 0.7 expected).
--   candidate: a non-showcase product with >= min_candidate_impressions search impressions and a search CTR >= 
--   strong_ctr_vs_median × the store's median product search CTR (median over products with >= min_candidate_
--   impressions search impressions; no candidate when that median is 0 or unknown).
-- Fires for every weak showcase product while at least one candidate exists; a showcase product that S09 already
-- flags (almost no search exposure) is left to S09, which swaps those slots as one action. Both products are named:
-- the weak products (fewest opportunities first) are paired with the candidates (highest CTR first) in turn,
-- cycling through the candidates when there are fewer of them. One finding per weak product × week (entity = the
-- showcase product).
-- metric opportunities; value = the weak product's opportunities; threshold = the highest opportunity count still
-- in the bottom share that week; benchmark = the median opportunities per product that week.
-- impact_estimate (clicks per week) = the weak product's search impressions × max(0, candidate CTR − weak product's
--   CTR): the showcase's exposure clicked at the candidate's rate instead (a showcase slot is worth its exposure).
-- severity: weak product with 0 opportunities and candidate CTR >= 2 × its threshold → high; 0 opportunities →
--   medium; else low.

with params as (
    {{ gscor_rule_params('S03', ['bottom_share', 'strong_ctr_vs_median', 'min_candidate_impressions', 'min_z']) }}
),

product_weeks as (
    select
        product.account_id,
        product.product_id,
        product.period_start,
        product.period_end,
        coalesce(product.product_name, product.product_id) as product_label,
        product.owner,
        coalesce(product.is_showcase, false) as is_showcase,
        product.search_impressions,
        product.search_clicks,
        product.search_ctr_computed as search_ctr,
        coalesce(product.inquiry_buyers, 0) + coalesce(product.tm_buyers, 0) as opportunities,
        coalesce(product.visitors, 0) as visitors,
        params.min_z,
        product.search_impressions >= params.min_candidate_impressions as has_enough_impressions,
        params.bottom_share,
        params.strong_ctr_vs_median
    from {{ ref('fct_product_period') }} as product
    inner join params
        on product.account_id = params.account_id
    where product.period_grain = 'week'
),

product_weeks_ranked as (
    select
        product_weeks.*,
        percent_rank() over (
            partition by product_weeks.account_id, product_weeks.period_end
            order by product_weeks.opportunities
        ) as opportunity_percentile
    from product_weeks
),

store_weeks as (
    select
        account_id,
        period_end,
        {{ gscor_percentile('case when has_enough_impressions then search_ctr end', 0.5) }} as median_ctr,
        {{ gscor_percentile('opportunities', 0.5) }} as median_opportunities,
        max(case when opportunity_percentile < bottom_share then opportunities end) as bottom_max_opportunities,
        {{ gscor_ratio('sum(opportunities)', 'sum(visitors)') }} as opportunities_per_visitor
    from product_weeks_ranked
    group by account_id, period_end
),

candidates as (
    select
        product_weeks_ranked.account_id,
        product_weeks_ranked.period_end,
        product_weeks_ranked.product_id,
        product_weeks_ranked.product_label,
        product_weeks_ranked.search_ctr,
        product_weeks_ranked.search_impressions,
        store_weeks.median_ctr,
        product_weeks_ranked.strong_ctr_vs_median * store_weeks.median_ctr as strong_ctr_threshold,
        row_number() over (
            partition by product_weeks_ranked.account_id, product_weeks_ranked.period_end
            order by product_weeks_ranked.search_ctr desc, product_weeks_ranked.product_id asc
        ) as candidate_rank,
        count(*) over (
            partition by product_weeks_ranked.account_id, product_weeks_ranked.period_end
        ) as candidate_count
    from product_weeks_ranked
    inner join store_weeks
        on
            product_weeks_ranked.account_id = store_weeks.account_id
            and product_weeks_ranked.period_end = store_weeks.period_end
    where
        not product_weeks_ranked.is_showcase
        and product_weeks_ranked.has_enough_impressions
        and store_weeks.median_ctr > 0
        and product_weeks_ranked.search_ctr >= product_weeks_ranked.strong_ctr_vs_median * store_weeks.median_ctr
),

s09_products as (
    select distinct
        account_id,
        entity_id as product_id,
        period_end
    from {{ ref('fnd_s09_weak_showcase') }}
),

weak_showcases as (
    select
        product_weeks_ranked.*,
        store_weeks.median_opportunities,
        store_weeks.bottom_max_opportunities,
        row_number() over (
            partition by product_weeks_ranked.account_id, product_weeks_ranked.period_end
            order by
                product_weeks_ranked.opportunities,
                product_weeks_ranked.search_ctr,
                product_weeks_ranked.product_id
        ) as weak_rank
    from product_weeks_ranked
    inner join store_weeks
        on
            product_weeks_ranked.account_id = store_weeks.account_id
            and product_weeks_ranked.period_end = store_weeks.period_end
    left join s09_products
        on
            product_weeks_ranked.account_id = s09_products.account_id
            and product_weeks_ranked.product_id = s09_products.product_id
            and product_weeks_ranked.period_end = s09_products.period_end
    where
        product_weeks_ranked.is_showcase
        and product_weeks_ranked.opportunity_percentile < product_weeks_ranked.bottom_share
        and s09_products.product_id is null
        and product_weeks_ranked.visitors * store_weeks.opportunities_per_visitor - product_weeks_ranked.opportunities
        >= coalesce(product_weeks_ranked.min_z, 0)
        * sqrt(product_weeks_ranked.visitors * coalesce(store_weeks.opportunities_per_visitor, 0))
),

paired as (
    select
        weak_showcases.*,
        candidates.product_id as candidate_id,
        candidates.product_label as candidate_label,
        candidates.search_ctr as candidate_ctr,
        candidates.median_ctr,
        candidates.strong_ctr_threshold
    from weak_showcases
    inner join candidates
        on
            weak_showcases.account_id = candidates.account_id
            and weak_showcases.period_end = candidates.period_end
            and candidates.candidate_rank = mod(weak_showcases.weak_rank - 1, candidates.candidate_count) + 1
),

findings as (
    select
        account_id,
        'S03' as rule_id,
        'S' as stage,  -- noqa: RF04
        case
            when opportunities = 0 and candidate_ctr >= 2 * strong_ctr_threshold then 'high'
            when opportunities = 0 then 'medium'
            else 'low'
        end as severity,
        'product' as entity_type,
        product_id as entity_id,
        product_label as entity_label,
        'week' as period_grain,
        period_start,
        period_end,
        'opportunities' as metric,
        opportunities as value,  -- noqa: RF04
        bottom_max_opportunities as threshold,
        median_opportunities as benchmark,
        case
            when candidate_ctr > coalesce(search_ctr, 0)
                then search_impressions * (candidate_ctr - coalesce(search_ctr, 0))
            else 0
        end as impact_estimate,
        'clicks' as impact_unit,
        'MOVE_SHOWCASE_SLOT' as action_code,
        '把橱窗位从「' || product_label || '」换给「' || candidate_label || '」：前者本周商机 '
        || {{ gscor_fmt_num('opportunities') }} || '（店铺后 ' || {{ gscor_fmt_pct('bottom_share', 0) }}
        || '），后者搜索点击率 ' || {{ gscor_fmt_pct('candidate_ctr', 2) }} || '，店铺产品中位数 '
        || {{ gscor_fmt_pct('median_ctr', 2) }} as action_text_zh,
        'Move the showcase slot from "' || product_label || '" to "' || candidate_label || '": '
        || {{ gscor_fmt_num('opportunities') }} || ' opportunities this week (bottom '
        || {{ gscor_fmt_pct('bottom_share', 0) }} || ' of the store) vs a search CTR of '
        || {{ gscor_fmt_pct('candidate_ctr', 2) }} || ' (store median '
        || {{ gscor_fmt_pct('median_ctr', 2) }} || ')' as action_text_en,
        owner,
        'move to product ' || candidate_id || '; showcase product: ' || {{ gscor_fmt_num('search_impressions') }}
        || ' search impressions, CTR ' || coalesce({{ gscor_fmt_pct('search_ctr', 2) }}, 'n/a')
        || '; candidate CTR threshold ' || {{ gscor_fmt_pct('strong_ctr_threshold', 2) }} as evidence_detail
    from paired
)

{{ gscor_finding_record('findings') }}
