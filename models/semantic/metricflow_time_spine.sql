-- MetricFlow time spine: one row per day (date_day), the days of dim_date (2024-01-01 .. 2027-12-31).
{{ config(materialized='table') }}

with

calendar_days as (

    select date_day from {{ ref('dim_date') }}

)

select cast(calendar_days.date_day as date) as date_day
from calendar_days
