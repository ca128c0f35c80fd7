-- dim_date: one row per calendar day 2024-01-01 .. 2027-12-31, with the back office's Sunday-start weeks,
-- ISO fields and the trade calendar (seed trade_calendar). Platform festivals (三月新贸节, 九月采购节, …)
-- drive is_festival / festival_code / is_warmup / days_to_next_festival; fairs and holidays are flagged apart.
with

date_spine as (

    {{ gscor_date_spine('2024-01-01', '2027-12-31') }}

),

calendar_events as (

    select
        festival_code,
        festival_type,
        name_zh,
        name_en,
        warmup_start,
        start_date,
        end_date
    from {{ ref('trade_calendar') }}

),

festival_days as (

    select
        date_spine.date_day,
        min(calendar_events.festival_code) as festival_code
    from date_spine
    inner join calendar_events
        on
            calendar_events.festival_type = 'platform_festival'
            and date_spine.date_day between calendar_events.start_date and calendar_events.end_date
    group by date_spine.date_day

),

warmup_days as (

    select
        date_spine.date_day,
        min(calendar_events.festival_code) as warmup_festival_code
    from date_spine
    inner join calendar_events
        on
            calendar_events.festival_type = 'platform_festival'
            and date_spine.date_day >= calendar_events.warmup_start
            and date_spine.date_day < calendar_events.start_date
    group by date_spine.date_day

),

next_festival as (

    select
        date_spine.date_day,
        min(calendar_events.start_date) as next_festival_start
    from date_spine
    inner join calendar_events
        on
            calendar_events.festival_type = 'platform_festival'
            and date_spine.date_day <= calendar_events.start_date
    group by date_spine.date_day

),

other_event_days as (

    select
        date_spine.date_day,
        min(calendar_events.festival_code) as event_code,
        max(case when calendar_events.festival_type = 'holiday' then 1 else 0 end) as holiday_flag,
        max(case when calendar_events.festival_type = 'trade_fair' then 1 else 0 end) as trade_fair_flag
    from date_spine
    inner join calendar_events
        on
            calendar_events.festival_type <> 'platform_festival'
            and date_spine.date_day between calendar_events.start_date and calendar_events.end_date
    group by date_spine.date_day

),

final as (

    select
        date_spine.date_day,
        {{ gscor_week_start('date_spine.date_day') }} as week_start,
        {{ gscor_week_end('date_spine.date_day') }} as week_end,
        {{ gscor_month_start('date_spine.date_day') }} as month_start,
        {{ gscor_month_end('date_spine.date_day') }} as month_end,
        {{ gscor_cast('extract(year from date_spine.date_day)', 'int') }} as calendar_year,
        {{ gscor_cast('extract(month from date_spine.date_day)', 'int') }} as calendar_month,
        {{ gscor_cast('extract(day from date_spine.date_day)', 'int') }} as day_of_month,
        {{ gscor_cast('extract(quarter from date_spine.date_day)', 'int') }} as calendar_quarter,
        {{ gscor_iso_part('year', 'date_spine.date_day') }} as iso_year,
        {{ gscor_iso_part('week', 'date_spine.date_day') }} as iso_week,
        {{ gscor_iso_part('day_of_week', 'date_spine.date_day') }} as iso_day_of_week,
        {{ gscor_iso_part('day_of_week', 'date_spine.date_day') }} in (6, 7) as is_weekend,
        festival_days.festival_code is not null as is_festival,
        festival_days.festival_code,
        festival_days.festival_code is null and warmup_days.warmup_festival_code is not null as is_warmup,
        case
            when festival_days.festival_code is null then warmup_days.warmup_festival_code
        end as warmup_festival_code,
        case
            when festival_days.festival_code is not null then 0
            else {{ gscor_days_between('date_spine.date_day', 'next_festival.next_festival_start') }}
        end as days_to_next_festival,
        coalesce(other_event_days.holiday_flag = 1, false) as is_holiday,
        coalesce(other_event_days.trade_fair_flag = 1, false) as is_trade_fair,
        other_event_days.event_code as other_event_code
    from date_spine
    left join festival_days
        on date_spine.date_day = festival_days.date_day
    left join warmup_days
        on date_spine.date_day = warmup_days.date_day
    left join next_festival
        on date_spine.date_day = next_festival.date_day
    left join other_event_days
        on date_spine.date_day = other_event_days.date_day

)

select * from final
