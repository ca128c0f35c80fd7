-- The real product export (../shared/samples/real/Products-2026-09-19.csv, sha256 e45f1751…) reconciles to the unit
-- in fct_product_period wherever it was loaded: 365 products, 搜索曝光次数 54,082, 搜索点击次数 630, 询盘个数 18
-- (totals read off the file by hand), and its 近90天商机人数 column, printed '-', stays NULL on every row (never
-- 0). Passes trivially in a warehouse that never loaded that file.
with

real_export_rows as (

    select *
    from {{ ref('fct_product_period') }}
    where source_sha256 = 'e45f1751eca24ec468698f102dfe91e37d194cc63f50689a1aa2e511bd312e70'

),

totals as (

    select
        account_id,
        count(*) as products,
        sum(search_impressions) as search_impressions,
        sum(search_clicks) as search_clicks,
        sum(inquiries) as inquiries,
        count(opportunity_buyers_90d) as opportunity_values_present
    from real_export_rows
    group by account_id

)

select *
from totals
where
    products != 365
    or search_impressions != 54082
    or search_clicks != 630
    or inquiries != 18
    or opportunity_values_present != 0
