-- Reference FX rates (seed fx_rates) as validity ranges: one row per currency and valid_from, with the
-- exclusive valid_to = the next valid_from of the same currency (NULL = still valid). An amount in currency C
-- on date d converts with the row where currency = C and valid_from <= d < coalesce(valid_to, +infinity):
-- the latest rate valid on that date. No row (unknown currency, or a date before the first valid_from)
-- means no rate: the converted amount is NULL, never 0.
with

fx_rates as (

    select
        upper(trim(currency)) as currency,
        cast(rate_to_usd as decimal(18, 8)) as rate_to_usd,
        cast(valid_from as date) as valid_from
    from {{ ref('fx_rates') }}

),

ranged as (

    select
        currency,
        rate_to_usd,
        valid_from,
        lead(valid_from) over (partition by currency order by valid_from) as valid_to
    from fx_rates

)

select * from ranged
