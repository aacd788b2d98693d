"""Strings of the scaled dot-product lesson (why 1/√d_k). ``{key: {"en": …, "ko": …}}``, both languages side by side."""

STRINGS: dict[str, dict[str, str]] = {
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
}
