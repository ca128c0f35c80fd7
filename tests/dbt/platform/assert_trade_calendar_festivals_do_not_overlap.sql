-- Two platform festivals of the trade calendar must not overlap (warm-up included): dim_date gives each day
-- one festival_code, so an overlap would hide one of them. Returns the overlapping pairs.
with

platform_festivals as (

    select
        festival_code,
        warmup_start,
        end_date
    from {{ ref('trade_calendar') }}
    where festival_type = 'platform_festival'

)

select
    earlier.festival_code,
    later.festival_code as overlapping_festival_code
from platform_festivals as earlier
inner join platform_festivals as later
    on
        earlier.festival_code < later.festival_code
        and earlier.warmup_start <= later.end_date
        and earlier.end_date >= later.warmup_start
