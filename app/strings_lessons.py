"""Interface strings of the lesson pages: ``{key: {"en": …, "ko": …}}``.

Korean uses the terms of Korean study notes — 쿼리/키/밸류, 어텐션, 마스킹,
포지셔널 인코딩 — with the English term beside it the first time a page
uses it.
"""

STRINGS: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ masks
    "masks.title": {"en": "Masks: padding and look-ahead", "ko": "마스킹 (Masking): 패딩 마스크와 룩어헤드 마스크"},
    "masks.intro": {
        "en": "Sentences of different lengths share one batch, so the shorter ones are filled with `<pad>`. "
        "The **padding mask** stops every query from attending to those `<pad>` keys. In the decoder, the **look-ahead mask** "
        "stops position *i* from seeing positions after *i*: when the model generates, those tokens do not exist yet. "
        "Masking works on the scores *before* the softmax: blocked cells are set to −∞, and because exp(−∞) = 0 they get "
        "weight exactly 0 (§3.2.3: “masking out (setting to −∞) all values in the input of the softmax which correspond to illegal connections”).",
        "ko": "길이가 다른 문장들이 한 배치(batch)에 들어가면 짧은 문장은 `<pad>`로 채워집니다. "
        "**패딩 마스크**(padding mask)는 모든 쿼리(query)가 이 `<pad>` 키(key)에 어텐션(attention)하지 못하게 막습니다. "
        "디코더에서는 **룩어헤드 마스크**(look-ahead mask)가 위치 *i*가 *i* 이후의 위치를 보지 못하게 막습니다. 생성할 때는 그 토큰들이 아직 없기 때문입니다. "
        "마스킹(masking)은 소프트맥스(softmax) *이전*의 점수에 적용됩니다. 막힌 칸은 −∞가 되고, exp(−∞) = 0이므로 가중치가 정확히 0이 됩니다 "
        "(§3.2.3: “허용되지 않는 연결에 해당하는 소프트맥스 입력값을 모두 −∞로 설정하여 가린다”).",
    },
    "masks.second": {"en": "Second sentence in the same batch", "ko": "같은 배치의 두 번째 문장"},
    "masks.second_help": {
        "en": "Leave it empty to use an example of a different length (shown greyed), so that one of the two sentences needs padding.",
        "ko": "비워 두면 길이가 다른 예문(회색으로 표시)을 사용합니다. 그래야 두 문장 중 하나에 패딩이 필요합니다.",
    },
    "masks.second_unusable": {
        "en": "The second sentence has no characters to translate, so the automatic one is used.",
        "ko": "두 번째 문장에 번역할 문자가 없어 자동으로 고른 문장을 사용합니다.",
    },
    "masks.batch_header": {"en": "The batch", "ko": "배치 (batch)"},
    "masks.batch_explain": {
        "en": "Both sentences are padded to the longest one: **{src}** source positions and **{tgt}** decoder positions "
        "(the decoder input is `<s>` followed by the model's own translation). Greyed chips are special tokens.",
        "ko": "두 문장 모두 가장 긴 문장에 맞춰 패딩됩니다: 소스 위치 **{src}**개, 디코더 위치 **{tgt}**개 "
        "(디코더 입력은 `<s>` 뒤에 모델 자신의 번역이 이어집니다). 회색 칩은 특수 토큰입니다.",
    },
    "masks.sentence_yours": {"en": "sentence 1 (yours)", "ko": "문장 1 (입력한 문장)"},
    "masks.sentence_second": {"en": "sentence 2", "ko": "문장 2"},
    "masks.chips_source": {"en": "{name} · source", "ko": "{name} · 소스"},
    "masks.chips_target": {"en": "{name} · decoder input", "ko": "{name} · 디코더 입력"},
    "masks.no_padding": {
        "en": "Both sentences have the same length, so nothing is padded. Type a longer or shorter second sentence to see the padding mask at work.",
        "ko": "두 문장의 길이가 같아 패딩이 없습니다. 패딩 마스크가 작동하는 모습을 보려면 더 길거나 짧은 두 번째 문장을 입력하세요.",
    },
    "masks.diagrams_header": {"en": "The three masks", "ko": "세 가지 마스크"},
    "masks.diagrams_explain": {
        "en": "Rows are queries, columns are keys. **Blue ✓** = may attend, **orange ✗** = blocked. "
        "The padding mask blocks `<pad>` *columns* (keys) in encoder self-attention and in encoder–decoder attention; "
        "the look-ahead mask blocks everything right of the diagonal; the decoder's self-attention uses both at once (their AND).",
        "ko": "행은 쿼리, 열은 키입니다. **파란색 ✓** = 어텐션 가능, **주황색 ✗** = 차단. "
        "패딩 마스크는 인코더 셀프 어텐션과 인코더–디코더 어텐션에서 `<pad>` *열*(키)을 막고, "
        "룩어헤드 마스크는 대각선 오른쪽을 모두 막습니다. 디코더 셀프 어텐션은 둘을 동시에(AND) 사용합니다.",
    },
    "masks.panel_padding": {"en": "padding (encoder self-attn.)", "ko": "패딩 (인코더 셀프 어텐션)"},
    "masks.panel_look_ahead": {"en": "look-ahead mask", "ko": "룩어헤드 마스크"},
    "masks.panel_decoder": {"en": "decoder: padding AND look-ahead", "ko": "디코더: 패딩 AND 룩어헤드"},
    "masks.diagrams_title": {
        "en": "Masks of the batch · the same for every layer and head · {model}",
        "ko": "배치의 마스크 · 모든 레이어와 헤드에서 동일 · {model}",
    },
    "masks.allowed": {"en": "may attend", "ko": "어텐션 가능"},
    "masks.blocked": {"en": "blocked", "ko": "차단됨"},
    "masks.stages_header": {"en": "Four stages inside one head", "ko": "한 헤드 안의 네 단계"},
    "masks.stages_explain": {
        "en": "For the chosen sentence, layer and head of the real model: the raw scores QKᵀ, the scaled scores QKᵀ/√d_k (§3.2.1), "
        "the scores after masking (−∞ in its own colour, not a number), and the softmax weights — blocked cells are exactly 0 and every row still sums to 1.",
        "ko": "선택한 문장, 레이어, 헤드에 대해 실제 모델의 값입니다: 원래 점수 QKᵀ, 스케일된 점수 QKᵀ/√d_k (§3.2.1), "
        "마스킹 후의 점수(−∞는 숫자가 아니라 별도 색), 그리고 소프트맥스 가중치 — 막힌 칸은 정확히 0이고 각 행의 합은 여전히 1입니다.",
    },
    "masks.sentence": {"en": "Sentence of the batch", "ko": "배치의 문장"},
    "masks.numbers": {"en": "Numbers in cells", "ko": "칸에 숫자 표시"},
    "masks.numbers_help": {
        "en": "Print the values in the cells (only for maps of at most 12 × 12).",
        "ko": "칸 안에 값을 표시합니다 (12 × 12 이하일 때만).",
    },
    "masks.numbers_too_long": {
        "en": "Numbers are printed only when both sides have at most {n} tokens; hover over a cell to read its value.",
        "ko": "숫자는 양쪽 모두 {n}개 토큰 이하일 때만 표시됩니다. 칸 위에 마우스를 올리면 값을 볼 수 있습니다.",
    },
    "masks.stage_raw": {"en": "① QKᵀ", "ko": "① QKᵀ"},
    "masks.stage_scaled": {"en": "② QKᵀ / √d_k", "ko": "② QKᵀ / √d_k"},
    "masks.stage_masked": {"en": "③ masked (blocked → −∞)", "ko": "③ 마스킹 (차단 → −∞)"},
    "masks.stage_softmax": {"en": "④ softmax weights", "ko": "④ 소프트맥스 가중치"},
    "masks.kind_explain.encoder_self": {
        "en": "Encoder self-attention uses the padding mask only: `<pad>` keys are blocked, every real key is allowed.",
        "ko": "인코더 셀프 어텐션은 패딩 마스크만 사용합니다: `<pad>` 키는 막히고 실제 키는 모두 허용됩니다.",
    },
    "masks.kind_explain.decoder_self": {
        "en": "Masked decoder self-attention uses padding AND look-ahead: the upper triangle and `<pad>` keys are −∞, so their weights are 0.",
        "ko": "마스크드 디코더 셀프 어텐션은 패딩 AND 룩어헤드를 사용합니다: 위쪽 삼각형과 `<pad>` 키가 −∞가 되어 가중치가 0입니다.",
    },
    "masks.kind_explain.cross": {
        "en": "Encoder–decoder attention: queries are decoder positions, keys are source positions; only the source padding mask applies (the whole source may be seen).",
        "ko": "인코더–디코더 어텐션: 쿼리는 디코더 위치, 키는 소스 위치입니다. 소스 패딩 마스크만 적용됩니다 (소스 전체를 볼 수 있습니다).",
    },
    "masks.stages_title": {
        "en": "{kind} · layer {layer} · head {head} · {sentence} · {model}",
        "ko": "{kind} · 레이어 {layer} · 헤드 {head} · {sentence} · {model}",
    },
    "masks.score": {"en": "score", "ko": "점수"},
    "masks.blocked_inf": {"en": "blocked (−∞)", "ko": "차단 (−∞)"},
    "masks.check": {
        "en": "Check: {blocked} blocked cells, all −∞ before the softmax; their largest weight after it: {max_blocked}. Rows sum to 1 within {row_error}.",
        "ko": "확인: 막힌 칸 {blocked}개, 소프트맥스 전에는 모두 −∞; 소프트맥스 후 그 칸들의 최대 가중치: {max_blocked}. 각 행의 합은 오차 {row_error} 이내로 1입니다.",
    },
    # ------------------------------------------------------------- scaled dot
    "scaled.title": {"en": "Scaled dot-product attention", "ko": "스케일드 닷-프로덕트 어텐션 (Scaled dot-product attention)"},
    "scaled.intro": {
        "en": "Attention is a soft dictionary look-up (§3.2.1). Each **query** is compared with every **key** by a dot product; "
        "the softmax turns the scores into weights that sum to 1; the result is the weighted mix of the **values**. "
        "The scores are divided by √d_k before the softmax — this page shows why.",
        "ko": "어텐션은 부드러운(soft) 딕셔너리 조회입니다 (§3.2.1). 각 **쿼리**(query)를 모든 **키**(key)와 내적(dot product)으로 비교하고, "
        "소프트맥스(softmax)가 점수를 합이 1인 가중치로 바꾸며, 결과는 **밸류**(value)들의 가중합입니다. "
        "점수는 소프트맥스 전에 √d_k로 나눕니다 — 이 페이지는 그 이유를 보여 줍니다.",
    },
    "scaled.lookup_header": {"en": "1 · A dictionary that blends", "ko": "1 · 섞어서 돌려주는 딕셔너리"},
    "scaled.lookup_explain": {
        "en": "A Python `dict` returns the value of the one key that matches exactly. Here four keys k₁…k₄ (2-D unit vectors) hold the values 10, 20, 30, 40. "
        "Turn the query: its dot product with each key is the score, the softmax gives the weights, and the answer is Σ weight × value. "
        "A longer query makes the scores larger and the weights sharper — close to a hard look-up; a short one blends everything.",
        "ko": "파이썬 `dict`는 정확히 일치하는 키 하나의 값을 돌려줍니다. 여기서는 네 개의 키 k₁…k₄ (2차원 단위 벡터)가 밸류 10, 20, 30, 40을 가집니다. "
        "쿼리를 돌려 보세요: 쿼리와 각 키의 내적이 점수이고, 소프트맥스가 가중치를 주며, 답은 Σ 가중치 × 밸류입니다. "
        "쿼리가 길수록 점수가 커지고 가중치가 날카로워져 딱 하나를 고르는 조회에 가까워지고, 짧으면 모든 값을 섞습니다.",
    },
    "scaled.angle": {"en": "Query direction (degrees)", "ko": "쿼리 방향 (도)"},
    "scaled.angle_help": {"en": "0° points at k₁, 90° at k₂, 180° at k₃, 270° at k₄.", "ko": "0°는 k₁, 90°는 k₂, 180°는 k₃, 270°는 k₄를 가리킵니다."},
    "scaled.length": {"en": "Query length ‖q‖", "ko": "쿼리 길이 ‖q‖"},
    "scaled.length_help": {
        "en": "Scales every score; 0 gives equal weights.",
        "ko": "모든 점수의 크기를 바꿉니다. 0이면 가중치가 모두 같습니다.",
    },
    "scaled.plane_title": {"en": "Soft look-up: one query, four keys", "ko": "부드러운 조회: 쿼리 하나, 키 넷"},
    "scaled.plane_note": {
        "en": "toy 2-D vectors, not a model layer · point size = weight",
        "ko": "2차원 예시 벡터, 모델 레이어 아님 · 점 크기 = 가중치",
    },
    "scaled.query": {"en": "query q", "ko": "쿼리 q"},
    "scaled.bars_title": {"en": "Weights softmax(q·k / √2) of the four keys", "ko": "네 키의 가중치 softmax(q·k / √2)"},
    "scaled.toy_note": {"en": "toy vectors, not a model layer", "ko": "예시 벡터, 모델 레이어 아님"},
    "scaled.random_note": {"en": "random vectors, not a model layer", "ko": "무작위 벡터, 모델 레이어 아님"},
    "scaled.output": {"en": "Answer Σ weight × value", "ko": "답 Σ 가중치 × 밸류"},
    "scaled.lookup_result": {
        "en": "A hard dictionary would return **{value}** (the value of {name}, the best-matching key). Attention returns **{output}**: {name} gets {weight} of the weight, the rest is mixed in.",
        "ko": "일반 딕셔너리라면 가장 잘 맞는 키 {name}의 값 **{value}**를 돌려줍니다. 어텐션은 **{output}**을 돌려줍니다: {name}가 가중치의 {weight}를 받고 나머지는 섞여 들어옵니다.",
    },
    "scaled.why_header": {"en": "2 · Why divide by √d_k?", "ko": "2 · 왜 √d_k로 나눌까?"},
    "scaled.why_explain": {
        "en": "If the d_k components of q and k are independent with mean 0 and variance 1, then q·k = Σ qᵢkᵢ has variance d_k (§3.2.1, footnote 4). "
        "With large d_k the scores spread far apart, the softmax puts almost all weight on one key — its *flat region* — and its gradient "
        "∂softmax/∂scores = diag(p) − ppᵀ almost vanishes, so the layer learns slowly. Dividing by √d_k brings the variance back to 1. "
        "Below: 256 random queries, each against 16 random keys.",
        "ko": "q와 k의 d_k개 성분이 평균 0, 분산 1로 독립이면 q·k = Σ qᵢkᵢ의 분산은 d_k입니다 (§3.2.1, 각주 4). "
        "d_k가 크면 점수가 크게 퍼지고, 소프트맥스는 거의 모든 가중치를 키 하나에 몰아 주는 *평평한 영역*(flat region)에 들어가며, "
        "그 기울기(gradient) ∂softmax/∂scores = diag(p) − ppᵀ가 거의 사라져 학습이 느려집니다. √d_k로 나누면 분산이 다시 1이 됩니다. "
        "아래: 무작위 쿼리 256개, 각각 무작위 키 16개와 비교.",
    },
    "scaled.dk": {"en": "d_k (dimensions per head)", "ko": "d_k (헤드당 차원 수)"},
    "scaled.dk_help": {
        "en": "The paper's base model uses d_k = 64 (512 / 8 heads).",
        "ko": "논문의 base 모델은 d_k = 64 (512 / 헤드 8개)를 사용합니다.",
    },
    "scaled.metric_std": {"en": "Spread of scores (std)", "ko": "점수의 퍼짐 (표준편차)"},
    "scaled.metric_std_help": {"en": "≈ √d_k without scaling, ≈ 1 with it.", "ko": "스케일링 없이 ≈ √d_k, 스케일링하면 ≈ 1."},
    "scaled.metric_max": {"en": "Largest weight (mean)", "ko": "최대 가중치 (평균)"},
    "scaled.metric_max_help": {
        "en": "Close to 1 means the softmax is saturated (one-hot).",
        "ko": "1에 가까우면 소프트맥스가 포화된(원-핫) 상태입니다.",
    },
    "scaled.metric_entropy": {"en": "Entropy (bits)", "ko": "엔트로피 (비트)"},
    "scaled.metric_entropy_help": {
        "en": "0 = all weight on one key; {max} bits = spread evenly over all {n} keys.",
        "ko": "0 = 모든 가중치가 키 하나에; {max}비트 = {n}개 키에 고르게 분산.",
    },
    "scaled.metric_grad": {"en": "Softmax gradient ‖∂p/∂s‖", "ko": "소프트맥스 기울기 ‖∂p/∂s‖"},
    "scaled.metric_grad_help": {
        "en": "Frobenius norm of diag(p) − ppᵀ, averaged; near 0 means almost no learning signal reaches the scores.",
        "ko": "diag(p) − ppᵀ의 프로베니우스 노름 평균. 0에 가까우면 점수까지 학습 신호가 거의 전달되지 않습니다.",
    },
    "scaled.metrics_caption": {
        "en": "Each metric: without scaling → with scaling (q·k / √d_k), mean over 256 random queries × {n} keys. These are random vectors, not a model layer.",
        "ko": "각 지표: 스케일링 없음 → 스케일링 (q·k / √d_k), 무작위 쿼리 256개 × 키 {n}개의 평균. 모델 레이어가 아닌 무작위 벡터입니다.",
    },
    "scaled.unscaled": {"en": "q·k (unscaled)", "ko": "q·k (스케일링 없음)"},
    "scaled.scaled": {"en": "q·k / √d_k (scaled)", "ko": "q·k / √d_k (스케일링)"},
    "scaled.hist_title": {"en": "Spread of the scores at d_k = {d_k}", "ko": "d_k = {d_k}에서 점수의 분포"},
    "scaled.score_axis": {"en": "score", "ko": "점수"},
    "scaled.example_title": {
        "en": "One query's softmax over {n} keys, d_k = {d_k}",
        "ko": "쿼리 하나의 키 {n}개에 대한 소프트맥스, d_k = {d_k}",
    },
    "scaled.curve_max": {"en": "largest weight", "ko": "최대 가중치"},
    "scaled.curve_entropy": {"en": "entropy (bits)", "ko": "엔트로피 (비트)"},
    "scaled.curve_grad": {"en": "softmax gradient", "ko": "소프트맥스 기울기"},
    "scaled.curves_title": {
        "en": "As d_k grows (random vectors, {n} keys, no model layer): unscaled saturates, scaled stays the same",
        "ko": "d_k가 커질 때 (무작위 벡터, 키 {n}개, 모델 레이어 아님): 스케일링 없으면 포화, 스케일링하면 그대로",
    },
    "scaled.why_conclusion": {
        "en": "Without scaling, the largest weight climbs toward 1, the entropy falls toward 0 and the gradient shrinks toward 0 as d_k grows. "
        "With scaling, all three stay where they are for every d_k: the model can use wide heads and still learn.",
        "ko": "스케일링이 없으면 d_k가 커질수록 최대 가중치는 1로 올라가고, 엔트로피는 0으로, 기울기도 0으로 줄어듭니다. "
        "스케일링하면 세 값 모두 d_k와 상관없이 그대로입니다: 넓은 헤드를 써도 학습이 됩니다.",
    },
    "scaled.scoring_header": {"en": "3 · Four ways to score a query against a key", "ko": "3 · 쿼리와 키를 점수 매기는 네 가지 방법"},
    "scaled.scoring_explain": {
        "en": "The same random queries q1…q4 and keys k1…k6 (d_k as above), scored four ways. **Dot** (Luong et al., 2015) and **scaled dot** (this paper) have no parameters; "
        "**general** (Luong) learns a matrix W; **additive** (Bahdanau et al., 2015) runs a small feed-forward network. "
        "§3.2.1: the two most common are additive and dot-product; dot-product is “much faster and more space-efficient”, "
        "and “for large values of d_k” unscaled dot-product falls behind additive attention — the scaling fixes that.",
        "ko": "같은 무작위 쿼리 q1…q4와 키 k1…k6 (d_k는 위와 같음)을 네 가지 방법으로 점수 매깁니다. **닷(dot)** (Luong 외, 2015)과 **스케일드 닷(scaled dot)** (이 논문)은 파라미터가 없고, "
        "**제너럴(general)** (Luong)은 행렬 W를 학습하며, **애디티브(additive)** (Bahdanau 외, 2015)는 작은 피드포워드 신경망을 씁니다. "
        "§3.2.1: 가장 흔한 둘은 애디티브와 닷-프로덕트이며, 닷-프로덕트가 “훨씬 빠르고 메모리 효율적”이지만 "
        "“d_k가 클 때” 스케일링 없는 닷-프로덕트는 애디티브 어텐션보다 못합니다 — 스케일링이 이를 해결합니다.",
    },
    "scaled.fn.dot": {"en": "dot", "ko": "닷 (dot)"},
    "scaled.fn.scaled": {"en": "scaled dot", "ko": "스케일드 닷"},
    "scaled.fn.general": {"en": "general", "ko": "제너럴 (general)"},
    "scaled.fn.additive": {"en": "additive", "ko": "애디티브 (additive)"},
    "scaled.scoring_title": {
        "en": "Four scoring functions on the same vectors, d_k = {d_k} (random vectors and weights, no model layer)",
        "ko": "같은 벡터에 대한 네 가지 점수 함수, d_k = {d_k} (무작위 벡터와 가중치, 모델 레이어 아님)",
    },
    "scaled.row_scores": {"en": "scores", "ko": "점수"},
    "scaled.row_weights": {"en": "softmax weights", "ko": "소프트맥스 가중치"},
    "scaled.col_function": {"en": "scoring function", "ko": "점수 함수"},
    "scaled.col_formula": {"en": "score(q, k)", "ko": "score(q, k)"},
    "scaled.col_params": {"en": "learned parameters", "ko": "학습 파라미터 수"},
    "scaled.col_spread": {"en": "score spread (std)", "ko": "점수 퍼짐 (표준편차)"},
    "scaled.col_max": {"en": "largest weight (mean)", "ko": "최대 가중치 (평균)"},
    "scaled.scoring_conclusion": {
        "en": "Dot and general scores grow with √d_k, so at large d_k their softmax is nearly one-hot; additive stays bounded by tanh, and scaled dot stays near 1 "
        "while keeping the speed of a single matrix product.",
        "ko": "닷과 제너럴 점수는 √d_k에 비례해 커지므로 d_k가 크면 소프트맥스가 거의 원-핫이 됩니다. 애디티브는 tanh로 제한되고, 스케일드 닷은 "
        "행렬 곱 하나의 속도를 유지하면서 퍼짐이 1 근처에 머뭅니다.",
    },
    "scaled.real_header": {"en": "4 · In the shipped model", "ko": "4 · 배포된 모델에서"},
    "scaled.real_no_model": {
        "en": "No model is installed, so this part is skipped; everything above works without one.",
        "ko": "설치된 모델이 없어 이 부분은 건너뜁니다. 위의 내용은 모델 없이도 동작합니다.",
    },
    "scaled.real_explain": {
        "en": "This model has d_k = {d_k}, so its scores are divided by √{d_k} ≈ {sqrt}. Left: the encoder self-attention weights it really uses; right: "
        "the softmax of the same scores without the division.",
        "ko": "이 모델의 d_k는 {d_k}이므로 점수를 √{d_k} ≈ {sqrt}로 나눕니다. 왼쪽: 실제로 사용하는 인코더 셀프 어텐션 가중치, 오른쪽: "
        "같은 점수를 나누지 않고 소프트맥스한 결과.",
    },
    "scaled.real_with": {"en": "softmax(QKᵀ/√d_k) — what the model uses", "ko": "softmax(QKᵀ/√d_k) — 모델이 쓰는 값"},
    "scaled.real_without": {"en": "softmax(QKᵀ) — without the scaling", "ko": "softmax(QKᵀ) — 스케일링 없이"},
    "scaled.real_title": {
        "en": "{kind} · layer {layer} · head {head} · {model}: with and without 1/√d_k",
        "ko": "{kind} · 레이어 {layer} · 헤드 {head} · {model}: 1/√d_k 있을 때와 없을 때",
    },
    "scaled.real_result": {
        "en": "Largest weight per row (mean): **{max_s}** with scaling, **{max_u}** without. Entropy: **{ent_s}** bits with, **{ent_u}** bits without.",
        "ko": "행별 최대 가중치 (평균): 스케일링 **{max_s}**, 스케일링 없이 **{max_u}**. 엔트로피: 스케일링 **{ent_s}**비트, 없이 **{ent_u}**비트.",
    },
    # ------------------------------------------------------------- positional
    "positional.title": {"en": "Positional encoding", "ko": "포지셔널 인코딩 (Positional encoding)"},
    "positional.intro": {
        "en": "Attention alone ignores word order: shuffle the tokens and every token gets the same attention, just in shuffled rows. "
        "So the paper adds to each token embedding a vector that depends only on its position (§3.5). Each pair of dimensions is a sine and a cosine "
        "of one frequency; the wavelengths grow geometrically from 2π to 10000 · 2π.",
        "ko": "어텐션만으로는 단어 순서를 알 수 없습니다: 토큰을 섞으면 각 토큰은 같은 어텐션을 받고 행 순서만 섞입니다. "
        "그래서 논문은 각 토큰 임베딩(embedding)에 위치에만 의존하는 벡터를 더합니다 (§3.5). 차원 두 개씩 한 주파수의 사인과 코사인이며, "
        "파장은 2π에서 10000 · 2π까지 기하급수적으로 늘어납니다.",
    },
    "positional.d_model": {"en": "d_model", "ko": "d_model"},
    "positional.d_model_help": {"en": "The paper's base model: 512.", "ko": "논문의 base 모델: 512."},
    "positional.length": {"en": "Number of positions", "ko": "위치 수"},
    "positional.length_help": {
        "en": "The default is the selected model's table length ({n} positions).",
        "ko": "기본값은 선택한 모델의 표 길이 ({n}개 위치)입니다.",
    },
    "positional.dims": {"en": "Dimensions to plot", "ko": "그릴 차원"},
    "positional.dims_help": {
        "en": "Even dimensions are sines, odd ones cosines; higher dimensions change more slowly.",
        "ko": "짝수 차원은 사인, 홀수 차원은 코사인입니다. 높은 차원일수록 천천히 변합니다.",
    },
    "positional.curves_header": {"en": "Sines and cosines across positions", "ko": "위치에 따른 사인과 코사인"},
    "positional.curves_explain": {
        "en": "Each curve is one column of the table. Together the columns work like the hands of a clock at many speeds: fast ones tell neighbouring positions apart, slow ones tell far-away regions apart.",
        "ko": "각 곡선은 표의 한 열입니다. 여러 속도로 도는 시계 바늘처럼, 빠른 차원은 이웃 위치를 구별하고 느린 차원은 멀리 떨어진 구간을 구별합니다.",
    },
    "positional.dim_name": {
        "en": "dim {dim} = {fn}, i = {pair}, wavelength {wavelength}",
        "ko": "차원 {dim} = {fn}, i = {pair}, 파장 {wavelength}",
    },
    "positional.curves_title": {
        "en": "Sinusoidal positional encoding (§3.5), d_model = {d_model}, {n} positions",
        "ko": "사인파 포지셔널 인코딩 (§3.5), d_model = {d_model}, 위치 {n}개",
    },
    "positional.curves_note": {
        "en": "markers: the values at whole positions; thin line: the same wave in between · not an attention layer",
        "ko": "점: 정수 위치의 값, 가는 선: 그 사이의 같은 파동 · 어텐션 레이어 아님",
    },
    "positional.position": {"en": "position", "ko": "위치"},
    "positional.value": {"en": "PE(pos, dim)", "ko": "PE(pos, dim)"},
    "positional.heatmap_header": {"en": "The whole table: positions × dimensions", "ko": "전체 표: 위치 × 차원"},
    "positional.heatmap_explain": {
        "en": "Row = one position's vector, added to that token's embedding (× √d_model) before the first layer. Left columns oscillate fast; right columns barely change.",
        "ko": "행 = 한 위치의 벡터로, 첫 레이어 전에 그 토큰의 임베딩(× √d_model)에 더해집니다. 왼쪽 열은 빠르게 진동하고, 오른쪽 열은 거의 변하지 않습니다.",
    },
    "positional.heatmap_title": {
        "en": "PE table (positions × dimensions), d_model = {d_model}, {n} positions — not an attention layer",
        "ko": "PE 표 (위치 × 차원), d_model = {d_model}, 위치 {n}개 — 어텐션 레이어 아님",
    },
    "positional.dimension": {"en": "dimension", "ko": "차원"},
    "positional.thinned": {
        "en": "Large table: one position in {rows} and one dimension in {cols} are drawn.",
        "ko": "표가 커서 위치는 {rows}개 중 1개, 차원은 {cols}개 중 1개만 그렸습니다.",
    },
    "positional.similarity_header": {"en": "Nearby positions are alike", "ko": "가까운 위치는 비슷합니다"},
    "positional.similarity_explain": {
        "en": "PE(i)·PE(j) is largest on the diagonal (each pair adds sin² + cos² = 1, so the diagonal is d_model/2 = {half}) and falls off with the distance |i − j| — "
        "it depends only on the distance, not on where i and j are.",
        "ko": "PE(i)·PE(j)는 대각선에서 가장 큽니다 (차원 쌍마다 sin² + cos² = 1이므로 대각선 값은 d_model/2 = {half}). 거리 |i − j|가 멀어질수록 줄어들며, "
        "i와 j의 위치가 아니라 거리에만 의존합니다.",
    },
    "positional.reference": {"en": "Reference position i", "ko": "기준 위치 i"},
    "positional.similarity_title": {"en": "Similarity PE(i)·PE(j), d_model = {d_model}", "ko": "유사도 PE(i)·PE(j), d_model = {d_model}"},
    "positional.not_attention": {"en": "positional encoding, not an attention layer", "ko": "포지셔널 인코딩, 어텐션 레이어 아님"},
    "positional.position_i": {"en": "position i", "ko": "위치 i"},
    "positional.position_j": {"en": "position j", "ko": "위치 j"},
    "positional.profile_title": {
        "en": "PE({ref})·PE(j) for every j, d_model = {d_model}",
        "ko": "모든 j에 대한 PE({ref})·PE(j), d_model = {d_model}",
    },
    "positional.dot_axis": {"en": "PE({ref})·PE(j)", "ko": "PE({ref})·PE(j)"},
    "positional.shift": {
        "en": "Why sinusoids (§3.5): “for any fixed offset k, PE(pos+k) can be represented as a linear function of PE(pos)” — a rotation of every sin/cos pair. "
        "Check on this table with k = {k}: the largest error of PE(pos+{k}) = M·PE(pos) is {error}.",
        "ko": "왜 사인파인가 (§3.5): “고정된 오프셋 k에 대해 PE(pos+k)는 PE(pos)의 선형 함수로 나타낼 수 있다” — 사인/코사인 쌍마다의 회전입니다. "
        "이 표에서 k = {k}로 확인: PE(pos+{k}) = M·PE(pos)의 최대 오차는 {error}입니다.",
    },
    "positional.model_header": {"en": "The shipped model's own encoding", "ko": "배포된 모델의 포지셔널 인코딩"},
    "positional.no_model": {
        "en": "No model is installed; the formula parts above work without one.",
        "ko": "설치된 모델이 없습니다. 위의 공식 부분은 모델 없이도 동작합니다.",
    },
    "positional.model_explain": {
        "en": "**{model}** keeps a fixed table of {n} positions × {d_model} dimensions (nothing learned). It equals the formula (largest difference {error}). "
        "Every row has length √(d_model/2) = {norm}. Below: the rows your sentence occupies.",
        "ko": "**{model}**은(는) 위치 {n}개 × 차원 {d_model}개의 고정된 표를 가집니다 (학습되지 않음). 공식과 같습니다 (최대 차이 {error}). "
        "모든 행의 길이는 √(d_model/2) = {norm}입니다. 아래: 입력한 문장이 차지하는 행.",
    },
    "positional.model_title": {
        "en": "{model}: positional encoding of the {n} source positions of your sentence (added before encoder layer 1)",
        "ko": "{model}: 입력 문장의 소스 위치 {n}개의 포지셔널 인코딩 (인코더 레이어 1 전에 더해짐)",
    },
    "positional.token": {"en": "position: source token", "ko": "위치: 소스 토큰"},
    "positional.model_full": {"en": "The model's whole table", "ko": "모델의 전체 표"},
    "positional.model_full_title": {
        "en": "{model}: the whole positional-encoding table ({n} positions)",
        "ko": "{model}: 전체 포지셔널 인코딩 표 (위치 {n}개)",
    },
    "positional.learned_note": {
        "en": "Learned instead of fixed: the paper also tried learned position embeddings and got nearly identical results (Table 3, row E); it kept sinusoids "
        "hoping they extrapolate to longer sentences. Many later models learn absolute positions (BERT, GPT-2) or encode relative positions instead "
        "(Shaw et al., 2018; rotary embeddings, RoPE; ALiBi).",
        "ko": "고정 대신 학습: 논문은 학습된 위치 임베딩도 시험했고 거의 같은 결과를 얻었습니다 (표 3, E행). 더 긴 문장으로 외삽되기를 기대하며 사인파를 택했습니다. "
        "이후 많은 모델은 절대 위치를 학습하거나 (BERT, GPT-2) 상대 위치를 인코딩합니다 "
        "(Shaw 외, 2018; 로터리 임베딩 RoPE; ALiBi).",
    },
    # ------------------------------------------------------------- multi-head
    "multihead.title": {"en": "Multi-head attention", "ko": "멀티-헤드 어텐션 (Multi-head attention)"},
    "multihead.intro": {
        "en": "Instead of one attention over all d_model dimensions, the layer runs h smaller attentions — **heads** — side by side (§3.2.2). "
        "Each head projects the same vectors into its own d_k = d_model / h dimensional queries, keys and values, so each can look for something else, "
        "like several channels. Their outputs are concatenated and mixed by W^O. The total cost is about that of one full-width head.",
        "ko": "모든 d_model 차원에 대해 어텐션을 한 번 하는 대신, 레이어는 작은 어텐션 h개 — **헤드(head)** — 를 나란히 실행합니다 (§3.2.2). "
        "각 헤드는 같은 벡터를 자기만의 d_k = d_model / h 차원의 쿼리, 키, 밸류로 투영(projection)하므로, 여러 채널처럼 각자 다른 것을 찾을 수 있습니다. "
        "출력들은 이어 붙여(concatenate) W^O로 섞습니다. 전체 계산량은 전체 폭의 헤드 하나와 비슷합니다.",
    },
    "multihead.kind": {"en": "Attention", "ko": "어텐션 종류"},
    "multihead.token": {"en": "token", "ko": "토큰"},
    "multihead.dimension": {"en": "dimension", "ko": "차원"},
    "multihead.split_header": {"en": "1 · One input, h projections", "ko": "1 · 입력 하나, 투영 h개"},
    "multihead.split_explain": {
        "en": "The layer's input X has one row of d_model = **{d_model}** numbers per token ({q} query rows, {k} key rows). "
        "Head i multiplies it by its own W_i^Q, W_i^K, W_i^V (each {d_model} × **{d_k}**): {h} heads × {d_k} dimensions = {d_model}.",
        "ko": "레이어 입력 X는 토큰마다 d_model = **{d_model}**개의 숫자로 된 행 하나를 가집니다 (쿼리 행 {q}개, 키 행 {k}개). "
        "헤드 i는 이를 자기만의 W_i^Q, W_i^K, W_i^V (각각 {d_model} × **{d_k}**)로 곱합니다: 헤드 {h}개 × {d_k}차원 = {d_model}.",
    },
    "multihead.input_title": {
        "en": "{kind} · layer {layer} · all heads · {model}: input X (the hidden state, {d_model} dims per token)",
        "ko": "{kind} · 레이어 {layer} · 모든 헤드 · {model}: 입력 X (은닉 상태, 토큰당 {d_model}차원)",
    },
    "multihead.cross_memory": {
        "en": "Encoder–decoder attention: the queries come from this decoder state; the keys and values come from the encoder output (the “memory”).",
        "ko": "인코더–디코더 어텐션: 쿼리는 이 디코더 상태에서, 키와 밸류는 인코더 출력(“메모리”)에서 옵니다.",
    },
    "multihead.qkv_title": {
        "en": "{kind} · layer {layer} · each head · {model}: Q, K, V with d_k = {d_k} dims per token",
        "ko": "{kind} · 레이어 {layer} · 헤드별 · {model}: 토큰당 d_k = {d_k}차원의 Q, K, V",
    },
    "multihead.heads_header": {"en": "2 · The heads specialise", "ko": "2 · 헤드는 각자 전문화됩니다"},
    "multihead.heads_explain": {
        "en": "Each head attends with its own Q and K. Trained heads often settle into habits: the previous or next token, the token itself, "
        "the end-of-sentence token as a resting place, or — for translation — the aligned source word.",
        "ko": "각 헤드는 자신의 Q와 K로 어텐션합니다. 학습된 헤드는 흔히 습관을 갖게 됩니다: 이전 또는 다음 토큰, 자기 자신, "
        "쉬는 자리로서의 문장 끝 토큰, 또는 — 번역에서는 — 정렬(alignment)된 소스 단어.",
    },
    "multihead.grid_title": {
        "en": "{kind} · layer {layer} · every head side by side (one colour scale) · {model}",
        "ko": "{kind} · 레이어 {layer} · 모든 헤드 나란히 (같은 색상 스케일) · {model}",
    },
    "multihead.habit.previous": {"en": "previous token", "ko": "이전 토큰"},
    "multihead.habit.self": {"en": "the token itself", "ko": "자기 자신"},
    "multihead.habit.self_cross": {"en": "aligned source position (diagonal)", "ko": "정렬된 소스 위치 (대각선)"},
    "multihead.habit.next": {"en": "next token", "ko": "다음 토큰"},
    "multihead.habit.back": {"en": "{n} tokens back", "ko": "{n}개 앞 토큰"},
    "multihead.habit.ahead": {"en": "{n} tokens ahead", "ko": "{n}개 뒤 토큰"},
    "multihead.habit.reverse": {"en": "mirrored position (reversed order)", "ko": "거울 위치 (역순)"},
    "multihead.habit.special": {"en": "special tokens (<s>, </s>)", "ko": "특수 토큰 (<s>, </s>)"},
    "multihead.habit.broad": {"en": "spread evenly", "ko": "고르게 분산"},
    "multihead.habit.focused": {"en": "sharp, content-dependent", "ko": "날카로움, 내용에 따라 다름"},
    "multihead.habit.mixed": {"en": "mixed", "ko": "혼합"},
    "multihead.col_habit": {"en": "habit on this sentence", "ko": "이 문장에서의 습관"},
    "multihead.col_share": {"en": "share", "ko": "비중"},
    "multihead.habit_caption": {
        "en": "Share = mean weight on the habit's key (for “spread evenly”: entropy relative to uniform). Special-token rows are left out. "
        "Habits are measured on this one sentence only.",
        "ko": "비중 = 습관에 해당하는 키의 평균 가중치 (“고르게 분산”은 균등 분포 대비 엔트로피). 특수 토큰 행은 제외합니다. "
        "습관은 이 한 문장에서만 측정한 것입니다.",
    },
    "multihead.similarity_title": {"en": "{kind} · layer {layer} · all heads", "ko": "{kind} · 레이어 {layer} · 모든 헤드"},
    "multihead.similarity_note": {
        "en": "how alike the heads' maps are (cosine) · {model}",
        "ko": "헤드 맵끼리의 유사도 (코사인) · {model}",
    },
    "multihead.cosine": {"en": "cosine similarity", "ko": "코사인 유사도"},
    "multihead.similarity_explain": {
        "en": "Cosine similarity of the heads' attention maps: 1 = the same pattern, low = different patterns. "
        "Mean between different heads here: **{mean}**. Different heads looking at different places is what makes h heads more useful than one.",
        "ko": "헤드 어텐션 맵 사이의 코사인 유사도: 1 = 같은 패턴, 낮을수록 다른 패턴. "
        "여기서 서로 다른 헤드 사이의 평균: **{mean}**. 헤드들이 서로 다른 곳을 보기 때문에 헤드 h개가 하나보다 유용합니다.",
    },
    "multihead.concat_header": {"en": "3 · Concatenate, then project with W^O", "ko": "3 · 이어 붙이고 W^O로 투영"},
    "multihead.concat_explain": {
        "en": "Each head returns {d_k} numbers per query (its weights × its V). The {h} outputs are put side by side — back to {d_model} columns — "
        "and multiplied by W^O ({d_model} × {d_model}), which mixes what the heads found.",
        "ko": "각 헤드는 쿼리마다 {d_k}개의 숫자를 돌려줍니다 (가중치 × 자기 V). {h}개의 출력을 나란히 이어 붙여 다시 {d_model}열로 만들고, "
        "W^O ({d_model} × {d_model})를 곱해 헤드들이 찾은 것을 섞습니다.",
    },
    "multihead.concat_title": {
        "en": "{kind} · layer {layer} · all heads · {model}: Concat(head₁ … head_h), one block per head",
        "ko": "{kind} · 레이어 {layer} · 모든 헤드 · {model}: Concat(head₁ … head_h), 헤드마다 한 블록",
    },
    "multihead.output_title": {
        "en": "{kind} · layer {layer} · all heads · {model}: output = Concat · W^O",
        "ko": "{kind} · 레이어 {layer} · 모든 헤드 · {model}: 출력 = Concat · W^O",
    },
    "multihead.sum_check": {
        "en": "Concat · W^O is the same as Σᵢ headᵢ · W^O_i + b, where W^O_i are the rows of W^O that multiply head i's block — largest difference here: {error}. "
        "So each head adds its own share to the output:",
        "ko": "Concat · W^O는 Σᵢ headᵢ · W^O_i + b와 같습니다 (W^O_i는 헤드 i의 블록에 곱해지는 W^O의 행들) — 여기서 최대 차이: {error}. "
        "즉 각 헤드가 출력에 자기 몫을 더합니다:",
    },
    "multihead.share_title": {
        "en": "{kind} · layer {layer} · each head's share of the output ‖headᵢ W^O_i‖ per query · {model}",
        "ko": "{kind} · 레이어 {layer} · 쿼리별 출력에서 각 헤드의 비중 ‖headᵢ W^O_i‖ · {model}",
    },
    "multihead.share_caption": {
        "en": "Each column sums to 1. A head with a small share barely changes the output at that position, whatever its attention map looks like.",
        "ko": "각 열의 합은 1입니다. 비중이 작은 헤드는 어텐션 맵이 어떻게 생겼든 그 위치의 출력을 거의 바꾸지 않습니다.",
    },
    # ----------------------------------------------------------- architecture
    "architecture.title": {"en": "The architecture", "ko": "전체 구조 (Architecture)"},
    "architecture.intro": {
        "en": "The Transformer of Figure 1 (§3): an **encoder** stack reads the source sentence; a **decoder** stack writes the translation one token at a time, "
        "looking at its own output so far and at the encoder's output. Every block below links to the page or explorer view that shows it at work.",
        "ko": "그림 1의 트랜스포머 (§3): **인코더(encoder)** 스택이 소스 문장을 읽고, **디코더(decoder)** 스택이 지금까지의 자기 출력과 인코더의 출력을 보면서 "
        "번역을 한 토큰씩 씁니다. 아래 각 블록은 그 블록이 작동하는 모습을 보여 주는 페이지나 탐색기 화면으로 연결됩니다.",
    },
    "architecture.no_model": {
        "en": "No model is installed: the diagram and the paper's numbers are shown without the shipped model's column.",
        "ko": "설치된 모델이 없습니다: 다이어그램과 논문의 수치만 보여 주고 배포 모델 열은 비워 둡니다.",
    },
    "architecture.diagram_header": {"en": "Figure 1, block by block", "ko": "그림 1, 블록별로"},
    "architecture.diagram_explain": {
        "en": "Read bottom-up, as in the paper. The framed blocks form one layer, repeated N times.",
        "ko": "논문처럼 아래에서 위로 읽습니다. 테두리 안의 블록들이 한 레이어이며 N번 반복됩니다.",
    },
    "architecture.encoder": {"en": "Encoder", "ko": "인코더 (Encoder)"},
    "architecture.decoder": {"en": "Decoder", "ko": "디코더 (Decoder)"},
    "architecture.stack": {"en": "**N ×** (this model: {n}, paper: {paper})", "ko": "**N ×** (이 모델: {n}, 논문: {paper})"},
    "architecture.memory_arrow": {
        "en": "→ The encoder's output (the “memory”) becomes the keys and values of every decoder layer's encoder–decoder attention.",
        "ko": "→ 인코더의 출력(“메모리”)은 모든 디코더 레이어의 인코더–디코더 어텐션에서 키와 밸류가 됩니다.",
    },
    "architecture.block.inputs": {"en": "Inputs", "ko": "입력 (Inputs)"},
    "architecture.block.inputs.explain": {
        "en": "The source sentence as subword pieces, followed by </s>.",
        "ko": "서브워드 조각으로 나눈 소스 문장, 끝에 </s>.",
    },
    "architecture.block.input_embedding": {"en": "Input embedding", "ko": "입력 임베딩 (Input embedding)"},
    "architecture.block.input_embedding.explain": {
        "en": "Each piece becomes a learned vector of d_model numbers, multiplied by √d_model (§3.4).",
        "ko": "각 조각이 d_model개의 숫자로 된 학습된 벡터가 되고, √d_model을 곱합니다 (§3.4).",
    },
    "architecture.block.positional_encoding": {"en": "⊕ Positional encoding", "ko": "⊕ 포지셔널 인코딩"},
    "architecture.block.positional_encoding.explain": {
        "en": "Fixed sin/cos vectors added so that order matters (§3.5).",
        "ko": "순서를 알 수 있도록 고정된 사인/코사인 벡터를 더합니다 (§3.5).",
    },
    "architecture.block.encoder_self_attention": {"en": "Multi-head self-attention", "ko": "멀티-헤드 셀프 어텐션"},
    "architecture.block.encoder_self_attention.explain": {
        "en": "Every source token attends to every source token; only padding is masked.",
        "ko": "모든 소스 토큰이 모든 소스 토큰에 어텐션합니다. 패딩만 마스킹됩니다.",
    },
    "architecture.block.add_norm": {"en": "Add & Norm", "ko": "더하기 & 정규화 (Add & Norm)"},
    "architecture.block.add_norm.explain": {
        "en": "Residual connection and layer normalisation: LayerNorm(x + Sublayer(x)) (§3.1).",
        "ko": "잔차 연결(residual)과 층 정규화(layer normalization): LayerNorm(x + Sublayer(x)) (§3.1).",
    },
    "architecture.block.feed_forward": {"en": "Feed forward", "ko": "피드포워드 (Feed forward)"},
    "architecture.block.feed_forward.explain": {
        "en": "The same two-layer network at every position: max(0, xW₁ + b₁)W₂ + b₂, inner width d_ff (§3.3).",
        "ko": "모든 위치에 같은 2층 신경망: max(0, xW₁ + b₁)W₂ + b₂, 내부 폭 d_ff (§3.3).",
    },
    "architecture.block.outputs_shifted": {"en": "Outputs (shifted right)", "ko": "출력 (오른쪽으로 한 칸 이동)"},
    "architecture.block.outputs_shifted.explain": {
        "en": "<s> followed by the tokens written so far: position t predicts token t+1.",
        "ko": "<s> 뒤에 지금까지 쓴 토큰들: 위치 t가 토큰 t+1을 예측합니다.",
    },
    "architecture.block.output_embedding": {"en": "Output embedding", "ko": "출력 임베딩 (Output embedding)"},
    "architecture.block.output_embedding.explain": {
        "en": "The same kind of learned vectors × √d_model (shared with the input embedding when the vocabulary is shared, §3.4).",
        "ko": "같은 종류의 학습된 벡터 × √d_model (어휘를 공유하면 입력 임베딩과 공유, §3.4).",
    },
    "architecture.block.masked_self_attention": {"en": "Masked multi-head self-attention", "ko": "마스크드 멀티-헤드 셀프 어텐션"},
    "architecture.block.masked_self_attention.explain": {
        "en": "Each position sees only itself and earlier positions: the look-ahead mask (§3.2.3).",
        "ko": "각 위치는 자신과 이전 위치만 봅니다: 룩어헤드 마스크 (§3.2.3).",
    },
    "architecture.block.cross_attention": {"en": "Multi-head encoder–decoder attention", "ko": "멀티-헤드 인코더–디코더 어텐션"},
    "architecture.block.cross_attention.explain": {
        "en": "Queries from the decoder, keys and values from the encoder output: where in the source to look.",
        "ko": "쿼리는 디코더에서, 키와 밸류는 인코더 출력에서: 소스의 어디를 볼지 정합니다.",
    },
    "architecture.block.linear": {"en": "Linear", "ko": "선형 변환 (Linear)"},
    "architecture.block.linear.explain": {
        "en": "Scores for every vocabulary piece (weights shared with the embedding, §3.4).",
        "ko": "어휘의 모든 조각에 대한 점수 (가중치는 임베딩과 공유, §3.4).",
    },
    "architecture.block.softmax": {"en": "Softmax", "ko": "소프트맥스 (Softmax)"},
    "architecture.block.softmax.explain": {
        "en": "Turns the scores into next-token probabilities.",
        "ko": "점수를 다음 토큰 확률로 바꿉니다.",
    },
    "architecture.block.output_probabilities": {"en": "Output probabilities", "ko": "출력 확률"},
    "architecture.block.output_probabilities.explain": {
        "en": "Greedy or beam search picks the next token from them (§6.1).",
        "ko": "그리디 또는 빔 서치가 여기서 다음 토큰을 고릅니다 (§6.1).",
    },
    "architecture.hp_header": {"en": "Hyper-parameters next to the paper", "ko": "논문과 나란히 본 하이퍼파라미터"},
    "architecture.hp_explain": {
        "en": "The paper's base and big models (Table 3) next to the model you are using; every name means the same thing. The shipped models are smaller so they run on a laptop CPU.",
        "ko": "논문의 base, big 모델 (표 3)과 지금 사용하는 모델을 나란히 놓았습니다. 이름의 뜻은 모두 같습니다. 배포된 모델은 노트북 CPU에서 돌아가도록 더 작습니다.",
    },
    "architecture.shipped": {"en": "shipped model", "ko": "배포 모델"},
    "architecture.col_hp": {"en": "hyper-parameter", "ko": "하이퍼파라미터"},
    "architecture.col_base": {"en": "paper: base", "ko": "논문: base"},
    "architecture.col_big": {"en": "paper: big", "ko": "논문: big"},
    "architecture.hp.d_model": {"en": "d_model (vector width)", "ko": "d_model (벡터 폭)"},
    "architecture.hp.layers": {"en": "N layers (encoder / decoder)", "ko": "레이어 수 N (인코더 / 디코더)"},
    "architecture.hp.heads": {"en": "h heads", "ko": "헤드 수 h"},
    "architecture.hp.d_k": {"en": "d_k = d_v = d_model / h", "ko": "d_k = d_v = d_model / h"},
    "architecture.hp.d_ff": {"en": "d_ff (feed-forward width)", "ko": "d_ff (피드포워드 폭)"},
    "architecture.hp.dropout": {"en": "dropout P_drop", "ko": "드롭아웃 P_drop"},
    "architecture.hp.vocabulary": {"en": "vocabulary (shared pieces)", "ko": "어휘 (공유 조각 수)"},
    "architecture.hp.max_positions": {"en": "positions in the PE table", "ko": "PE 표의 위치 수"},
    "architecture.hp.parameters": {"en": "parameters", "ko": "파라미터 수"},
    "architecture.params_header": {"en": "Where the parameters are", "ko": "파라미터는 어디에 있을까"},
    "architecture.params_explain": {
        "en": "Counts per component: the shipped model's from its real weights; the paper's from the formulas — attention 4·(d_model² + d_model), "
        "feed-forward 2·d_model·d_ff + d_ff + d_model, LayerNorm 2·d_model, embeddings vocabulary × d_model (one shared table). The positional encoding has none.",
        "ko": "구성 요소별 개수: 배포 모델은 실제 가중치에서, 논문 모델은 공식으로 계산 — 어텐션 4·(d_model² + d_model), "
        "피드포워드 2·d_model·d_ff + d_ff + d_model, LayerNorm 2·d_model, 임베딩 어휘 × d_model (공유 표 하나). 포지셔널 인코딩은 파라미터가 없습니다.",
    },
    "architecture.component.embeddings": {"en": "embeddings (shared)", "ko": "임베딩 (공유)"},
    "architecture.component.positional_encoding": {"en": "positional encoding", "ko": "포지셔널 인코딩"},
    "architecture.component.encoder_self_attention": {"en": "encoder self-attention", "ko": "인코더 셀프 어텐션"},
    "architecture.component.encoder_feed_forward": {"en": "encoder feed-forward", "ko": "인코더 피드포워드"},
    "architecture.component.encoder_layer_norm": {"en": "encoder LayerNorm", "ko": "인코더 LayerNorm"},
    "architecture.component.decoder_self_attention": {"en": "decoder self-attention", "ko": "디코더 셀프 어텐션"},
    "architecture.component.decoder_cross_attention": {"en": "decoder encoder–decoder attention", "ko": "디코더 인코더–디코더 어텐션"},
    "architecture.component.decoder_feed_forward": {"en": "decoder feed-forward", "ko": "디코더 피드포워드"},
    "architecture.component.decoder_layer_norm": {"en": "decoder LayerNorm", "ko": "디코더 LayerNorm"},
    "architecture.component.output_projection": {"en": "output projection (tied)", "ko": "출력 투영 (공유)"},
    "architecture.col_component": {"en": "component", "ko": "구성 요소"},
    "architecture.total": {"en": "total", "ko": "합계"},
    "architecture.params_title": {
        "en": "Share of parameters per component (hover for counts) — all layers and heads",
        "ko": "구성 요소별 파라미터 비중 (마우스를 올리면 개수) — 모든 레이어와 헤드",
    },
    "architecture.share_axis": {"en": "share of parameters", "ko": "파라미터 비중"},
    "architecture.params_check": {
        "en": "The formulas give **{base}** for the base model (paper: {base_paper} M) and **{big}** for the big model (paper: {big_paper} M); "
        "the small gap comes from the vocabulary size, which the paper does not pin down exactly.",
        "ko": "공식으로 계산하면 base 모델 **{base}** (논문: {base_paper} M), big 모델 **{big}** (논문: {big_paper} M)입니다. "
        "작은 차이는 논문이 정확히 밝히지 않은 어휘 크기에서 옵니다.",
    },
    "architecture.formula_match": {
        "en": "Check: the same formulas applied to {model}'s hyper-parameters give exactly its real parameter counts.",
        "ko": "확인: 같은 공식을 {model}의 하이퍼파라미터에 적용하면 실제 파라미터 수와 정확히 같습니다.",
    },
    "architecture.formula_mismatch": {
        "en": "Note: {model}'s real parameter counts differ from the formulas (its modules are not the paper's exact layout).",
        "ko": "참고: {model}의 실제 파라미터 수가 공식과 다릅니다 (모듈 구성이 논문과 정확히 같지 않습니다).",
    },
}
