{#-
    Incremental facts are rebuilt per (account, period) with delete+insert:

        {{ config(
            materialized='incremental',
            incremental_strategy='delete+insert',
            unique_key=['account_id', 'period_grain', 'period_start'],
            on_schema_change='fail'
        ) }}
        ...
        final as ( select ..., loaded_at from ... )   -- every row, with its period and loaded_at
        select final.* from final
        {{ gscor_only_changed_periods('final') }}

    On an incremental run `gscor_only_changed_periods` keeps the rows of those periods whose newest
    upstream load is newer than what the table holds for that period (or that the table does not hold
    at all); every row of such a period is recomputed, so delete+insert on the period key replaces the
    period whole. On a full refresh (or the first run) it renders nothing.
-#}
{% macro gscor_only_changed_periods(cte, keys=['account_id', 'period_grain', 'period_start']) %}
    {%- if is_incremental() %}
    where exists (
        select 1
        from (
            select
                {{ keys | join(', ') }},
                max(loaded_at) as newest_load
            from {{ cte }}
            group by {{ keys | join(', ') }}
        ) as upstream_period
        left join (
            select
                {{ keys | join(', ') }},
                max(loaded_at) as newest_load
            from {{ this }}
            group by {{ keys | join(', ') }}
        ) as held_period
            on {% for k in keys %}upstream_period.{{ k }} = held_period.{{ k }}{% if not loop.last %} and {% endif %}{% endfor %}
        where
            (held_period.newest_load is null or upstream_period.newest_load > held_period.newest_load)
            {% for k in keys %}and upstream_period.{{ k }} = {{ cte }}.{{ k }}{% if not loop.last %} {% endif %}{% endfor %}
    )
    {%- endif %}
{% endmacro %}
