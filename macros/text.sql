{#-
    Text helpers (keywords, channel names, brand terms). Engine-specific pieces come from the vocabulary
    (cross_db.sql: gscor_regexp_like, gscor_unicode_nfc, gscor_concat) or are dispatched here.

    gscor_fold_width(expr): "NFKC-like" folding (DuckDB has no NFKC): NFC, then full-width ASCII letters,
        digits and punctuation (Ａ→A, ０→0, （→( …) and the ideographic / no-break spaces to their plain forms.
    gscor_normalise_text(expr): the matching form of a keyword / channel value: gscor_fold_width, then the
        warehouse's shared keyword normalisation gscor_normalise_keyword (below: whitespace runs → one space,
        trimmed, lower case); blank → NULL. keyword_key = surrogate(account_id, this).
    gscor_keyword_language(normalised_expr): the language guess of a normalised keyword (rules below).
    gscor_brand_term_matches(keyword_expr, term_expr, match_type_expr): the seed brand_keywords' match rule.

    Language guess — first rule that fires wins (a transparent heuristic, not a classifier):
      1. a Han character (CJK ideograph)                                      → zh
      2. letters only Turkish uses (ı ğ ş)                                    → tr
      3. letters only Spanish uses (ñ ¿ ¡)                                    → es
      4. letters only Portuguese uses (ã õ)                                   → pt
      5. letters only French uses here (è ë î ï œ ù û ÿ â)                    → fr
      6. a whole-word signal, checked in this order: id (sepatu, pria, wanita, olahraga …), tr (ayakkabı/
         ayakkabi…, erkek, kadın/kadin, spor …), vi (giay/giy …), it (scarpe, uomo, donna …),
         de (schuhe, herren, damen …), fr (chaussure(s), pour, homme(s), femme(s), basket(s) …),
         pt (sapato…, masculino, feminino, tnis, calçado …), es (zapato…, zapatilla…, hombre, mujer, para,
         dama, deportivo, tenis …). The order settles shared words: "tenis masculino" → pt,
         "tenis de mujer" → es, "chaussures de sport" → fr.
      7. nothing above and every character printable ASCII                   → en
      8. otherwise                                                             → unknown
    The real export lost some accented letters ("zapatos atlticos"): the word lists carry those spellings.
-#}

{#-
    gscor_normalise_keyword(expr): the one keyword normalisation of the warehouse, shared by the P4P facts
    (keyword_key), dim_keyword and the traffic marts: every run of whitespace (ASCII whitespace, the
    ideographic space U+3000 and the no-break space U+00A0) collapsed to one space, then trimmed, then
    lower-cased. NULL stays NULL; a keyword that is only whitespace becomes ''.
    'Mesh   Sneakers ' -> 'mesh sneakers'. Accents are NOT folded: the real export already lost some
    (`zapatos atlticos`), and folding would merge keywords the back office keeps apart.
    Dispatched because regular-expression functions differ per engine.
-#}
{% macro gscor_normalise_keyword(expr) -%}
    {{ return(adapter.dispatch('gscor_normalise_keyword', 'gscor')(expr)) }}
{%- endmacro %}

{#- default: engines whose regexp_replace replaces every match and knows \s (Trino, BigQuery). -#}
{% macro default__gscor_normalise_keyword(expr) -%}
    lower(trim(regexp_replace({{ expr }}, '\s+', ' ')))
{%- endmacro %}

{% macro duckdb__gscor_normalise_keyword(expr) -%}
    lower(trim(regexp_replace({{ expr }}, '[\s\x{3000}\x{00A0}]+', ' ', 'g')))
{%- endmacro %}

{#- Spark (Java regex): a raw literal keeps the backslashes; \x{…} is understood as in RE2. -#}
{% macro spark__gscor_normalise_keyword(expr) -%}
    lower(trim(regexp_replace({{ expr }}, r'[\s\x{3000}\x{00A0}]+', ' ')))
{%- endmacro %}

{% macro gscor_fold_width(expr) -%}
    translate({{ gscor_unicode_nfc(expr) }}, '！＃％＆（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［］＿ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｜～　 ', '!#%&()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]_abcdefghijklmnopqrstuvwxyz|~  ')
{%- endmacro %}

{% macro gscor_normalise_text(expr) -%}
    nullif({{ gscor_normalise_keyword(gscor_fold_width(expr)) }}, '')
{%- endmacro %}

{% macro gscor_keyword_language(expr) -%}
    {%- set w = "(^| )(" -%}
    {%- set e = ")( |$)" -%}
    case
        when {{ expr }} is null then 'unknown'
        when {{ gscor_regexp_like(expr, '[一-鿿㐀-䶿]') }} then 'zh'
        when {{ gscor_regexp_like(expr, '[ığş]') }} then 'tr'
        when {{ gscor_regexp_like(expr, '[ñ¿¡]') }} then 'es'
        when {{ gscor_regexp_like(expr, '[ãõ]') }} then 'pt'
        when {{ gscor_regexp_like(expr, '[èëîïœùûÿâ]') }} then 'fr'
        when {{ gscor_regexp_like(expr, w ~ 'sepatu|pria|wanita|olahraga|olaraga|anak|murah|gaya|berjalan|dewasa' ~ e) }}
            then 'id'
        when {{ gscor_regexp_like(expr, w ~ 'ayakkab[^ ]*|ayakab[^ ]*|ayyakab[^ ]*|ayaqab[^ ]*|erkek[^ ]*|kad[ıi]n|spor|modelleri|tarz[ıi]|g[üu]nl[üu]k' ~ e) }}
            then 'tr'
        when {{ gscor_regexp_like(expr, w ~ 'giay|giy|giầy' ~ e) }} then 'vi'
        when {{ gscor_regexp_like(expr, w ~ 'scarpe|uomo|donna|ginnastica' ~ e) }} then 'it'
        when {{ gscor_regexp_like(expr, w ~ 'schuhe|turnschuhe|herren|damen|kinder' ~ e) }} then 'de'
        when {{ gscor_regexp_like(expr, w ~ 'chaus[^ ]*|chaous[^ ]*|cheaus[^ ]*|pour|hommes?|femmes?|baskets?|basquettes?|les|des|enfants?|soulier|marche|tendance|gar[çc]?ons|dames|et|semelles|dcontract[^ ]*|athltiques' ~ e) }}
            then 'fr'
        when {{ gscor_regexp_like(expr, w ~ 'sapat[^ ]*|masculinos?|femininos?|femininas?|tnis|t[êe]nis da|cal[çc]ad[^ ]*|desportiv[^ ]*|esportiv[^ ]*|casuais|cavalinho|branca|nova|da|do|com' ~ e) }}
            then 'pt'
        when {{ gscor_regexp_like(expr, w ~ 'zapat[^ ]*|zapar[^ ]*|hombres?|mujer(es)?|para|damas?|caballeros?|deportiv[^ ]*|calzado|ni[ñn]?[oa]s|correr|caminar|con|mayor|originales|marca|talla|tenis|tena|urbanas?|informales|casuales|blancos|negros|championes|jovenes' ~ e) }}
            then 'es'
        when not {{ gscor_regexp_like(expr, '[^ -~]') }} then 'en'
        else 'unknown'
    end
{%- endmacro %}

{% macro gscor_brand_term_matches(keyword_expr, term_expr, match_type_expr) -%}
    (
        ({{ match_type_expr }} = 'contains' and {{ keyword_expr }} like {{ gscor_concat(["'%'", term_expr, "'%'"]) }})
        or (
            {{ match_type_expr }} = 'word'
            and {{ gscor_concat(["' '", keyword_expr, "' '"]) }} like {{ gscor_concat(["'% '", term_expr, "' %'"]) }}
        )
    )
{%- endmacro %}
