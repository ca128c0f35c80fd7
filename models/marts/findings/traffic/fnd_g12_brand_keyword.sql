-- G12 品牌/违禁关键词 brand or restricted keyword (docs/findings_catalogue.md, stage G; the rule has no parameters: the
-- brand list is the seed brand_keywords, matched into dim_keyword.is_brand / brand / brand_term_matched).
-- Fires for a keyword and week when a brand keyword brought the store traffic in the 流量关键词 weekly export
-- (rpt_keyword_weekly) or was bought in 外贸直通车 P4P that week (fct_p4p_keyword_daily, summed over the week).
-- Grain: account × normalised keyword × week (period_grain 'week', Sunday → Saturday); every finding of the week has
-- group_key 'brand': the brand keywords together are ONE problem (one action in the plan: keep brands out of titles,
-- keywords and P4P), each keyword an entity of it.
-- metric impressions: the keyword export's 曝光量 (P4P impressions when the keyword is only in P4P that week);
-- threshold: null (any use is a finding); benchmark = the keyword's share of the week's keyword impressions.
-- evidence: the keyword's share of keyword impressions, the share of all brand keywords together, and whether any
-- product title of the week's 产品数据 export carries the matched brand term (the store's own listing uses the brand).
-- impact_estimate (clicks per week) = the clicks the keyword brought that week (keyword export clicks, else P4P
--   clicks): the traffic at risk from an IP complaint / the listing penalty; used only to rank.
-- severity: high when P4P money was spent on it or a product title carries the brand (the store itself uses it),
--   medium when it brought clicks, else low.

with keyword_weeks as (
    select
        account_id,
        keyword_key,
        period_start,
        period_end,
        impressions,
        clicks,
        share_of_impressions,
        sum(impressions) over (partition by account_id, period_start) as brand_impressions,
        max(week_impressions) over (partition by account_id, period_start) as week_impressions
    from {{ ref('rpt_keyword_weekly') }}
    where period_grain = 'week' and is_brand
),

p4p_weeks as (
    select
        account_id,
        keyword_key,
        week_start as period_start,
        {{ gscor_add_days(6, 'week_start') }} as period_end,
        sum(impressions) as p4p_impressions,
        sum(clicks) as p4p_clicks,
        sum(spend_cny) as p4p_spend_cny
    from {{ ref('fct_p4p_keyword_daily') }}
    group by account_id, keyword_key, week_start
),

brand_keywords as (
    select
        keyword_key,
        keyword_normalised,
        keyword_text,
        brand,
        brand_term_matched
    from {{ ref('dim_keyword') }}
    where is_brand
),

product_titles as (
    -- the title as words: lower case, punctuation read as spaces (as the brand seed's terms are matched)
    select
        account_id,
        period_start,
        product_id,
        trim(translate(lower(product_name), ',-/().', '      ')) as title_text
    from {{ ref('fct_product_period') }}
    where period_grain = 'week' and product_name is not null
),

brand_match_types as (
    select
        brand_term,
        max(match_type) as match_type
    from {{ ref('brand_keywords') }}
    group by brand_term
),

keyword_week_keys as (
    select
        account_id,
        keyword_key,
        period_start,
        period_end
    from keyword_weeks
    union
    select
        p4p_weeks.account_id,
        p4p_weeks.keyword_key,
        p4p_weeks.period_start,
        p4p_weeks.period_end
    from p4p_weeks
    inner join brand_keywords
        on p4p_weeks.keyword_key = brand_keywords.keyword_key
),

brand_titles as (
    -- product titles of the week that carry the keyword's matched brand term (the seed's match rule)
    select
        keyword_week_keys.account_id,
        keyword_week_keys.keyword_key,
        keyword_week_keys.period_start,
        count(distinct product_titles.product_id) as titles_with_brand
    from keyword_week_keys
    inner join brand_keywords
        on keyword_week_keys.keyword_key = brand_keywords.keyword_key
    inner join brand_match_types
        on brand_keywords.brand_term_matched = brand_match_types.brand_term
    inner join product_titles
        on
            keyword_week_keys.account_id = product_titles.account_id
            and keyword_week_keys.period_start = product_titles.period_start
            and {{ gscor_brand_term_matches(
                'product_titles.title_text', 'brand_keywords.brand_term_matched', 'brand_match_types.match_type'
            ) }}
    group by keyword_week_keys.account_id, keyword_week_keys.keyword_key, keyword_week_keys.period_start
),

firing as (
    select
        keyword_week_keys.account_id,
        keyword_week_keys.period_start,
        keyword_week_keys.period_end,
        brand_keywords.keyword_normalised,
        brand_keywords.keyword_text,
        brand_keywords.brand,
        brand_keywords.brand_term_matched,
        keyword_weeks.impressions,
        keyword_weeks.clicks,
        coalesce(p4p_weeks.p4p_impressions, 0) as p4p_impressions,
        coalesce(p4p_weeks.p4p_clicks, 0) as p4p_clicks,
        coalesce(p4p_weeks.p4p_spend_cny, 0) as p4p_spend_cny,
        coalesce(keyword_weeks.impressions, p4p_weeks.p4p_impressions, 0) as keyword_impressions,
        coalesce(keyword_weeks.clicks, p4p_weeks.p4p_clicks, 0) as keyword_clicks,
        keyword_weeks.share_of_impressions,
        {{ gscor_ratio('keyword_weeks.brand_impressions', 'keyword_weeks.week_impressions') }} as brand_share,
        coalesce(brand_titles.titles_with_brand, 0) as titles_with_brand
    from keyword_week_keys
    inner join brand_keywords
        on keyword_week_keys.keyword_key = brand_keywords.keyword_key
    left join keyword_weeks
        on
            keyword_week_keys.account_id = keyword_weeks.account_id
            and keyword_week_keys.keyword_key = keyword_weeks.keyword_key
            and keyword_week_keys.period_start = keyword_weeks.period_start
    left join p4p_weeks
        on
            keyword_week_keys.account_id = p4p_weeks.account_id
            and keyword_week_keys.keyword_key = p4p_weeks.keyword_key
            and keyword_week_keys.period_start = p4p_weeks.period_start
    left join brand_titles
        on
            keyword_week_keys.account_id = brand_titles.account_id
            and keyword_week_keys.keyword_key = brand_titles.keyword_key
            and keyword_week_keys.period_start = brand_titles.period_start
),

findings as (
    select
        account_id,
        'G12' as rule_id,
        'G' as stage,  -- noqa: RF04
        case
            when p4p_spend_cny > 0 or titles_with_brand > 0 then 'high'
            when keyword_clicks > 0 then 'medium'
            else 'low'
        end as severity,
        'keyword' as entity_type,
        keyword_normalised as entity_id,
        keyword_text as entity_label,
        'week' as period_grain,
        period_start,
        period_end,
        'impressions' as metric,
        keyword_impressions as value,  -- noqa: RF04
        cast(null as {{ gscor_type('double') }}) as threshold,
        share_of_impressions as benchmark,
        keyword_clicks as impact_estimate,
        'clicks' as impact_unit,
        'REMOVE_BRAND_KEYWORD' as action_code,
        '关键词「' || keyword_text || '」含品牌「' || brand || '」：不要用在产品标题、关键词或直通车里（本周曝光 '
        || {{ gscor_fmt_num('keyword_impressions') }} || '，点击 ' || {{ gscor_fmt_num('keyword_clicks') }}
        || case
            when p4p_spend_cny > 0 then '，直通车花费 ' || {{ gscor_fmt_num('p4p_spend_cny', 2) }} || ' 元'
            else ''
        end || '）' as action_text_zh,
        'The keyword "' || keyword_text || '" contains the brand "' || brand || '": never use it in product titles, '
        || 'keywords or P4P (this week ' || {{ gscor_fmt_num('keyword_impressions') }} || ' impressions, '
        || {{ gscor_fmt_num('keyword_clicks') }} || ' clicks'
        || case
            when p4p_spend_cny > 0 then ', P4P spend CNY ' || {{ gscor_fmt_num('p4p_spend_cny', 2) }}
            else ''
        end || ')' as action_text_en,
        cast(null as {{ gscor_type('varchar') }}) as owner,  -- noqa: RF04
        'matched brand term "' || brand_term_matched || '"'
        || coalesce('; ' || {{ gscor_fmt_pct('share_of_impressions', 1) }} || ' of the week''s keyword impressions', '')
        || coalesce('; all brand keywords ' || {{ gscor_fmt_pct('brand_share', 1) }}, '')
        || case
            when titles_with_brand > 0
                then
                    '; '
                    || {{ gscor_fmt_num('titles_with_brand') }}
                    || ' product title(s) carry "'
                    || brand_term_matched
                    || '": remove it'
            else '; no product title carries "' || brand_term_matched || '"'
        end
        || case when p4p_clicks > 0 or p4p_spend_cny > 0 then '; bought in P4P' else '' end as evidence_detail,
        'brand' as group_key
    from firing
)

{{ gscor_finding_record('findings', group_key='group_key') }}
