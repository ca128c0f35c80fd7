-- S01 核心关键词排名靠后 core keyword ranked too low (docs/findings_catalogue.md, stage S).
-- Core keywords: the keywords the seller tracks in 关键词排名查询 (keyword_ranking). The export is the seller's own
-- watch list — they check the products they push against the keywords they care about — so every keyword in it
-- is a core keyword of the products checked against it.
-- Fires for a promoted product (是否主推, catalog as of the week's end: the latest snapshot on or before it, else the
-- earliest) and week (Sunday → Saturday of the 查询日期 check date) when its BEST check of the week for a core keyword
-- is on a page past max_page (排名页 > max_page), or the keyword was checked but the product was not found (排名页
-- empty: it sorts worst). One finding per product × week: the worst such keyword is the headline (metric
-- rank_page, value = its best page of the week, NULL when not found), every keyword past max_page is listed in
-- evidence_detail.
-- threshold = max_page; benchmark = NULL. owner: 产品负责人 of the week's product export, when there is one.
-- impact_estimate (clicks per week) = the store's clicks on the headline keyword that week (流量关键词,
--   rpt_keyword_weekly) / (1 + the number of the store's products checked on a page <= max_page for it that week):
--   the share of the keyword's clicks one more product on the first pages would take. 0 when the account has no
--   keyword_performance export for that week (the clicks are unknown).
-- severity: not found or page >= 2 × max_page → high; page >= 1.5 × max_page → medium; else low.

with params as ({{ gscor_rule_params('S01', ['max_page']) }}),

checks as (
    select
        ranking.account_id,
        ranking.product_id,
        ranking.keyword,
        {{ gscor_normalise_text('ranking.keyword') }} as keyword_normalised,
        ranking.rank_page,
        ranking.rank_position,
        dates.week_start,
        dates.week_end
    from {{ ref('stg_alibaba__keyword_ranking') }} as ranking
    inner join {{ ref('dim_date') }} as dates
        on ranking.checked_date = dates.date_day
),

checks_ranked as (
    -- the best check of each product × keyword × week: lowest page, then lowest position; not found sorts last
    select
        checks.*,
        row_number() over (
            partition by checks.account_id, checks.product_id, checks.keyword_normalised, checks.week_end
            order by
                case when checks.rank_page is null then 1 else 0 end,
                checks.rank_page,
                checks.rank_position,
                checks.keyword
        ) as check_rank
    from checks
),

keyword_weeks as (
    select
        account_id,
        product_id,
        keyword,
        keyword_normalised,
        week_start,
        week_end,
        rank_page as best_page,
        rank_position as best_position
    from checks_ranked
    where check_rank = 1
),

top_pages as (
    -- the store's products on the first max_page pages for each keyword and week
    select
        keyword_weeks.account_id,
        keyword_weeks.keyword_normalised,
        keyword_weeks.week_end,
        count(*) as products_on_top_pages
    from keyword_weeks
    inner join params
        on keyword_weeks.account_id = params.account_id
    where keyword_weeks.best_page <= params.max_page
    group by keyword_weeks.account_id, keyword_weeks.keyword_normalised, keyword_weeks.week_end
),

catalog_as_of as (
    select
        catalogue.account_id,
        catalogue.product_id,
        catalogue.product_name,
        catalogue.is_promoted,
        catalogue.valid_from,
        catalogue.valid_to
    from {{ ref('int_product_catalog_versioned') }} as catalogue
),

low_ranks as (
    select
        keyword_weeks.*,
        params.max_page,
        catalog_as_of.product_name
    from keyword_weeks
    inner join params
        on keyword_weeks.account_id = params.account_id
    inner join catalog_as_of
        on
            keyword_weeks.account_id = catalog_as_of.account_id
            and keyword_weeks.product_id = catalog_as_of.product_id
            and keyword_weeks.week_end between catalog_as_of.valid_from and catalog_as_of.valid_to
    where
        catalog_as_of.is_promoted
        and (keyword_weeks.best_page is null or keyword_weeks.best_page > params.max_page)
),

low_keyword_lists as (
    select
        account_id,
        product_id,
        week_end,
        {{ gscor_listagg(
            "keyword || ' (' || coalesce('p' || " ~ gscor_cast('best_page', 'string') ~ ", 'not found') || ')'",
            '; ',
            'keyword_normalised'
        ) }} as low_keywords
    from low_ranks
    group by account_id, product_id, week_end
),

low_ranks_ranked as (
    select
        low_ranks.*,
        row_number() over (
            partition by low_ranks.account_id, low_ranks.product_id, low_ranks.week_end
            order by
                case when low_ranks.best_page is null then 0 else 1 end,
                low_ranks.best_page desc,
                low_ranks.keyword_normalised asc
        ) as keyword_rank
    from low_ranks
),

product_owners as (
    select
        account_id,
        product_id,
        period_end,
        max(owner) as owner  -- noqa: RF04
    from {{ ref('fct_product_period') }}
    where period_grain = 'week'
    group by account_id, product_id, period_end
),

headline as (
    select
        low_ranks_ranked.*,
        low_keyword_lists.low_keywords,
        keyword_clicks.clicks as keyword_clicks,
        coalesce(top_pages.products_on_top_pages, 0) as products_on_top_pages,
        product_owners.owner
    from low_ranks_ranked
    inner join low_keyword_lists
        on
            low_ranks_ranked.account_id = low_keyword_lists.account_id
            and low_ranks_ranked.product_id = low_keyword_lists.product_id
            and low_ranks_ranked.week_end = low_keyword_lists.week_end
    left join {{ ref('rpt_keyword_weekly') }} as keyword_clicks
        on
            low_ranks_ranked.account_id = keyword_clicks.account_id
            and low_ranks_ranked.keyword_normalised = keyword_clicks.keyword_normalised
            and low_ranks_ranked.week_end = keyword_clicks.period_end
    left join top_pages
        on
            low_ranks_ranked.account_id = top_pages.account_id
            and low_ranks_ranked.keyword_normalised = top_pages.keyword_normalised
            and low_ranks_ranked.week_end = top_pages.week_end
    left join product_owners
        on
            low_ranks_ranked.account_id = product_owners.account_id
            and low_ranks_ranked.product_id = product_owners.product_id
            and low_ranks_ranked.week_end = product_owners.period_end
    where low_ranks_ranked.keyword_rank = 1
),

findings as (
    select
        account_id,
        'S01' as rule_id,
        'S' as stage,  -- noqa: RF04
        case
            when best_page is null or best_page >= 2 * max_page then 'high'
            when best_page >= 1.5 * max_page then 'medium'
            else 'low'
        end as severity,
        'product' as entity_type,
        product_id as entity_id,
        coalesce(product_name, product_id) as entity_label,
        'week' as period_grain,
        week_start as period_start,
        week_end as period_end,
        'rank_page' as metric,
        best_page as value,  -- noqa: RF04
        max_page as threshold,
        cast(null as {{ gscor_type('double') }}) as benchmark,
        coalesce({{ gscor_ratio('keyword_clicks', '1 + products_on_top_pages') }}, 0) as impact_estimate,
        'clicks' as impact_unit,
        'OPTIMIZE_PRODUCT_FOR_KEYWORD' as action_code,
        '优化主推产品「' || coalesce(product_name, product_id) || '」的核心关键词「' || keyword || '」（标题、关键词、属性），'
        || '或为该词出价：本周最好排名'
        || coalesce('第 ' || {{ gscor_fmt_num('best_page') }} || ' 页', '未找到')
        || '，目标前 ' || {{ gscor_fmt_num('max_page') }} || ' 页' as action_text_zh,
        'Optimise the promoted product "' || coalesce(product_name, product_id) || '" for the core keyword "'
        || keyword || '" (title, keywords, attributes) or bid on it: best rank this week '
        || coalesce('page ' || {{ gscor_fmt_num('best_page') }}, 'not found')
        || ', target page ' || {{ gscor_fmt_num('max_page') }} || ' or better' as action_text_en,
        owner,
        'keywords past page ' || {{ gscor_fmt_num('max_page') }} || ': ' || low_keywords
        || '; store clicks on "' || keyword || '" this week: '
        || coalesce({{ gscor_fmt_num('keyword_clicks') }}, 'unknown') as evidence_detail
    from headline
)

{{ gscor_finding_record('findings') }}
