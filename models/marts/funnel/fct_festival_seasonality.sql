-- X04 seasonality (节日效应): per account × trade-calendar event × year (seed trade_calendar: the platform
-- festivals 三月新贸节 / 九月采购节 and whatever the user adds, plus the trade fairs 广交会; holidays are left out),
-- the weekly store exposure (曝光), clicks and inquiries (询盘) of fct_funnel_weekly during the event against the
-- weeks just before it, and the P4P spend (fct_p4p_roi_weekly) in both windows.
--   event weeks    Sunday–Saturday weeks with at least `gscor_x04_min_festival_days_per_week` (var, default 4) of
--                  their 7 days inside start_date … end_date (a week with a few event days is neither event nor
--                  baseline);
--   baseline weeks the `gscor_x04_baseline_weeks` (var, default 4) weeks before the first week that has any event
--                  day (they may include the warm-up 预热 period: that is what the store normally sees before);
--   lift           (mean per event week with data) / (mean per baseline week with data) − 1; NULL without
--                  baseline data or with a zero baseline.
-- Weeks without a row in fct_funnel_weekly count as no data (never as zero). One row per event with at least one
-- event week of the account's data; is_complete says both windows are fully covered.
{%- set min_days = var('gscor_x04_min_festival_days_per_week', 4) %}
{%- set baseline_weeks = var('gscor_x04_baseline_weeks', 4) %}
with

calendar_events as (

    select
        festival_code,
        replace(festival_code, '_' || cast(festival_year as {{ gscor_type('string') }}), '') as festival_key,
        festival_year,
        festival_type,
        name_zh,
        name_en,
        warmup_start,
        start_date,
        end_date
    from {{ ref('trade_calendar') }}
    where festival_type <> 'holiday'

),

event_days as (

    select
        calendar_events.festival_code,
        dim_date.week_start,
        count(*) as event_days_in_week
    from calendar_events
    inner join {{ ref('dim_date') }} as dim_date
        on dim_date.date_day between calendar_events.start_date and calendar_events.end_date
    group by calendar_events.festival_code, dim_date.week_start

),

event_bounds as (

    select
        festival_code,
        min(week_start) as first_touched_week_start
    from event_days
    group by festival_code

),

event_windows as (

    select
        festival_code,
        week_start,
        'festival' as window_kind
    from event_days
    where event_days_in_week >= {{ min_days }}
    union all
    select
        event_bounds.festival_code,
        dim_date.week_start,
        'baseline' as window_kind
    from event_bounds
    inner join {{ ref('dim_date') }} as dim_date
        on
            dim_date.date_day = dim_date.week_start
            and event_bounds.first_touched_week_start > dim_date.week_start
            and {{ gscor_add_days('-7 * ' ~ baseline_weeks, 'event_bounds.first_touched_week_start') }}
            <= dim_date.week_start

),

funnel_weeks as (

    select
        account_id,
        period_start as week_start,
        impressions,
        clicks,
        inquiries
    from {{ ref('fct_funnel_weekly') }}

),

p4p_weeks as (

    select
        account_id,
        period_start as week_start,
        cast(spend_cny as {{ gscor_type('double') }}) as spend_cny,
        cast(spend_usd as {{ gscor_type('double') }}) as spend_usd
    from {{ ref('fct_p4p_roi_weekly') }}

),

account_windows as (

    select
        funnel_weeks.account_id,
        event_windows.festival_code,
        event_windows.window_kind,
        funnel_weeks.week_start,
        funnel_weeks.impressions,
        funnel_weeks.clicks,
        funnel_weeks.inquiries,
        p4p_weeks.spend_cny,
        p4p_weeks.spend_usd,
        p4p_weeks.week_start is not null as has_p4p_week
    from event_windows
    inner join funnel_weeks
        on event_windows.week_start = funnel_weeks.week_start
    left join p4p_weeks
        on
            funnel_weeks.account_id = p4p_weeks.account_id
            and funnel_weeks.week_start = p4p_weeks.week_start

),

window_totals as (

    select
        account_id,
        festival_code,
        sum(case when window_kind = 'festival' then 1 else 0 end) as festival_weeks_with_data,
        sum(case when window_kind = 'baseline' then 1 else 0 end) as baseline_weeks_with_data,
        avg(case when window_kind = 'festival' then cast(impressions as {{ gscor_type('double') }}) end)
            as festival_impressions_per_week,
        avg(case when window_kind = 'baseline' then cast(impressions as {{ gscor_type('double') }}) end)
            as baseline_impressions_per_week,
        avg(case when window_kind = 'festival' then cast(clicks as {{ gscor_type('double') }}) end)
            as festival_clicks_per_week,
        avg(case when window_kind = 'baseline' then cast(clicks as {{ gscor_type('double') }}) end)
            as baseline_clicks_per_week,
        avg(case when window_kind = 'festival' then cast(inquiries as {{ gscor_type('double') }}) end)
            as festival_inquiries_per_week,
        avg(case when window_kind = 'baseline' then cast(inquiries as {{ gscor_type('double') }}) end)
            as baseline_inquiries_per_week,
        sum(case when window_kind = 'festival' and has_p4p_week then 1 else 0 end) as festival_p4p_weeks,
        sum(case when window_kind = 'festival' then spend_cny end) as festival_p4p_spend_cny,
        sum(case when window_kind = 'festival' then spend_usd end) as festival_p4p_spend_usd,
        avg(case when window_kind = 'festival' then spend_cny end) as festival_p4p_spend_cny_per_week,
        avg(case when window_kind = 'baseline' then spend_cny end) as baseline_p4p_spend_cny_per_week
    from account_windows
    group by account_id, festival_code

),

calendar_weeks as (

    select
        festival_code,
        sum(case when window_kind = 'festival' then 1 else 0 end) as festival_weeks,
        sum(case when window_kind = 'baseline' then 1 else 0 end) as baseline_weeks,
        min(case when window_kind = 'festival' then week_start end) as first_festival_week_start,
        max(case when window_kind = 'festival' then week_start end) as last_festival_week_start,
        min(case when window_kind = 'baseline' then week_start end) as baseline_start
    from event_windows
    group by festival_code

),

calendar_windows as (

    select
        calendar_weeks.*,
        event_bounds.first_touched_week_start
    from calendar_weeks
    inner join event_bounds
        on calendar_weeks.festival_code = event_bounds.festival_code

),

final as (

    select
        {{ gscor_surrogate_key(['window_totals.account_id', 'window_totals.festival_code']) }} as festival_season_key,
        window_totals.account_id,
        calendar_events.festival_key,
        calendar_events.festival_year,
        calendar_events.festival_code,
        calendar_events.festival_type,
        calendar_events.name_zh,
        calendar_events.name_en,
        calendar_events.warmup_start,
        calendar_events.start_date,
        calendar_events.end_date,
        calendar_windows.first_festival_week_start,
        {{ gscor_add_days(6, 'calendar_windows.last_festival_week_start') }} as last_festival_week_end,
        calendar_windows.baseline_start,
        {{ gscor_add_days(-1, 'calendar_windows.first_touched_week_start') }} as baseline_end,
        calendar_windows.festival_weeks,
        window_totals.festival_weeks_with_data,
        calendar_windows.baseline_weeks,
        window_totals.baseline_weeks_with_data,
        window_totals.festival_weeks_with_data = calendar_windows.festival_weeks
        and window_totals.baseline_weeks_with_data = calendar_windows.baseline_weeks as is_complete,
        window_totals.festival_impressions_per_week,
        window_totals.baseline_impressions_per_week,
        window_totals.festival_impressions_per_week
        / nullif(window_totals.baseline_impressions_per_week, 0) - 1 as impressions_lift,
        window_totals.festival_clicks_per_week,
        window_totals.baseline_clicks_per_week,
        window_totals.festival_clicks_per_week
        / nullif(window_totals.baseline_clicks_per_week, 0) - 1 as clicks_lift,
        window_totals.festival_inquiries_per_week,
        window_totals.baseline_inquiries_per_week,
        window_totals.festival_inquiries_per_week
        / nullif(window_totals.baseline_inquiries_per_week, 0) - 1 as inquiries_lift,
        window_totals.festival_p4p_weeks,
        window_totals.festival_p4p_spend_cny,
        window_totals.festival_p4p_spend_usd,
        window_totals.festival_p4p_spend_cny_per_week,
        window_totals.baseline_p4p_spend_cny_per_week,
        window_totals.festival_p4p_spend_cny_per_week
        / nullif(window_totals.baseline_p4p_spend_cny_per_week, 0) - 1 as p4p_spend_lift
    from window_totals
    inner join calendar_events
        on window_totals.festival_code = calendar_events.festival_code
    inner join calendar_windows
        on window_totals.festival_code = calendar_windows.festival_code
    where window_totals.festival_weeks_with_data > 0

)

select * from final
