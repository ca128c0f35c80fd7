-- G15 搜索语言多样 keyword language mix → multi-language listings (docs/findings_catalogue.md, stage G), from the
-- 流量关键词 keyword export alone.
-- Per account × week: the keyword impressions (曝光量, rpt_keyword_weekly) by the search language of the keyword
-- (dim_keyword.language_guess: a transparent word-list heuristic, macros/text.sql). Fires when the non-English
-- share (every language but 'en'; 'unknown' counts as non-English) >= min_non_english_share and at least one
-- non-English language has >= min_language_share of the impressions on its own (a market worth a listing in its
-- language): buyers search the store in their own language while its listings are written for English searches,
-- so the fix is multi-language listings (多语言发布) for the named languages, not one title or image at a time.
-- Grain: account × week, entity 'store' (one problem).
-- metric non_english_impression_share; value = that share; threshold = min_non_english_share; benchmark = the
-- keyword CTR of the English searches.
-- impact_estimate (clicks per week) = non-English impressions × max(0, English CTR − non-English CTR): the clicks
--   the non-English searches would have had at the English CTR (0 when they already click as well).
-- The action names the languages with >= min_language_share, largest first, with their shares.
-- severity: non-English share >= 0.6 → high, >= 0.45 → medium, else low.

with params as ({{ gscor_rule_params('G15', ['min_non_english_share', 'min_language_share']) }}),

keyword_weeks as (
    select
        rpt_keyword_weekly.account_id,
        rpt_keyword_weekly.period_start,
        rpt_keyword_weekly.period_end,
        coalesce(dim_keyword.language_guess, 'unknown') as language_guess,
        rpt_keyword_weekly.impressions,
        rpt_keyword_weekly.clicks
    from {{ ref('rpt_keyword_weekly') }} as rpt_keyword_weekly
    left join {{ ref('dim_keyword') }} as dim_keyword
        on rpt_keyword_weekly.keyword_key = dim_keyword.keyword_key
    where rpt_keyword_weekly.period_grain = 'week'
),

language_weeks as (
    select
        account_id,
        period_start,
        period_end,
        language_guess,
        sum(impressions) as impressions,
        sum(clicks) as clicks
    from keyword_weeks
    group by account_id, period_start, period_end, language_guess
),

language_shares as (
    select
        language_weeks.*,
        {{ gscor_ratio('language_weeks.impressions',
            'sum(language_weeks.impressions) over (partition by language_weeks.account_id, language_weeks.period_end)')
        }} as impression_share,
        row_number() over (
            partition by language_weeks.account_id, language_weeks.period_end
            order by language_weeks.impressions desc, language_weeks.language_guess asc
        ) as language_rank
    from language_weeks
),

store_weeks as (
    select
        language_shares.account_id,
        language_shares.period_start,
        language_shares.period_end,
        params.min_non_english_share,
        params.min_language_share,
        sum(language_shares.impressions) as impressions,
        sum(case when language_shares.language_guess <> 'en' then language_shares.impressions else 0 end)
            as non_english_impressions,
        sum(case when language_shares.language_guess <> 'en' then language_shares.clicks else 0 end)
            as non_english_clicks,
        sum(case when language_shares.language_guess = 'en' then language_shares.impressions else 0 end)
            as english_impressions,
        sum(case when language_shares.language_guess = 'en' then language_shares.clicks else 0 end)
            as english_clicks,
        max(
            case
                when language_shares.language_guess <> 'en' then language_shares.impression_share
            end
        ) as top_language_share,
        {{ gscor_listagg(
            "case when language_shares.language_guess <> 'en' and language_shares.impression_share "
            ~ ">= params.min_language_share then language_shares.language_guess || ' ' || "
            ~ gscor_fmt_pct('language_shares.impression_share', 0) ~ " end",
            ', ', 'language_shares.language_rank') }} as languages_named
    from language_shares
    inner join params
        on language_shares.account_id = params.account_id
    group by
        language_shares.account_id,
        language_shares.period_start,
        language_shares.period_end,
        params.min_non_english_share,
        params.min_language_share
),

firing as (
    select
        store_weeks.*,
        {{ gscor_ratio('non_english_impressions', 'impressions') }} as non_english_share,
        {{ gscor_ratio('english_clicks', 'english_impressions') }} as english_ctr,
        {{ gscor_ratio('non_english_clicks', 'non_english_impressions') }} as non_english_ctr
    from store_weeks
    where
        store_weeks.impressions > 0
        and store_weeks.non_english_impressions >= store_weeks.min_non_english_share * store_weeks.impressions
        and store_weeks.top_language_share >= store_weeks.min_language_share
),

findings as (
    select
        account_id,
        'G15' as rule_id,
        'G' as stage,  -- noqa: RF04
        case
            when non_english_share >= 0.6 then 'high'
            when non_english_share >= 0.45 then 'medium'
            else 'low'
        end as severity,
        'store' as entity_type,
        'store' as entity_id,
        account_id as entity_label,
        'week' as period_grain,
        period_start,
        period_end,
        'non_english_impression_share' as metric,
        non_english_share as value,  -- noqa: RF04
        min_non_english_share as threshold,
        english_ctr as benchmark,
        case
            when english_ctr > coalesce(non_english_ctr, 0)
                then non_english_impressions * (english_ctr - coalesce(non_english_ctr, 0))
            else 0
        end as impact_estimate,
        'clicks' as impact_unit,
        'PUBLISH_MULTI_LANGUAGE_LISTINGS' as action_code,
        '本周 ' || {{ gscor_fmt_pct('non_english_share', 0) }} || ' 的关键词曝光来自非英语搜索（'
        || languages_named || '）：为这些语言发布多语言商品（标题、关键词、详情），而不是逐个改图' as action_text_zh,
        {{ gscor_fmt_pct('non_english_share', 0) }} || ' of this week''s keyword impressions come from non-English '
        || 'searches (' || languages_named || '): publish multi-language listings (titles, keywords, detail) in these '
        || 'languages rather than reworking images one keyword at a time' as action_text_en,
        cast(null as {{ gscor_type('varchar') }}) as owner,  -- noqa: RF04
        'keyword CTR: non-English ' || coalesce({{ gscor_fmt_pct('non_english_ctr', 2) }}, 'n/a') || ', English '
        || coalesce({{ gscor_fmt_pct('english_ctr', 2) }}, 'n/a') || '; non-English impressions '
        || {{ gscor_fmt_num('non_english_impressions') }} || ' of ' || {{ gscor_fmt_num('impressions') }}
            as evidence_detail
    from firing
)

{{ gscor_finding_record('findings') }}
