-- S08 价格偏离市场 price out of market (docs/findings_catalogue.md, stage S).
-- Input: TOP10 竞品 (competitors: per 采集日期 collection date and 关键词 keyword, the listings ranked 1–10 with their
-- price range) and 产品管理 (product_catalog, as of the collection date: the latest snapshot on or before it, else
-- the earliest).
-- A product's competitors: the listings ranked <= top_n_competitors of the keywords the product competes on, where a
-- product competes on a collected keyword when
--   (a) the seller checks the product's rank for it in 关键词排名查询 (keyword_ranking, any check up to the
--       collection date), or
--   (b) every word of the keyword is a word of the product title (lower case; punctuation , . ; : / ( ) - | ' and
--       double quotes count as spaces; a keyword of more than 8 words is matched on its first 8) — Alibaba's
--       search matches on title words.
-- A product linked to no collected keyword has no known competitors and is not evaluated.
-- Fires when the product's FOB最低价 fob_min_usd > max_price_vs_competitor_median × the median 价格下限 price_min_usd of
-- its competitors' listings (like for like: the low ends of both price ranges). One finding per product × collection
-- date (period_grain 'snapshot', period_start = period_end = 采集日期).
-- metric fob_min_usd; value = the product's price; threshold = max_price_vs_competitor_median × median;
-- benchmark = the median.
-- impact_estimate (inquiries per week) = the product's average weekly 访问人数 over the 4 weeks ending with the
--   collection's week × max(0, S − P), where P = its 询盘人数 / 访问人数 and S = the same ratio over all the store's
--   products in those weeks (sums of weekly counts on both sides): the inquiries it would get converting like the
--   store average, if price is what holds it back. When it already converts at least as well as the store: its
--   average weekly visitors × P × price_inquiry_uplift (the seed's assumed relative lift of the inquiry rate from a
--   price in the market, default 0.1). 0 when the account has no product export for those weeks (visitors unknown)
--   or the product had no inquiry to lift.
-- severity: (price / median) / max_price_vs_competitor_median >= 1.3 → high; >= 1.1 → medium; else low.

with params as (
    {{ gscor_rule_params('S08', ['max_price_vs_competitor_median', 'top_n_competitors', 'price_inquiry_uplift']) }}
),

listings as (
    select
        competitors.account_id,
        competitors.collected_date,
        competitors.keyword,
        {{ gscor_normalise_text('competitors.keyword') }} as keyword_normalised,
        competitors.rank,
        competitors.competitor_store,
        competitors.price_min_usd
    from {{ ref('stg_alibaba__competitors') }} as competitors
    inner join params
        on competitors.account_id = params.account_id
    where
        competitors.rank <= params.top_n_competitors
        and competitors.price_min_usd is not null
),

collected_keywords as (
    select distinct
        account_id,
        collected_date,
        keyword_normalised
    from listings
),

keyword_words as (
    -- the keyword's words 1..8 (word n = the n-th run of non-space characters)
    {%- for word_number in range(1, 9) %}
        select
            account_id,
            collected_date,
            keyword_normalised,
            {{ word_number }} as word_number,
            {{ gscor_regexp_extract(
                'keyword_normalised', '^(?:[^ ]+ +){' ~ (word_number - 1) ~ '}([^ ]+)', 1
            ) }} as word
        from collected_keywords
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

keyword_word_counts as (
    select
        account_id,
        collected_date,
        keyword_normalised,
        count(*) as words
    from keyword_words
    where word is not null and word != ''
    group by account_id, collected_date, keyword_normalised
),

collections as (
    select distinct
        account_id,
        collected_date
    from listings
),

catalog_as_of as (
    select
        collected.account_id,
        collected.collected_date,
        catalogue.product_id,
        catalogue.product_name,
        catalogue.fob_min_usd,
        catalogue.fob_max_usd,
        ' '
        || translate(lower(coalesce(catalogue.product_name, '')), ',.;:/()-|''"', '           ')
        || ' ' as title_words
    from collections as collected
    inner join {{ ref('int_product_catalog_versioned') }} as catalogue
        on
            collected.account_id = catalogue.account_id
            and collected.collected_date between catalogue.valid_from and catalogue.valid_to
    where catalogue.fob_min_usd is not null
),

title_links as (
    select
        catalog_as_of.account_id,
        catalog_as_of.collected_date,
        catalog_as_of.product_id,
        keyword_words.keyword_normalised
    from catalog_as_of
    inner join keyword_words
        on
            catalog_as_of.account_id = keyword_words.account_id
            and catalog_as_of.collected_date = keyword_words.collected_date
            and catalog_as_of.title_words like '% ' || keyword_words.word || ' %'
    inner join keyword_word_counts
        on
            keyword_words.account_id = keyword_word_counts.account_id
            and keyword_words.collected_date = keyword_word_counts.collected_date
            and keyword_words.keyword_normalised = keyword_word_counts.keyword_normalised
    where keyword_words.word is not null and keyword_words.word != ''
    group by
        catalog_as_of.account_id,
        catalog_as_of.collected_date,
        catalog_as_of.product_id,
        keyword_words.keyword_normalised,
        keyword_word_counts.words
    having count(distinct keyword_words.word_number) = keyword_word_counts.words
),

ranking_links as (
    select distinct
        collected_keywords.account_id,
        collected_keywords.collected_date,
        ranking.product_id,
        collected_keywords.keyword_normalised
    from collected_keywords
    inner join {{ ref('stg_alibaba__keyword_ranking') }} as ranking
        on
            collected_keywords.account_id = ranking.account_id
            and collected_keywords.keyword_normalised = {{ gscor_normalise_text('ranking.keyword') }}
            and collected_keywords.collected_date >= ranking.checked_date
),

product_keywords as (
    select
        account_id,
        collected_date,
        product_id,
        keyword_normalised
    from title_links
    union
    select
        account_id,
        collected_date,
        product_id,
        keyword_normalised
    from ranking_links
),

product_markets as (
    select
        product_keywords.account_id,
        product_keywords.collected_date,
        product_keywords.product_id,
        {{ gscor_percentile('listings.price_min_usd', 0.5) }} as competitor_median_price,
        count(*) as competitor_listings,
        {{ gscor_listagg('distinct product_keywords.keyword_normalised', ', ', 'product_keywords.keyword_normalised') }}
            as competitor_keywords
    from product_keywords
    inner join listings
        on
            product_keywords.account_id = listings.account_id
            and product_keywords.collected_date = listings.collected_date
            and product_keywords.keyword_normalised = listings.keyword_normalised
    group by product_keywords.account_id, product_keywords.collected_date, product_keywords.product_id
),

collection_weeks as (
    select distinct
        listings.account_id,
        listings.collected_date,
        dates.week_end
    from listings
    inner join {{ ref('dim_date') }} as dates
        on listings.collected_date = dates.date_day
),

recent_product_weeks as (
    select
        collection_weeks.account_id,
        collection_weeks.collected_date,
        product.product_id,
        product.period_end,
        product.visitors,
        product.inquiry_buyers,
        product.owner
    from collection_weeks
    inner join {{ ref('fct_product_period') }} as product
        on
            collection_weeks.account_id = product.account_id
            and product.period_grain = 'week'
            and collection_weeks.week_end >= product.period_end
            and product.period_end > {{ gscor_add_days(-28, 'collection_weeks.week_end') }}
),

store_rates as (
    select
        account_id,
        collected_date,
        {{ gscor_ratio('sum(inquiry_buyers)', 'sum(visitors)') }} as store_inquiry_rate
    from recent_product_weeks
    group by account_id, collected_date
),

product_rates as (
    select
        account_id,
        collected_date,
        product_id,
        avg(visitors) as avg_weekly_visitors,
        {{ gscor_ratio('sum(inquiry_buyers)', 'sum(visitors)') }} as inquiry_rate,
        max(owner) as owner  -- noqa: RF04
    from recent_product_weeks
    group by account_id, collected_date, product_id
),

evaluated as (
    select
        product_markets.*,
        catalog_as_of.product_name,
        catalog_as_of.fob_min_usd,
        catalog_as_of.fob_max_usd,
        params.max_price_vs_competitor_median,
        params.price_inquiry_uplift,
        params.top_n_competitors as params_top_n,
        params.max_price_vs_competitor_median * product_markets.competitor_median_price as price_threshold,
        catalog_as_of.fob_min_usd / product_markets.competitor_median_price as price_ratio,
        product_rates.avg_weekly_visitors,
        product_rates.inquiry_rate,
        product_rates.owner,
        store_rates.store_inquiry_rate
    from product_markets
    inner join catalog_as_of
        on
            product_markets.account_id = catalog_as_of.account_id
            and product_markets.collected_date = catalog_as_of.collected_date
            and product_markets.product_id = catalog_as_of.product_id
    inner join params
        on product_markets.account_id = params.account_id
    left join product_rates
        on
            product_markets.account_id = product_rates.account_id
            and product_markets.collected_date = product_rates.collected_date
            and product_markets.product_id = product_rates.product_id
    left join store_rates
        on
            product_markets.account_id = store_rates.account_id
            and product_markets.collected_date = store_rates.collected_date
    where product_markets.competitor_median_price > 0
),

findings as (
    select
        account_id,
        'S08' as rule_id,
        'S' as stage,  -- noqa: RF04
        case
            when price_ratio / max_price_vs_competitor_median >= 1.3 then 'high'
            when price_ratio / max_price_vs_competitor_median >= 1.1 then 'medium'
            else 'low'
        end as severity,
        'product' as entity_type,
        product_id as entity_id,
        coalesce(product_name, product_id) as entity_label,
        'snapshot' as period_grain,
        collected_date as period_start,
        collected_date as period_end,
        'fob_min_usd' as metric,
        fob_min_usd as value,  -- noqa: RF04
        price_threshold as threshold,
        competitor_median_price as benchmark,
        case
            when store_inquiry_rate > inquiry_rate then avg_weekly_visitors * (store_inquiry_rate - inquiry_rate)
            else coalesce(avg_weekly_visitors * inquiry_rate * price_inquiry_uplift, 0)
        end as impact_estimate,
        'inquiries' as impact_unit,
        'REVIEW_PRICE_OR_SHOW_VALUE' as action_code,
        '复核产品「' || coalesce(product_name, product_id) || '」的价格，或在详情页讲清价值：FOB 最低价 US$'
        || {{ gscor_fmt_num('fob_min_usd', 2) }} || '，是竞品中位数 US$'
        || {{ gscor_fmt_num('competitor_median_price', 2) }} || ' 的 ' || {{ gscor_fmt_num('price_ratio', 2) }}
        || ' 倍（关键词：' || competitor_keywords || '）' as action_text_zh,
        'Review the price of "' || coalesce(product_name, product_id) || '" or show its value: FOB from US$'
        || {{ gscor_fmt_num('fob_min_usd', 2) }} || ', ' || {{ gscor_fmt_num('price_ratio', 2) }}
        || '× the median of its competitors (US$' || {{ gscor_fmt_num('competitor_median_price', 2) }}
        || ', keywords: ' || competitor_keywords || ')' as action_text_en,
        owner,
        {{ gscor_fmt_num('competitor_listings') }} || ' competitor listings (top '
        || {{ gscor_fmt_num('params_top_n') }} || ' per keyword) on: ' || competitor_keywords
        || '; inquiry rate 4 weeks ' || coalesce({{ gscor_fmt_pct('inquiry_rate') }}, 'unknown') || ' vs store '
        || coalesce({{ gscor_fmt_pct('store_inquiry_rate') }}, 'unknown') as evidence_detail
    from evaluated
    where fob_min_usd > price_threshold
)

{{ gscor_finding_record('findings') }}
