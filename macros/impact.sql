{#-
    The text of a finding's value chain (fct_findings.impact_basis_zh / _en): each link of `links` with its value
    and its source, joined by " × ", e.g. "USD 500/order [seed default] × 5.0% orders/inquiry [seed default]".
    Reads the columns `<link>` and `<link>_source` of the relation `rel` (int_account_unit_values).
-#}
{% macro gscor_impact_chain_text(links, lang, rel='unit_values') -%}
    {%- set link_text = {
        'usd_per_order': ["'每单 USD ' || " ~ gscor_fmt_num(rel ~ '.usd_per_order', 0),
                          "'USD ' || " ~ gscor_fmt_num(rel ~ '.usd_per_order', 0) ~ " || '/order'"],
        'orders_per_inquiry': ["'询盘成单率 ' || " ~ gscor_fmt_pct(rel ~ '.orders_per_inquiry', 1),
                               gscor_fmt_pct(rel ~ '.orders_per_inquiry', 1) ~ " || ' orders/inquiry'"],
        'inquiries_per_click': ["'点击询盘率 ' || " ~ gscor_fmt_pct(rel ~ '.inquiries_per_click', 1),
                                gscor_fmt_pct(rel ~ '.inquiries_per_click', 1) ~ " || ' inquiries/click'"],
        'clicks_per_impression': ["'曝光点击率 ' || " ~ gscor_fmt_pct(rel ~ '.clicks_per_impression', 2),
                                  gscor_fmt_pct(rel ~ '.clicks_per_impression', 2) ~ " || ' clicks/impression'"],
        'inquiries_per_visitor': ["'访客询盘率 ' || " ~ gscor_fmt_pct(rel ~ '.inquiries_per_visitor', 1),
                                  gscor_fmt_pct(rel ~ '.inquiries_per_visitor', 1) ~ " || ' inquiries/visitor'"],
    } -%}
    {%- for link in links -%}
        {{ link_text[link][0 if lang == 'zh' else 1] }} || '{{ "【" if lang == "zh" else " [" }}' || case {{ rel }}.{{ link }}_source
            when 'store_data' then '{{ "店铺数据" if lang == "zh" else "store data" }}'
            when 'account_override' then '{{ "账户设定" if lang == "zh" else "account override" }}'
            else '{{ "默认值" if lang == "zh" else "seed default" }}'
        end || '{{ "】" if lang == "zh" else "]" }}'
        {%- if not loop.last %} || ' × ' || {% endif %}
    {%- endfor -%}
{%- endmacro %}

{#- The links of a value chain with their sources, '|'-separated `link:source` pairs (fct_findings.impact_value_sources). -#}
{% macro gscor_impact_sources(links, rel='unit_values') -%}
    {%- for link in links -%}
        '{{ link }}:' || {{ rel }}.{{ link }}_source{% if not loop.last %} || '|' || {% endif %}
    {%- endfor -%}
{%- endmacro %}
