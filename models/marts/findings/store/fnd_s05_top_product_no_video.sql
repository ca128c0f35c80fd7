-- S05 缺少视频/3D no video (docs/findings_catalogue.md, stage S).
-- Per account and week (the weekly 产品数据 export, Sunday → Saturday): products are ranked by traffic = 访问人数
-- visitors of the week (ties: more search clicks first, then product id); a product with no visitors is never a
-- traffic leader. Fires for a product ranked <= top_n whose catalog row as of the week's end (产品管理: the latest
-- snapshot on or before it, else the earliest) says 是否有视频 = N. Unknown video status does not fire; 是否有3D is
-- shown as evidence. One finding per product × week.
-- metric traffic_rank; value = the product's rank; threshold = top_n; benchmark = NULL.
-- impact_estimate (inquiries per week) = the product's visitors × max(0, R − its own inquiry rate), where R =
--   Σ 询盘人数 / Σ 访问人数 over the week's top-N products that have a video and a product's own rate = 询盘人数 /
--   访问人数: the inquiries it would get converting like the leaders with a video. When that gives nothing (no top-N
--   product has a video that week, or the product already converts as well as them): the product's visitors × its
--   own inquiry rate (else the top-N products' Σ 询盘人数 / Σ 访问人数 when its own is 0) × video_inquiry_uplift,
--   the seed's assumed relative lift of the inquiry rate from a main video (default 0.2). 0 only when the week's
--   top-N products have no inquiry at all.
-- severity: rank <= top_n / 4 → high; <= top_n / 2 → medium; else low.

with params as ({{ gscor_rule_params('S05', ['top_n', 'video_inquiry_uplift']) }}),

product_weeks as (
    select
        product.account_id,
        product.product_id,
        product.period_start,
        product.period_end,
        coalesce(product.product_name, catalogue.product_name, product.product_id) as product_label,
        product.owner,
        product.visitors,
        product.search_clicks,
        coalesce(product.inquiry_buyers, 0) as inquiry_buyers,
        catalogue.has_video,
        catalogue.has_3d
    from {{ ref('fct_product_period') }} as product
    inner join {{ ref('int_product_catalog_versioned') }} as catalogue
        on
            product.account_id = catalogue.account_id
            and product.product_id = catalogue.product_id
            and product.period_end between catalogue.valid_from and catalogue.valid_to
    where
        product.period_grain = 'week'
        and product.visitors > 0
),

product_weeks_ranked as (
    select
        product_weeks.*,
        params.top_n,
        params.video_inquiry_uplift,
        row_number() over (
            partition by product_weeks.account_id, product_weeks.period_end
            order by product_weeks.visitors desc, product_weeks.search_clicks desc, product_weeks.product_id asc
        ) as traffic_rank
    from product_weeks
    inner join params
        on product_weeks.account_id = params.account_id
),

top_products as (
    select * from product_weeks_ranked
    where traffic_rank <= top_n
),

top_n_rates as (
    select
        account_id,
        period_end,
        {{ gscor_ratio('sum(inquiry_buyers)', 'sum(visitors)') }} as top_n_inquiry_rate
    from top_products
    group by account_id, period_end
),

video_leaders as (
    select
        account_id,
        period_end,
        {{ gscor_ratio('sum(inquiry_buyers)', 'sum(visitors)') }} as video_inquiry_rate,
        count(*) as video_products
    from top_products
    where has_video
    group by account_id, period_end
),

firing as (
    select
        top_products.*,
        {{ gscor_ratio('top_products.inquiry_buyers', 'top_products.visitors') }} as inquiry_rate,
        video_leaders.video_inquiry_rate,
        coalesce(video_leaders.video_products, 0) as video_products,
        top_n_rates.top_n_inquiry_rate
    from top_products
    left join video_leaders
        on
            top_products.account_id = video_leaders.account_id
            and top_products.period_end = video_leaders.period_end
    left join top_n_rates
        on
            top_products.account_id = top_n_rates.account_id
            and top_products.period_end = top_n_rates.period_end
    where not top_products.has_video
),

findings as (
    select
        account_id,
        'S05' as rule_id,
        'S' as stage,  -- noqa: RF04
        case
            when traffic_rank <= top_n / 4 then 'high'
            when traffic_rank <= top_n / 2 then 'medium'
            else 'low'
        end as severity,
        'product' as entity_type,
        product_id as entity_id,
        product_label as entity_label,
        'week' as period_grain,
        period_start,
        period_end,
        'traffic_rank' as metric,
        traffic_rank as value,  -- noqa: RF04
        top_n as threshold,
        cast(null as {{ gscor_type('double') }}) as benchmark,
        case
            when video_inquiry_rate > inquiry_rate then visitors * (video_inquiry_rate - inquiry_rate)
            else
                visitors * coalesce(nullif(inquiry_rate, 0), top_n_inquiry_rate, 0) * video_inquiry_uplift
        end as impact_estimate,
        'inquiries' as impact_unit,
        'ADD_PRODUCT_VIDEO' as action_code,
        '为产品「' || product_label || '」添加视频：本周访客 ' || {{ gscor_fmt_num('visitors') }}
        || '，流量排名第 ' || {{ gscor_fmt_num('traffic_rank') }} || '，询盘率 '
        || coalesce({{ gscor_fmt_pct('inquiry_rate') }}, '—')
        || coalesce(
            '，有视频的前 ' || {{ gscor_fmt_num('top_n') }} || ' 名产品询盘率 '
            || {{ gscor_fmt_pct('video_inquiry_rate') }}, ''
        ) as action_text_zh,
        'Add a video to "' || product_label || '": ' || {{ gscor_fmt_num('visitors') }}
        || ' visitors this week, traffic rank ' || {{ gscor_fmt_num('traffic_rank') }} || ', inquiry rate '
        || coalesce({{ gscor_fmt_pct('inquiry_rate') }}, 'n/a')
        || coalesce(
            ' vs ' || {{ gscor_fmt_pct('video_inquiry_rate') }} || ' for the top-'
            || {{ gscor_fmt_num('top_n') }} || ' products with a video', ''
        ) as action_text_en,
        owner,
        'has 3D: ' || coalesce(case when has_3d then 'yes' else 'no' end, 'unknown') || '; top-'
        || {{ gscor_fmt_num('top_n') }} || ' products with a video this week: '
        || {{ gscor_fmt_num('video_products') }} as evidence_detail
    from firing
)

{{ gscor_finding_record('findings') }}
