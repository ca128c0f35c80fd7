-- 流量关键词 weekly: one row per account × week (the weekly export's own Sunday–Saturday period) × keyword
-- (normalised text). A keyword the export lists twice has its event counts (曝光量, 点击量, 外贸直通车 曝光/点击)
-- added; its benchmark figures (Top10 averages, 关键词指数, 卖家规模指数) are those of its row with the most
-- impressions. Exports of another grain (month, custom) are not in this report.
with

keyword_rows as (

    select * from {{ ref('fct_keyword_period') }}
    where period_grain = 'week'

),

keyword_rows_ranked as (

    select
        keyword_rows.*,
        row_number() over (
            partition by
                keyword_rows.account_id,
                keyword_rows.period_start,
                keyword_rows.period_end,
                keyword_rows.keyword_key
            order by keyword_rows.impressions desc, keyword_rows.source_row asc
        ) as row_rank
    from keyword_rows

),

keyword_weeks as (

    select
        account_id,
        period_start,
        period_end,
        keyword_key,
        min(keyword_normalised) as keyword_normalised,
        min(keyword) as keyword,
        count(*) as export_rows,
        max(case when is_brand then 1 else 0 end) = 1 as is_brand,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(p4p_impressions) as p4p_impressions,
        sum(p4p_clicks) as p4p_clicks,
        max(case when row_rank = 1 then top10_avg_impressions end) as top10_avg_impressions,
        max(case when row_rank = 1 then top10_avg_clicks end) as top10_avg_clicks,
        max(case when row_rank = 1 then keyword_index end) as keyword_index,
        max(case when row_rank = 1 then seller_scale_index end) as seller_scale_index,
        max(loaded_at) as loaded_at
    from keyword_rows_ranked
    group by account_id, period_start, period_end, keyword_key

),

keyword_weeks_ranked as (

    select
        keyword_weeks.*,
        {{ gscor_ratio('keyword_weeks.clicks', 'keyword_weeks.impressions') }} as ctr,
        {{ gscor_ratio('keyword_weeks.top10_avg_clicks', 'keyword_weeks.top10_avg_impressions') }}
            as top10_avg_ctr,
        sum(keyword_weeks.impressions) over (
            partition by keyword_weeks.account_id, keyword_weeks.period_start, keyword_weeks.period_end
        ) as week_impressions,
        rank() over (
            partition by keyword_weeks.account_id, keyword_weeks.period_start, keyword_weeks.period_end
            order by keyword_weeks.impressions desc
        ) as impressions_rank
    from keyword_weeks

),

final as (

    select
        {{ gscor_surrogate_key(['current_week.account_id', 'current_week.period_start', 'current_week.period_end',
            'current_week.keyword_key']) }} as keyword_week_sk,
        current_week.account_id,
        'week' as period_grain,
        current_week.period_start,
        current_week.period_end,
        current_week.keyword_key,
        current_week.keyword,
        current_week.keyword_normalised,
        current_week.export_rows,
        current_week.is_brand,
        current_week.impressions,
        current_week.clicks,
        current_week.ctr,
        coalesce(current_week.impressions > 0 and current_week.clicks = 0, false) as is_zero_click_with_impressions,
        current_week.p4p_impressions,
        current_week.p4p_clicks,
        current_week.week_impressions,
        {{ gscor_ratio('current_week.impressions', 'current_week.week_impressions') }} as share_of_impressions,
        current_week.impressions_rank,
        current_week.top10_avg_impressions,
        current_week.top10_avg_clicks,
        current_week.top10_avg_ctr,
        {{ gscor_ratio('current_week.impressions', 'current_week.top10_avg_impressions') }}
            as impressions_vs_top10,
        {{ gscor_ratio('current_week.ctr', 'current_week.top10_avg_ctr') }} as ctr_vs_top10,
        current_week.keyword_index,
        current_week.seller_scale_index,
        previous_week.keyword_key is not null as has_previous_week,
        previous_week.impressions as impressions_previous_week,
        previous_week.clicks as clicks_previous_week,
        {{ gscor_ratio('current_week.impressions - previous_week.impressions', 'previous_week.impressions') }}
            as impressions_wow_change,
        {{ gscor_ratio('current_week.clicks - previous_week.clicks', 'previous_week.clicks') }}
            as clicks_wow_change,
        current_week.loaded_at
    from keyword_weeks_ranked as current_week
    left join keyword_weeks as previous_week
        on
            current_week.account_id = previous_week.account_id
            and current_week.keyword_key = previous_week.keyword_key
            and previous_week.period_start = {{ gscor_add_days(-7, 'current_week.period_start') }}

)

select * from final
