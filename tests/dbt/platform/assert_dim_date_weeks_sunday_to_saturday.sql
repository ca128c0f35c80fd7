-- Every back office week in dim_date runs Sunday (ISO day 7) → Saturday (ISO day 6), holds date_day and spans
-- 7 days; the real export's week 2026-09-13 ~ 2026-09-19 is one such week. Returns the offending days.
with

week_days as (

    select
        date_day,
        week_start,
        week_end,
        {{ gscor_iso_part('day_of_week', 'week_start') }} as week_start_iso_day,
        {{ gscor_days_between('week_start', 'week_end') }} as week_span_days
    from {{ ref('dim_date') }}

)

select *
from week_days
where
    week_start_iso_day <> 7
    or week_span_days <> 6
    or date_day < week_start
    or date_day > week_end
    or (date_day = cast('2026-09-16' as date) and week_start <> cast('2026-09-13' as date))
